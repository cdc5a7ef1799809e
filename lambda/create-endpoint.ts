import { CreateEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce, explainResourceLimit } from './core/sagemaker/create-once';
import { endpointRequest } from './core/sagemaker/requests';
import { EndpointStatus, STARTED_ENDPOINT, VariantState } from './core/sagemaker/variant-state';

const sagemaker = new SageMakerClient({});

export async function handler(state: VariantState): Promise<EndpointStatus> {
  const { variant, settings } = state;
  try {
    await createOnce(sagemaker, () => sagemaker.send(new CreateEndpointCommand(endpointRequest(variant))), variant.executionArn);
  } catch (error) {
    throw explainResourceLimit(error, 'endpoint', settings.endpointInstanceType, settings.endpointInstanceCount, 'endpointInstanceCount');
  }
  return STARTED_ENDPOINT;
}
