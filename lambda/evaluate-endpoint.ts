/**
 * Scores the test CSV against one variant's endpoint and returns error sums. The workflow scores the whole file in
 * one invocation; `range` is kept so a test set too large for one invocation can be split over a Map state, the parts
 * combining exactly with `combineEvaluations` (README, "Lambda sizing, from measured throughput").
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { requiredEnv } from './core/common/environment';
import { ByteRange, csvBatches, readStartFor } from './core/evaluation/csv-batches';
import { DEFAULT_RETRY, EvaluateEndpointResult, RetryOptions, parsePredictions, withRetries } from './core/evaluation/endpoint-scoring';
import { requireText } from './core/common/input-checks';
import { ScorableBatch, scoreInOrder, toMetrics } from './core/evaluation/metrics';
import { callS3 } from './core/common/s3-errors';
import type { VariantState } from './core/workflow/execution-state';

const s3 = new S3Client({});
// Retries are ours (core/endpoint-scoring): bounded, with backoff, and testable; the SDK's own would multiply them.
const runtime = new SageMakerRuntimeClient({ maxAttempts: 1 });

/** The variant's branch as it is once the endpoint is in service; the batch size and concurrency are the variant's. */
export interface EvaluateEndpointEvent extends Pick<VariantState, 'variant' | 'dataset'> {
  /** Score only the lines that start in [start, end) (bytes). */
  readonly range?: ByteRange;
}

export function createEndpointScorer(
  endpointName: string,
  retry: RetryOptions = DEFAULT_RETRY,
): (batch: ScorableBatch) => Promise<number[]> {
  return async (batch) => {
    const output = await withRetries(
      () =>
        runtime.send(
          new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'text/csv', Accept: 'application/json', Body: batch.body }),
        ),
      retry,
    );
    return parsePredictions(endpointName, batch, output.Body);
  };
}

/** The test CSV's bytes from `readStart`, read only once the batcher asks for them (after it has checked its options). */
async function* testCsvFrom(bucket: string, testKey: string, readStart: number, ranged: boolean): AsyncGenerator<Uint8Array> {
  const object = await callS3({ step: 'Evaluate endpoint', operation: 'GetObject', bucket, key: testKey }, () =>
    s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: testKey,
        // Open-ended: the last owned line may run past range.end; reading stops once it is complete.
        ...(ranged ? { Range: `bytes=${readStart}-` } : {}),
      }),
    ),
  );
  const body = object.Body as unknown as AsyncIterable<Uint8Array> | undefined;
  if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new Error(`s3://${bucket}/${testKey} returned no readable body`);
  yield* body;
}

export async function handler(event: EvaluateEndpointEvent): Promise<EvaluateEndpointResult> {
  const bucket = requiredEnv('DATA_BUCKET');
  const { variant, dataset, range } = event;
  const endpointName = requireText('variant.endpointName', variant?.endpointName);
  const variantName = requireText('variant.name', variant.name);
  const testKey = requireText('dataset.testKey', dataset?.testKey);

  // The plan validated the batch size and concurrency; the batcher checks the limits it relies on, before any read.
  const readStart = readStartFor(range);
  const chunks = testCsvFrom(bucket, testKey, readStart, range !== undefined);
  const batches = csvBatches(chunks, { maxBatchBytes: variant.evaluationBatchBytes, range, firstByteOffset: readStart });
  const sums = await scoreInOrder(batches, createEndpointScorer(endpointName), variant.evaluationConcurrency);
  if (!range && sums.rowsScored === 0) throw new Error(`s3://${bucket}/${testKey} has no test rows to score`);
  return { variantName, endpointName, ...toMetrics(sums) };
}
