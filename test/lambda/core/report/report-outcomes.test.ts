import { buildReport } from '../../../../lambda/core/report/report';
import { failedVariant, reportInput, variant, without } from './report-fixtures';

const TRAIN_OBJECTS = [
  { key: 'train/1979.csv', bytes: 12_100_000 },
  { key: 'train/1980.csv', bytes: 6_000_000 },
  { key: 'train/1981.csv', bytes: 6_000_000 },
];

describe('buildReport with failed variants', () => {
  const variants = [variant('replicated', 300, 1.2), failedVariant('broken'), variant('sharded', 120, 1.5)];

  it('lists every variant with its status, and a failed one with its error, cause and no test MSE', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput(variants));
    // THEN
    expect(report.variants.map((v) => [v.name, v.status, v.testMse])).toEqual([
      ['replicated', 'succeeded', 1.2],
      ['broken', 'failed', null],
      ['sharded', 'succeeded', 1.5],
    ]);
    expect(report.variants[1].failure).toEqual({
      error: 'TrainingJobFailed',
      cause: 'Training job linear-broken failed: ClientError: bad data',
    });
    expect(report.variantsFailed).toBe(1);
  });

  it('leaves failed variants out of both frontiers', () => {
    // GIVEN a failed variant carrying a training time and cost lower than any other
    const cheap = failedVariant('broken', 'EndpointFailed', 'Endpoint failed', {
      training: { trainingTimeInSeconds: 10, billableTimeInSeconds: 10, finalMetrics: {}, interruptions: 0 },
      evaluation: { rowsScored: 10, mse: 0.1, mae: 0.1 },
    });
    // WHEN
    const report = buildReport(reportInput([variant('replicated', 300, 1.2), cheap, variant('sharded', 120, 1.5)]));
    // THEN
    expect(report.paretoFrontier).toEqual(['sharded', 'replicated']);
    expect(report.costFrontier).toEqual(['sharded', 'replicated']);
    expect(report.variants[1]).toMatchObject({ onParetoFrontier: false, onCostFrontier: false, testMse: null });
  });

  it('says in the verdict how many failed, comparing only the others', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput(variants));
    // THEN
    expect(report.verdict).toMatch(/^sharded trained 2\.50x faster than replicated /);
    expect(report.verdict).toMatch(/ 1 of 3 variants failed and are left out of the comparisons: broken \(TrainingJobFailed\)\.$/);
  });

  it('says no variant succeeded when all failed', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput([failedVariant('a'), failedVariant('b', 'EndpointFailed')]));
    // THEN
    expect(report.verdict).toBe(
      'No variant succeeded. 2 of 2 variants failed and are left out of the comparisons: a (TrainingJobFailed), b (EndpointFailed).',
    );
  });

  it('costs what a failed variant got to: its training, and no endpoint', () => {
    // GIVEN a job that failed after 100 billable seconds: 5 x 100 s x $0.557/h
    const failed = failedVariant('broken', 'TrainingJobFailed', 'bad data', {
      training: { trainingTimeInSeconds: 100, billableTimeInSeconds: 100, finalMetrics: {}, interruptions: 0 },
    });
    // WHEN
    const [report] = buildReport(reportInput([failed])).variants;
    // THEN
    expect(report.cost.hosting).toBeNull();
    expect(report.cost.totalUsd).toBeCloseTo(0.07736111, 8);
    expect(report.endpointLifetimeSeconds).toBeNull();
  });

  it('has no cost total for a failed variant whose training was never described', () => {
    // GIVEN / WHEN
    const [report] = buildReport(reportInput([failedVariant('broken')])).variants;
    // THEN
    expect(report.cost).toEqual({ training: null, hosting: null, totalUsd: null });
  });

  it('treats a variant without a status as succeeded', () => {
    // GIVEN
    const withoutStatus = without({ ...variant('replicated', 300, 1.2), status: 'succeeded' }, 'status');
    // WHEN / THEN
    expect(buildReport(reportInput([withoutStatus])).variants[0].status).toBe('succeeded');
  });

  it('rejects a succeeded variant without its evaluation', () => {
    // GIVEN
    const unevaluated = without(variant('replicated', 300, 1.2), 'evaluation');
    // WHEN / THEN
    expect(() => buildReport(reportInput([unevaluated]))).toThrow(
      /variants\[0\]\.evaluation is missing; a succeeded variant has its training, hosting and evaluation/,
    );
  });

  it('rejects a failed variant without its failure', () => {
    // GIVEN
    const noReason = without(failedVariant('broken'), 'failure');
    // WHEN / THEN
    expect(() => buildReport(reportInput([noReason]))).toThrow(/variants\[0\]\.failure must be an object; got undefined/);
  });

  it('rejects an unknown status', () => {
    // GIVEN / WHEN / THEN
    expect(() => buildReport(reportInput([{ ...variant('x', 1, 1), status: 'skipped' as 'failed' }]))).toThrow(
      /variants\[0\]\.status must be "succeeded" or "failed"; got "skipped"/,
    );
  });
});

