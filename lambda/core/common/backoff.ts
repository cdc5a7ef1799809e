/** Retrying AWS calls that fail transiently: exponential backoff, bounded attempts, optional full jitter. */

export interface BackoffOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Wait a random share of the delay, so concurrent callers do not retry in lockstep. */
  readonly jitter: boolean;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls until it succeeds, the error is not retryable, or `maxAttempts` calls were made. */
export async function withBackoff<T>(
  call: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  options: BackoffOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.maxAttempts || !isRetryable(error)) throw error;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(options.jitter ? Math.random() * delay : delay);
    }
  }
}
