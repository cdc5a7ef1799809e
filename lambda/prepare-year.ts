/**
 * Workflow task: transform one GDELT year into RecordIO-protobuf (train + validation, or test + test CSV).
 * Event: one of the work items "Identify dataset" returns, as it is. Env: DATA_BUCKET.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv } from './core/common/environment';
import { prepareYear, PrepareYearRequest, PrepareYearResult } from './core/data/data-preparation';
import { logProgress } from './core/data/transform/featurize-stream';
import { S3DataStore } from './core/data/s3-streams';
import { newSourceS3Client, S3SourceReader } from './core/data/source-client';

const sourceClient = newSourceS3Client();
const dataClient = new S3Client({});
/** The workflow state this handler runs as, named in its errors. */
const STEP = 'Prepare year';

export async function handler(event: PrepareYearRequest): Promise<PrepareYearResult> {
  const store = new S3DataStore(dataClient, requiredEnv('DATA_BUCKET'), STEP);
  return prepareYear({ store, sources: new S3SourceReader(sourceClient, STEP), onProgress: logProgress }, event);
}
