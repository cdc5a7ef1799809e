import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { PRICES_SOURCE } from '../../lambda/core/experiment/prices';
import { handler, WriteReportEvent } from '../../lambda/write-report';
import { variant } from './core/report/report-fixtures';

const s3 = mockClient(S3Client);
const PREFIX = 'sagemaker/data_distribution_types/reports/run-1';

const EVENT: WriteReportEvent = {
  executionName: 'run-1',
  reportPrefix: PREFIX,
  pricesPerHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 },
  variants: [variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)],
  data: { testRows: 3000 },
};

function putBody(key: string): string {
  const call = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === key);
  if (!call) throw new Error(`no PutObject for ${key}`);
  return call.args[0].input.Body as string;
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  process.env.DATA_BUCKET = 'data-bucket';
});

describe('write-report handler', () => {
  it('writes the JSON, Markdown and SVG reports with their content types', async () => {
    // GIVEN / WHEN
    await handler(EVENT);
    // THEN
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 3);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'data-bucket',
      Key: `${PREFIX}/report.json`,
      ContentType: 'application/json',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'data-bucket',
      Key: `${PREFIX}/report.md`,
      ContentType: 'text/markdown; charset=utf-8',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'data-bucket',
      Key: `${PREFIX}/report.svg`,
      ContentType: 'image/svg+xml',
    });
  });

  it('writes report.json last, so its presence means the report is complete', async () => {
    // GIVEN / WHEN
    await handler(EVENT);
    // THEN
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(keys[keys.length - 1]).toBe(`${PREFIX}/report.json`);
  });

  it('returns the verdict as the summary and the s3:// URIs of the three objects', async () => {
    // GIVEN / WHEN
    const result = await handler(EVENT);
    // THEN
    expect(result).toEqual({
      summary:
        'sharded trained 2.50x faster than replicated (120 s vs 300 s). replicated is more accurate: test MSE 1.2 vs 1.5 for sharded (20% lower).',
      uris: {
        json: `s3://data-bucket/${PREFIX}/report.json`,
        markdown: `s3://data-bucket/${PREFIX}/report.md`,
        svg: `s3://data-bucket/${PREFIX}/report.svg`,
      },
    });
  });

  it('puts every number in report.json, with the data-preparation counts as given', async () => {
    // GIVEN / WHEN
    await handler(EVENT);
    // THEN
    const report = JSON.parse(putBody(`${PREFIX}/report.json`));
    expect(report.variants.map((v: { name: string }) => v.name)).toEqual(['replicated', 'sharded']);
    expect(report.variants[1].evaluation).toEqual({ rowsScored: 1000, mse: 1.5, mae: 0.75 });
    expect(report.variants[1].cost.training.instanceSeconds).toBe(600);
    expect(report.data).toEqual({ testRows: 3000 });
    expect(report.prices.source).toMatch(/pricesPerHour setting/);
  });

  it("carries the preflight's warnings into report.json and report.md", async () => {
    // GIVEN a run whose quotas could not be checked
    const warning = 'Service Quotas could not be read (AccessDeniedException: denied), so the SageMaker quotas were not checked';

    // WHEN
    await handler({ ...EVENT, warnings: [warning] });

    // THEN
    expect(JSON.parse(putBody(`${PREFIX}/report.json`)).warnings).toEqual([warning]);
    expect(putBody(`${PREFIX}/report.md`)).toContain(`## Warnings\n\n- ${warning}\n`);
  });

  it('writes an empty warnings list when there were none', async () => {
    // GIVEN / WHEN
    await handler(EVENT);

    // THEN
    expect(JSON.parse(putBody(`${PREFIX}/report.json`)).warnings).toEqual([]);
    expect(putBody(`${PREFIX}/report.md`)).not.toContain('## Warnings');
  });

  it('uses the default price table, with its source, when no prices are given', async () => {
    // GIVEN
    const withoutPrices: WriteReportEvent = { ...EVENT, pricesPerHour: undefined };
    // WHEN
    await handler(withoutPrices);
    // THEN
    const report = JSON.parse(putBody(`${PREFIX}/report.json`));
    expect(report.prices.source).toBe(PRICES_SOURCE);
    expect(report.variants[0].cost.training.usd).not.toBeNull();
  });

  it('ignores a trailing slash on the prefix', async () => {
    // GIVEN / WHEN
    const result = await handler({ ...EVENT, reportPrefix: `${PREFIX}/` });
    // THEN
    expect(result.uris.json).toBe(`s3://data-bucket/${PREFIX}/report.json`);
  });

  it('writes nothing when the input is invalid', async () => {
    // GIVEN / WHEN / THEN
    await expect(handler({ ...EVENT, variants: [] })).rejects.toThrow(/variants must be a non-empty array/);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects an empty report prefix', async () => {
    // GIVEN / WHEN / THEN
    await expect(handler({ ...EVENT, reportPrefix: '' })).rejects.toThrow(/reportPrefix must be a key prefix/);
  });
});
