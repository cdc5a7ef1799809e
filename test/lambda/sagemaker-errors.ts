/** SageMaker errors built the way the SDK deserializes them, with the messages the service sends. */
import { ResourceInUse, ResourceLimitExceeded, SageMakerServiceException } from '@aws-sdk/client-sagemaker';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:123456789012';

export const trainingJobArn = (name: string): string => `${ARN_PREFIX}:training-job/${name}`;
export const modelArn = (name: string): string => `${ARN_PREFIX}:model/${name}`;
export const endpointConfigArn = (name: string): string => `${ARN_PREFIX}:endpoint-config/${name}`;
export const endpointArn = (name: string): string => `${ARN_PREFIX}:endpoint/${name}`;

export function trainingJobExists(name: string): ResourceInUse {
  return new ResourceInUse({
    message: `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${trainingJobArn(name)})`,
    $metadata: {},
  });
}

/** SageMaker models no ValidationException; the SDK gives unmodelled errors the service's error code as name. */
export function validationException(message: string): SageMakerServiceException {
  return new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', message, $metadata: {} });
}

export const modelExists = (name: string) => validationException(`Cannot create already existing model "${modelArn(name)}".`);
export const endpointConfigExists = (name: string) =>
  validationException(`Cannot create already existing endpoint configuration "${endpointConfigArn(name)}".`);
export const endpointExists = (name: string) => validationException(`Cannot create already existing endpoint "${endpointArn(name)}".`);

export function resourceLimitExceeded(message: string): ResourceLimitExceeded {
  return new ResourceLimitExceeded({ message, $metadata: {} });
}
