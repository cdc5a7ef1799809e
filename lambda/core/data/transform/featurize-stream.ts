/**
 * Streams a GDELT file through the transform: bytes in, RecordIO (and for the test year CSV) out, with counts.
 * Memory stays bounded: one input chunk at a time, output written in 1 MiB chunks, and the next input chunk is
 * read only after every output has drained (backpressure).
 */
import { Writable } from 'node:stream';
import {
  COLUMN,
  COLUMN_STARTS_READ,
  DropCounts,
  emptyDropCounts,
  EventCodeProfiler,
  hasGdeltColumnCount,
  newFeatureRow,
  RowTransform,
} from './gdelt-transform';
import { FEATURE_COUNT } from './features';
import { RecordTemplate } from './recordio';
import { isValidationIdAt } from './split';
import { TsvRow, TsvScanner } from './tsv-scanner';

const OUTPUT_CHUNK_BYTES = 1024 * 1024;
/** Features before the one-hot columns: NumArticles and the 4 coordinates. */
const NUMERIC_FEATURES = 5;
const PROGRESS_EVERY_BYTES = 64 * 1024 * 1024;

export type DatasetKind = 'train' | 'test';

export interface PrepareCounts {
  read: number;
  train: number;
  validation: number;
  test: number;
  dropped: DropCounts;
}

export interface ProfileCounts {
  read: number;
  /** Rows with 57 or 58 columns and a non-empty event code: the rows whose codes were counted. */
  profiled: number;
  wrongColumnCount: number;
  emptyEventCode: number;
  distinctEventCodes: number;
}

export interface Progress {
  bytesRead: number;
  rowsRead: number;
}

/** Where the featurizer writes; train needs train + validation, test needs test + testCsv. */
export interface FeaturizeSinks {
  train?: Writable;
  validation?: Writable;
  test?: Writable;
  testCsv?: Writable;
}

export interface FeaturizeOptions {
  codes: readonly string[];
  kind: DatasetKind;
  validationPercent: number;
  onProgress?: (progress: Progress) => void;
}

/**
 * Collects output bytes into large chunks and hands them to a Writable, remembering whether it asked to wait. Every
 * chunk is a fresh (zero-filled) ArrayBuffer that is never reused, so bytes not written are 0: the record writer
 * relies on that to skip the zero words of each record.
 */
class ChunkedWriter {
  private chunk = newChunk(OUTPUT_CHUNK_BYTES);
  /** 32-bit views of the current chunk (for RecordTemplate.writeFrameWords); offsets must then stay multiples of 4. */
  public words = new Uint32Array(this.chunk.buffer, 0, OUTPUT_CHUNK_BYTES >> 2);
  public floats = new Float32Array(this.chunk.buffer, 0, OUTPUT_CHUNK_BYTES >> 2);
  private used = 0;
  private mustDrain = false;

  constructor(private readonly sink: Writable) {}

  /** Ensures `bytes` free bytes and returns the offset to write at; the caller then calls `commit`. */
  reserve(bytes: number): number {
    if (this.used + bytes > this.chunk.length) {
      this.flush();
      if (bytes > this.chunk.length) this.setChunk(newChunk(bytes));
    }
    return this.used;
  }

  commit(offset: number): void {
    this.used = offset;
  }

  get buffer(): Buffer {
    return this.chunk;
  }

  private setChunk(chunk: Buffer): void {
    this.chunk = chunk;
    this.words = new Uint32Array(chunk.buffer, 0, chunk.length >> 2);
    this.floats = new Float32Array(chunk.buffer, 0, chunk.length >> 2);
  }

  flush(): void {
    if (this.used === 0) return;
    if (this.sink.destroyed) throw this.sink.errored ?? new Error('featurize: an output stream was closed before the input ended');
    // The Writable keeps the chunk until it is consumed, so a fresh one is needed (not reused).
    if (!this.sink.write(this.chunk.subarray(0, this.used))) this.mustDrain = true;
    this.setChunk(newChunk(OUTPUT_CHUNK_BYTES));
    this.used = 0;
  }

  async drained(): Promise<void> {
    if (!this.mustDrain) return;
    this.mustDrain = false;
    if (this.sink.writableNeedDrain) await drainOrClose(this.sink);
  }
}

