import { ExperimentSettings, WORKSHOP_DEFAULTS, experimentVariants, resolveSettings } from '../../../../lambda/core/experiment/settings';
import { expandSweep } from '../../../../lambda/core/experiment/sweep';
import { resourceNames } from '../../../../lambda/core/experiment/naming';

const IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1';
const BASE: ExperimentSettings = { ...WORKSHOP_DEFAULTS, imageUri: IMAGE };
const resolve = (overrides: unknown): ExperimentSettings => resolveSettings(BASE, overrides, 'execution input');

const GRID = { trainDistribution: ['FullyReplicated', 'ShardedByS3Key'], instanceCount: [2, 5], 'hyperparameters.epochs': [2, 4] };
const VARIANT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('expandSweep', () => {
  it('gives one variant per combination, named by the values it differs by', () => {
    // GIVEN / WHEN
    const variants = expandSweep(GRID);
    // THEN
    expect(variants.map((variant) => variant.name)).toEqual([
      'rep-i2-e2',
      'rep-i2-e4',
      'rep-i5-e2',
      'rep-i5-e4',
      'sh-i2-e2',
      'sh-i2-e4',
      'sh-i5-e2',
      'sh-i5-e4',
    ]);
  });

  it('sets each combination’s values on its variant, hyperparameters as strings', () => {
    // GIVEN / WHEN
    const last = expandSweep(GRID)[7];
    // THEN
    expect(last).toEqual({ name: 'sh-i5-e4', trainDistribution: 'ShardedByS3Key', instanceCount: 5, hyperparameters: { epochs: '4' } });
  });

  it('gives names that are valid variant names and valid in SageMaker names', () => {
    // GIVEN
    const execution = { executionArn: 'arn:aws:states:us-east-1:111122223333:execution:sm:run', startTime: '2026-01-02T03:04:05.000Z' };
    // WHEN
    const names = expandSweep(GRID).map((variant) => variant.name);
    // THEN
    for (const name of names) {
      expect(name).toMatch(VARIANT_NAME);
      expect(name.length).toBeLessThanOrEqual(20);
      expect(() => resourceNames(execution, name)).not.toThrow();
    }
  });

  it('leaves out of the names the keys that take one value', () => {
    // GIVEN / WHEN
    const names = expandSweep({ instanceType: ['ml.c5.2xlarge'], 'hyperparameters.mini_batch_size': [100, 1000] }).map((v) => v.name);
    // THEN
    expect(names).toEqual(['mbs100', 'mbs1000']);
  });

  it('abbreviates instance types and writes decimals with a p', () => {
    // GIVEN / WHEN
    const names = expandSweep({ instanceType: ['ml.c5.2xlarge', 'ml.m5.large'], 'hyperparameters.learning_rate': [0.01, 0.1] }).map(
      (v) => v.name,
    );
    // THEN
    expect(names).toEqual(['c5-2xl-lr0p01', 'c5-2xl-lr0p1', 'm5-l-lr0p01', 'm5-l-lr0p1']);
  });

  it('tells apart by position values that read alike in letters and digits', () => {
    // GIVEN "0.1" and "0p1" both reduce to "0p1"
    // WHEN
    const names = expandSweep({ 'hyperparameters.wd': ['0.1', '0p1'] }).map((v) => v.name);
    // THEN
    expect(names).toEqual(['wv1', 'wv2']);
  });

  it('gives unique names over a large grid', () => {
    // GIVEN 2 × 3 × 2 × 3 = 36 combinations
    const grid = {
      trainDistribution: ['FullyReplicated', 'ShardedByS3Key'],
      instanceCount: [1, 10, 100],
      instanceType: ['ml.c5.xlarge', 'ml.c5.2xlarge'],
      'hyperparameters.epochs': [1, 10, 11],
    };
    // WHEN
    const names = expandSweep(grid).map((v) => v.name);
    // THEN
    expect(new Set(names).size).toBe(36);
  });

  it('gives no variants for an empty sweep', () => {
    // GIVEN / WHEN / THEN
    expect(expandSweep({})).toEqual([]);
  });
});

describe('sweep setting', () => {
  it('puts the sweep’s variants after the listed ones', () => {
    // GIVEN
    const settings = resolve({ variants: [{ name: 'baseline', trainDistribution: 'FullyReplicated' }], sweep: GRID });
    // WHEN
    const names = experimentVariants(settings).map((variant) => variant.name);
    // THEN
    expect(names).toEqual(['baseline', 'rep-i2-e2', 'rep-i2-e4', 'rep-i5-e2', 'rep-i5-e4', 'sh-i2-e2', 'sh-i2-e4', 'sh-i5-e2', 'sh-i5-e4']);
  });

  it('runs the grid alone with an empty variants list', () => {
    // GIVEN / WHEN
    const settings = resolve({ variants: [], sweep: GRID });
    // THEN
    expect(experimentVariants(settings)).toHaveLength(8);
  });

  it('rejects a listed variant whose name a sweep generates', () => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ variants: [{ name: 'sh-i5-e4', trainDistribution: 'ShardedByS3Key' }], sweep: GRID })).toThrow(
      /variants and sweep: names must be unique, \["sh-i5-e4"\] repeated/,
    );
  });

  it('rejects a sweep that expands beyond what an execution holds, with the count', () => {
    // GIVEN 2 listed + 2 × 2 × 2 = 10 variants, with the default polling 9 fit
    const sweep = { ...GRID, instanceCount: [2, 3] };
    // WHEN / THEN
    expect(() => resolve({ sweep })).toThrow(/10 variants \(2 listed \+ 8 from the sweep\) exceed the 9 an execution can hold/);
  });

  it.each([
    [{ name: ['a'] }, /sweep.name: cannot be swept; a sweep takes trainDistribution, instanceCount, instanceType and hyperparameters/],
    [{ instanceCount: [] }, /sweep.instanceCount: \[\] must be a non-empty list of values/],
    [{ instanceCount: 3 }, /sweep.instanceCount: 3 must be a non-empty list of values/],
    [{ instanceCount: [2, 2] }, /sweep.instanceCount: \[2,2\] must not repeat a value/],
    [{ instanceCount: [2, 0] }, /sweep.instanceCount\[1\]: 0 must be an integer from 1 to 100/],
    [{ instanceType: ['c5.xlarge'] }, /sweep.instanceType\[0\]: "c5.xlarge" must be a SageMaker instance type/],
    [{ trainDistribution: ['Sharded'] }, /sweep.trainDistribution\[0\]: "Sharded" must be one of FullyReplicated, ShardedByS3Key/],
    [{ 'hyperparameters.epochs': [2, 'abc'] }, /sweep.hyperparameters.epochs\[1\]: "abc" must be a positive integer/],
    [{ 'hyperparameters.nope': [1] }, /sweep.hyperparameters.nope\[0\]: unknown Linear Learner hyperparameter/],
  ])('rejects the sweep %j', (sweep, message) => {
    // GIVEN / WHEN / THEN
    expect(() => resolve({ sweep })).toThrow(message);
  });

  it('rejects a grid whose generated names are too long', () => {
    // GIVEN four varying keys with long segments
    const sweep = {
      instanceType: ['ml.c5.18xlarge', 'ml.m5.12xlarge'],
      'hyperparameters.learning_rate': [0.0001, 0.001],
      'hyperparameters.mini_batch_size': [1000, 2000],
    };
    // WHEN / THEN
    expect(() => resolve({ variants: [], sweep })).toThrow(/sweep: generated names .* are longer than 20 characters; sweep fewer keys/);
  });
});
