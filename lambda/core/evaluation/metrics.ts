/**
 * Streaming regression metrics. The evaluation keeps sums, not predictions, so memory does not grow
 * with the test set and parts scored by separate invocations combine exactly.
 */

/** Sums that parts of one evaluation add up; MSE and MAE follow from them. */
export interface ErrorSums {
  readonly rowsScored: number;
  readonly sumSquaredError: number;
  readonly sumAbsoluteError: number;
  readonly batches: number;
}

export interface ErrorMetrics extends ErrorSums {
  /** Mean squared error: the workshop notebook's metric. Null when no row was scored. */
  readonly mse: number | null;
  /** Mean absolute error: what the training loss (`absolute_loss`) minimises. Null when no row was scored. */
  readonly mae: number | null;
}

export const NO_ERRORS: ErrorSums = { rowsScored: 0, sumSquaredError: 0, sumAbsoluteError: 0, batches: 0 };

/** Adds one batch's labels and predictions. They must pair up one to one. */
export function addBatch(sums: ErrorSums, labels: ArrayLike<number>, predictions: ArrayLike<number>): ErrorSums {
  if (labels.length !== predictions.length) {
    throw new Error(`cannot pair ${labels.length} labels with ${predictions.length} predictions`);
  }
  let squared = 0;
  let absolute = 0;
  for (let i = 0; i < labels.length; i++) {
    const error = predictions[i] - labels[i];
    squared += error * error;
    absolute += Math.abs(error);
  }
  return {
    rowsScored: sums.rowsScored + labels.length,
    sumSquaredError: sums.sumSquaredError + squared,
    sumAbsoluteError: sums.sumAbsoluteError + absolute,
    batches: sums.batches + 1,
  };
}

export function combineSums(parts: readonly ErrorSums[]): ErrorSums {
  return parts.reduce(
    (total, part) => ({
      rowsScored: total.rowsScored + part.rowsScored,
      sumSquaredError: total.sumSquaredError + part.sumSquaredError,
      sumAbsoluteError: total.sumAbsoluteError + part.sumAbsoluteError,
      batches: total.batches + part.batches,
    }),
    NO_ERRORS,
  );
}

export function toMetrics(sums: ErrorSums): ErrorMetrics {
  const { rowsScored } = sums;
  return {
    ...sums,
    mse: rowsScored > 0 ? sums.sumSquaredError / rowsScored : null,
    mae: rowsScored > 0 ? sums.sumAbsoluteError / rowsScored : null,
  };
}

/** What the evaluation needs from a batch: its labels and the request it becomes. */
export interface ScorableBatch {
  readonly index: number;
  readonly body: Buffer;
  readonly labels: ArrayLike<number>;
}

/** Sends one batch and returns one prediction per row, in row order. */
export type ScoreBatch = (batch: ScorableBatch) => Promise<number[]>;

/**
 * Scores batches with at most `concurrency` requests in flight and adds them up in batch order.
 * Awaiting the oldest request first keeps the order without buffering results, and bounds memory
 * to `concurrency` batches whatever the file size.
 */
export async function scoreInOrder(batches: AsyncIterable<ScorableBatch>, score: ScoreBatch, concurrency: number): Promise<ErrorSums> {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error(`concurrency must be an integer from 1 to 64; got ${concurrency}`);
  }
  const inFlight: Array<{ batch: ScorableBatch; predictions: Promise<number[]> }> = [];
  let sums = NO_ERRORS;
  const settleOldest = async (): Promise<void> => {
    const oldest = inFlight.shift()!;
    const predictions = await oldest.predictions;
    if (predictions.length !== oldest.batch.labels.length) {
      throw new Error(`batch ${oldest.batch.index}: got ${predictions.length} predictions for ${oldest.batch.labels.length} rows`);
    }
    sums = addBatch(sums, oldest.batch.labels, predictions);
  };
  try {
    for await (const batch of batches) {
      const predictions = score(batch);
      // Attach a handler now so a rejection waiting behind older requests is not "unhandled".
      predictions.catch(() => undefined);
      inFlight.push({ batch, predictions });
      if (inFlight.length >= concurrency) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // On failure, let the remaining requests finish quietly instead of racing the error out.
    await Promise.allSettled(inFlight.map((entry) => entry.predictions));
  }
  return sums;
}
