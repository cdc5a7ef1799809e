/**
 * Scoring a test set on an endpoint, apart from the AWS calls: the result shape, retries with backoff for transient
 * failures, reading the endpoint's JSON answer, and combining the parts of a split evaluation.
 */
import { BackoffOptions, defaultSleep, withBackoff } from '../common/backoff';
import { combineSums, ErrorMetrics, ScorableBatch, toMetrics } from './metrics';

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

/** Backoff for InvokeEndpoint; always with jitter, since batches are in flight concurrently. */
export type RetryOptions = Omit<BackoffOptions, 'jitter'>;

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  sleep: defaultSleep,
};

/**
 * Throttling and transient service-side failures are retried. ModelError is not: it means the
 * model container rejected this body, and the same bytes would fail the same way again.
 */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalDependencyException',
  'ModelNotReadyException',
]);

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return RETRYABLE_ERRORS.has(e?.name ?? '') || status === 429 || status === 503;
}

/** Exponential backoff with full jitter, so concurrent requests do not retry in lockstep. */
export function withRetries<T>(attempt: () => Promise<T>, retry: RetryOptions): Promise<T> {
  return withBackoff(attempt, isRetryable, { ...retry, jitter: true });
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
    throw new Error(
      `endpoint ${endpointName} returned ${predictions.length} predictions for ${batch.labels.length} rows in batch ${batch.index}`,
    );
  }
  return predictions.map((p: { score?: unknown }, i) => {
    if (typeof p?.score !== 'number' || !Number.isFinite(p.score)) {
      throw new Error(`endpoint ${endpointName} returned a non-numeric score at row ${i} of batch ${batch.index}: ${JSON.stringify(p)}`);
    }
    return p.score;
  });
}

/** Adds up the parts of one variant's evaluation (one per byte range) into one result. */
export function combineEvaluations(parts: readonly EvaluateEndpointResult[]): EvaluateEndpointResult {
  if (parts.length === 0) throw new Error('combineEvaluations needs at least one part');
  const { variantName, endpointName } = parts[0];
  const stranger = parts.find((p) => p.variantName !== variantName || p.endpointName !== endpointName);
  if (stranger) {
    throw new Error(
      `cannot combine parts of different evaluations: ${variantName}/${endpointName} and ${stranger.variantName}/${stranger.endpointName}`,
    );
  }
  const metrics: ErrorMetrics = toMetrics(combineSums(parts));
  return { variantName, endpointName, ...metrics };
}
