/**
 * Every request the planner can produce, checked against the constraints the SageMaker API reference documents:
 * the four create requests of each variant, for the plans at the edges of what the settings accept.
 */
import { Readable } from 'node:stream';
import { endpointConfigRequest, endpointRequest, modelRequest, trainingJobRequest } from '../../../../lambda/core/sagemaker/requests';
import type { Deployment } from '../../../../lambda/core/sagemaker/requests';
import type { SourceReader } from '../../../../lambda/core/data/data-preparation';
import { DatasetLocation, identifyDataset } from '../../../../lambda/core/data/dataset';
import { ExecutionPlan, VariantPlan, planExecution } from '../../../../lambda/core/experiment/plan';
import {
  HyperparameterRule,
  LINEAR_LEARNER_HYPERPARAMETERS,
  hyperparameterProblem,
} from '../../../../lambda/core/experiment/linear-learner-hyperparameters';
import { MAX_VARIANT_NAME_LENGTH } from '../../../../lambda/core/experiment/settings';
import {
  createEndpointConfigProblems,
  createEndpointProblems,
  createModelProblems,
  createTrainingJobProblems,
  describeProblem,
} from '../../../helpers/sagemaker-constraints';
import { FIXTURE_CODES } from '../../s3-test-helpers';
import { BUCKET, CHANNELS, DEFAULTS, EXECUTION, ROLE_ARN, STACK_NAME, planFor } from '../../variant-fixture';

const DEPLOYMENT: Deployment = { bucketName: BUCKET, roleArn: ROLE_ARN };

/** Where SageMaker puts a job's model: `<S3OutputPath>/<job name>/output/model.tar.gz`, the URL the model is created from. */
const modelArtifact = (request: ReturnType<typeof trainingJobRequest>) =>
  `${request.OutputDataConfig!.S3OutputPath}/${request.TrainingJobName}/output/model.tar.gz`;

/** Every problem of the four create requests of each variant, as `<variant> <operation> <field>: <rule>`. */
function problemsOf(plan: ExecutionPlan, channels: DatasetLocation['channels'] = CHANNELS, deployment = DEPLOYMENT): string[] {
  return plan.variants.flatMap((variant: VariantPlan) => {
    const training = trainingJobRequest(variant, deployment, channels);
    const requests = [
      ['CreateTrainingJob', createTrainingJobProblems(training)],
      ['CreateModel', createModelProblems(modelRequest(variant, deployment, modelArtifact(training)))],
      ['CreateEndpointConfig', createEndpointConfigProblems(endpointConfigRequest(variant))],
      ['CreateEndpoint', createEndpointProblems(endpointRequest(variant))],
    ] as const;
    return requests.flatMap(([operation, problems]) =>
      problems.map((problem) => `${variant.name} ${operation} ${describeProblem(problem)}`),
    );
  });
}

/** The channels "Identify dataset" names for a plan, with every GDELT object at one ETag. */
async function identifiedChannels(plan: ExecutionPlan): Promise<DatasetLocation['channels']> {
  const sources: SourceReader = {
    identify: async (source) => ({ ...source, eTag: '"etag"' }),
    open: async () => Readable.from([]),
    describe: (source) => source.key,
  };
  const dataset = await identifyDataset(sources, {
    ...plan.data.dataset,
    profile: { year: 1979, codes: FIXTURE_CODES, sourceETag: '"etag"' },
  });
  return dataset.channels;
}

