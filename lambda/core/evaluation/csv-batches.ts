/**
 * Turns the test CSV (`label,f1,...,f25` per line, `\n` line ends, no header) into InvokeEndpoint
 * request bodies: features only, one row per line, each body at most `maxBatchBytes`.
 *
 * Works on a stream of byte chunks so a Lambda never holds the whole file, and optionally on a
 * byte range of the file so a Map state can split one file across several invocations.
 */
import { INVOKE_ENDPOINT_MAX_BODY_BYTES } from '../sagemaker/limits';

/**
 * A byte range of the file, `end` exclusive. A part owns the lines that *start* inside it, so
 * ranges that tile the file (`[0,a)`, `[a,b)`, ..., `[z,size)`) score every line exactly once.
 */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** One request's worth of rows. */
export interface CsvBatch {
  /** 0-based position of the batch in the part, for ordering and error messages. */
  readonly index: number;
  /** Feature rows joined by `\n` (no trailing newline), ready to send as `text/csv`. */
  readonly body: Buffer;
  /** The labels of the rows, in the same order as the body's lines. */
  readonly labels: Float64Array;
}

export interface BatchOptions {
  readonly maxBatchBytes: number;
  readonly range?: ByteRange;
  /** File offset of the first chunk's first byte (the S3 GetObject range start). Default 0. */
  readonly firstByteOffset?: number;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;

export function validateMaxBatchBytes(maxBatchBytes: number): void {
  if (!Number.isInteger(maxBatchBytes) || maxBatchBytes < 1 || maxBatchBytes > INVOKE_ENDPOINT_MAX_BODY_BYTES) {
    throw new Error(
      `maxBatchBytes must be an integer from 1 to ${INVOKE_ENDPOINT_MAX_BODY_BYTES} (6 MiB, the InvokeEndpoint limit); got ${maxBatchBytes}`,
    );
  }
}

export function validateByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new Error(`range must have integers 0 <= start < end (bytes, end exclusive); got start=${start}, end=${end}`);
  }
}

/**
 * Where to start reading for a range: one byte early, because whether a line starts at `start`
 * depends on the byte before it being `\n`.
 */
export function readStartFor(range?: ByteRange): number {
  return range && range.start > 0 ? range.start - 1 : 0;
}

/** A line of the file (without its `\n`) and the file offset of its first byte. */
interface Line {
  readonly bytes: Buffer;
  readonly offset: number;
}

/**
 * Yields the lines owned by `range` (or all lines). Stops reading as soon as a line starts at or
 * after `range.end`, so the caller can request an open-ended S3 range and abandon the rest.
 */
async function* ownedLines(chunks: AsyncIterable<Uint8Array>, range: ByteRange | undefined, firstByteOffset: number): AsyncGenerator<Line> {
  const start = range?.start ?? 0;
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  if (firstByteOffset > start) {
    throw new Error(`stream starts at byte ${firstByteOffset}, after the range start ${start}`);
  }
  let pending: Buffer[] = [];
  let pendingOffset = firstByteOffset;
  let position = firstByteOffset;
  // A line is complete once its `\n` arrives; its start offset decides ownership.
  const owns = (lineOffset: number): boolean => lineOffset >= start && lineOffset < end;

  for await (const chunk of chunks) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let cursor = 0;
    let newline = buffer.indexOf(NEWLINE, cursor);
    while (newline !== -1) {
      const piece = buffer.subarray(cursor, newline);
      const lineOffset = pendingOffset;
      if (lineOffset >= end) return;
      if (owns(lineOffset)) {
        yield { bytes: pending.length === 0 ? piece : Buffer.concat([...pending, piece]), offset: lineOffset };
      }
      pending = [];
      pendingOffset = position + newline + 1;
      cursor = newline + 1;
      newline = buffer.indexOf(NEWLINE, cursor);
    }
    if (cursor < buffer.length) pending.push(buffer.subarray(cursor));
    position += buffer.length;
  }
  // The last line of a file may have no trailing `\n`.
  if (pending.length > 0 && owns(pendingOffset)) {
    yield { bytes: Buffer.concat(pending), offset: pendingOffset };
  }
}

/** Splits a CSV line into its label and its feature bytes, or explains what is wrong with it. */
function splitRow(line: Line): { label: number; features: Buffer } {
  const comma = line.bytes.indexOf(COMMA);
  if (comma <= 0 || comma === line.bytes.length - 1) {
    throw new Error(
      `test CSV line at byte ${line.offset} is not "label,f1,...": ${JSON.stringify(line.bytes.subarray(0, 80).toString('utf8'))}`,
    );
  }
  const labelText = line.bytes.toString('latin1', 0, comma);
  const label = Number(labelText);
  if (labelText.trim() === '' || !Number.isFinite(label)) {
    throw new Error(`test CSV line at byte ${line.offset} has a label that is not a finite number: ${JSON.stringify(labelText)}`);
  }
  return { label, features: line.bytes.subarray(comma + 1) };
}

/**
 * Groups the owned lines into batches whose body (rows joined by `\n`) never exceeds
 * `maxBatchBytes`. Rows keep their file order within and across batches.
 */
export async function* csvBatches(chunks: AsyncIterable<Uint8Array>, options: BatchOptions): AsyncGenerator<CsvBatch> {
  const { maxBatchBytes, range, firstByteOffset = 0 } = options;
  validateMaxBatchBytes(maxBatchBytes);
  if (range) validateByteRange(range);

  let rows: Buffer[] = [];
  let labels: number[] = [];
  let bodyBytes = 0;
  let index = 0;
  const flush = (): CsvBatch => {
    const batch: CsvBatch = { index, body: joinRows(rows, bodyBytes), labels: Float64Array.from(labels) };
    index += 1;
    rows = [];
    labels = [];
    bodyBytes = 0;
    return batch;
  };

  for await (const line of ownedLines(chunks, range, firstByteOffset)) {
    const { label, features } = splitRow(line);
    if (features.length > maxBatchBytes) {
      throw new Error(
        `test CSV line at byte ${line.offset} has ${features.length} feature bytes, more than maxBatchBytes=${maxBatchBytes}`,
      );
    }
    const separator = rows.length > 0 ? 1 : 0;
    if (bodyBytes + separator + features.length > maxBatchBytes) yield flush();
    bodyBytes += (rows.length > 0 ? 1 : 0) + features.length;
    rows.push(features);
    labels.push(label);
  }
  if (rows.length > 0) yield flush();
}

function joinRows(rows: Buffer[], totalBytes: number): Buffer {
  const body = Buffer.allocUnsafe(totalBytes);
  let at = 0;
  rows.forEach((row, i) => {
    if (i > 0) body[at++] = NEWLINE;
    at += row.copy(body, at);
  });
  return body;
}
