/**
 * Reading the public source data: the S3 client and the reader of GDELT objects, in their own module so a task can
 * use them without the upload code (lib-storage, which the Lambda runtime does not ship).
 */
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { SourceIdentity, SourceRef } from './data-manifest';
import type { SourceReader } from './data-preparation';
import { callS3, StatusMeanings } from '../common/s3-errors';

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
  constructor(
    private readonly client: S3Client,
    private readonly step: string,
  ) {}

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
      () =>
        this.client.send(
          new GetObjectCommand({ Bucket: source.bucket, Key: source.key, ...(source.eTag ? { IfMatch: source.eTag } : {}) }),
        ),
      SOURCE_STATUS,
    );
    if (!(object.Body instanceof Readable)) throw new Error(`${this.step}: S3 returned no readable body for ${this.describe(source)}`);
    return object.Body;
  }
}
