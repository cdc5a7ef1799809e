/**
 * Workflow task: count the event codes of the first year and return the 20 most frequent (the one-hot columns).
 * Event: { source: { bucket, key }, year, dataPrefix, maxMalformedShare }. Env: DATA_BUCKET.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv } from './core/common/environment';
import { profileEventCodes, ProfileEventCodesRequest, ProfileEventCodesResult } from './core/data/data-preparation';
import { logProgress } from './core/data/transform/featurize-stream';
import { S3DataStore } from './core/data/s3-streams';
import { newSourceS3Client, S3SourceReader } from './core/data/source-client';

const sourceClient = newSourceS3Client();
const dataClient = new S3Client({});
/** The workflow state this handler runs as, named in its errors. */
const STEP = 'Profile event codes';

export async function handler(event: ProfileEventCodesRequest): Promise<ProfileEventCodesResult> {
  const store = new S3DataStore(dataClient, requiredEnv('DATA_BUCKET'), STEP);
  return profileEventCodes({ store, sources: new S3SourceReader(sourceClient, STEP), onProgress: logProgress }, event);
}
