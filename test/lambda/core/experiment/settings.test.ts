import {
  DEPLOY_TIME_ONLY,
  ExperimentSettings,
  SETTING_NAMES,
  SettingsError,
  WORKSHOP_DEFAULTS,
  resolveSettings,
  resolveVariant,
  settingsProblems,
} from '../../../../lambda/core/experiment/settings';
import { DEFAULT_PRICES_PER_HOUR } from '../../../../lambda/core/experiment/prices';
import { WORKSHOP_HYPERPARAMETERS } from '../../variant-fixture';

const IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1';
const BASE: ExperimentSettings = { ...WORKSHOP_DEFAULTS, imageUri: IMAGE, pricesPerHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 } };

const resolve = (overrides: unknown): ExperimentSettings => resolveSettings(BASE, overrides, 'deploy-time settings');

describe('WORKSHOP_DEFAULTS', () => {
  it('holds the workshop notebook values for training and hosting', () => {
    // GIVEN / WHEN / THEN
    expect(WORKSHOP_DEFAULTS).toMatchObject({
      instanceCount: 5,
      instanceType: 'ml.c4.2xlarge',
      volumeSizeInGB: 10,
      maxRuntimeInSeconds: 1800,
      hyperparameters: WORKSHOP_HYPERPARAMETERS,
      endpointInstanceType: 'ml.m4.xlarge',
      endpointInstanceCount: 1,
      s3Prefix: 'sagemaker/data_distribution_types',
      datasetRetentionDays: 30,
      variants: [
        { name: 'replicated', trainDistribution: 'FullyReplicated' },
        { name: 'sharded', trainDistribution: 'ShardedByS3Key' },
      ],
      trainingYears: [1979, 1980, 1981, 1982, 1983],
      testYear: 1984,
    });
  });

  it("holds the default price table for the report's cost estimate", () => {
    // GIVEN / WHEN / THEN
    expect(WORKSHOP_DEFAULTS.pricesPerHour).toEqual(DEFAULT_PRICES_PER_HOUR);
  });

  it("holds a default for every setting but imageUri, which synth picks for the stack's region", () => {
    // GIVEN / WHEN / THEN
    expect(Object.keys(WORKSHOP_DEFAULTS)).toEqual(SETTING_NAMES.filter((name) => name !== 'imageUri'));
  });

  it('passes its own validation', () => {
    // GIVEN / WHEN / THEN
    expect(settingsProblems(WORKSHOP_DEFAULTS)).toEqual([]);
  });
});

