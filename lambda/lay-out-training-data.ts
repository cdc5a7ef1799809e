/**
 * Workflow task, after every year is prepared: the objects of the train channel. With `trainShards: N` it first
 * writes the N near-equal shards the dataset lacks, cut by byte range from the per-year training objects.
 * Event: the `trainLayout` work item "Identify dataset" returns, as it is. Env: DATA_BUCKET.
 * Returns the train channel's objects (key and size), in key order.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv } from './core/common/environment';
import { S3DataStore } from './core/data/s3-streams';
import { layOutTrainingData, LayOutTrainingRequest, TrainObject } from './core/data/train-shards';

const client = new S3Client({});
/** The workflow state this handler runs as, named in its errors. */
const STEP = 'Lay out training data';

export async function handler(event: LayOutTrainingRequest): Promise<TrainObject[]> {
  return layOutTrainingData({ store: new S3DataStore(client, requiredEnv('DATA_BUCKET'), STEP) }, event);
}
