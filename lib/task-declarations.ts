import { Duration } from 'aws-cdk-lib';
import type { TaskGrants } from './task-grants';
import type { TaskFunctionProps } from './task-function';

/**
 * One task function: its handler, what it is for, its sizing, what it may do, and the states that invoke it.
 * Adding a task is one entry here, its handler in lambda/ and its state in the workflow; the stack creates the
 * function from the entry, and the tests run the handler wherever the synthesized workflow names the state.
 */
export interface TaskDeclaration {
  /** File name of the handler in lambda/, without extension. */
  readonly handler: string;
  readonly description: string;
  /** The workflow's Task states that invoke this function (a test checks them against the synthesized definition). */
  readonly stateNames: readonly string[];
  readonly sizing?: Pick<TaskFunctionProps, 'memorySize' | 'timeout' | 'externalModules'>;
  /** What the function may do beyond writing its logs. */
  readonly grant?: (grants: TaskGrants) => void;
}

/**
 * Data preparation streams a yearly GDELT file (up to a few hundred MB) through the transform; the README's "Lambda
 * sizing, from measured throughput" gives the measured throughput these limits leave a wide margin over.
 */
const DATA_PREPARATION: TaskDeclaration['sizing'] = {
  memorySize: 1024,
  timeout: Duration.minutes(15),
  // lib-storage is not among the SDK packages the runtime ships; bundling it with the S3 client it was built
  // against avoids mixing its version with the runtime's.
  externalModules: [],
};

// Create calls carry tags (AddTags) and check, on a retry, that an existing resource is this execution's (ListTags).
const CREATE_WITH_TAGS = ['sagemaker:AddTags', 'sagemaker:ListTags'];

/** Stop a variant's job and delete its endpoint, config and model: a variant's own end and the execution's clean-up. */
const removeVariantResources = (grants: TaskGrants): void => {
  grants
    .sagemaker(
      ['sagemaker:DescribeEndpoint', 'sagemaker:DeleteEndpoint', 'sagemaker:DeleteEndpointConfig', 'sagemaker:DeleteModel'],
      ['endpoint', 'endpoint-config', 'model'],
    )
    .sagemaker(['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'], ['training-job']);
};

/** The experiment workflow's task functions, in the order the workflow first runs them. */
export const WORKFLOW_TASKS = {
  planExecution: {
    handler: 'plan-execution',
    description: 'Validates the execution input and fixes names, tags and work items',
    stateNames: ['Validate input and plan'],
  },
  preflight: {
    handler: 'preflight',
    description: 'Checks SageMaker quotas and the GDELT source objects before anything is read or created',
    stateNames: ['Preflight'],
    // Pages through SageMaker's default quota list, backing off when Service Quotas throttles.
    sizing: { timeout: Duration.minutes(2) },
    grant: (grants) => grants.readSageMakerQuotas().checkGdelt(),
  },
  profileEventCodes: {
    handler: 'profile-event-codes',
    description: 'Finds the 20 most frequent event codes of the first GDELT year',
    stateNames: ['Profile event codes'],
    sizing: DATA_PREPARATION,
    grant: (grants) => grants.readGdelt().readWriteData(),
  },
  identifyDataset: {
    handler: 'identify-dataset',
    description: 'Names the prepared dataset from the source ETags, event codes and split',
    stateNames: ['Identify dataset'],
    grant: (grants) => grants.readGdelt(),
  },
  prepareYear: {
    handler: 'prepare-year',
    description: 'Streams one GDELT year into RecordIO-protobuf train/validation or test objects',
    stateNames: ['Prepare year'],
    sizing: DATA_PREPARATION,
    grant: (grants) => grants.readGdelt().readWriteData(),
  },
  layOutTrainingData: {
    handler: 'lay-out-training-data',
    description: 'Lists the train channel objects, writing the near-equal shards of trainShards first',
    stateNames: ['Lay out training data'],
    sizing: DATA_PREPARATION,
    grant: (grants) => grants.readWriteData(),
  },
  startTraining: {
    handler: 'start-training',
    description: "Starts one variant's Linear Learner training job",
    stateNames: ['Start training job'],
    grant: (grants) => grants.sagemaker(['sagemaker:CreateTrainingJob', ...CREATE_WITH_TAGS], ['training-job']).passSageMakerRole(),
  },
  describeTraining: {
    handler: 'describe-training',
    description: "Reports a training job's status, times and final metrics",
    stateNames: ['Describe training job'],
    grant: (grants) => grants.sagemaker(['sagemaker:DescribeTrainingJob'], ['training-job']),
  },
  createModel: {
    handler: 'create-model',
    description: "Creates a model from a training job's artifact",
    stateNames: ['Create model'],
    grant: (grants) => grants.sagemaker(['sagemaker:CreateModel', ...CREATE_WITH_TAGS], ['model']).passSageMakerRole(),
  },
  createEndpointConfig: {
    handler: 'create-endpoint-config',
    description: "Creates an endpoint config for one variant's model",
    stateNames: ['Create endpoint config'],
    grant: (grants) => grants.sagemaker(['sagemaker:CreateEndpointConfig', ...CREATE_WITH_TAGS], ['endpoint-config']),
  },
  createEndpoint: {
    handler: 'create-endpoint',
    description: "Creates one variant's endpoint",
    stateNames: ['Create endpoint'],
    grant: (grants) => grants.sagemaker(['sagemaker:CreateEndpoint', ...CREATE_WITH_TAGS], ['endpoint', 'endpoint-config']),
  },
  describeEndpoint: {
    handler: 'describe-endpoint',
    description: "Reports an endpoint's status",
    stateNames: ['Describe endpoint'],
    grant: (grants) => grants.sagemaker(['sagemaker:DescribeEndpoint'], ['endpoint']),
  },
  evaluateEndpoint: {
    handler: 'evaluate-endpoint',
    description: 'Scores the test year on one endpoint in batches and returns MSE and MAE',
    stateNames: ['Evaluate endpoint'],
    sizing: { memorySize: 512, timeout: Duration.minutes(15) },
    grant: (grants) => grants.readTestData().sagemaker(['sagemaker:InvokeEndpoint'], ['endpoint']),
  },
  finishVariant: {
    handler: 'finish-variant',
    description: "Deletes one variant's endpoint after its evaluation, or cleans up a failed variant, and returns its summary",
    stateNames: ['Delete variant endpoint', 'Clean up failed variant'],
    sizing: { timeout: Duration.minutes(5) },
    grant: removeVariantResources,
  },
  cleanUpExecution: {
    handler: 'clean-up-execution',
    description: "Deletes an execution's endpoints, configs and models and stops its training jobs",
    stateNames: ['Clean up after failure'],
    sizing: { timeout: Duration.minutes(5) },
    grant: removeVariantResources,
  },
  writeReport: {
    handler: 'write-report',
    description: 'Writes the comparison report (JSON, Markdown, SVG) to the data bucket',
    stateNames: ['Write report'],
    grant: (grants) => grants.writeReports(),
  },
} as const satisfies Record<string, TaskDeclaration>;

export type WorkflowTaskName = keyof typeof WORKFLOW_TASKS;

/**
 * The Task states of the clean-up state machine that runs after an execution ends, with the handler each invokes;
 * lib/ended-execution-cleanup.ts creates that function.
 */
export const CLEAN_UP_AFTER_END_TASKS: Readonly<Record<string, Pick<TaskDeclaration, 'handler' | 'stateNames'>>> = {
  cleanUpEndedExecution: { handler: 'clean-up-ended-execution', stateNames: ['Clean up ended execution'] },
};
