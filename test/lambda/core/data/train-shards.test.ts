import { PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { PassThrough, Readable } from 'node:stream';
import { outputKeysFor, trainShardKey, trainShardsManifestKey, trainShardsPrefix } from '../../../../lambda/core/common/bucket-layout';
import { S3DataStore } from '../../../../lambda/core/data/s3-streams';
import { layOutTrainingData, planShards, TRAIN_RECORD_BYTES, TrainObject } from '../../../../lambda/core/data/train-shards';
import { featurizeStream } from '../../../../lambda/core/data/transform/featurize-stream';
import { fakeS3 } from '../../../helpers/fake-s3';
import { FIXTURE_CODES, FIXTURE_TEXT } from '../../s3-test-helpers';
import { decodeRecords, frames } from './recordio-decode';

const BUCKET = 'data-bucket';
const DATASET = 'sagemaker/data_distribution_types/datasets/0123456789abcdef';
const YEARS = [1979, 1980, 1981, 1982, 1983];
const DAY_MS = 24 * 3600 * 1000;

/** The transform's training output for some of the fixture's lines: real records, of different counts per year. */
async function trainRecords(lineCount: number): Promise<Buffer> {
  const lines = FIXTURE_TEXT.split('\n').slice(0, lineCount).join('\n');
  const train = new PassThrough();
  const chunks: Buffer[] = [];
  train.on('data', (chunk: Buffer) => chunks.push(chunk));
  await featurizeStream(
    Readable.from([Buffer.from(`${lines}\n`)]),
    { train, validation: new PassThrough().resume() },
    {
      codes: FIXTURE_CODES,
      kind: 'train',
      validationPercent: 10,
    },
  );
  return Buffer.concat(chunks);
}

const uri = (key: string): string => `s3://${BUCKET}/${key}`;
const yearKey = (year: number): string => outputKeysFor(DATASET, year, 'train').train!;

/** Per-year training objects several-fold apart in size, as real GDELT years are. */
async function givenPreparedYears(): Promise<{ s3: ReturnType<typeof fakeS3>; years: Buffer[] }> {
  const years = await Promise.all([501, 60, 240, 20, 130].map(trainRecords));
  const s3 = fakeS3(Object.fromEntries(YEARS.map((year, i) => [uri(yearKey(year)), years[i]])));
  return { s3, years };
}

const store = () => new S3DataStore(new S3Client({ region: 'us-east-1' }), BUCKET, 'Lay out training data');
const request = (trainShards: 'year' | number, retentionDays?: number) => ({
  dataPrefix: DATASET,
  trainingYears: YEARS,
  trainShards,
  ...(retentionDays !== undefined && { retentionDays }),
});

let s3: ReturnType<typeof fakeS3> | undefined;
afterEach(() => s3?.s3.restore());

describe('the training records the transform writes', () => {
  it('are all TRAIN_RECORD_BYTES long, so a byte range on a multiple of it cuts between records', async () => {
    // GIVEN the transform's training output for the whole fixture
    const bytes = await trainRecords(501);
    // WHEN its frames are walked by their own length fields
    const found = frames(bytes);
    // THEN every frame has the same size, and they fill the object
    expect(found.length).toBeGreaterThan(100);
    expect(new Set(found.map((frame) => frame.size))).toEqual(new Set([TRAIN_RECORD_BYTES]));
    expect(bytes.length).toBe(found.length * TRAIN_RECORD_BYTES);
  });
});

describe('planShards', () => {
  const objects = (...records: number[]): TrainObject[] => records.map((count, i) => ({ key: `y${i}`, bytes: count * TRAIN_RECORD_BYTES }));

  it('gives shards that differ by at most one record and together cover every record once, in order', () => {
    // GIVEN 3 + 10 + 1 records over 4 shards
    // WHEN
    const plan = planShards(objects(3, 10, 1), 4, (index) => `s${index}`);
    // THEN 14 records = 3 + 4 + 3 + 4, each range within one source, the ranges back to back
    expect(plan.map((shard) => shard.bytes / TRAIN_RECORD_BYTES)).toEqual([3, 4, 3, 4]);
    const r = TRAIN_RECORD_BYTES;
    expect(plan.map((shard) => shard.ranges)).toEqual([
      [{ key: 'y0', start: 0, end: 3 * r }],
      [{ key: 'y1', start: 0, end: 4 * r }],
      [{ key: 'y1', start: 4 * r, end: 7 * r }],
      [
        { key: 'y1', start: 7 * r, end: 10 * r },
        { key: 'y2', start: 0, end: r },
      ],
    ]);
  });

  it('rejects a source that is not a whole number of training records, naming it', () => {
    // GIVEN
    const sources = [{ key: 'train/1979.data', bytes: 2 * TRAIN_RECORD_BYTES + 7 }];
    // WHEN / THEN
    expect(() => planShards(sources, 2, String)).toThrow(
      `train/1979.data holds ${2 * TRAIN_RECORD_BYTES + 7} bytes, not a whole number of ${TRAIN_RECORD_BYTES}-byte training records`,
    );
  });

  it('rejects more shards than records, since a shard would be empty', () => {
    // GIVEN / WHEN / THEN
    expect(() => planShards(objects(2, 1), 4, String)).toThrow('trainShards: 4 shards need at least 4 training records, the years hold 3');
  });
});

describe('layOutTrainingData', () => {
  it('returns the per-year training objects in key order for "year", writing nothing', async () => {
    // GIVEN
    const given = await givenPreparedYears();
    s3 = given.s3;
    // WHEN
    const objects = await layOutTrainingData({ store: store() }, request('year'));
    // THEN
    expect(objects).toEqual(YEARS.map((year, i) => ({ key: yearKey(year), bytes: given.years[i].length })));
    expect(s3.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("writes exactly N shards in their own prefix, sizes at most one record apart, holding the years' rows in order", async () => {
    // GIVEN per-year objects of 5 different sizes
    const given = await givenPreparedYears();
    const bucket = (s3 = given.s3);
    // WHEN laid out as 7 shards
    const objects = await layOutTrainingData({ store: store() }, request(7));
    // THEN the shard prefix holds exactly 7 objects, the ones returned
    const prefix = uri(trainShardsPrefix(DATASET, 7));
    const inPrefix = [...bucket.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    expect(inPrefix).toEqual(Array.from({ length: 7 }, (_, i) => uri(trainShardKey(DATASET, 7, i))));
    expect(objects.map((object) => uri(object.key))).toEqual(inPrefix);
    const sizes = inPrefix.map((key) => bucket.objects.get(key)!.length);
    expect(objects.map((object) => object.bytes)).toEqual(sizes);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(TRAIN_RECORD_BYTES);
    // AND their rows, decoded, are the per-year rows
    const shardRows = inPrefix.flatMap((key) => decodeRecords(bucket.objects.get(key)!));
    expect(shardRows).toEqual(given.years.flatMap((bytes) => decodeRecords(bytes)));
    // AND the manifest is outside the channel prefix
    expect(bucket.objects.has(uri(trainShardsManifestKey(DATASET, 7)))).toBe(true);
    expect(trainShardsManifestKey(DATASET, 7).startsWith(trainShardsPrefix(DATASET, 7))).toBe(false);
  });

  it('skips a complete shard set on a rerun: no writes, the same objects', async () => {
    // GIVEN a complete layout of 4 shards
    s3 = (await givenPreparedYears()).s3;
    const first = await layOutTrainingData({ store: store() }, request(4, 30));
    s3.s3.resetHistory();
    // WHEN it runs again
    const written: TrainObject[] = [];
    const second = await layOutTrainingData({ store: store(), onShardWritten: (shard) => written.push(shard) }, request(4, 30));
    // THEN nothing is written
    expect(second).toEqual(first);
    expect(written).toEqual([]);
    expect(s3.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.s3.commandCalls(UploadPartCommand)).toHaveLength(0);
  });

  it('completes an interrupted set: writes only the missing shards, then the manifest', async () => {
    // GIVEN a layout whose manifest and one shard are gone, as if the task died before finishing
    s3 = (await givenPreparedYears()).s3;
    const first = await layOutTrainingData({ store: store() }, request(4));
    const complete = new Map(s3.objects);
    s3.objects.delete(uri(trainShardKey(DATASET, 4, 2)));
    s3.objects.delete(uri(trainShardsManifestKey(DATASET, 4)));
    // WHEN it runs again
    const written: TrainObject[] = [];
    const second = await layOutTrainingData({ store: store(), onShardWritten: (shard) => written.push(shard) }, request(4));
    // THEN the missing shard is written with the bytes it had, and the set is marked complete again
    expect(written.map((shard) => shard.key)).toEqual([trainShardKey(DATASET, 4, 2)]);
    expect(second).toEqual(first);
    for (const [key, bytes] of complete) if (key !== uri(trainShardsManifestKey(DATASET, 4))) expect(s3.objects.get(key)).toEqual(bytes);
    expect(s3.objects.has(uri(trainShardsManifestKey(DATASET, 4)))).toBe(true);
  });

  it('rewrites a shard of the wrong size even when the manifest says the set is complete', async () => {
    // GIVEN a complete set in which one shard was replaced by other bytes
    s3 = (await givenPreparedYears()).s3;
    await layOutTrainingData({ store: store() }, request(3));
    const key = uri(trainShardKey(DATASET, 3, 1));
    const good = s3.objects.get(key)!;
    s3.objects.set(key, good.subarray(0, TRAIN_RECORD_BYTES));
    // WHEN
    await layOutTrainingData({ store: store() }, request(3));
    // THEN
    expect(s3.objects.get(key)).toEqual(good);
  });

  it('rewrites shards that would expire within two days, so a reused set never expires under a running job', async () => {
    // GIVEN a set written 29 days ago, with 30 days' retention
    const given = await givenPreparedYears();
    s3 = given.s3;
    await layOutTrainingData({ store: store() }, request(2, 30));
    for (const key of s3.writtenAt.keys()) s3.writtenAt.set(key, new Date(Date.now() - 29 * DAY_MS));
    // WHEN it runs again
    const written: TrainObject[] = [];
    await layOutTrainingData({ store: store(), onShardWritten: (shard) => written.push(shard) }, request(2, 30));
    // THEN both shards are written again
    expect(written).toHaveLength(2);
  });

  it('leaves no shard and no manifest when a write fails, and names the object', async () => {
    // GIVEN S3 refuses the write of the second shard
    s3 = (await givenPreparedYears()).s3;
    const failing = trainShardKey(DATASET, 3, 1);
    s3.s3
      .on(PutObjectCommand, { Key: failing })
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    // WHEN
    const layout = layOutTrainingData({ store: store() }, request(3));
    // THEN the task fails naming the object; that shard and the manifest do not exist
    await expect(layout).rejects.toThrow(`s3://${BUCKET}/${failing}`);
    expect(s3.objects.has(uri(failing))).toBe(false);
    expect(s3.objects.has(uri(trainShardsManifestKey(DATASET, 3)))).toBe(false);
  });

  it('fails naming a training year that is not prepared', async () => {
    // GIVEN 1981 missing
    s3 = (await givenPreparedYears()).s3;
    s3.objects.delete(uri(yearKey(1981)));
    // WHEN / THEN
    await expect(layOutTrainingData({ store: store() }, request(4))).rejects.toThrow(
      `${uri(yearKey(1981))} does not exist; its year must be prepared before the training data is laid out`,
    );
  });

  it.each([[1], [101], [2.5], ['all']])('rejects trainShards %p before reading anything', async (trainShards) => {
    // GIVEN
    s3 = (await givenPreparedYears()).s3;
    // WHEN / THEN
    await expect(layOutTrainingData({ store: store() }, request(trainShards as number))).rejects.toThrow(
      `trainShards: ${JSON.stringify(trainShards)} must be "year" or an integer from 2 to 100`,
    );
    expect(s3.s3.calls()).toHaveLength(0);
  });
});
