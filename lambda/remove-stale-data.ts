/**
 * Workflow task, after the data is prepared and before training: deletes objects under the train and validation
 * prefixes that the current trainingYears did not produce, so SageMaker cannot read an earlier run's years.
 * Event: { dataPrefix, trainingYears }. Env: DATA_BUCKET.
 */
import { DeleteObjectsCommand, paginateListObjectsV2, S3Client, type _Error as S3Error } from '@aws-sdk/client-s3';
import { requiredEnv } from './core/environment';
import {
  channelPrefix,
  deleteBatches,
  parseRemoveStaleDataRequest,
  PREFIX_READ_CHANNELS,
  staleKeys,
} from './core/stale-data';

const s3 = new S3Client({});

/** Keys named in a failure message; the rest are counted, so the message stays readable in the console. */
const MAX_KEYS_IN_ERROR = 20;

export interface RemoveStaleDataEvent {
  readonly dataPrefix: string;
  readonly trainingYears: number[];
}

export interface RemoveStaleDataResult {
  readonly removed: string[];
}

async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
  }
  return keys;
}

function deleteFailure(bucket: string, errors: S3Error[]): Error {
  const named = errors.slice(0, MAX_KEYS_IN_ERROR).map((error) => `${error.Key} (${error.Code}: ${error.Message})`);
  const more = errors.length > MAX_KEYS_IN_ERROR ? ` and ${errors.length - MAX_KEYS_IN_ERROR} more` : '';
  return new Error(
    `Could not delete ${errors.length} stale object(s) from s3://${bucket}, so training could read old data: ${named.join(', ')}${more}`,
  );
}

export async function handler(event: RemoveStaleDataEvent): Promise<RemoveStaleDataResult> {
  const request = parseRemoveStaleDataRequest(event);
  const bucket = requiredEnv('DATA_BUCKET');

  const listed: string[] = [];
  for (const channel of PREFIX_READ_CHANNELS) listed.push(...(await listKeys(bucket, channelPrefix(request.dataPrefix, channel))));
  const stale = staleKeys(listed, request.dataPrefix, request.trainingYears);

  // Every batch is tried before failing, so one error message names everything left behind; a retry is safe
  // because deleting a key that is already gone succeeds.
  const errors: S3Error[] = [];
  for (const batch of deleteBatches(stale)) {
    const response = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    errors.push(...(response.Errors ?? []));
  }
  if (errors.length > 0) throw deleteFailure(bucket, errors);
  return { removed: stale };
}
