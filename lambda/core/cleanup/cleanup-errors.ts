/**
 * What the clean-up steps share: SageMaker's "not found" answers, throttling retries, the aggregated error, the
 * bound on passes over endpoints still being created.
 */
import { ResourceKind, describeKind } from '../sagemaker/resource-kind';
import { defaultSleep, withBackoff } from '../common/backoff';
import { errorParts } from '../common/errors';

/**
 * SageMaker refuses to delete an endpoint being created (10+ minutes): a clean-up that finds one runs again after a
 * minute, and half an hour of such passes covers it with a margin.
 * The state machines' clean-up loops count their passes against it; no SDK is loaded to read it at synth.
 */
export const MAX_CLEAN_UP_ATTEMPTS = 30;

export interface CleanUpFailure {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly error: string;
}

/** Thrown after every step was tried, when at least one resource could not be removed and may still bill. */
export class CleanUpError extends Error {
  constructor(public readonly failures: readonly CleanUpFailure[]) {
    super(
      `Clean-up failed for ${failures.length} resource(s) that may still be billing: ` +
        failures.map((failure) => `${describeKind(failure.kind)} ${failure.name} (${failure.error})`).join('; '),
    );
    // Step Functions sees this as the error type, so a Catch can match it.
    this.name = 'CleanUpFailed';
  }
}

// What SageMaker answers for a resource that does not exist: a ValidationException with a message naming the kind,
// e.g. `Could not find endpoint "arn:aws:sagemaker:...:endpoint/x".` and, for DescribeTrainingJob,
// `Requested resource not found.` (even though the API model declares ResourceNotFound; accept both).
const NOT_FOUND_MESSAGES: Record<ResourceKind, RegExp> = {
  endpoint: /Could not find endpoint "/i,
  endpointConfig: /Could not find endpoint configuration "/i,
  model: /Could not find model "/i,
  trainingJob: /Requested resource not found/i,
};

export function isAlreadyGone(kind: ResourceKind, error: unknown): boolean {
  const { name, message } = errorParts(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return true;
  return name === 'ValidationException' && NOT_FOUND_MESSAGES[kind].test(message);
}

/**
 * StopTrainingJob on a job that ended between Describe and Stop answers
 * `The request was rejected because the training job is in status Stopped.`; returns that status.
 */
export function endedJobStatus(error: unknown): string | undefined {
  const { name, message } = errorParts(error);
  if (name !== 'ValidationException') return undefined;
  return /training job is in status (\w+)/i.exec(message)?.[1];
}

export function isThrottling(error: unknown): boolean {
  const { name } = errorParts(error);
  const retryable = (error as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable;
  return name === 'ThrottlingException' || name === 'TooManyRequestsException' || retryable?.throttling === true;
}

/** SageMaker List* calls allow about 2 requests/s; retry throttled calls with exponential backoff. */
export function withThrottlingRetry<T>(
  call: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = defaultSleep,
  maxAttempts = 6,
): Promise<T> {
  return withBackoff(call, isThrottling, { maxAttempts, baseDelayMs: 500, maxDelayMs: 8000, sleep, jitter: false });
}
