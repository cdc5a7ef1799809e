/**
 * Writes the experiment's report (JSON, Markdown, two SVG charts) under the execution's report prefix and returns
 * the verdict, where the report is, and, when variants failed, the error the execution ends with.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { reportKeys } from './core/common/bucket-layout';
import { requiredEnv } from './core/common/environment';
import { DEFAULT_PRICES_PER_HOUR, PRICES_SOURCE } from './core/experiment/prices';
import { VARIANTS_FAILED, variantsFailedCause } from './core/report/failure-summary';
import { buildReport, ReportWritten, VariantInput } from './core/report/report';
import { renderMarkdown } from './core/report/report-markdown';
import { renderCostChart, renderTimeChart } from './core/report/report-svg';
import type { TrainObject } from './core/data/train-shards';

const s3 = new S3Client({});

export interface WriteReportEvent {
  readonly executionName: string;
  /** Key prefix, without trailing slash, e.g. `sagemaker/data_distribution_types/reports/<executionName>`. */
  readonly reportPrefix: string;
  /** USD per instance-hour by instance type; defaults to DEFAULT_PRICES_PER_HOUR. */
  readonly pricesPerHour?: Record<string, number>;
  /** Where the prices come from; defaults to PRICES_SOURCE for the default table. */
  readonly pricesSource?: string;
  /** Every variant, succeeded or failed, in the plan's order. */
  readonly variants: readonly VariantInput[];
  /** The training channel's objects in key order, for the bytes each instance reads. */
  readonly trainObjects?: readonly TrainObject[];
  /** Data-preparation counts, copied into report.json as they are. */
  readonly data?: unknown;
  /** Checks the preflight could not make (e.g. Service Quotas denied). */
  readonly warnings?: readonly string[];
}

function pricesSourceFor(event: WriteReportEvent): string {
  if (event.pricesSource) return event.pricesSource;
  if (!event.pricesPerHour || JSON.stringify(event.pricesPerHour) === JSON.stringify(DEFAULT_PRICES_PER_HOUR)) return PRICES_SOURCE;
  return "USD per instance-hour from this deployment's pricesPerHour setting.";
}

const fileName = (key: string): string => key.slice(key.lastIndexOf('/') + 1);

export async function handler(event: WriteReportEvent): Promise<ReportWritten> {
  const bucket = requiredEnv('DATA_BUCKET');
  if (typeof event.reportPrefix !== 'string' || event.reportPrefix.replace(/\/+$/, '') === '' || event.reportPrefix.startsWith('/')) {
    throw new Error(
      `reportPrefix must be a key prefix such as "sagemaker/data_distribution_types/reports/<execution>"; got ${JSON.stringify(event.reportPrefix)}`,
    );
  }
  const prefix = event.reportPrefix.replace(/\/+$/, '');

  // Render everything before writing anything, so a bad input leaves no partial report behind.
  const report = buildReport({
    executionName: event.executionName,
    generatedAt: new Date(),
    pricesPerHour: event.pricesPerHour ?? DEFAULT_PRICES_PER_HOUR,
    pricesSource: pricesSourceFor(event),
    variants: event.variants,
    ...(event.trainObjects !== undefined && { trainObjects: event.trainObjects }),
    data: event.data,
    warnings: event.warnings ?? [],
  });
  const keys = reportKeys(prefix);
  const objects = [
    { key: keys.svg, contentType: 'image/svg+xml', body: renderTimeChart(report) },
    { key: keys.costSvg, contentType: 'image/svg+xml', body: renderCostChart(report) },
    {
      key: keys.markdown,
      contentType: 'text/markdown; charset=utf-8',
      body: renderMarkdown(report, { time: fileName(keys.svg), cost: fileName(keys.costSvg) }),
    },
    // Last, so a report.json present means the whole report is.
    { key: keys.json, contentType: 'application/json', body: `${JSON.stringify(report, null, 2)}\n` },
  ];
  for (const object of objects) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, ContentType: object.contentType, Body: object.body }));
  }
  const uri = (key: string): string => `s3://${bucket}/${key}`;
  const failed = report.variants.filter((v) => v.status === 'failed');
  return {
    summary: report.verdict,
    uris: { json: uri(keys.json), markdown: uri(keys.markdown), svg: uri(keys.svg), costSvg: uri(keys.costSvg) },
    variantsFailed: failed.length,
    ...(failed.length > 0 && {
      failure: { error: VARIANTS_FAILED, cause: variantsFailedCause(failed, report.variants.length, uri(keys.markdown)) },
    }),
  };
}
