import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { handler } from '../../lambda/prepare-year';
import { failingAfter, FIXTURE_CODES, FIXTURE_TEXT, keptRows, s3Body } from './s3-test-helpers';

const s3 = mockClient(S3Client);
const SOURCE = { bucket: 'gdelt-open-data', key: 'events/1979.csv', eTag: '"source-etag"' };
const PREFIX = 'sagemaker/data_distribution_types/datasets/0123456789abcdef';
const TRAIN_EVENT = {
  source: SOURCE,
  year: 1979,
  kind: 'train' as const,
  codes: FIXTURE_CODES,
  validationPercent: 10,
  maxMalformedShare: 0.5,
  dataPrefix: PREFIX,
};
/** Rows enough for a train output over one 8 MiB part, with margin: ~81,000 kept rows x 144 bytes = 11 MiB. */
const MULTIPART_ROWS = 90000;

function notFound(): Error {
  return new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
}

function givenSource(body: Readable | string, eTag = '"source-etag"'): void {
  s3.on(GetObjectCommand, { Bucket: SOURCE.bucket }).callsFake(() => ({ ETag: eTag, Body: s3Body(body) }));
}

/** The data bucket as a rerun finds it: the manifest of an earlier run, and every object written at `writtenAt`. */
function givenPrepared(manifest: string, writtenAt: Date): void {
  s3.on(GetObjectCommand, { Bucket: 'data-bucket', Key: `${PREFIX}/manifests/1979.json` }).callsFake(() => ({ Body: s3Body(manifest) }));
  s3.on(HeadObjectCommand, { Bucket: 'data-bucket' }).resolves({ LastModified: writtenAt });
}

