/** A deployed configuration and one execution's plan, as the workflow's first state produces them. */
import { ExecutionPlan, planExecution } from '../../lambda/core/experiment/plan';
import { ExperimentSettings, WORKSHOP_DEFAULTS } from '../../lambda/core/experiment/settings';
import { VariantState } from '../../lambda/core/workflow/execution-state';

export const IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1';
export const STACK_NAME = 'DistributedTrainingExperiment';
export const BUCKET = 'experiment-data-bucket';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/experiment-sagemaker-role';
/** The training channels of a prepared dataset, as "Identify dataset" returns them. */
export const DATASET_PREFIX = 'sagemaker/data_distribution_types/datasets/0123456789abcdef';
export const CHANNELS = { train: `${DATASET_PREFIX}/train/`, validation: `${DATASET_PREFIX}/validation/` };
export const TEST_KEY = `${DATASET_PREFIX}/test/1984.csv`;

/** The workshop's Linear Learner hyperparameters, as SageMaker receives them (strings). */
export const WORKSHOP_HYPERPARAMETERS = {
  feature_dim: '25',
  mini_batch_size: '500',
  predictor_type: 'regressor',
  epochs: '2',
  num_models: '32',
  loss: 'absolute_loss',
};

export const DEFAULTS: ExperimentSettings = {
  ...WORKSHOP_DEFAULTS,
  imageUri: IMAGE,
  pricesPerHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 },
};

export const EXECUTION = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1',
  startTime: '2026-11-28T15:53:28.123Z',
  name: 'run-1',
};

export function planFor(input: unknown = {}, execution = EXECUTION): ExecutionPlan {
  return planExecution({ input, execution, defaults: DEFAULTS, stackName: STACK_NAME });
}

/** The state one variant's branch carries; `replicated` is the first default variant, `sharded` the second. */
export function variantState(variantName = 'sharded', extra: Partial<VariantState> = {}): VariantState {
  const plan = planFor();
  const variant = plan.variants.find((candidate) => candidate.name === variantName);
  if (!variant) throw new Error(`no variant ${variantName} in the default plan`);
  return { variant, dataset: { channels: CHANNELS, testKey: TEST_KEY }, ...extra };
}
