/**
 * Renders docs/sample-report.md and docs/sample-report.svg with the report code the workflow uses, from
 * ILLUSTRATIVE inputs (a three-variant sweep with made-up times and errors), so the README can show what a
 * report looks like. It is not a measurement: run the experiment for real numbers.
 *
 *   npm run sample-report
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PRICES_PER_HOUR, PRICES_SOURCE } from '../lambda/core/experiment/prices';
import { VariantInput, buildReport } from '../lambda/core/report/report';
import { renderMarkdown } from '../lambda/core/report/report-markdown';
import { renderSvg } from '../lambda/core/report/report-svg';

function variant(name: string, trainDistribution: string, seconds: number, mse: number): VariantInput {
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
    training: {
      trainingTimeInSeconds: seconds,
      billableTimeInSeconds: seconds,
      finalMetrics: { 'validation:objective_loss': mse / 4, 'train:objective_loss:final': mse / 4 + 0.01 },
      interruptions: 0,
    },
    evaluation: { rowsScored: 1_000_000, mse, mae: mse / 4 },
    hosting: { createdAt: '2026-11-28T16:40:00Z', deletedAt: '2026-11-28T16:52:00Z' },
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
    variant('sharded-e6', 'ShardedByS3Key', 450, 11.0),
  ],
});

const docs = path.join(__dirname, '..', 'docs');
writeFileSync(path.join(docs, 'sample-report.md'), renderMarkdown(report));
writeFileSync(path.join(docs, 'sample-report.svg'), renderSvg(report));
console.log(`wrote ${path.join(docs, 'sample-report.md')} and sample-report.svg (illustrative numbers)`);
