import { withBackoff } from '../../../../lambda/core/common/backoff';

const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const isThrottled = (error: unknown): boolean => (error as Error).name === 'ThrottlingException';

function failingTimes(times: number, error: () => Error): jest.Mock {
  let calls = 0;
  return jest.fn(async () => {
    calls++;
    if (calls <= times) throw error();
    return 'done';
  });
}

describe('withBackoff', () => {
  it('doubles the wait after each retryable failure, up to the cap', async () => {
    // GIVEN a call throttled five times
    const waits: number[] = [];
    const call = failingTimes(5, throttled);

    // WHEN
    const result = await withBackoff(call, isThrottled, {
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 4000,
      jitter: false,
      sleep: async (ms) => void waits.push(ms),
    });

    // THEN
    expect(result).toBe('done');
    expect(waits).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('gives up after maxAttempts calls with the last error', async () => {
    const call = failingTimes(10, throttled);

    await expect(
      withBackoff(call, isThrottled, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: false, sleep: async () => undefined }),
    ).rejects.toThrow('Rate exceeded');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('does not retry an error that is not retryable', async () => {
    const call = failingTimes(1, () => new Error('AccessDenied'));

    await expect(
      withBackoff(call, isThrottled, { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1, jitter: false, sleep: async () => undefined }),
    ).rejects.toThrow('AccessDenied');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('waits a random share of the delay with jitter, never more than the delay', async () => {
    const waits: number[] = [];
    const call = failingTimes(3, throttled);

    await withBackoff(call, isThrottled, {
      maxAttempts: 6,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      jitter: true,
      sleep: async (ms) => void waits.push(ms),
    });

    expect(waits).toHaveLength(3);
    waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(100 * 2 ** index);
    });
  });
});