describe('resolveSettings rejects each invalid setting, naming the setting, the value and what is allowed', () => {
  it.each<[string, unknown, RegExp]>([
    ['imageUri', 'linear-learner', /imageUri: "linear-learner" must be a container image URI with a tag/],
    [
      'imageUri',
      '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner',
      /imageUri: ".*linear-learner" must be a container image URI with a tag/,
    ],
    ['instanceCount', 0, /instanceCount: 0 must be an integer from 1 to 100/],
    ['instanceCount', 2.5, /instanceCount: 2.5 must be an integer from 1 to 100/],
    ['instanceCount', '5', /instanceCount: "5" must be an integer from 1 to 100/],
    ['instanceType', 'c4.2xlarge', /instanceType: "c4.2xlarge" must be a SageMaker instance type such as "ml.c5.2xlarge"/],
    ['volumeSizeInGB', 0, /volumeSizeInGB: 0 must be an integer from 1 to 16384/],
    ['maxRuntimeInSeconds', 59, /maxRuntimeInSeconds: 59 must be an integer from 60 to 2419200/],
    ['maxRuntimeInSeconds', 2419201, /maxRuntimeInSeconds: 2419201 must be an integer from 60 to 2419200/],
    ['endpointInstanceType', 'ml.m4', /endpointInstanceType: "ml.m4" must be a SageMaker instance type/],
    ['endpointInstanceCount', 11, /endpointInstanceCount: 11 must be an integer from 1 to 10/],
    ['s3Prefix', '/data', /s3Prefix: "\/data" must be an S3 key prefix of up to 200 characters .* no leading or trailing slash/],
    ['s3Prefix', 'data/', /s3Prefix: "data\/" must be an S3 key prefix/],
    ['s3Prefix', 'my data', /s3Prefix: "my data" must be an S3 key prefix/],
    ['datasetRetentionDays', 2, /datasetRetentionDays: 2 must be an integer from 3 to 3650/],
    ['datasetRetentionDays', 7.5, /datasetRetentionDays: 7.5 must be an integer from 3 to 3650/],
    ['testYear', 1978, /testYear: 1978 must be an integer from 1979 to 2005/],
    ['testYear', 2006, /testYear: 2006 must be an integer from 1979 to 2005/],
    ['validationPercent', 0, /validationPercent: 0 must be an integer from 1 to 50/],
    ['validationPercent', 51, /validationPercent: 51 must be an integer from 1 to 50/],
    ['maxMalformedShare', 1.5, /maxMalformedShare: 1.5 must be a number from 0 to 1/],
    ['maxMalformedShare', '0.5', /maxMalformedShare: "0.5" must be a number from 0 to 1/],
    ['trainingPollSeconds', 4, /trainingPollSeconds: 4 must be an integer from 5 to 3600/],
    ['endpointPollSeconds', 3601, /endpointPollSeconds: 3601 must be an integer from 5 to 3600/],
    ['keepEndpoints', 'yes', /keepEndpoints: "yes" must be true or false/],
    ['keepModels', 1, /keepModels: 1 must be true or false/],
    ['evaluationBatchBytes', 1023, /evaluationBatchBytes: 1023 must be an integer from 1024 to 6291456/],
    ['evaluationBatchBytes', 6291457, /evaluationBatchBytes: 6291457 must be an integer from 1024 to 6291456/],
    ['evaluationConcurrency', 17, /evaluationConcurrency: 17 must be an integer from 1 to 16/],
    ['hyperparameters', 'epochs=2', /hyperparameters: "epochs=2" must be an object of hyperparameter names to values/],
    [
      'hyperparameters',
      { 'bad name': '1' },
      /hyperparameters.bad name: unknown Linear Learner hyperparameter; known ones are accuracy_top_k, .*, wd/,
    ],
    ['hyperparameters', { epochs: 'abc' }, /hyperparameters.epochs: "abc" must be a positive integer/],
    ['preflight', 'yes', /preflight: "yes" must be true or false/],
    ['hyperparameters', { epochs: '' }, /hyperparameters.epochs: "" must be a non-empty string or a finite number/],
    ['hyperparameters', { epochs: true }, /hyperparameters.epochs: true must be a non-empty string or a finite number/],
    ['variants', [], /variants: at least one variant is needed, in variants or from a sweep/],
    ['variants', { name: 'a' }, /variants: \{"name":"a"\} must be a list of up to 40 variants/],
    ['maxParallelVariants', 0, /maxParallelVariants: 0 must be an integer from 1 to 40/],
    ['sweep', [], /sweep: \[\] must be an object of variant keys to lists of values/],
    ['trainingYears', [], /trainingYears: \[\] must be a non-empty list of years/],
    ['trainingYears', [1979, 1978], /trainingYears\[1\]: 1978 must be an integer from 1979 to 2005/],
    ['pricesPerHour', [], /pricesPerHour: \[\] must be an object of instance types to USD per hour/],
    ['pricesPerHour', { c4: 1 }, /pricesPerHour: key "c4" must be a SageMaker instance type/],
    ['pricesPerHour', { 'ml.c4.2xlarge': -1 }, /pricesPerHour.ml.c4.2xlarge: -1 must be a number from 0 to 1000/],
  ])('%s: %j', (setting, value, message) => {
    // GIVEN
    const overrides = { [setting]: value };
    // WHEN / THEN
    expect(() => resolve(overrides)).toThrow(message);
  });

  it('reports every problem at once, under the source it came from', () => {
    // GIVEN
    const overrides = { instanceCount: 0, keepModels: 'no' };
    // WHEN
    const attempt = () => resolve(overrides);
    // THEN
    expect(attempt).toThrow(
      /^Invalid deploy-time settings:\n- instanceCount: 0 must be an integer from 1 to 100\n- keepModels: "no" must be true or false$/,
    );
  });

  it('throws a SettingsError named InvalidSettings that lists the problems', () => {
    // GIVEN / WHEN
    let caught: unknown;
    try {
      resolve({ instanceCount: 0 });
    } catch (error) {
      caught = error;
    }
    // THEN
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as SettingsError).name).toBe('InvalidSettings');
    expect((caught as SettingsError).problems).toEqual(['instanceCount: 0 must be an integer from 1 to 100']);
  });

  it('rejects an unknown setting and lists the known ones', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ instanceCont: 5 })).toThrow(
      /instanceCont: unknown setting; known settings are imageUri, instanceCount, instanceType/,
    );
  });

  it('rejects settings that are not an object', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve([1])).toThrow(/settings must be a JSON object, got \[1\]/);
  });
});