/** A chunk that starts its own ArrayBuffer, so 32-bit views of it are aligned. */
function newChunk(bytes: number): Buffer {
  return Buffer.from(new ArrayBuffer(bytes));
}

/** Waits for 'drain'; rejects if the stream fails or closes first (for example because its upload failed). */
function drainOrClose(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error | null): void => {
      sink.off('drain', onDrain);
      sink.off('close', onClose);
      sink.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(sink.errored ?? new Error('featurize: an output stream closed while the input was being read'));
    sink.on('drain', onDrain);
    sink.on('close', onClose);
    sink.on('error', onError);
  });
}

function requireSink(sinks: FeaturizeSinks, name: keyof FeaturizeSinks): ChunkedWriter {
  const sink = sinks[name];
  if (!sink) throw new Error(`featurize: the ${name} output is required`);
  return new ChunkedWriter(sink);
}

/** Precomputed `,0,...,1,...,0\n` tails of a CSV row, one per event code. */
function oneHotCsvTails(codeCount: number): Buffer[] {
  return Array.from({ length: codeCount }, (_, hot) =>
    Buffer.from(`${Array.from({ length: codeCount }, (__, index) => `,${index === hot ? 1 : 0}`).join('')}\n`, 'latin1'),
  );
}

/**
 * Feeds `source` through the transform into `sinks` and returns the counts. Does not end the sinks: the caller
 * decides whether to complete or abort them once the counts are known.
 */
export async function featurizeStream(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  sinks: FeaturizeSinks,
  options: FeaturizeOptions,
): Promise<PrepareCounts> {
  const transform = new RowTransform(options.codes);
  const template = new RecordTemplate(FEATURE_COUNT);
  const recordSize = template.recordSize;
  const wordWrites = template.supportsWordWrites;
  const featuresWord = template.featuresWord;
  const labelWord = template.labelWord;
  const counts: PrepareCounts = { read: 0, train: 0, validation: 0, test: 0, dropped: emptyDropCounts() };
  const dropped = counts.dropped;
  const isTest = options.kind === 'test';
  const writers = isTest
    ? { records: requireSink(sinks, 'test'), csv: requireSink(sinks, 'testCsv') }
    : { train: requireSink(sinks, 'train'), validation: requireSink(sinks, 'validation') };
  const csvTails = oneHotCsvTails(transform.codes.length);
  const validationPercent = options.validationPercent;
  const features = newFeatureRow();
  // Imported bindings used per row are read once: some module loaders turn each read into a getter call.
  const isValidation = isValidationIdAt;

  const writeCsv = (csv: ChunkedWriter, row: TsvRow): void => {
    // The source text of each number, so a CSV reader gets exactly the float32 values of the RecordIO.
    const bounds = transform.numberBounds;
    let length = csvTails[features.codeIndex].length;
    for (let index = 0; index < bounds.length; index += 2) length += bounds[index + 1] - bounds[index] + 1;
    let offset = csv.reserve(length);
    const out = csv.buffer;
    for (let index = 0; index < bounds.length; index += 2) {
      if (index > 0) out[offset++] = 44; // ','
      offset += row.buffer.copy(out, offset, bounds[index], bounds[index + 1]);
    }
    offset += csvTails[features.codeIndex].copy(out, offset);
    csv.commit(offset);
  };

  const scanner = new TsvScanner(
    (row) => {
      counts.read++;
      const outcome = transform.apply(row, features);
      // Named increments: cheaper per row than indexing the counts by the outcome string.
      switch (outcome) {
        case 'kept':
          break;
        case 'eventCodeNotSelected':
          dropped.eventCodeNotSelected++;
          return;
        case 'badNumber':
          dropped.badNumber++;
          return;
        case 'zeroCoordinates':
          dropped.zeroCoordinates++;
          return;
        case 'wrongColumnCount':
          dropped.wrongColumnCount++;
          return;
      }
      let writer: ChunkedWriter;
      if (isTest) {
        writer = writers.records!;
        counts.test++;
        writeCsv(writers.csv!, row);
      } else if (isValidation(row.buffer, row.start, validationPercent)) {
        writer = writers.validation!;
        counts.validation++;
      } else {
        writer = writers.train!;
        counts.train++;
      }
      const offset = writer.reserve(recordSize);
      if (wordWrites) {
        // The chunk is zeroed (never reused), so only the frame's non-zero words and the non-zero floats are written:
        // 5 numbers, the label and the one-hot 1.0; the other 19 one-hot floats stay 0.0.
        const word = offset >> 2;
        const floats = writer.floats;
        const values = features.features;
        const featureWord = word + featuresWord;
        template.writeFrameWords(writer.words, word);
        floats[featureWord] = values[0];
        floats[featureWord + 1] = values[1];
        floats[featureWord + 2] = values[2];
        floats[featureWord + 3] = values[3];
        floats[featureWord + 4] = values[4];
        floats[featureWord + NUMERIC_FEATURES + features.codeIndex] = 1;
        floats[word + labelWord] = features.label;
        writer.commit(offset + recordSize);
      } else {
        writer.commit(template.write(writer.buffer, offset, features.features, features.label));
      }
    },
    { starts: COLUMN_STARTS_READ },
  );

  const allWriters = Object.values(writers) as ChunkedWriter[];
  await scanSource(source, scanner, counts, options.onProgress, async () => {
    for (const writer of allWriters) await writer.drained();
  });
  for (const writer of allWriters) {
    writer.flush();
    await writer.drained();
  }
  return counts;
}

