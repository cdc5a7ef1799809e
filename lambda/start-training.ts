import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce, explainResourceLimit } from './core/sagemaker/create-once';
import { requiredEnv } from './core/common/environment';
import { trainingJobRequest } from './core/sagemaker/requests';
import { STARTED_TRAINING, TrainingStatus } from './core/sagemaker/variant-state';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler({ variant, dataset }: VariantState): Promise<TrainingStatus> {
  const deployment = { bucketName: requiredEnv('DATA_BUCKET'), roleArn: requiredEnv('SAGEMAKER_ROLE_ARN') };
  const request = trainingJobRequest(variant, deployment, dataset.channels);
  try {
    await createOnce(sagemaker, () => sagemaker.send(new CreateTrainingJobCommand(request)), variant.executionArn);
  } catch (error) {
    throw explainResourceLimit(
      error,
      'training job',
      variant.instanceType,
      variant.instanceCount,
      `instanceCount (variant "${variant.name}")`,
    );
  }
  return STARTED_TRAINING;
}