describe('the requests of a plan, against the documented SageMaker constraints', () => {
  it('sends valid requests for both variants of the default plan', () => {
    // GIVEN
    const plan = planFor({});
    // WHEN
    const problems = problemsOf(plan);
    // THEN
    expect(plan.variants.map((variant) => variant.name)).toEqual(['replicated', 'sharded']);
    expect(problems).toEqual([]);
  });

  it('sends valid requests for a Pipe variant', () => {
    // GIVEN
    const plan = planFor({ variants: [{ name: 'piped', trainDistribution: 'ShardedByS3Key', inputMode: 'Pipe' }] });
    // WHEN / THEN
    expect(problemsOf(plan)).toEqual([]);
  });

  it('sends valid requests for a spot variant, its wait bound equal to its runtime at the edge', () => {
    // GIVEN
    const plan = planFor({
      maxRuntimeInSeconds: 3600,
      maxWaitInSeconds: 3600,
      variants: [{ name: 'cheap', trainDistribution: 'FullyReplicated', spot: true }],
    });
    // WHEN
    const training = trainingJobRequest(plan.variants[0], DEPLOYMENT, CHANNELS);
    // THEN
    expect(training).toMatchObject({ EnableManagedSpotTraining: true, StoppingCondition: { MaxWaitTimeInSeconds: 3600 } });
    expect(problemsOf(plan)).toEqual([]);
  });

  it('sends valid requests for a 10-instance ShardedByS3Key variant over trainShards 10', async () => {
    // GIVEN
    const plan = planFor({ trainShards: 10, variants: [{ name: 'sharded10', trainDistribution: 'ShardedByS3Key', instanceCount: 10 }] });
    const channels = await identifiedChannels(plan);
    // WHEN
    const problems = problemsOf(plan, channels);
    // THEN
    expect(channels.train).toMatch(/\/train-shards-10\/$/);
    expect(problems).toEqual([]);
  });

  it('sends valid requests for every variant of the README sweep', () => {
    // GIVEN
    const plan = planFor({
      variants: [],
      sweep: { trainDistribution: ['FullyReplicated', 'ShardedByS3Key'], instanceCount: [2, 5], 'hyperparameters.epochs': [2, 4] },
    });
    // WHEN
    const problems = problemsOf(plan);
    // THEN
    expect(plan.variants).toHaveLength(8);
    expect(problems).toEqual([]);
  });

  it('sends valid names and tags for the longest variant name, execution name, state machine name and prefix', () => {
    // GIVEN the longest of each: a 20-character variant, an 80-character execution of an 80-character state machine
    // in a long region of another partition, a 63-character bucket and a 200-character experiment prefix
    const executionName = `e${'-x_9'.repeat(19)}abc`;
    const execution = {
      executionArn: `arn:aws-us-gov:states:us-gov-west-1:123456789012:execution:${'S'.repeat(80)}:${executionName}`,
      startTime: '2026-12-31T23:59:59.999Z',
      name: executionName,
    };
    const variantName = `v${'-a1'.repeat(6)}z`;
    const s3Prefix = Array.from({ length: 10 }, () => 'p'.repeat(19))
      .join('/')
      .padEnd(200, 'q');
    const plan = planExecution({
      input: { variants: [{ name: variantName, trainDistribution: 'FullyReplicated', spot: true }], keepEndpoints: true, keepModels: true },
      execution,
      defaults: { ...DEFAULTS, s3Prefix },
      stackName: `S${'t'.repeat(127)}`,
    });
    const deployment = { bucketName: 'b'.repeat(63), roleArn: `arn:aws-us-gov:iam::123456789012:role/${'r'.repeat(64)}` };
    // WHEN
    const problems = problemsOf(plan, CHANNELS, deployment);
    // THEN
    expect([executionName.length, variantName.length, s3Prefix.length]).toEqual([80, MAX_VARIANT_NAME_LENGTH, 200]);
    expect(plan.variants[0].jobName).toHaveLength(52);
    expect(plan.variants[0].tags).toHaveLength(5);
    expect(problems).toEqual([]);
  });

  it('sends valid hyperparameters for the widest overrides the settings accept', () => {
    // GIVEN every Linear Learner hyperparameter at its longest accepted value
    const widest = widestHyperparameters();
    const plan = planFor({
      hyperparameters: widest,
      variants: [{ name: 'widest', trainDistribution: 'ShardedByS3Key', hyperparameters: widest }],
    });
    // WHEN
    const problems = problemsOf(plan);
    // THEN the settings accept them, and so does SageMaker
    expect(Object.entries(widest).flatMap(([key, value]) => hyperparameterProblem('hyperparameters', key, value) ?? [])).toEqual([]);
    expect(Math.max(...Object.values(plan.variants[0].hyperparameters).map((value) => value.length))).toBe(2500);
    expect(problems).toEqual([]);
  });
});

const LONGEST = 2500;

/** The longest text the settings accept for one hyperparameter's rule: leading zeros pad a number to the limit. */
function longestAccepted(rule: HyperparameterRule): string {
  switch (rule.kind) {
    case 'integer':
      return String(rule.min).padStart(LONGEST, '0');
    case 'number':
      // 0.5 lies in every documented range (positive, fraction, non-negative, any).
      return '0.5'.padStart(LONGEST, '0');
    case 'enum':
      return [...rule.values].filter((value) => !rule.unfit?.[value]).sort((a, b) => b.length - a.length)[0];
    case 'fixed':
      return rule.value;
  }
}

function widestHyperparameters(): Record<string, string> {
  const widest = Object.fromEntries(Object.entries(LINEAR_LEARNER_HYPERPARAMETERS).map(([key, rule]) => [key, longestAccepted(rule)]));
  // The label is a real number: the loss and predictor must stay a regressor's, whatever is longest.
  return { ...widest, predictor_type: 'regressor', loss: 'eps_insensitive_absolute_loss' };
}

describe('an execution name SageMaker tags cannot carry', () => {
  it.each([["it's-mine"], ['run(2)'], ['run!']])('is rejected by the plan before anything is created: %s', (executionName) => {
    // GIVEN a name Step Functions accepts, whose execution ARN the experiment:execution tag would carry
    const execution = {
      ...EXECUTION,
      name: executionName,
      executionArn: `${EXECUTION.executionArn.replace(/run-1$/, '')}${executionName}`,
    };
    // WHEN / THEN
    expect(() => planExecution({ input: {}, execution, defaults: DEFAULTS, stackName: STACK_NAME })).toThrow(
      /execution name: ".*" has characters SageMaker does not allow in tags/,
    );
  });
});
