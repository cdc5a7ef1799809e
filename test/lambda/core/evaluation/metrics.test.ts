import { addBatch, combineSums, NO_ERRORS, ScorableBatch, scoreInOrder, toMetrics } from '../../../../lambda/core/evaluation/metrics';

function batch(index: number, labels: number[]): ScorableBatch {
  return { index, labels, body: Buffer.from(labels.map(String).join('\n')) };
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('error metrics', () => {
  it('computes MSE and MAE of a known set', () => {
    // GIVEN errors 0.5, 0, -1, 2: squares sum to 5.25, absolutes to 3.5
    // WHEN
    const metrics = toMetrics(addBatch(NO_ERRORS, [1, 2, 3, 4], [1.5, 2, 2, 6]));
    // THEN
    expect(metrics.rowsScored).toBe(4);
    expect(metrics.sumSquaredError).toBeCloseTo(5.25, 12);
    expect(metrics.sumAbsoluteError).toBeCloseTo(3.5, 12);
    expect(metrics.mse).toBeCloseTo(1.3125, 12);
    expect(metrics.mae).toBeCloseTo(0.875, 12);
  });

  it('gives the same metrics when the rows are split into parts and combined', () => {
    // GIVEN the same rows in two parts
    const first = addBatch(NO_ERRORS, [1, 2], [1.5, 2]);
    const second = addBatch(NO_ERRORS, [3, 4], [2, 6]);
    // WHEN
    const combined = toMetrics(combineSums([first, second]));
    // THEN
    expect(combined.mse).toBeCloseTo(1.3125, 12);
    expect(combined.mae).toBeCloseTo(0.875, 12);
    expect(combined.batches).toBe(2);
  });

  it('has no MSE or MAE when no row was scored', () => {
    // GIVEN / WHEN
    const metrics = toMetrics(NO_ERRORS);
    // THEN
    expect(metrics.mse).toBeNull();
    expect(metrics.mae).toBeNull();
  });

  it('refuses labels and predictions that do not pair up', () => {
    // GIVEN / WHEN / THEN
    expect(() => addBatch(NO_ERRORS, [1, 2], [1])).toThrow(/cannot pair 2 labels with 1 predictions/);
  });
});

describe('scoreInOrder', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    // GIVEN a scorer that records how many calls are pending at once
    let pending = 0;
    let peak = 0;
    const score = async (b: ScorableBatch): Promise<number[]> => {
      pending += 1;
      peak = Math.max(peak, pending);
      await new Promise<void>((resolve) => setImmediate(resolve));
      pending -= 1;
      return Array.from(b.labels);
    };
    const batches = Array.from({ length: 10 }, (_, i) => batch(i, [i]));
    // WHEN
    const sums = await scoreInOrder(from(batches), score, 3);
    // THEN
    expect(peak).toBe(3);
    expect(sums.batches).toBe(10);
    expect(sums.rowsScored).toBe(10);
  });

  it('pairs each batch with its own predictions when responses arrive out of order', async () => {
    // GIVEN later batches answering first; each prediction is label + 1, so every error is exactly 1
    const resolvers: Array<() => void> = [];
    const score = (b: ScorableBatch): Promise<number[]> =>
      new Promise((resolve) => resolvers.push(() => resolve(Array.from(b.labels, (l) => l + 1))));
    const batches = [batch(0, [1, 2]), batch(1, [3]), batch(2, [4, 5, 6])];
    // WHEN the three calls are answered newest first
    const result = scoreInOrder(from(batches), score, 3);
    await new Promise<void>((resolve) => setImmediate(resolve));
    [...resolvers].reverse().forEach((resolve) => resolve());
    const sums = await result;
    // THEN
    expect(sums).toEqual({ rowsScored: 6, sumSquaredError: 6, sumAbsoluteError: 6, batches: 3 });
  });

  it('fails when a batch gets a different number of predictions than rows', async () => {
    // GIVEN / WHEN / THEN
    await expect(scoreInOrder(from([batch(0, [1, 2, 3])]), async () => [1], 2)).rejects.toThrow(/batch 0: got 1 predictions for 3 rows/);
  });

  it('passes on a failed request', async () => {
    // GIVEN / WHEN / THEN
    await expect(
      scoreInOrder(
        from([batch(0, [1]), batch(1, [2])]),
        async (b) => {
          if (b.index === 1) throw new Error('endpoint down');
          return [1];
        },
        2,
      ),
    ).rejects.toThrow('endpoint down');
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    // GIVEN / WHEN / THEN
    await expect(scoreInOrder(from([]), async () => [], 0)).rejects.toThrow(/concurrency must be an integer from 1 to 64; got 0/);
  });
});
