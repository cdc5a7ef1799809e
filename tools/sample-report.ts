/**
 * Renders docs/sample-report.md, docs/sample-report.svg and docs/sample-report-cost.svg with the report code the
 * workflow uses, from ILLUSTRATIVE inputs (a four-variant sweep with made-up times, errors and object sizes, one
 * of them on spot capacity and one failed), so the README can show what a report looks like. It is not a
 * measurement: run the experiment for real numbers.
 *
 *   npm run sample-report
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PRICES_PER_HOUR, PRICES_SOURCE } from '../lambda/core/experiment/prices';
import { VariantInput, buildReport } from '../lambda/core/report/report';
import { renderMarkdown } from '../lambda/core/report/report-markdown';
import { renderCostChart, renderTimeChart } from '../lambda/core/report/report-svg';

function variant(name: string, trainDistribution: string, seconds: number, mse: number, extra: Partial<VariantInput> = {}): VariantInput {
  const jobName = `linear-${name}-20261128-160000-0a1b2c3d`;
  return {
    name,
    trainDistribution,
    instanceCount: 5,
    instanceType: 'ml.c4.2xlarge',
    inputMode: 'File',
    spot: false,
    endpointInstanceType: 'ml.m4.xlarge',
    endpointInstanceCount: 1,
    jobName,
    endpointName: jobName,
    hyperparameters: { epochs: '2' },
    training: {
      trainingTimeInSeconds: seconds,
      billableTimeInSeconds: seconds,
      finalMetrics: { 'validation:objective_loss': mse / 4, 'train:objective_loss:final': mse / 4 + 0.01 },
      interruptions: 0,
    },
    evaluation: { rowsScored: 1_000_000, mse, mae: mse / 4 },
    hosting: { createdAt: '2026-11-28T16:40:00Z', deletedAt: '2026-11-28T16:52:00Z' },
    ...extra,
  };
}

const report = buildReport({
  executionName: 'sample-illustrative-numbers',
  generatedAt: new Date('2026-11-28T16:53:00Z'),
  pricesPerHour: DEFAULT_PRICES_PER_HOUR,
  pricesSource: PRICES_SOURCE,
  variants: [
    variant('replicated', 'FullyReplicated', 720, 10.9),
    variant('sharded', 'ShardedByS3Key', 240, 11.6),
    variant('sharded-e6', 'ShardedByS3Key', 450, 11.0, { hyperparameters: { epochs: '6' } }),
    variant('sharded-spot', 'ShardedByS3Key', 260, 11.6, {
      spot: true,
      training: { trainingTimeInSeconds: 260, billableTimeInSeconds: 95, finalMetrics: {}, interruptions: 1 },
    }),
    {
      ...variant('sharded-pipe', 'ShardedByS3Key', 0, 0, { inputMode: 'Pipe' }),
      status: 'failed',
      failure: {
        error: 'TrainingJobFailed',
        cause: 'Training job linear-sharded-pipe-20261128-160000-0a1b2c3d failed: illustrative reason',
      },
      training: undefined,
      hosting: undefined,
      evaluation: undefined,
    },
  ],
  trainObjects: [
    { key: 'train/1979.csv', bytes: 9_800_000 },
    { key: 'train/1980.csv', bytes: 14_200_000 },
    { key: 'train/1981.csv', bytes: 21_500_000 },
    { key: 'train/1982.csv', bytes: 30_900_000 },
    { key: 'train/1983.csv', bytes: 41_700_000 },
  ],
});

const docs = path.join(__dirname, '..', 'docs');
writeFileSync(path.join(docs, 'sample-report.md'), renderMarkdown(report, { time: 'sample-report.svg', cost: 'sample-report-cost.svg' }));
writeFileSync(path.join(docs, 'sample-report.svg'), renderTimeChart(report));
writeFileSync(path.join(docs, 'sample-report-cost.svg'), renderCostChart(report));
console.log(`wrote ${path.join(docs, 'sample-report.md')}, sample-report.svg and sample-report-cost.svg (illustrative numbers)`);
