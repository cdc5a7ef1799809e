/**
 * Scores the test CSV (or one byte range of it) against one endpoint and returns error sums,
 * so parts scored by a Map state combine exactly with `combineEvaluations`.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { requiredEnv } from './core/environment';
import { ByteRange, csvBatches, DEFAULT_MAX_BATCH_BYTES, readStartFor, validateByteRange, validateMaxBatchBytes } from './core/csv-batches';
import { combineSums, ErrorMetrics, ScorableBatch, scoreInOrder, toMetrics } from './core/metrics';

const s3 = new S3Client({});
// Retries are ours (below): bounded, with backoff, and testable; the SDK's own would multiply them.
const runtime = new SageMakerRuntimeClient({ maxAttempts: 1 });

export const DEFAULT_CONCURRENCY = 4;

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

export interface EvaluateEndpointResult {
  readonly variantName: string;
  readonly endpointName: string;
  readonly rowsScored: number;
  readonly sumSquaredError: number;
  readonly sumAbsoluteError: number;
  readonly mse: number | null;
  readonly mae: number | null;
  readonly batches: number;
}

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Throttling and transient service-side failures are retried. ModelError is not: it means the
 * model container rejected this body, and the same bytes would fail the same way again.
 */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException', 'ServiceUnavailable', 'InternalFailure', 'InternalDependencyException', 'ModelNotReadyException',
]);

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return RETRYABLE_ERRORS.has(e?.name ?? '') || status === 429 || status === 503;
}

/** Exponential backoff with full jitter, so concurrent requests do not retry in lockstep. */
async function withRetries<T>(attempt: () => Promise<T>, retry: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= retry.maxAttempts || !isRetryable(error)) throw error;
      await retry.sleep(Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (n - 1)));
    }
  }
}

/** Reads `{"predictions":[{"score":x},...]}` and checks there is one score per row sent. */
export function parsePredictions(endpointName: string, batch: ScorableBatch, body: Uint8Array | undefined): number[] {
  const text = Buffer.from(body ?? new Uint8Array()).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`endpoint ${endpointName} returned a body that is not JSON for batch ${batch.index}: ${text.slice(0, 200)}`);
  }
  const predictions = (parsed as { predictions?: unknown }).predictions;
  if (!Array.isArray(predictions)) {
    throw new Error(`endpoint ${endpointName} returned no "predictions" array for batch ${batch.index}: ${text.slice(0, 200)}`);
  }
  if (predictions.length !== batch.labels.length) {
    throw new Error(`endpoint ${endpointName} returned ${predictions.length} predictions for ${batch.labels.length} rows in batch ${batch.index}`);
  }
  return predictions.map((p: { score?: unknown }, i) => {
    if (typeof p?.score !== 'number' || !Number.isFinite(p.score)) {
      throw new Error(`endpoint ${endpointName} returned a non-numeric score at row ${i} of batch ${batch.index}: ${JSON.stringify(p)}`);
    }
    return p.score;
  });
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

function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} must be a non-empty string; got ${JSON.stringify(value)}`);
  return value;
}

export async function handler(event: EvaluateEndpointEvent): Promise<EvaluateEndpointResult> {
  const bucket = requiredEnv('DATA_BUCKET');
  const endpointName = requireText('endpointName', event.endpointName);
  const variantName = requireText('variantName', event.variantName);
  const testKey = requireText('testKey', event.testKey);
  const maxBatchBytes = event.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const concurrency = event.concurrency ?? DEFAULT_CONCURRENCY;
  validateMaxBatchBytes(maxBatchBytes);
  if (event.range) validateByteRange(event.range);

  const readStart = readStartFor(event.range);
  const object = await s3.send(new GetObjectCommand({
    Bucket: bucket,
    Key: testKey,
    // Open-ended: the last owned line may run past range.end; reading stops once it is complete.
    ...(event.range ? { Range: `bytes=${readStart}-` } : {}),
  }));
  const body = object.Body as unknown as AsyncIterable<Uint8Array> | undefined;
  if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new Error(`s3://${bucket}/${testKey} returned no readable body`);

  const batches = csvBatches(body, { maxBatchBytes, range: event.range, firstByteOffset: readStart });
  const sums = await scoreInOrder(batches, createEndpointScorer(endpointName), concurrency);
  if (!event.range && sums.rowsScored === 0) throw new Error(`s3://${bucket}/${testKey} has no test rows to score`);
  return { variantName, endpointName, ...toMetrics(sums) };
}

/** Adds up the parts of one variant's evaluation (one per byte range) into one result. */
export function combineEvaluations(parts: readonly EvaluateEndpointResult[]): EvaluateEndpointResult {
  if (parts.length === 0) throw new Error('combineEvaluations needs at least one part');
  const { variantName, endpointName } = parts[0];
  const stranger = parts.find((p) => p.variantName !== variantName || p.endpointName !== endpointName);
  if (stranger) {
    throw new Error(`cannot combine parts of different evaluations: ${variantName}/${endpointName} and ${stranger.variantName}/${stranger.endpointName}`);
  }
  const metrics: ErrorMetrics = toMetrics(combineSums(parts));
  return { variantName, endpointName, ...metrics };
}
