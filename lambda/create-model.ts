import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce } from './core/sagemaker/create-once';
import { requiredEnv } from './core/common/environment';
import { modelRequest } from './core/sagemaker/requests';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler({ variant, training }: VariantState): Promise<{ modelName: string; created: boolean }> {
  if (!training?.modelArtifact)
    throw new Error(`Training job ${variant.jobName} reported no model artifact; cannot create model ${variant.modelName}`);
  const request = modelRequest(
    variant,
    { bucketName: requiredEnv('DATA_BUCKET'), roleArn: requiredEnv('SAGEMAKER_ROLE_ARN') },
    training.modelArtifact,
  );
  const outcome = await createOnce(sagemaker, () => sagemaker.send(new CreateModelCommand(request)), variant.executionArn);
  return { modelName: variant.modelName, created: outcome === 'created' };
}
