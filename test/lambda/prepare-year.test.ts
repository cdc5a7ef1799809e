import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { handler } from '../../lambda/prepare-year';
import { failingAfter, FIXTURE_CODES, FIXTURE_TEXT, keptRows, s3Body } from './s3-test-helpers';

const s3 = mockClient(S3Client);
const SOURCE = { bucket: 'gdelt-open-data', key: 'events/1979.csv' };
const PREFIX = 'sagemaker/data_distribution_types';
const TRAIN_EVENT = {
  source: SOURCE, year: 1979, kind: 'train' as const, codes: FIXTURE_CODES, validationPercent: 10, maxMalformedShare: 0.5, dataPrefix: PREFIX,
};
/** Rows enough for a train output over one 8 MiB part, with margin: ~81,000 kept rows x 144 bytes = 11 MiB. */
const MULTIPART_ROWS = 90000;

function notFound(): Error {
  return new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
}

function givenSource(body: Readable | string, eTag = '"source-etag"'): void {
  s3.on(HeadObjectCommand, { Bucket: SOURCE.bucket }).resolves({ ETag: eTag });
  s3.on(GetObjectCommand, { Bucket: SOURCE.bucket }).callsFake(() => ({ ETag: eTag, Body: s3Body(body) }));
}

beforeEach(() => {
  s3.reset();
  process.env.DATA_BUCKET = 'data-bucket';
  process.env.AWS_REGION = 'eu-west-1';
  s3.on(GetObjectCommand, { Bucket: 'data-bucket' }).rejects(notFound());
  s3.on(HeadObjectCommand, { Bucket: 'data-bucket' }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
  s3.on(PutObjectCommand).resolves({ ETag: '"put"' });
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"part-${input.PartNumber}"` }));
  s3.on(CompleteMultipartUploadCommand).resolves({});
  s3.on(AbortMultipartUploadCommand).resolves({});
  s3.on(DeleteObjectCommand).resolves({});
});

function uploadedBytes(key: string): Buffer {
  const parts = s3.commandCalls(UploadPartCommand, { Key: key }).map((call) => call.args[0].input)
    .sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0)).map((input) => Buffer.from(input.Body as Uint8Array));
  const puts = s3.commandCalls(PutObjectCommand, { Key: key }).map((call) => Buffer.from(call.args[0].input.Body as Uint8Array));
  return Buffer.concat([...parts, ...puts]);
}

describe('prepare-year handler', () => {
  it('streams the source into a multipart upload for train and returns the counts', async () => {
    // GIVEN a source of 90,000 kept rows
    givenSource(Readable.from(keptRows(MULTIPART_ROWS)));
    // WHEN
    const result = await handler(TRAIN_EVENT);
    // THEN
    const trainKey = `${PREFIX}/train/1979.data`;
    expect(result.counts.read).toBe(MULTIPART_ROWS);
    expect(result.counts.train + result.counts.validation).toBe(MULTIPART_ROWS);
    expect(s3).toHaveReceivedCommandWith(CreateMultipartUploadCommand, { Bucket: 'data-bucket', Key: trainKey });
    expect(s3.commandCalls(UploadPartCommand, { Key: trainKey }).length).toBeGreaterThanOrEqual(2);
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, { Key: trainKey, UploadId: 'upload-1' });
    expect(uploadedBytes(trainKey).length).toBe(144 * result.counts.train);
    expect(uploadedBytes(`${PREFIX}/validation/1979.data`).length).toBe(144 * result.counts.validation);
    expect(result).toMatchObject({
      year: 1979, kind: 'train', skipped: false,
      outputs: [`s3://data-bucket/${trainKey}`, `s3://data-bucket/${PREFIX}/validation/1979.data`],
    });
  });

  it('reads the source with the ETag it records, so the manifest describes the bytes read', async () => {
    givenSource(FIXTURE_TEXT);
    await handler(TRAIN_EVENT);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket, Key: SOURCE.key, IfMatch: '"source-etag"' });
  });

  it('writes the manifest last, with settings, source ETag, counts and output keys', async () => {
    // GIVEN
    givenSource(FIXTURE_TEXT);
    // WHEN
    const result = await handler(TRAIN_EVENT);
    // THEN
    const puts = s3.commandCalls(PutObjectCommand);
    const last = puts[puts.length - 1].args[0].input;
    expect(last.Key).toBe(`${PREFIX}/manifests/1979.json`);
    expect(JSON.parse(last.Body as string)).toMatchObject({
      year: 1979,
      settings: { transformVersion: 1, kind: 'train', codes: FIXTURE_CODES, validationPercent: 10 },
      source: { ...SOURCE, eTag: '"source-etag"' },
      counts: result.counts,
      outputKeys: [`${PREFIX}/train/1979.data`, `${PREFIX}/validation/1979.data`],
    });
  });

  it('writes test RecordIO and CSV for kind test', async () => {
    givenSource(FIXTURE_TEXT);
    const result = await handler({ ...TRAIN_EVENT, year: 1984, kind: 'test' });
    expect(result.counts.train).toBe(0);
    expect(uploadedBytes(`${PREFIX}/test/1984.data`).length).toBe(144 * result.counts.test);
    expect(uploadedBytes(`${PREFIX}/test/1984.csv`).toString().split('\n')).toHaveLength(result.counts.test + 1);
  });

  it('aborts the multipart upload and completes nothing when the source fails mid-stream', async () => {
    // GIVEN a source that fails after more than one part of output
    givenSource(failingAfter(keptRows(MULTIPART_ROWS), new Error('socket hang up')));
    // WHEN
    await expect(handler(TRAIN_EVENT)).rejects.toThrow(/socket hang up/);
    // THEN
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { Key: `${PREFIX}/train/1979.data`, UploadId: 'upload-1' });
    expect(s3).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('fails instead of hanging when an upload part fails, and completes nothing', async () => {
    givenSource(Readable.from(keptRows(MULTIPART_ROWS)));
    s3.on(UploadPartCommand).rejects(new Error('part upload failed'));
    await expect(handler(TRAIN_EVENT)).rejects.toThrow(/part upload failed/);
    expect(s3).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
    expect(s3).not.toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
  });

  it('fails with NotGdeltData and writes nothing when most rows are not GDELT', async () => {
    givenSource('name,age\nalice,30\nbob,40\n');
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'NotGdeltData', message: expect.stringMatching(/s3:\/\/gdelt-open-data\/events\/1979.csv does not look like GDELT.*3 of 3 rows/),
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('fails with SourceNotFound naming the object when the source does not exist', async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE.bucket }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'SourceNotFound', message: expect.stringContaining('s3://gdelt-open-data/events/1979.csv does not exist'),
    });
  });

  it('skips the work when the manifest matches and the outputs exist', async () => {
    // GIVEN a first run's manifest
    givenSource(FIXTURE_TEXT);
    const first = await handler(TRAIN_EVENT);
    const manifest = s3.commandCalls(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` })[0].args[0].input.Body as string;
    s3.reset();
    givenSource(FIXTURE_TEXT);
    s3.on(GetObjectCommand, { Bucket: 'data-bucket', Key: `${PREFIX}/manifests/1979.json` }).callsFake(() => ({ Body: s3Body(manifest) }));
    s3.on(HeadObjectCommand, { Bucket: 'data-bucket' }).resolves({});
    // WHEN
    const second = await handler(TRAIN_EVENT);
    // THEN
    expect(second).toEqual({ ...first, skipped: true });
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('rebuilds when the settings changed, removing the old manifest first', async () => {
    // GIVEN a manifest written with validationPercent 10
    givenSource(FIXTURE_TEXT);
    await handler(TRAIN_EVENT);
    const manifest = s3.commandCalls(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` })[0].args[0].input.Body as string;
    s3.reset();
    givenSource(FIXTURE_TEXT);
    s3.on(GetObjectCommand, { Bucket: 'data-bucket' }).callsFake(() => ({ Body: s3Body(manifest) }));
    s3.on(HeadObjectCommand, { Bucket: 'data-bucket' }).resolves({});
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    // WHEN run with 20%
    const result = await handler({ ...TRAIN_EVENT, validationPercent: 20 });
    // THEN
    expect(result.skipped).toBe(false);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
  });

  it('rejects a request with an invalid kind, naming the field', async () => {
    await expect(handler({ ...TRAIN_EVENT, kind: 'validation' as never })).rejects.toThrow(/kind must be 'train' or 'test', got "validation"/);
  });
});