describe('feature_dim', () => {
  it('rejects a number other than 25', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ hyperparameters: { feature_dim: 24 } })).toThrow(
      /hyperparameters.feature_dim: 24 must be 25, the number of features the data preparation writes/,
    );
  });

  it('rejects a string other than "25"', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ hyperparameters: { feature_dim: '26' } })).toThrow(/hyperparameters.feature_dim: "26" must be 25/);
  });

  it('rejects a variant that sets it to anything but 25', () => {
    // GIVEN
    const variants = [{ name: 'wide', trainDistribution: 'FullyReplicated', hyperparameters: { feature_dim: 30 } }];
    // WHEN / THEN
    expect(() => resolve({ variants })).toThrow(/variants\[0\].hyperparameters.feature_dim: 30 must be 25/);
  });

  it('accepts 25 given as a number and stores it as the string "25"', () => {
    // GIVEN / WHEN
    const settings = resolve({ hyperparameters: { feature_dim: 25 } });
    // THEN
    expect(settings.hyperparameters.feature_dim).toBe('25');
  });
});

describe('variants', () => {
  const variant = (fields: Record<string, unknown>) => ({ variants: [{ name: 'one', trainDistribution: 'FullyReplicated', ...fields }] });

  it.each<[unknown, RegExp]>([
    ['Replicated', /variants\[0\].name: "Replicated" must be 1 to 20 lowercase letters or digits, with single hyphens between them/],
    ['my_variant', /variants\[0\].name: "my_variant" must be 1 to 20 lowercase letters or digits/],
    ['a--b', /variants\[0\].name: "a--b" must be 1 to 20 lowercase letters or digits/],
    ['-a', /variants\[0\].name: "-a" must be 1 to 20/],
    ['a'.repeat(21), /variants\[0\].name: "a{21}" must be 1 to 20/],
    ['', /variants\[0\].name: "" must be 1 to 20/],
    [undefined, /variants\[0\].name: undefined must be 1 to 20/],
  ])('rejects the name %j', (name, message) => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ name }))).toThrow(message);
  });

  it('accepts a name of exactly 20 characters', () => {
    // GIVEN
    const name = 'sharded-more-epochs1';
    // WHEN / THEN
    expect(resolve(variant({ name })).variants[0].name).toBe(name);
  });

  it('rejects duplicate names', () => {
    // GIVEN
    const variants = [
      { name: 'same', trainDistribution: 'FullyReplicated' },
      { name: 'same', trainDistribution: 'ShardedByS3Key' },
    ];
    // WHEN / THEN
    expect(() => resolve({ variants })).toThrow(/variants and sweep: names must be unique, \["same"\] repeated/);
  });

  it('rejects a distribution other than FullyReplicated or ShardedByS3Key', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ trainDistribution: 'Sharded' }))).toThrow(
      /variants\[0\].trainDistribution: "Sharded" must be one of FullyReplicated, ShardedByS3Key/,
    );
  });

  it('rejects an unknown variant key', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ epochs: 4 }))).toThrow(
      /variants\[0\].epochs: unknown setting; a variant takes name, trainDistribution, instanceCount, instanceType, hyperparameters, inputMode, spot/,
    );
  });

  it('rejects a variant that is not an object', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ variants: ['sharded'] })).toThrow(
      /variants\[0\]: "sharded" must be an object with "name" and "trainDistribution"/,
    );
  });

  it('rejects an invalid per-variant instance count', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ instanceCount: 0 }))).toThrow(/variants\[0\].instanceCount: 0 must be an integer from 1 to 100/);
  });

  it('rejects an invalid per-variant instance type', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ instanceType: 'c5.xlarge' }))).toThrow(
      /variants\[0\].instanceType: "c5.xlarge" must be a SageMaker instance type/,
    );
  });

  it('rejects FastFile input mode because Linear Learner does not document it', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ inputMode: 'FastFile' }))).toThrow(
      /variants\[0\].inputMode: "FastFile" must be File or Pipe: Linear Learner does not document FastFile input mode/,
    );
  });

  it('rejects an input mode other than File or Pipe', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ inputMode: 'pipe' }))).toThrow(/variants\[0\].inputMode: "pipe" must be one of File, Pipe/);
  });

  it('rejects a per-variant spot that is not true or false', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve(variant({ spot: 'yes' }))).toThrow(/variants\[0\].spot: "yes" must be true or false/);
  });

  it('rejects a maxWaitInSeconds below maxRuntimeInSeconds when a variant trains on spot', () => {
    // GIVEN
    const overrides = { ...variant({ name: 'cheap', spot: true }), maxRuntimeInSeconds: 1800, maxWaitInSeconds: 1200 };
    // WHEN / THEN
    expect(() => resolve(overrides)).toThrow(
      /maxWaitInSeconds: 1200 must be at least maxRuntimeInSeconds \(1800\) for spot training \(variants cheap\)/,
    );
  });

  it('allows a maxWaitInSeconds below maxRuntimeInSeconds when no variant trains on spot', () => {
    // GIVEN
    const overrides = { maxRuntimeInSeconds: 1800, maxWaitInSeconds: 1200 };
    // WHEN / THEN
    expect(resolve(overrides).maxWaitInSeconds).toBe(1200);
  });

  it('rejects more variants than the history of an execution with the default polling holds', () => {
    // GIVEN 10 variants, each up to 2,548 history events with the default polling: 9 fit in 25,000
    const variants = Array.from({ length: 10 }, (_, i) => ({ name: `v${i}`, trainDistribution: 'FullyReplicated' }));
    // WHEN / THEN
    expect(() => resolve({ variants })).toThrow(
      /variants and sweep: 10 variants \(10 listed \+ 0 from the sweep\) exceed the 9 an execution can hold \(up to 2548 history events each/,
    );
  });

  it('accepts more variants when the polling is less frequent', () => {
    // GIVEN training polled every 10 minutes and endpoints every 5: 15 + 12 polls per variant
    const variants = Array.from({ length: 30 }, (_, i) => ({ name: `v${i}`, trainDistribution: 'FullyReplicated' }));
    // WHEN
    const settings = resolve({ variants, trainingPollSeconds: 600, endpointPollSeconds: 300 });
    // THEN
    expect(settings.variants).toHaveLength(30);
  });

  it('rejects more than 40 variants whatever the polling', () => {
    // GIVEN
    const variants = Array.from({ length: 41 }, (_, i) => ({ name: `v${i}`, trainDistribution: 'FullyReplicated' }));
    // WHEN / THEN
    expect(() => resolve({ variants, trainingPollSeconds: 3600, endpointPollSeconds: 3600 })).toThrow(
      /variants: .* must be a list of up to 40 variants/,
    );
  });

  it('rejects a sharded variant with more instances than training years, naming the counts and the fix', () => {
    // GIVEN 5 training years: ShardedByS3Key gives each instance one whole object
    const overrides = variant({ name: 'sharded', trainDistribution: 'ShardedByS3Key', instanceCount: 6 });
    // WHEN / THEN
    expect(() => resolve(overrides)).toThrow(
      'variants[0] (sharded): 6 instances with ShardedByS3Key need at least 6 training objects (one each), the train channel holds 5 (one per training year); set trainShards to at least 6 or use at most 5 instances',
    );
  });

  it('rejects fewer training years than the instances of the default sharded variant', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ trainingYears: [1979, 1980] })).toThrow(
      /variants\[1\] \(sharded\): 5 instances with ShardedByS3Key need at least 5 training objects \(one each\), the train channel holds 2 \(one per training year\)/,
    );
  });

  it('rejects a sharded variant with more instances than trainShards gives objects', () => {
    // GIVEN 8 shards and a 10-instance sharded variant
    const overrides = { ...variant({ name: 'wide', trainDistribution: 'ShardedByS3Key', instanceCount: 10 }), trainShards: 8 };
    // WHEN / THEN
    expect(() => resolve(overrides)).toThrow(
      'variants[0] (wide): 10 instances with ShardedByS3Key need at least 10 training objects (one each), the train channel holds 8 (trainShards: 8); set trainShards to at least 10 or use at most 8 instances',
    );
  });

  it('allows a sharded variant with more instances than training years when trainShards gives enough objects', () => {
    // GIVEN 5 training years, 10 shards
    const overrides = { ...variant({ name: 'wide', trainDistribution: 'ShardedByS3Key', instanceCount: 10 }), trainShards: 10 };
    // WHEN
    const settings = resolve(overrides);
    // THEN
    expect(settings.trainShards).toBe(10);
  });

  it('rejects a swept sharded instance count above the shard count, naming the sweep', () => {
    // GIVEN
    const overrides = { variants: [], sweep: { trainDistribution: ['ShardedByS3Key'], instanceCount: [4, 12] }, trainShards: 10 };
    // WHEN / THEN
    expect(() => resolve(overrides)).toThrow(/sweep \(i12\): 12 instances with ShardedByS3Key need at least 12 training objects/);
  });

  it.each([[1], [101], [2.5], ['10'], ['years'], [null], [true]])('rejects trainShards %p, naming the setting and the value', (value) => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ trainShards: value })).toThrow(
      `trainShards: ${JSON.stringify(value)} must be "year" or an integer from 2 to 100`,
    );
  });

  it('defaults trainShards to one object per training year', () => {
    // GIVEN / WHEN
    const settings = resolve({});
    // THEN
    expect(settings.trainShards).toBe('year');
  });

  it('allows a replicated variant with more instances than training years', () => {
    // GIVEN
    const overrides = variant({ trainDistribution: 'FullyReplicated', instanceCount: 8 });
    // WHEN / THEN
    expect(resolve(overrides).variants[0].instanceCount).toBe(8);
  });
});