/**
 * Feeds every chunk of the source to the scanner, then ends it; reports progress every PROGRESS_EVERY_BYTES.
 * `afterChunk` runs before the next chunk is read (the featurizer waits there for its outputs to drain).
 */
async function scanSource(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  scanner: TsvScanner,
  counts: { readonly read: number },
  onProgress: ((progress: Progress) => void) | undefined,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  let bytesRead = 0;
  let nextProgress = PROGRESS_EVERY_BYTES;
  for await (const chunk of source) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    scanner.push(bytes);
    bytesRead += bytes.length;
    if (afterChunk) await afterChunk();
    if (onProgress && bytesRead >= nextProgress) {
      onProgress({ bytesRead, rowsRead: counts.read });
      nextProgress = bytesRead + PROGRESS_EVERY_BYTES;
    }
  }
  scanner.end();
}

/** Counts the event codes of a file (the first year's pass). */
export async function profileStream(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  onProgress?: (progress: Progress) => void,
): Promise<{ counts: ProfileCounts; codeCounts: Map<string, number> }> {
  const profiler = new EventCodeProfiler();
  const counts: ProfileCounts = { read: 0, profiled: 0, wrongColumnCount: 0, emptyEventCode: 0, distinctEventCodes: 0 };
  const scanner = new TsvScanner(
    (row) => {
      counts.read++;
      if (profiler.add(row)) counts.profiled++;
      else if (hasGdeltColumnCount(row)) counts.emptyEventCode++;
      else counts.wrongColumnCount++;
    },
    { columns: [COLUMN.eventCode] },
  );
  await scanSource(source, scanner, counts, onProgress);
  const codeCounts = profiler.codeCounts();
  counts.distinctEventCodes = codeCounts.size;
  return { counts, codeCounts };
}

/** Share of rows that are not GDELT-shaped (wrong column count); 1 for an empty file. */
export function malformedShare(read: number, wrongColumnCount: number): number {
  return read === 0 ? 1 : wrongColumnCount / read;
}

/** Throws NotGdeltData when more than `maxMalformedShare` of the rows do not have the GDELT shape. */
export function assertLooksLikeGdelt(description: string, read: number, wrongColumnCount: number, maxMalformedShare: number): void {
  const share = malformedShare(read, wrongColumnCount);
  if (share > maxMalformedShare) {
    const error = new Error(
      read === 0
        ? `${description} has no rows; expected GDELT 1.0 events (tab-separated, 57 or 58 columns)`
        : `${description} does not look like GDELT 1.0 events: ${wrongColumnCount} of ${read} rows ` +
            `(${(share * 100).toFixed(1)}%) do not have 57 or 58 tab-separated columns; maxMalformedShare is ${maxMalformedShare}`,
    );
    error.name = 'NotGdeltData';
    throw error;
  }
}

export function assertMaxMalformedShare(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new Error(`maxMalformedShare must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One progress line per 64 MiB read, for logs and the local tool. */
export function logProgress(what: string, progress: Progress): void {
  console.log(`${what}: ${(progress.bytesRead / 1048576).toFixed(0)} MiB, ${progress.rowsRead} rows read`);
}
