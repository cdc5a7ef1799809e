import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { GDELT_BUCKET, gdeltKey } from '../../lambda/core/data/gdelt-source';
import { s3Body } from '../lambda/s3-test-helpers';

async function bytesOf(body: unknown): Promise<Buffer> {
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
  throw new Error(`Unsupported body ${typeof body}`);
}

/** `bytes=a-b` or `bytes=a-`, inclusive, as S3 reads it. */
function slice(bytes: Buffer, range: string | undefined): Buffer {
  const match = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
  if (!match) return bytes;
  return bytes.subarray(Number(match[1]), match[2] ? Number(match[2]) + 1 : undefined);
}

/**
 * An in-memory S3 for whole-workflow runs: objects, multipart uploads, ranges, ETags (and IfMatch), last-modified
 * times, and not-found errors. `writtenAt` records when each object was last written; `now` is the clock writes use.
 */
export function fakeS3(initial: Record<string, string | Buffer> = {}, now: () => Date = () => new Date()) {
  const s3 = mockClient(S3Client);
  const objects = new Map<string, Buffer>(Object.entries(initial).map(([uri, body]) => [uri, Buffer.from(body)]));
  const writtenAt = new Map<string, Date>([...objects.keys()].map((uri) => [uri, now()]));
  const store = (uri: string, bytes: Buffer): void => {
    objects.set(uri, bytes);
    writtenAt.set(uri, now());
  };
  const preconditionFailed = () =>
    Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  let uploadCount = 0;
  const key = (input: { Bucket?: string; Key?: string }): string => `s3://${input.Bucket}/${input.Key}`;
  const etag = (bytes: Buffer): string => `"${createHash('md5').update(bytes).digest('hex')}"`;
  const missing = (input: { Bucket?: string; Key?: string }) =>
    new NoSuchKey({ message: `The specified key does not exist: ${key(input)}`, $metadata: { httpStatusCode: 404 } });

  s3.on(HeadObjectCommand).callsFake(async (input) => {
    const bytes = objects.get(key(input));
    if (!bytes) throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    return { ETag: etag(bytes), ContentLength: bytes.length, LastModified: writtenAt.get(key(input)) };
  });
  s3.on(GetObjectCommand).callsFake(async (input) => {
    const bytes = objects.get(key(input));
    if (!bytes) throw missing(input);
    if (input.IfMatch !== undefined && input.IfMatch !== etag(bytes)) throw preconditionFailed();
    const body = slice(bytes, input.Range);
    return { ETag: etag(bytes), ContentLength: body.length, Body: s3Body(body) };
  });
  s3.on(PutObjectCommand).callsFake(async (input) => {
    const bytes = await bytesOf(input.Body);
    store(key(input), bytes);
    return { ETag: etag(bytes) };
  });
  s3.on(DeleteObjectCommand).callsFake(async (input) => {
    objects.delete(key(input));
    return {};
  });
  s3.on(DeleteObjectsCommand).callsFake(async (input) => {
    for (const { Key } of input.Delete?.Objects ?? []) objects.delete(key({ Bucket: input.Bucket, Key }));
    return { Errors: [] };
  });
  s3.on(ListObjectsV2Command).callsFake(async (input) => {
    const prefix = `s3://${input.Bucket}/${input.Prefix ?? ''}`;
    const keys = [...objects.keys()].filter((uri) => uri.startsWith(prefix)).sort();
    return { Contents: keys.map((uri) => ({ Key: uri.slice(`s3://${input.Bucket}/`.length) })), IsTruncated: false, KeyCount: keys.length };
  });
  s3.on(CreateMultipartUploadCommand).callsFake(async (input) => {
    // Never reused, so concurrent executions' uploads cannot be mixed up.
    const uploadId = `upload-${(uploadCount += 1)}`;
    uploads.set(uploadId, { key: key(input), parts: new Map() });
    return { UploadId: uploadId, Bucket: input.Bucket, Key: input.Key };
  });
  s3.on(UploadPartCommand).callsFake(async (input) => {
    const bytes = await bytesOf(input.Body);
    uploads.get(input.UploadId!)!.parts.set(input.PartNumber!, bytes);
    return { ETag: etag(bytes) };
  });
  s3.on(CompleteMultipartUploadCommand).callsFake(async (input) => {
    const upload = uploads.get(input.UploadId!)!;
    const bytes = Buffer.concat([...upload.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part));
    store(upload.key, bytes);
    uploads.delete(input.UploadId!);
    return { ETag: etag(bytes) };
  });
  s3.on(AbortMultipartUploadCommand).callsFake(async (input) => {
    uploads.delete(input.UploadId!);
    return {};
  });
  return { s3, objects, uploads, writtenAt };
}

/** The real GDELT rows of the fixture, as every source year the default settings read (training 1979–1983, test 1984). */
export function fakeGdeltS3(years: readonly number[] = [1979, 1980, 1981, 1982, 1983, 1984]): ReturnType<typeof fakeS3> {
  const rows = readFileSync(path.join(__dirname, '..', 'fixtures', 'events-sample.tsv'));
  return fakeS3(Object.fromEntries(years.map((year) => [`s3://${GDELT_BUCKET}/${gdeltKey(year)}`, rows])));
}
