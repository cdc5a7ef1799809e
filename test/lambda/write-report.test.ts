import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { PRICES_SOURCE } from '../../lambda/core/experiment/prices';
import { handler, WriteReportEvent } from '../../lambda/write-report';
import { failedVariant, variant } from './core/report/report-fixtures';

const s3 = mockClient(S3Client);
const PREFIX = 'sagemaker/data_distribution_types/reports/run-1';

const EVENT: WriteReportEvent = {
  executionName: 'run-1',
  reportPrefix: PREFIX,
  pricesPerHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 },
  variants: [variant('replicated', 300, 1.2), variant('sharded', 120, 1.5)],
  data: { testRows: 3000 },
};

/** The final clean-up's result when it deleted one variant's endpoint. */
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
  it('writes the JSON, Markdown and both SVG charts with their content types, and nothing else', async () => {
    // GIVEN / WHEN
    await handler(EVENT);
    // THEN
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `${PREFIX}/report.svg`,
      `${PREFIX}/report-cost.svg`,
      `${PREFIX}/report.md`,
      `${PREFIX}/report.json`,
    ]);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'data-bucket',
      Key: `${PREFIX}/report-cost.svg`,
      ContentType: 'image/svg+xml',
    });
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

  it('returns the verdict as the summary, the s3:// URIs of the four objects and no failure', async () => {
    // GIVEN / WHEN
    const result = await handler(EVENT);
    // THEN
    expect(result).toEqual({
      summary:
        'sharded trained 2.50x faster than replicated (120 s vs 300 s). replicated is more accurate: test MSE 1.2 vs 1.5 for sharded (20% lower). ' +
        'By trainDistribution: best test MSE 1.2 with FullyReplicated vs 1.5 with ShardedByS3Key; fastest 120 s with ShardedByS3Key vs 300 s with FullyReplicated; ' +
        'cheapest $0.2328 with ShardedByS3Key vs $0.3721 with FullyReplicated.',
      uris: {
        json: `s3://data-bucket/${PREFIX}/report.json`,
        markdown: `s3://data-bucket/${PREFIX}/report.md`,
        svg: `s3://data-bucket/${PREFIX}/report.svg`,
        costSvg: `s3://data-bucket/${PREFIX}/report-cost.svg`,
      },
      variantsFailed: 0,
    });
  });

  it('returns VariantsFailed with each failed variant and where the report is, after writing the whole report', async () => {
    // GIVEN one of three variants failed
    const event: WriteReportEvent = { ...EVENT, variants: [...EVENT.variants, failedVariant('broken', 'TrainingJobFailed', 'bad data')] };
    // WHEN
    const result = await handler(event);
    // THEN
    expect(result.variantsFailed).toBe(1);
    expect(result.failure).toEqual({
      error: 'VariantsFailed',
      cause: `1 of 3 variants failed: broken: TrainingJobFailed: bad data. Report: s3://data-bucket/${PREFIX}/report.md`,
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 4);
    const report = JSON.parse(putBody(`${PREFIX}/report.json`));
    expect(report.variants[2]).toMatchObject({
      name: 'broken',
      status: 'failed',
      testMse: null,
      failure: { error: 'TrainingJobFailed', cause: 'bad data' },
    });
  });

  it('links both charts from report.md by their file names', async () => {
    // GIVEN / WHEN
    await handler(EVENT);
    // THEN
    expect(putBody(`${PREFIX}/report.md`)).toContain('![Training time vs test MSE](report.svg)');
    expect(putBody(`${PREFIX}/report.md`)).toContain('![Estimated cost vs test MSE](report-cost.svg)');
  });

  it('puts the shard balance from the training objects in report.json', async () => {
    // GIVEN two objects over the sharded variant's 5 instances: three of them read nothing
    const trainObjects = [
      { key: 'train/1980.csv', bytes: 300 },
      { key: 'train/1979.csv', bytes: 100 },
    ];
    // WHEN
    await handler({ ...EVENT, trainObjects });
    // THEN
    const report = JSON.parse(putBody(`${PREFIX}/report.json`));
    expect(report.variants[1].shardBalance).toEqual({
      estimated: true,
      objects: 2,
      instances: 5,
      largestBytes: 300,
      smallestBytes: 0,
      ratio: null,
    });
    expect(report.trainData).toEqual({ objects: 2, bytes: 400 });
  });

  it("gives each endpoint's billed lifetime from its creation to its deletion", async () => {
    // GIVEN / WHEN the replicated endpoint was created at 11:00 and deleted at 11:30
    await handler(EVENT);
    // THEN
    const report = JSON.parse(putBody(`${PREFIX}/report.json`));
    expect(report.variants[0].hosting.deletedAt).toBe('2024-05-01T11:30:00Z');
    expect(report.variants[0].endpointLifetimeSeconds).toBe(1800);
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
