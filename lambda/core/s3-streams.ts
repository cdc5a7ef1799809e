/**
 * S3 implementations of the data-preparation ports: GDELT objects read as streams, outputs written with multipart
 * uploads that become visible only when complete, small JSON manifests.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import type { SourceIdentity, SourceRef } from './data-manifest';
import type { DataStore, OutputObject, SourceReader, StoredObject } from './data-preparation';
import { callS3, isNotFound, s3RequestError, StatusMeanings } from './s3-errors';

/** lib-storage's minimum is 5 MiB; 8 MiB keeps part count low (10,000 parts = 80 GB) and memory small. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts uploaded concurrently per output; each holds one part in memory. */
export const DEFAULT_QUEUE_SIZE = 2;

/** The GDELT bucket is in us-east-1; following redirects also lets a source bucket elsewhere work. */
export function newSourceS3Client(): S3Client {
  return new S3Client({ region: 'us-east-1', followRegionRedirects: true });
}

function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** What a source object's 404 and 412 mean to the data tasks. */
const SOURCE_STATUS: StatusMeanings = {
  404: { name: 'SourceNotFound', hint: 'the source object does not exist; check the year and the source bucket' },
  412: { name: 'SourceChanged', hint: 'the source object changed after the dataset was named from its ETag; start the execution again' },
};

/** Reads GDELT objects; `step` is the workflow state its errors name. */
export class S3SourceReader implements SourceReader {
  constructor(private readonly client: S3Client, private readonly step: string) {}

  describe(source: SourceRef): string {
    return s3Uri(source.bucket, source.key);
  }

  async identify(source: SourceRef): Promise<SourceIdentity> {
    const head = await callS3(
      { step: this.step, operation: 'HeadObject', bucket: source.bucket, key: source.key },
      () => this.client.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key })),
      SOURCE_STATUS,
    );
    return { bucket: source.bucket, key: source.key, eTag: head.ETag ?? '' };
  }

  async open(source: SourceIdentity): Promise<Readable> {
    // IfMatch: the bytes read are exactly the version whose ETag names the dataset and goes into the manifest.
    const object = await callS3(
      { step: this.step, operation: 'GetObject', bucket: source.bucket, key: source.key },
      () => this.client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, ...(source.eTag ? { IfMatch: source.eTag } : {}) })),
      SOURCE_STATUS,
    );
    if (!(object.Body instanceof Readable)) throw new Error(`${this.step}: S3 returned no readable body for ${this.describe(source)}`);
    return object.Body;
  }
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
    await callS3(this.request('PutObject', key), () => this.client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: `${JSON.stringify(value, null, 2)}\n`, ContentType: 'application/json',
    })));
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { lastModified: head.LastModified };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3RequestError(this.request('HeadObject', key), error);
    }
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