describe('years', () => {
  it('rejects a test year that is also a training year', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ testYear: 1981 })).toThrow(/testYear: 1981 is also a training year; the test year must be held out/);
  });

  it('rejects training years that include the default test year', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ trainingYears: [1980, 1981, 1982, 1983, 1984] })).toThrow(/testYear: 1984 is also a training year/);
  });

  it('rejects a repeated training year', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ trainingYears: [1979, 1980, 1981, 1982, 1982] })).toThrow(
      /trainingYears: \[1979,1980,1981,1982,1982\] must not repeat a year/,
    );
  });
});

describe('merging overrides', () => {
  it('returns the base unchanged for no overrides', () => {
    // GIVEN / WHEN / THEN
    expect(resolve({})).toEqual(BASE);
  });

  it('normalizes hyperparameter numbers to strings', () => {
    // GIVEN / WHEN
    const settings = resolve({ hyperparameters: { epochs: 4, learning_rate: 0.1 } });
    // THEN
    expect(settings.hyperparameters).toMatchObject({ epochs: '4', learning_rate: '0.1' });
  });

  it('merges hyperparameters by key', () => {
    // GIVEN / WHEN
    const settings = resolve({ hyperparameters: { epochs: '4' } });
    // THEN
    expect(settings.hyperparameters).toEqual({
      feature_dim: '25',
      mini_batch_size: '500',
      predictor_type: 'regressor',
      epochs: '4',
      num_models: '32',
      loss: 'absolute_loss',
    });
  });

  it('merges prices by key', () => {
    // GIVEN / WHEN
    const settings = resolve({ pricesPerHour: { 'ml.c5.2xlarge': 0.408, 'ml.m4.xlarge': 0.3 } });
    // THEN
    expect(settings.pricesPerHour).toEqual({ 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.3, 'ml.c5.2xlarge': 0.408 });
  });

  it('replaces the list of training years', () => {
    // GIVEN / WHEN
    const settings = resolve({ trainingYears: [1990, 1991, 1992, 1993, 1994, 1995] });
    // THEN
    expect(settings.trainingYears).toEqual([1990, 1991, 1992, 1993, 1994, 1995]);
  });

  it('replaces the list of variants', () => {
    // GIVEN / WHEN
    const settings = resolve({ variants: [{ name: 'sharded-4', trainDistribution: 'ShardedByS3Key', instanceCount: 4 }] });
    // THEN
    expect(settings.variants).toEqual([{ name: 'sharded-4', trainDistribution: 'ShardedByS3Key', instanceCount: 4 }]);
  });

  it('normalizes per-variant hyperparameter numbers to strings', () => {
    // GIVEN / WHEN
    const settings = resolve({ variants: [{ name: 'more-epochs', trainDistribution: 'ShardedByS3Key', hyperparameters: { epochs: 6 } }] });
    // THEN
    expect(settings.variants[0].hyperparameters).toEqual({ epochs: '6' });
  });

  it('takes a scalar override', () => {
    // GIVEN / WHEN
    const settings = resolve({ instanceType: 'ml.c5.2xlarge', keepEndpoints: true });
    // THEN
    expect(settings).toMatchObject({ instanceType: 'ml.c5.2xlarge', keepEndpoints: true, instanceCount: 5 });
  });
});

