import { buildReport } from '../../../../lambda/core/report/report';
import { renderMarkdown } from '../../../../lambda/core/report/report-markdown';
import { failedVariant, reportInput, variant } from './report-fixtures';

describe('renderMarkdown', () => {
  const report = buildReport(reportInput([variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)]));
  const markdown = renderMarkdown(report);

  it('starts with the execution and the verdict', () => {
    // GIVEN / WHEN / THEN
    expect(markdown.startsWith('# Distributed training experiment: run-1\n')).toBe(true);
    expect(markdown).toContain(`**Verdict.** ${report.verdict}`);
  });

  it('has an overview row per variant with time, MSE, MAE and cost', () => {
    // GIVEN replicated: $0.232083 training + $0.14 hosting = $0.3721
    // WHEN / THEN
    expect(markdown).toContain(
      '| Variant | Status | Distribution | Instances | Input mode | Spot saving | Interruptions | Shard balance | Training time | ' +
        'Endpoint lifetime | Test MSE | Test MAE | Est. cost | Pareto (time) | Pareto (cost) |',
    );
    expect(markdown).toContain(
      '| replicated | succeeded | FullyReplicated | 5 x ml.c4.2xlarge | File | on-demand | - | n/a | 300 s | 1800 s | 1.2 | 0.6 | $0.3721 | yes | yes |',
    );
    expect(markdown).toContain(
      '| sharded | succeeded | ShardedByS3Key | 5 x ml.c4.2xlarge | File | on-demand | - | n/a | 120 s | 1800 s | 1.5 | 0.75 |',
    );
  });

  it('has a table per variant with its job, timings, final metrics and costs', () => {
    // GIVEN / WHEN / THEN
    expect(markdown).toContain('### sharded\n\n| Item | Value |\n| --- | --- |');
    expect(markdown).toContain('| Training instances | 5 x ml.c4.2xlarge |');
    expect(markdown).toContain('| BillableTimeInSeconds (per instance) | 120 |');
    expect(markdown).toContain('| Final metric validation:objective_loss | 1.25 |');
    expect(markdown).toContain('| Training cost (est.) | $0.2321 (1500 instance-s at $0.557/h) |');
    expect(markdown).toContain('| Hosting cost (est.) | $0.1400 (1800 instance-s at $0.28/h) |');
  });

  it('marks a kept endpoint as still running', () => {
    // GIVEN
    const kept = variant('kept', 60, 1, { hosting: { createdAt: '2024-05-01T11:00:00Z' } });
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([kept])));
    // THEN
    expect(text).toMatch(/\| Hosting cost \(est\.\) \| \$0\.2800 .*\(still running\) \|/);
  });

  it('shows n/a for a cost whose instance type has no price', () => {
    // GIVEN
    const unpriced = variant('x', 60, 1, { instanceType: 'ml.unknown' });
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([unpriced])));
    // THEN
    expect(text).toContain(
      '| Training cost (est.) | n/a (300 instance-s; no price for ml.unknown in the price table; add it to pricesPerHour) |',
    );
  });

  it('shows a Pipe spot variant with its input mode and saving in percent', () => {
    // GIVEN 400 s trained, 150 s billed: a 62.5% saving
    const spot = variant('spot-pipe', 400, 1.3, {
      inputMode: 'Pipe',
      spot: true,
      training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 150, finalMetrics: {}, interruptions: 0 },
    });
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([spot])));
    // THEN
    expect(text).toContain('| spot-pipe | succeeded | FullyReplicated | 5 x ml.c4.2xlarge | Pipe | 62.5% | 0 | n/a | 400 s |');
    expect(text).toContain('| Spot saving | 62.5% |');
  });

  it('escapes pipes in cells so the tables keep their shape', () => {
    // GIVEN
    const piped = variant('a|b', 60, 1);
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([piped])));
    // THEN
    expect(text).toContain('| a\\|b | succeeded | FullyReplicated |');
  });

  it('lists the Pareto frontier for a sweep of three or more variants', () => {
    // GIVEN
    const sweep = [variant('e2', 100, 2), variant('e4', 200, 1.5), variant('e8', 400, 1.4)];
    // WHEN
    const text = renderMarkdown(buildReport(reportInput(sweep)));
    // THEN
    expect(text).toContain('Pareto frontier (training time vs test MSE), fastest first: e2, e4, e8.');
  });

  it('says how costs are worked out and where the prices come from', () => {
    // GIVEN / WHEN / THEN
    expect(markdown).toContain('BillableTimeInSeconds is per instance');
    expect(markdown).toContain('Prices: test prices');
    expect(markdown).toContain('| ml.c4.2xlarge | $0.557 |');
  });

  it('lists a failed variant in the overview with its reason and no numbers it never had', () => {
    // GIVEN
    const variants = [
      variant('replicated', 300, 1.2),
      failedVariant('broken', 'TrainingJobFailed', 'Training job x failed: ClientError: bad data'),
    ];
    // WHEN
    const text = renderMarkdown(buildReport(reportInput(variants)));
    // THEN
    expect(text).toContain(
      '| broken | failed: TrainingJobFailed: Training job x failed: ClientError: bad data | FullyReplicated | 5 x ml.c4.2xlarge | File | on-demand | - | n/a | n/a | none | n/a | n/a | n/a | - | - |',
    );
    expect(text).toContain(
      '### broken\n\n| Item | Value |\n| --- | --- |\n| Status | failed: TrainingJobFailed: Training job x failed: ClientError: bad data |',
    );
    expect(text).toContain('| Endpoint | not created |');
  });

  it('shows the shard balance as the ratio and the bytes of the busiest and least busy instance', () => {
    // GIVEN three objects (12.1, 6, 6 MB) over 2 sharded instances: 18.1 and 6 MB
    const sharded = variant('sharded', 120, 1.5, { instanceCount: 2 });
    const trainObjects = [
      { key: 'train/1979.csv', bytes: 12_100_000 },
      { key: 'train/1980.csv', bytes: 6_000_000 },
      { key: 'train/1981.csv', bytes: 6_000_000 },
    ];
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([sharded], { trainObjects })));
    // THEN
    expect(text).toContain('| sharded | succeeded | ShardedByS3Key | 2 x ml.c4.2xlarge | File | on-demand | - | 3.02 (18.1 / 6.0 MB) |');
    expect(text).toContain('| Bytes per instance | 18100000 largest, 6000000 smallest (estimated, 3 objects over 2 instances) |');
  });

  it('shows the endpoint lifetime, or that the endpoint was kept', () => {
    // GIVEN
    const kept = variant('kept', 60, 1, { hosting: { createdAt: '2024-05-01T11:00:00Z' } });
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([variant('replicated', 300, 1.2), kept])));
    // THEN
    expect(text).toContain(
      '| replicated | succeeded | FullyReplicated | 5 x ml.c4.2xlarge | File | on-demand | - | n/a | 300 s | 1800 s |',
    );
    expect(text).toContain('| kept | succeeded | FullyReplicated | 5 x ml.c4.2xlarge | File | on-demand | - | n/a | 60 s | kept |');
  });

  it('shows the interruptions of a spot variant', () => {
    // GIVEN
    const spot = variant('spot', 400, 1.3, {
      spot: true,
      training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 150, finalMetrics: {}, interruptions: 3 },
    });
    // WHEN
    const text = renderMarkdown(buildReport(reportInput([spot])));
    // THEN
    expect(text).toContain('| spot | succeeded | FullyReplicated | 5 x ml.c4.2xlarge | File | 62.5% | 3 |');
    expect(text).toContain('| Spot interruptions | 3 |');
  });

  it('embeds both charts by the file names it is given', () => {
    // GIVEN / WHEN
    const text = renderMarkdown(report, { time: 'time.svg', cost: 'cost.svg' });
    // THEN
    expect(text).toContain('## Charts\n\n![Training time vs test MSE](time.svg)\n\n![Estimated cost vs test MSE](cost.svg)\n');
  });

  it('lists the cost frontier, cheapest first, for a sweep of three or more variants', () => {
    // GIVEN e8 billed 20 s of its 400 s: the cheapest, and the most accurate
    const sweep = [
      variant('e2', 100, 2),
      variant('e4', 200, 1.5),
      variant('e8', 400, 1.4, { training: { trainingTimeInSeconds: 400, billableTimeInSeconds: 20, finalMetrics: {}, interruptions: 0 } }),
    ];
    // WHEN
    const text = renderMarkdown(buildReport(reportInput(sweep)));
    // THEN
    expect(text).toContain('Pareto frontier (estimated cost vs test MSE), cheapest first: e8.');
  });
});