async function firstRunManifest(): Promise<string> {
  givenSource(FIXTURE_TEXT);
  await handler(TRAIN_EVENT);
  const manifest = s3.commandCalls(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` })[0].args[0].input.Body as string;
  s3.resetHistory();
  return manifest;
}

const DAY_MS = 24 * 3600 * 1000;

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
  const parts = s3
    .commandCalls(UploadPartCommand, { Key: key })
    .map((call) => call.args[0].input)
    .sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0))
    .map((input) => Buffer.from(input.Body as Uint8Array));
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
      year: 1979,
      kind: 'train',
      skipped: false,
      outputs: [`s3://data-bucket/${trainKey}`, `s3://data-bucket/${PREFIX}/validation/1979.data`],
    });
  });

  it('reads the source only if it still has the ETag that named the dataset', async () => {
    givenSource(FIXTURE_TEXT);
    await handler(TRAIN_EVENT);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket, Key: SOURCE.key, IfMatch: '"source-etag"' });
    expect(s3).not.toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: SOURCE.bucket });
  });

  it('fails with SourceChanged and writes nothing when the source has other bytes than the dataset was named from', async () => {
    // GIVEN GDELT replaced the object after "Identify dataset": S3 answers the IfMatch read with 412
    s3.on(GetObjectCommand, { Bucket: SOURCE.bucket }).rejects(
      Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
        name: 'PreconditionFailed',
        $metadata: { httpStatusCode: 412 },
      }),
    );
    // WHEN / THEN
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'SourceChanged',
      message: expect.stringMatching(
        /^Prepare year: S3 GetObject s3:\/\/gdelt-open-data\/events\/1979.csv failed with HTTP 412 PreconditionFailed: the source object changed/,
      ),
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3).not.toHaveReceivedCommand(CreateMultipartUploadCommand);
  });

  it('rejects a work item without the source ETag, naming the field', async () => {
    await expect(handler({ ...TRAIN_EVENT, source: { ...SOURCE, eTag: '' } })).rejects.toThrow(
      /source.eTag must be the ETag that named the dataset/,
    );
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
      name: 'NotGdeltData',
      message: expect.stringMatching(/s3:\/\/gdelt-open-data\/events\/1979.csv does not look like GDELT.*3 of 3 rows/),
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('fails with SourceNotFound naming the step, the object and the status when the source does not exist', async () => {
    s3.on(GetObjectCommand, { Bucket: SOURCE.bucket }).rejects(notFound());
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'SourceNotFound',
      message:
        'Prepare year: S3 GetObject s3://gdelt-open-data/events/1979.csv failed with HTTP 404 NoSuchKey: the source object does not exist; ' +
        'check the year and the source bucket; The specified key does not exist.',
    });
  });

  it('names the step, the object and the status when the data bucket refuses a HEAD, which has no error body', async () => {
    // GIVEN a manifest to check the objects of, and HEADs answered 403 with no body: the SDK can only call that Unknown
    const manifest = await firstRunManifest();
    givenPrepared(manifest, new Date());
    s3.on(HeadObjectCommand, { Bucket: 'data-bucket' }).rejects(
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } }),
    );
    // WHEN / THEN
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'AccessDenied',
      message:
        `Prepare year: S3 HeadObject s3://data-bucket/${PREFIX}/manifests/1979.json failed with HTTP 403 AccessDenied: ` +
        'S3 sends no error details in reply to a HEAD request',
    });
  });

  it('skips the work when the manifest matches and the outputs exist', async () => {
    // GIVEN a first run's manifest and outputs, written a day ago
    const manifest = await firstRunManifest();
    const firstCounts = JSON.parse(manifest).counts;
    givenPrepared(manifest, new Date(Date.now() - DAY_MS));
    // WHEN
    const second = await handler({ ...TRAIN_EVENT, retentionDays: 30 });
    // THEN
    expect(second).toMatchObject({ skipped: true, counts: firstCounts });
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('rebuilds a year whose objects would expire within two days, so it never expires under a running execution', async () => {
    // GIVEN objects written 28.5 days ago in a bucket that expires them after 30 days
    const manifest = await firstRunManifest();
    givenSource(FIXTURE_TEXT);
    givenPrepared(manifest, new Date(Date.now() - 28.5 * DAY_MS));
    // WHEN
    const result = await handler({ ...TRAIN_EVENT, retentionDays: 30 });
    // THEN every object is written again, which restarts its expiry
    expect(result.skipped).toBe(false);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket, IfMatch: '"source-etag"' });
  });

  it('reuses a year written 27 days ago in a bucket that expires objects after 30 days', async () => {
    const manifest = await firstRunManifest();
    givenPrepared(manifest, new Date(Date.now() - 27 * DAY_MS));
    const result = await handler({ ...TRAIN_EVENT, retentionDays: 30 });
    expect(result.skipped).toBe(true);
  });

  it('rebuilds a year whose manifest is there but an output is gone, deleting nothing', async () => {
    // GIVEN the manifest exists, but validation/1979.data does not
    const manifest = await firstRunManifest();
    givenSource(FIXTURE_TEXT);
    givenPrepared(manifest, new Date());
    s3.on(HeadObjectCommand, { Bucket: 'data-bucket', Key: `${PREFIX}/validation/1979.data` }).rejects(
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    // WHEN
    const result = await handler(TRAIN_EVENT);
    // THEN
    expect(result.skipped).toBe(false);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
  });

  it('keeps the outputs that completed when another fails to, and writes no manifest', async () => {
    // GIVEN a source small enough for single PutObjects, where the validation output's PUT fails
    givenSource(FIXTURE_TEXT);
    s3.on(PutObjectCommand, { Key: `${PREFIX}/validation/1979.data` }).rejects(
      Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
    );
    // WHEN
    await expect(handler(TRAIN_EVENT)).rejects.toMatchObject({
      name: 'InternalError',
      message: expect.stringMatching(
        /^Prepare year: S3 multipart upload s3:\/\/data-bucket\/.*\/validation\/1979.data failed with HTTP 500 InternalError/,
      ),
    });
    // THEN the train output, correct and possibly in use by another execution of this dataset, stays
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/train/1979.data` });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(s3).not.toHaveReceivedCommandWith(PutObjectCommand, { Key: `${PREFIX}/manifests/1979.json` });
  });

  it('rejects a request with an invalid kind, naming the field', async () => {
    await expect(handler({ ...TRAIN_EVENT, kind: 'validation' as never })).rejects.toThrow(
      /kind must be 'train' or 'test', got "validation"/,
    );
  });
});