describe('buildReport spot interruptions, endpoint lifetime and shard balance', () => {
  it('gives a spot variant its interruptions, and an on-demand one none', () => {
    // GIVEN
    const spot = variant('spot', 400, 1.3, {
      spot: true,
      training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 150, finalMetrics: {}, interruptions: 2 },
    });
    // WHEN
    const [spotReport, onDemand] = buildReport(reportInput([spot, variant('replicated', 300, 1.2)])).variants;
    // THEN
    expect(spotReport).toMatchObject({ spotSaving: 0.625, spotInterruptions: 2 });
    expect(onDemand).not.toHaveProperty('spotInterruptions');
  });

  it('gives the endpoint lifetime from creation to deletion, and null for a kept endpoint', () => {
    // GIVEN created 11:00:00, deleted 11:30:00; the other kept
    const kept = variant('kept', 60, 1, { hosting: { createdAt: '2024-05-01T11:00:00Z' } });
    // WHEN
    const [deleted, stillThere] = buildReport(reportInput([variant('replicated', 300, 1.2), kept])).variants;
    // THEN
    expect(deleted.endpointLifetimeSeconds).toBe(1800);
    expect(stillThere.endpointLifetimeSeconds).toBeNull();
  });

  it('estimates the bytes per instance of a sharded variant from the training objects', () => {
    // GIVEN three objects (12.1, 6, 6 MB) over 2 instances: 18.1 MB and 6 MB
    const sharded = variant('sharded', 120, 1.5, { instanceCount: 2 });
    // WHEN
    const report = buildReport(reportInput([sharded], { trainObjects: TRAIN_OBJECTS }));
    // THEN
    expect(report.variants[0].shardBalance).toEqual({
      estimated: true,
      objects: 3,
      instances: 2,
      largestBytes: 18_100_000,
      smallestBytes: 6_000_000,
      ratio: 18_100_000 / 6_000_000,
    });
    expect(report.trainData).toEqual({ objects: 3, bytes: 24_100_000 });
  });

  it('has no shard balance when the training objects are not given', () => {
    // GIVEN / WHEN / THEN
    expect(buildReport(reportInput([variant('sharded', 120, 1.5)])).variants[0].shardBalance).toBeNull();
  });
});

describe('verdict per varying axis', () => {
  const sweep = [
    variant('n2-e2', 300, 1.4, { instanceCount: 2, hyperparameters: { epochs: '2' } }),
    variant('n10-e2', 100, 1.5, { instanceCount: 10, hyperparameters: { epochs: '2' } }),
    variant('n2-e10', 600, 1.1, { instanceCount: 2, hyperparameters: { epochs: '10' } }),
    variant('n10-e10', 200, 1.2, { instanceCount: 10, hyperparameters: { epochs: '10' } }),
  ];

  it('compares best MSE, fastest and cheapest per value of each axis that varies, numbers in numeric order', () => {
    // GIVEN / WHEN
    const { verdict } = buildReport(reportInput(sweep));
    // THEN
    expect(verdict).toContain(
      'By instanceCount: best test MSE 1.1 with 2 vs 1.2 with 10; fastest 100 s with 10 vs 300 s with 2; cheapest $0.2328 with 2 vs $0.2947 with 10.',
    );
    expect(verdict).toContain(
      'By hyperparameters.epochs: best test MSE 1.1 with 10 vs 1.4 with 2; fastest 100 s with 2 vs 200 s with 10; cheapest $0.2328 with 2 vs $0.3257 with 10.',
    );
  });

  it('says nothing about the axes that do not vary', () => {
    // GIVEN / WHEN
    const { verdict } = buildReport(reportInput(sweep));
    // THEN
    expect(verdict).not.toMatch(/By (trainDistribution|instanceType|inputMode|spot):/);
  });

  it('names spot values as spot and on-demand', () => {
    // GIVEN
    const spot = variant('spot', 300, 1.2, { spot: true });
    // WHEN
    const { verdict } = buildReport(reportInput([spot, variant('replicated', 300, 1.3)]));
    // THEN
    expect(verdict).toContain('By spot: best test MSE 1.2 with spot vs 1.3 with on-demand;');
  });

  it('writes the same verdict for the same variants in another order', () => {
    // GIVEN / WHEN / THEN
    expect(buildReport(reportInput([...sweep].reverse())).verdict).toBe(buildReport(reportInput(sweep)).verdict);
  });
});
