/**
 * Scores the test CSV against one endpoint and returns error sums. The workflow scores the whole file in one
 * invocation; `range` is kept so a test set too large for one invocation can be split over a Map state, the parts
 * combining exactly with `combineEvaluations` (README, "Lambda sizing, from measured throughput").
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { requiredEnv } from './core/shared/environment';
import { ByteRange, csvBatches, readStartFor, validateByteRange, validateMaxBatchBytes } from './core/evaluation/csv-batches';
import { WORKSHOP_DEFAULTS } from './core/experiment/settings';
import {
  DEFAULT_RETRY,
  EvaluateEndpointResult,
  RetryOptions,
  parsePredictions,
  withRetries,
} from './core/evaluation/endpoint-scoring';
import { requireText } from './core/shared/input-checks';
import { ScorableBatch, scoreInOrder, toMetrics } from './core/evaluation/metrics';
import { callS3 } from './core/shared/s3-errors';


const s3 = new S3Client({});
// Retries are ours (core/endpoint-scoring): bounded, with backoff, and testable; the SDK's own would multiply them.
const runtime = new SageMakerRuntimeClient({ maxAttempts: 1 });

export interface EvaluateEndpointEvent {
  readonly endpointName: string;
  readonly variantName: string;
  /** Key of the test CSV in DATA_BUCKET. */
  readonly testKey: string;
  readonly maxBatchBytes?: number;
  readonly concurrency?: number;
  /** Score only the lines that start in [start, end) (bytes). */
  readonly range?: ByteRange;
}

export function createEndpointScorer(endpointName: string, retry: RetryOptions = DEFAULT_RETRY): (batch: ScorableBatch) => Promise<number[]> {
  return async (batch) => {
    const output = await withRetries(
      () => runtime.send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'text/csv', Accept: 'application/json', Body: batch.body })),
      retry,
    );
    return parsePredictions(endpointName, batch, output.Body);
  };
}

export async function handler(event: EvaluateEndpointEvent): Promise<EvaluateEndpointResult> {
  const bucket = requiredEnv('DATA_BUCKET');
  const endpointName = requireText('endpointName', event.endpointName);
  const variantName = requireText('variantName', event.variantName);
  const testKey = requireText('testKey', event.testKey);
  const maxBatchBytes = event.maxBatchBytes ?? WORKSHOP_DEFAULTS.evaluationBatchBytes;
  const concurrency = event.concurrency ?? WORKSHOP_DEFAULTS.evaluationConcurrency;
  validateMaxBatchBytes(maxBatchBytes);
  if (event.range) validateByteRange(event.range);

  const readStart = readStartFor(event.range);
  const object = await callS3({ step: 'Evaluate endpoint', operation: 'GetObject', bucket, key: testKey }, () => s3.send(new GetObjectCommand({
    Bucket: bucket,
    Key: testKey,
    // Open-ended: the last owned line may run past range.end; reading stops once it is complete.
    ...(event.range ? { Range: `bytes=${readStart}-` } : {}),
  })));
  const body = object.Body as unknown as AsyncIterable<Uint8Array> | undefined;
  if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new Error(`s3://${bucket}/${testKey} returned no readable body`);

  const batches = csvBatches(body, { maxBatchBytes, range: event.range, firstByteOffset: readStart });
  const sums = await scoreInOrder(batches, createEndpointScorer(endpointName), concurrency);
  if (!event.range && sums.rowsScored === 0) throw new Error(`s3://${bucket}/${testKey} has no test rows to score`);
  return { variantName, endpointName, ...toMetrics(sums) };
}
