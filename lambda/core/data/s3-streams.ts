/**
 * S3 implementations of the data-preparation ports: outputs written with multipart uploads that become visible only
 * when complete, small JSON manifests. GDELT objects are read by source-client.ts.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough } from 'node:stream';
import type { DataStore, OutputObject, StoredObject } from './data-preparation';
import { callS3, isNotFound, s3RequestError } from '../common/s3-errors';

/** lib-storage's minimum is 5 MiB; 8 MiB keeps part count low (10,000 parts = 80 GB) and memory small. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts uploaded concurrently per output; each holds one part in memory. */
export const DEFAULT_QUEUE_SIZE = 2;

function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export interface S3DataStoreOptions {
  /** @default DEFAULT_PART_SIZE */
  readonly partSize?: number;
  /** @default DEFAULT_QUEUE_SIZE */
  readonly queueSize?: number;
}

/** The data bucket; `step` is the workflow state its errors name. */
export class S3DataStore implements DataStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly step: string,
    private readonly options: S3DataStoreOptions = {},
  ) {
    if (!bucket) throw new Error('the data bucket name is empty; set DATA_BUCKET');
  }

  private request(operation: string, key: string) {
    return { step: this.step, operation, bucket: this.bucket, key };
  }

  uri(key: string): string {
    return s3Uri(this.bucket, key);
  }

  async readJson(key: string): Promise<unknown> {
    let text: string | undefined;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      text = await object.Body?.transformToString('utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3RequestError(this.request('GetObject', key), error);
    }
    try {
      return text === undefined ? undefined : JSON.parse(text);
    } catch {
      return undefined; // an unreadable manifest only means "rebuild"
    }
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    await callS3(this.request('PutObject', key), () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: `${JSON.stringify(value, null, 2)}\n`,
          ContentType: 'application/json',
        }),
      ),
    );
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { lastModified: head.LastModified, bytes: head.ContentLength };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3RequestError(this.request('HeadObject', key), error);
    }
  }

  async readRange(key: string, start: number, end: number): Promise<AsyncIterable<Uint8Array>> {
    // HTTP ranges are inclusive.
    const object = await callS3(this.request('GetObject', key), () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` })),
    );
    if (!object.Body) throw s3RequestError(this.request('GetObject', key), new Error('the response has no body'));
    return object.Body as AsyncIterable<Uint8Array>;
  }

  openOutput(key: string, contentType: string): OutputObject {
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: this.options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: this.options.queueSize ?? DEFAULT_QUEUE_SIZE,
    });
    const done = upload.done().catch((error: unknown) => {
      throw s3RequestError(this.request('multipart upload', key), error);
    });
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
