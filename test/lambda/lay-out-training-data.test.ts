import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { handler } from '../../lambda/lay-out-training-data';
import { TRAIN_RECORD_BYTES } from '../../lambda/core/data/train-shards';
import { encodeRecord } from '../../lambda/core/data/transform/recordio';
import { fakeS3 } from '../helpers/fake-s3';
import { HANDLER_ENV } from '../helpers/local-workflow';

const PREFIX = 'sagemaker/data_distribution_types/datasets/0123456789abcdef';
const BUCKET = HANDLER_ENV.DATA_BUCKET;

/** `count` distinct training records. */
const records = (count: number, first: number): Buffer =>
  Buffer.concat(Array.from({ length: count }, (_, i) => encodeRecord(new Array<number>(25).fill(first + i), first + i)));

let s3: ReturnType<typeof fakeS3>;
beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  // 1979: 3 records, 1980: 1 record
  s3 = fakeS3({ [`s3://${BUCKET}/${PREFIX}/train/1979.data`]: records(3, 0), [`s3://${BUCKET}/${PREFIX}/train/1980.data`]: records(1, 3) });
});
afterEach(() => s3.s3.restore());

describe('lay-out-training-data handler', () => {
  it('cuts 2 shards of 2 records each by byte ranges of the data bucket, then writes the manifest', async () => {
    // GIVEN / WHEN
    const objects = await handler({ dataPrefix: PREFIX, trainingYears: [1980, 1979], trainShards: 2 });

    // THEN it reads exactly the ranges each shard needs
    const r = TRAIN_RECORD_BYTES;
    expect(s3.s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input.Key)).toEqual(
      expect.arrayContaining([`${PREFIX}/train/1979.data`, `${PREFIX}/train/1980.data`]),
    );
    expect(
      s3.s3
        .commandCalls(GetObjectCommand)
        .filter((call) => call.args[0].input.Range)
        .map((call) => call.args[0].input),
    ).toEqual([
      { Bucket: BUCKET, Key: `${PREFIX}/train/1979.data`, Range: `bytes=0-${2 * r - 1}` },
      { Bucket: BUCKET, Key: `${PREFIX}/train/1979.data`, Range: `bytes=${2 * r}-${3 * r - 1}` },
      { Bucket: BUCKET, Key: `${PREFIX}/train/1980.data`, Range: `bytes=0-${r - 1}` },
    ]);
    // AND writes each shard as RecordIO, then the manifest outside the channel prefix
    const puts = s3.s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map(({ Bucket, Key, ContentType }) => ({ Bucket, Key, ContentType }))).toEqual([
      { Bucket: BUCKET, Key: `${PREFIX}/train-shards-2/part-00000.data`, ContentType: 'application/x-recordio-protobuf' },
      { Bucket: BUCKET, Key: `${PREFIX}/train-shards-2/part-00001.data`, ContentType: 'application/x-recordio-protobuf' },
      { Bucket: BUCKET, Key: `${PREFIX}/manifests/train-shards-2.json`, ContentType: 'application/json' },
    ]);
    expect(objects).toEqual([
      { key: `${PREFIX}/train-shards-2/part-00000.data`, bytes: 2 * r },
      { key: `${PREFIX}/train-shards-2/part-00001.data`, bytes: 2 * r },
    ]);
    expect(s3.objects.get(`s3://${BUCKET}/${PREFIX}/train-shards-2/part-00001.data`)).toEqual(
      Buffer.concat([records(3, 0).subarray(2 * r), records(1, 3)]),
    );
  });

  it('names the state, the object and the status when a range cannot be read', async () => {
    // GIVEN S3 denies the read of 1980
    s3.s3
      .on(GetObjectCommand, { Key: `${PREFIX}/train/1980.data` })
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    // WHEN / THEN
    await expect(handler({ dataPrefix: PREFIX, trainingYears: [1979, 1980], trainShards: 2 })).rejects.toThrow(
      `Lay out training data: S3 GetObject s3://${BUCKET}/${PREFIX}/train/1980.data failed with HTTP 403 AccessDenied`,
    );
    expect(s3.objects.has(`s3://${BUCKET}/${PREFIX}/manifests/train-shards-2.json`)).toBe(false);
  });
});
