import { SettingsError } from '../../../../lambda/core/experiment/settings';
import { DEFAULTS, EXECUTION, STACK_NAME, WORKSHOP_HYPERPARAMETERS, planFor } from '../../variant-fixture';

function caughtBy(attempt: () => unknown): Error {
  try {
    attempt();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('planExecution input', () => {
  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['null', null],
    ['no input', undefined],
    ['the console default with a Comment', { Comment: 'Insert your JSON here' }],
  ])('accepts %s and runs with the deployed settings', (_, input) => {
    // GIVEN / WHEN
    const plan = planFor(input);
    // THEN
    expect(plan.settings).toEqual(DEFAULTS);
  });

  it('ignores a Comment next to overrides', () => {
    // GIVEN / WHEN
    const plan = planFor({ Comment: 'more epochs', hyperparameters: { epochs: 4 } });
    // THEN
    expect(plan.settings.hyperparameters.epochs).toBe('4');
  });

  it('rejects an unknown key, naming it', () => {
    // GIVEN / WHEN / THEN
    expect(() => planFor({ epochs: 4 })).toThrow(/Invalid execution input:\n- epochs: unknown setting; known settings are/);
  });

  it('rejects s3Prefix, which is fixed at deploy time', () => {
    // GIVEN / WHEN / THEN
    expect(() => planFor({ s3Prefix: 'elsewhere' })).toThrow(
      /s3Prefix: can only be set at deploy time \(the stack's IAM policies are scoped to it\), not per execution/,
    );
  });

  it('rejects an invalid value with the settings message', () => {
    // GIVEN / WHEN / THEN
    expect(() => planFor({ instanceCount: 0 })).toThrow(/instanceCount: 0 must be an integer from 1 to 100/);
  });

  it('rejects a variant hyperparameter Linear Learner would refuse, before anything starts', () => {
    // GIVEN a sweep whose second variant asks for a classifier loss
    const variants = [
      { name: 'a', trainDistribution: 'ShardedByS3Key', hyperparameters: { epochs: 4 } },
      { name: 'b', trainDistribution: 'ShardedByS3Key', hyperparameters: { loss: 'hinge_loss' } },
    ];
    // WHEN / THEN
    expect(() => planFor({ variants })).toThrow(
      /Invalid execution input:\n- variants\[1\].hyperparameters.loss: "hinge_loss" is a loss for classifiers/,
    );
  });

  it.each<[string, unknown]>([
    ['a list', [{ trainingYears: [1980] }]],
    ['a string', 'sharded'],
    ['a number', 42],
    ['true', true],
  ])('rejects %s: the input must be a JSON object', (_, input) => {
    // GIVEN / WHEN / THEN
    expect(caughtBy(() => planFor(input)).message).toBe(
      'Invalid execution input:\n- the execution input must be a JSON object of settings to override (or {} for the deployed settings), ' +
        `got ${JSON.stringify(input)}`,
    );
  });

  it('fails with an error named InvalidSettings, which the workflow catches by name', () => {
    // GIVEN / WHEN
    const error = caughtBy(() => planFor({ nope: true }));
    // THEN
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.name).toBe('InvalidSettings');
  });
});

