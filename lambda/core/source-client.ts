/** The S3 client for the public source data; its own module so a task can use it without the upload code. */
import { S3Client } from '@aws-sdk/client-s3';

/** The GDELT bucket is in us-east-1; following redirects also lets a source bucket elsewhere work. */
export function newSourceS3Client(): S3Client {
  return new S3Client({ region: 'us-east-1', followRegionRedirects: true });
}
