import { buildReport } from '../../../../lambda/core/report/report';
import { formatNumber } from '../../../../lambda/core/report/format';
import { paretoFrontier } from '../../../../lambda/core/report/frontier';
import { reportInput, variant } from './report-fixtures';

describe('buildReport', () => {
  const twoVariants = [variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)];

  it('says which variant trained faster and by what ratio, and which is more accurate and by how much', () => {
    // GIVEN 300 s vs 120 s (2.5x) and MSE 1.2 vs 1.5 ((1.5 - 1.2) / 1.5 = 20% lower)
    // WHEN
    const report = buildReport(reportInput(twoVariants));
    // THEN
    expect(report.verdict).toBe(
      'sharded trained 2.50x faster than replicated (120 s vs 300 s). ' +
        'replicated is more accurate: test MSE 1.2 vs 1.5 for sharded (20% lower). ' +
        'By trainDistribution: best test MSE 1.2 with FullyReplicated vs 1.5 with ShardedByS3Key; ' +
        'fastest 120 s with ShardedByS3Key vs 300 s with FullyReplicated; cheapest $0.2328 with ShardedByS3Key vs $0.3721 with FullyReplicated.',
    );
  });

  it('has the numbers per variant, including both costs and their total', () => {
    // GIVEN replicated: 5 x 300 s x $0.557/h = $0.232083...; hosting 1800 s x $0.28/h = $0.14
    // WHEN
    const report = buildReport(reportInput(twoVariants));
    // THEN
    const replicated = report.variants[0];
    expect(replicated).toMatchObject({
      name: 'replicated',
      trainDistribution: 'FullyReplicated',
      jobName: 'linear-replicated-20240501T100000',
      endpointName: 'distributed-replicated',
      status: 'succeeded',
      testMse: 1.2,
      instanceType: 'ml.c4.2xlarge',
      instanceCount: 5,
      training: { trainingTimeInSeconds: 300, billableTimeInSeconds: 300, interruptions: 0 },
      evaluation: { rowsScored: 1000, mse: 1.2, mae: 0.6 },
    });
    expect(replicated.training!.finalMetrics['validation:objective_loss']).toBe(1.25);
    expect(replicated.cost.training!.usd).toBeCloseTo(0.23208333, 8);
    expect(replicated.cost.hosting!.usd).toBeCloseTo(0.14, 10);
    expect(replicated.cost.totalUsd).toBeCloseTo(0.37208333, 8);
  });

  it('gives a spot variant its saving as the share of training time not billed', () => {
    // GIVEN 400 s trained, 150 s billed: 1 - 150 / 400 = 0.625
    const spot = variant('spot', 400, 1.3, {
      spot: true,
      training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 150, finalMetrics: {}, interruptions: 0 },
    });
    // WHEN
    const report = buildReport(reportInput([spot]));
    // THEN
    expect(report.variants[0]).toMatchObject({ spot: true, spotSaving: 0.625 });
  });

  it('prices a spot variant by its billable seconds', () => {
    // GIVEN 5 x 150 s x $0.557/h = $0.11604166...
    const spot = variant('spot', 400, 1.3, {
      spot: true,
      training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 150, finalMetrics: {}, interruptions: 0 },
    });
    // WHEN
    const report = buildReport(reportInput([spot]));
    // THEN
    expect(report.variants[0].cost.training!.usd).toBeCloseTo(0.11604167, 8);
  });

  it('gives an on-demand variant no spot saving', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput(twoVariants));
    // THEN
    expect(report.variants[0]).toMatchObject({ inputMode: 'File', spot: false });
    expect(report.variants[0]).not.toHaveProperty('spotSaving');
  });

  it('gives a spot variant that trained no time a null saving rather than dividing by zero', () => {
    // GIVEN
    const spot = variant('spot', 0, 1.3, { spot: true });
    // WHEN
    const report = buildReport(reportInput([spot]));
    // THEN
    expect(report.variants[0].spotSaving).toBeNull();
  });

  it('records the execution, the time, the prices and their source, and how the numbers are worked out', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput(twoVariants));
    // THEN
    expect(report).toMatchObject({
      reportVersion: 2,
      executionName: 'run-1',
      generatedAt: '2024-05-01T12:00:00.000Z',
      prices: { perHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 }, source: 'test prices' },
    });
    expect(report.notes.join(' ')).toMatch(/BillableTimeInSeconds is per instance/);
  });

  it('includes the data-preparation counts as given', () => {
    // GIVEN
    const data = { files: [{ key: 'events/1979.csv', rowsRead: 10, rowsKept: 7 }] };
    // WHEN
    const report = buildReport(reportInput(twoVariants, { data }));
    // THEN
    expect(report.data).toEqual(data);
  });

  it('leaves the data field out when no counts are given', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput(twoVariants));
    // THEN
    expect('data' in report).toBe(false);
  });

  it('compares the fastest with the slowest and the most with the least accurate of a sweep', () => {
    // GIVEN four variants: fastest a (100 s), slowest d (400 s); best d (1.0), worst a (2.0): 50% lower
    const sweep = [variant('a', 100, 2.0), variant('b', 200, 1.5), variant('c', 300, 1.6), variant('d', 400, 1.0)];
    // WHEN
    const report = buildReport(reportInput(sweep));
    // THEN
    expect(report.verdict).toBe(
      'a trained 4.00x faster than the slowest, d (100 s vs 400 s). ' +
        'd is more accurate: test MSE 1 vs 2 for the least accurate, a (50% lower).',
    );
    expect(report.paretoFrontier).toEqual(['a', 'b', 'd']);
    expect(report.variants.map((v) => v.onParetoFrontier)).toEqual([true, true, false, true]);
  });

  it('says accuracy cannot be compared when only one variant scored rows', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput([variant('replicated', 300, 1.2), variant('sharded', 120, null)]));
    // THEN
    expect(report.verdict).toMatch(/ Accuracy cannot be compared: fewer than two variants scored test rows\. /);
  });

  it('describes a single variant without comparing', () => {
    // GIVEN / WHEN
    const report = buildReport(reportInput([variant('sharded', 120, 1.5)]));
    // THEN
    expect(report.verdict).toBe('sharded trained in 120 s with test MSE 1.5.');
  });

  it('rejects two variants with the same name', () => {
    // GIVEN / WHEN / THEN
    expect(() => buildReport(reportInput([variant('x', 1, 1), variant('x', 2, 2)]))).toThrow(/variants\[1\]\.name "x" is used twice/);
  });

  it('rejects an empty list of variants', () => {
    // GIVEN / WHEN / THEN
    expect(() => buildReport(reportInput([]))).toThrow(/variants must be a non-empty array/);
  });

  it('rejects a negative training time, naming the field', () => {
    // GIVEN / WHEN / THEN
    expect(() => buildReport(reportInput([variant('x', -5, 1)]))).toThrow(
      /variants\[0\]\.training\.trainingTimeInSeconds must be a finite number >= 0; got -5/,
    );
  });
});

describe('paretoFrontier', () => {
  it('keeps a variant that ties another on time but is more accurate, and drops the other', () => {
    // GIVEN / WHEN / THEN
    expect(
      paretoFrontier([
        { name: 'p', x: 10, y: 2 },
        { name: 'q', x: 10, y: 1 },
      ]),
    ).toEqual(['q']);
  });

  it('keeps both of two identical points', () => {
    // GIVEN / WHEN / THEN
    expect(
      paretoFrontier([
        { name: 'p', x: 10, y: 1 },
        { name: 'q', x: 10, y: 1 },
      ]),
    ).toEqual(['p', 'q']);
  });
});

describe('formatNumber', () => {
  it('keeps four significant digits without trailing zeros', () => {
    // GIVEN / WHEN / THEN
    expect(formatNumber(1.234567)).toBe('1.235');
    expect(formatNumber(1200)).toBe('1200');
    expect(formatNumber(0.5)).toBe('0.5');
  });
});