describe('deploy-time-only settings', () => {
  it('names s3Prefix and datasetRetentionDays as deploy-time only', () => {
    // GIVEN / WHEN / THEN
    expect(DEPLOY_TIME_ONLY).toEqual(['s3Prefix', 'datasetRetentionDays']);
  });

  it('accepts s3Prefix at deploy time', () => {
    // GIVEN / WHEN / THEN
    expect(resolve({ s3Prefix: 'experiments/linear' }).s3Prefix).toBe('experiments/linear');
  });

  it('rejects s3Prefix in execution input', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolveSettings(BASE, { s3Prefix: 'elsewhere' }, 'execution input')).toThrow(
      /^Invalid execution input:\n- s3Prefix: can only be set at deploy time/,
    );
  });

  it("rejects datasetRetentionDays in execution input, since the bucket's lifecycle rule applies it", () => {
    // GIVEN / WHEN / THEN
    expect(() => resolveSettings(BASE, { datasetRetentionDays: 7 }, 'execution input')).toThrow(
      /^Invalid execution input:\n- datasetRetentionDays: can only be set at deploy time \(the data bucket's lifecycle rule applies it\)/,
    );
  });
});

describe('resolveVariant', () => {
  it('fills a variant from the experiment settings', () => {
    // GIVEN
    const settings = resolve({});
    // WHEN
    const variant = resolveVariant(settings, settings.variants[1]);
    // THEN
    expect(variant).toEqual({
      name: 'sharded',
      trainDistribution: 'ShardedByS3Key',
      instanceCount: 5,
      instanceType: 'ml.c4.2xlarge',
      hyperparameters: WORKSHOP_HYPERPARAMETERS,
      inputMode: 'File',
      spot: false,
    });
  });

  it('merges per-variant hyperparameters over the experiment ones and takes its own resources', () => {
    // GIVEN
    const settings = resolve({
      hyperparameters: { epochs: 3, mini_batch_size: 1000 },
      variants: [
        {
          name: 'big',
          trainDistribution: 'FullyReplicated',
          instanceCount: 2,
          instanceType: 'ml.c5.4xlarge',
          hyperparameters: { epochs: 10 },
          inputMode: 'Pipe',
          spot: true,
        },
      ],
    });
    // WHEN
    const variant = resolveVariant(settings, settings.variants[0]);
    // THEN
    expect(variant).toEqual({
      name: 'big',
      trainDistribution: 'FullyReplicated',
      instanceCount: 2,
      instanceType: 'ml.c5.4xlarge',
      hyperparameters: {
        feature_dim: '25',
        mini_batch_size: '1000',
        predictor_type: 'regressor',
        epochs: '10',
        num_models: '32',
        loss: 'absolute_loss',
      },
      inputMode: 'Pipe',
      spot: true,
    });
  });

  it('takes the experiment input mode and spot setting for a variant without its own', () => {
    // GIVEN
    const settings = resolve({ inputMode: 'Pipe', spot: true });
    // WHEN
    const variant = resolveVariant(settings, settings.variants[0]);
    // THEN
    expect(variant).toMatchObject({ inputMode: 'Pipe', spot: true });
  });
});