describe('planExecution variants', () => {
  it('resolves both default variants with the workshop resources and hyperparameters', () => {
    // GIVEN / WHEN
    const plan = planFor({});
    // THEN
    expect(
      plan.variants.map(({ name, trainDistribution, instanceCount, instanceType, hyperparameters }) => ({
        name,
        trainDistribution,
        instanceCount,
        instanceType,
        hyperparameters,
      })),
    ).toEqual([
      {
        name: 'replicated',
        trainDistribution: 'FullyReplicated',
        instanceCount: 5,
        instanceType: 'ml.c4.2xlarge',
        hyperparameters: WORKSHOP_HYPERPARAMETERS,
      },
      {
        name: 'sharded',
        trainDistribution: 'ShardedByS3Key',
        instanceCount: 5,
        instanceType: 'ml.c4.2xlarge',
        hyperparameters: WORKSHOP_HYPERPARAMETERS,
      },
    ]);
  });

  it('merges the execution input over the deployed settings', () => {
    // GIVEN / WHEN
    const plan = planFor({ instanceCount: 3, hyperparameters: { epochs: 4 } });
    // THEN
    expect(plan.variants[1]).toMatchObject({ instanceCount: 3, hyperparameters: { ...WORKSHOP_HYPERPARAMETERS, epochs: '4' } });
  });

  it('names each variant from the execution', () => {
    // GIVEN / WHEN
    const [replicated, sharded] = planFor({}).variants;
    // THEN
    expect(replicated.jobName).toMatch(/^linear-replicated-20261128-155328-[0-9a-f]{8}$/);
    expect(sharded).toMatchObject({ modelName: sharded.jobName, endpointConfigName: sharded.jobName, endpointName: sharded.jobName });
    expect(sharded.jobName).toMatch(/^linear-sharded-20261128-155328-[0-9a-f]{8}$/);
  });

  it('gives a re-planned execution the same names', () => {
    // GIVEN / WHEN / THEN
    expect(planFor({}).variants).toEqual(planFor({}).variants);
  });

  it('tags each variant with the stack, the execution and the variant, and carries the execution ARN', () => {
    // GIVEN / WHEN
    const sharded = planFor({}).variants[1];
    // THEN
    expect(sharded.executionArn).toBe(EXECUTION.executionArn);
    expect(sharded.tags).toEqual([
      { Key: 'experiment:stack', Value: STACK_NAME },
      { Key: 'experiment:execution', Value: EXECUTION.executionArn },
      { Key: 'experiment:variant', Value: 'sharded' },
    ]);
  });

  it('tags every variant with what the execution asks to keep', () => {
    // GIVEN / WHEN
    const plan = planFor({ keepModels: true });
    // THEN
    for (const variant of plan.variants) expect(variant.tags).toContainEqual({ Key: 'experiment:keep-models', Value: 'true' });
    expect(plan.variants[0].tags.map((tag) => tag.Key)).not.toContain('experiment:keep-endpoints');
  });

  it('bounds the training polls by the maximum runtime plus two hours of slack', () => {
    // GIVEN (1800 s + 7200 s) / 60 s per poll = 150
    // WHEN
    const plan = planFor({});
    // THEN
    expect(plan.variants[0].maxTrainingPolls).toBe(150);
  });

  it('rounds the training poll bound up', () => {
    // GIVEN (3600 s + 7200 s) / 7 s = 1542.86, for one variant (two would not fit in an execution's history)
    // WHEN
    const plan = planFor({
      maxRuntimeInSeconds: 3600,
      trainingPollSeconds: 7,
      variants: [{ name: 'solo', trainDistribution: 'FullyReplicated' }],
    });
    // THEN
    expect(plan.variants[0].maxTrainingPolls).toBe(1543);
  });

  it('bounds the polls of a spot variant by maxWaitInSeconds, which covers waiting for capacity', () => {
    // GIVEN (5400 s + 7200 s) / 60 s = 210 for the spot variant; the on-demand one keeps (1800 s + 7200 s) / 60 s = 150
    const variants = [
      { name: 'spot', trainDistribution: 'FullyReplicated', spot: true },
      { name: 'on-demand', trainDistribution: 'FullyReplicated' },
    ];
    // WHEN
    const plan = planFor({ maxWaitInSeconds: 5400, variants });
    // THEN
    expect(plan.variants.map((variant) => variant.maxTrainingPolls)).toEqual([210, 150]);
  });

  it('bounds the endpoint polls to an hour', () => {
    // GIVEN 3600 s / 30 s = 120; 3600 s / 45 s = 80
    // WHEN / THEN
    expect(planFor({}).variants[0].maxEndpointPolls).toBe(120);
    expect(planFor({ endpointPollSeconds: 45 }).variants[0].maxEndpointPolls).toBe(80);
  });
});

describe('planExecution data and report', () => {
  it('profiles the first training year and prepares every training year, then the test year', () => {
    // GIVEN / WHEN
    const { data } = planFor({});
    // THEN
    const prefix = 'sagemaker/data_distribution_types';
    expect(data.profile).toEqual({
      source: { bucket: 'gdelt-open-data', key: 'events/1979.csv' },
      year: 1979,
      dataPrefix: prefix,
      maxMalformedShare: 0.5,
    });
    const year = (y: number, kind: string) => ({ year: y, kind, source: { bucket: 'gdelt-open-data', key: `events/${y}.csv` } });
    expect(data.dataset).toEqual({
      dataPrefix: prefix,
      validationPercent: 10,
      maxMalformedShare: 0.5,
      retentionDays: 30,
      trainShards: 'year',
      years: [year(1979, 'train'), year(1980, 'train'), year(1981, 'train'), year(1982, 'train'), year(1983, 'train'), year(1984, 'test')],
    });
  });

  it('passes trainShards to the dataset, which lays out the train channel', () => {
    // GIVEN / WHEN
    const { data } = planFor({ trainShards: 10 });
    // THEN
    expect(data.dataset.trainShards).toBe(10);
  });

  it('profiles the earliest training year even when the years are given out of order', () => {
    // GIVEN / WHEN
    const { data } = planFor({ trainingYears: [1990, 1988, 1989, 1987, 1986], testYear: 1991 });
    // THEN
    expect(data.profile.year).toBe(1986);
    expect(data.dataset.years.map(({ year, kind }) => `${kind}:${year}`)).toEqual([
      'train:1986',
      'train:1987',
      'train:1988',
      'train:1989',
      'train:1990',
      'test:1991',
    ]);
  });

  it('passes the execution input to the dataset request', () => {
    // GIVEN / WHEN
    const { data } = planFor({ validationPercent: 20, maxMalformedShare: 0.1 });
    // THEN
    expect(data.dataset).toMatchObject({ validationPercent: 20, maxMalformedShare: 0.1 });
  });

  it('writes the report under the execution name and records the stack', () => {
    // GIVEN / WHEN
    const plan = planFor({});
    // THEN
    expect(plan.reportPrefix).toBe('sagemaker/data_distribution_types/reports/run-1');
    expect(plan.execution).toEqual({ ...EXECUTION, stackName: STACK_NAME });
  });
});
