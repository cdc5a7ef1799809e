import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { TrainingStatus, summarizeTraining } from './core/sagemaker/variant-state';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler(state: VariantState): Promise<TrainingStatus> {
  const { variant, training } = state;
  const response = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: variant.jobName }));
  return summarizeTraining(variant.jobName, response, (training?.polls ?? 0) + 1, variant.maxTrainingPolls);
}
