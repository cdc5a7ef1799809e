/**
 * S3 implementations of the data-preparation ports: GDELT objects read as streams, outputs written with multipart
 * uploads that become visible only when complete, small JSON manifests.
 */
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import type { SourceIdentity, SourceRef } from './data-manifest';
import type { DataStore, OutputObject, SourceReader } from './data-preparation';

/** lib-storage's minimum is 5 MiB; 8 MiB keeps part count low (10,000 parts = 80 GB) and memory small. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts uploaded concurrently per output; each holds one part in memory. */
export const DEFAULT_QUEUE_SIZE = 2;

export { newSourceS3Client } from './source-client';

function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
}

function sourceError(name: string, message: string, cause: unknown): Error {
  const error = new Error(message, { cause });
  error.name = name;
  return error;
}

export class S3SourceReader implements SourceReader {
  constructor(private readonly client: S3Client) {}

  describe(source: SourceRef): string {
    return s3Uri(source.bucket, source.key);
  }

  async identify(source: SourceRef): Promise<SourceIdentity> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }));
      return { bucket: source.bucket, key: source.key, eTag: head.ETag ?? '' };
    } catch (error) {
      throw this.translate(error, source);
    }
  }

  async open(source: SourceIdentity): Promise<Readable> {
    try {
      // IfMatch: the bytes read are exactly the version whose ETag goes into the manifest.
      const object = await this.client.send(new GetObjectCommand({
        Bucket: source.bucket, Key: source.key, ...(source.eTag ? { IfMatch: source.eTag } : {}),
      }));
      if (!(object.Body instanceof Readable)) {
        throw new Error(`S3 returned no readable body for ${this.describe(source)}`);
      }
      return object.Body;
    } catch (error) {
      throw this.translate(error, source);
    }
  }

  private translate(error: unknown, source: SourceRef): unknown {
    const uri = this.describe(source);
    if (isNotFound(error)) {
      return sourceError('SourceNotFound', `source object ${uri} does not exist; check the source bucket and key`, error);
    }
    if ((error as { name?: string }).name === 'PreconditionFailed') {
      return sourceError('SourceChanged', `source object ${uri} changed while it was being read; run the step again`, error);
    }
    return error;
  }
}

export interface S3DataStoreOptions {
  /** @default DEFAULT_PART_SIZE */
  readonly partSize?: number;
  /** @default DEFAULT_QUEUE_SIZE */
  readonly queueSize?: number;
}

export class S3DataStore implements DataStore {
  constructor(private readonly client: S3Client, private readonly bucket: string, private readonly options: S3DataStoreOptions = {}) {
    if (!bucket) throw new Error('the data bucket name is empty; set DATA_BUCKET');
  }

  uri(key: string): string {
    return s3Uri(this.bucket, key);
  }

  async readJson(key: string): Promise<unknown> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = await object.Body?.transformToString('utf8');
      return text === undefined ? undefined : JSON.parse(text);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (error instanceof SyntaxError) return undefined; // an unreadable manifest only means "rebuild"
      throw error;
    }
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    await this.client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: `${JSON.stringify(value, null, 2)}\n`, ContentType: 'application/json',
    }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  openOutput(key: string, contentType: string): OutputObject {
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: this.options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: this.options.queueSize ?? DEFAULT_QUEUE_SIZE,
    });
    const done = upload.done();
    // If the upload fails on its own, the writer must stop instead of waiting for a drain that never comes.
    done.catch((error: Error) => body.destroy(error));
    body.on('error', () => undefined); // reported through the featurizer's writes and through `done`
    return {
      stream: body,
      complete: async () => {
        body.end();
        await done;
      },
      abort: async (reason: Error) => {
        // Destroying with an error (never ending the body) makes lib-storage abort the multipart upload, or skip
        // the single PutObject of a small output, before `done` settles.
        body.destroy(reason);
        await done.catch(() => undefined);
      },
    };
  }
}
