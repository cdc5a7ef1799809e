/**
 * The train channel's layout. With `trainShards: "year"` it is the per-year training objects. With N it is N
 * objects of near-equal size cut from those per-year objects by byte range: every training record has the same size
 * (TRAIN_RECORD_BYTES), so record boundaries are known without reading a byte, and ShardedByS3Key with up to N
 * instances gives each instance the same amount of data, whatever the years' sizes.
 */
import { Writable } from 'node:stream';
import { outputKeysFor, trainShardKey, trainShardsManifestKey } from '../common/bucket-layout';
import { DataStore, isStoredAndFresh } from './data-preparation';
import { TrainShards, trainShardsProblem } from '../experiment/settings';
import { FEATURE_COUNT } from './transform/features';
import { RecordTemplate } from './transform/recordio';

/** Every record the transform writes for training: 25 features and a label, framed and padded the same way. */
export const TRAIN_RECORD_BYTES = new RecordTemplate(FEATURE_COUNT).recordSize;

/** An object of the train channel, as the report shows it. */
export interface TrainObject {
  readonly key: string;
  readonly bytes: number;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

export interface ShardPlan extends TrainObject {
  /** The source ranges, in order, whose bytes make the shard. */
  readonly ranges: readonly ByteRange[];
}

/**
 * Spreads the records of the sources (taken in the order given) over `shards` objects: shard i gets records
 * floor(i·R/N) to floor((i+1)·R/N), so two shards differ by at most one record.
 */
export function planShards(sources: readonly TrainObject[], shards: number, shardKey: (index: number) => string): ShardPlan[] {
  let offset = 0;
  const located = sources.map((source) => {
    if (source.bytes % TRAIN_RECORD_BYTES !== 0) {
      throw dataError(
        'TrainingDataInvalid',
        `${source.key} holds ${source.bytes} bytes, not a whole number of ${TRAIN_RECORD_BYTES}-byte training records; prepare its year again`,
      );
    }
    const first = offset;
    offset += source.bytes / TRAIN_RECORD_BYTES;
    return { ...source, first, end: offset };
  });
  const records = offset;
  if (records < shards) {
    throw dataError(
      'TooFewTrainingRecords',
      `trainShards: ${shards} shards need at least ${shards} training records, the years hold ${records}`,
    );
  }
  return Array.from({ length: shards }, (_, index) => {
    const first = Math.floor((index * records) / shards);
    const end = Math.floor(((index + 1) * records) / shards);
    const ranges = located
      .filter((source) => source.first < end && source.end > first)
      .map((source) => ({
        key: source.key,
        start: (Math.max(first, source.first) - source.first) * TRAIN_RECORD_BYTES,
        end: (Math.min(end, source.end) - source.first) * TRAIN_RECORD_BYTES,
      }));
    return { key: shardKey(index), bytes: (end - first) * TRAIN_RECORD_BYTES, ranges };
  });
}

export interface LayOutTrainingRequest {
  /** The dataset's prefix (`<prefix>/datasets/<id>`). */
  readonly dataPrefix: string;
  readonly trainingYears: readonly number[];
  readonly trainShards: TrainShards;
  /** Days after which the bucket's lifecycle expires the dataset's objects; absent when they never expire. */
  readonly retentionDays?: number;
}

/** Marks a complete shard set; written last, outside the shards' channel prefix. */
interface ShardsManifest {
  readonly shards: number;
  readonly recordBytes: number;
  readonly sources: readonly TrainObject[];
  readonly outputs: readonly TrainObject[];
  readonly completedAt: string;
}

export interface LayOutDeps {
  readonly store: DataStore;
  /** Called once per shard written (not for shards reused). */
  readonly onShardWritten?: (shard: TrainObject) => void;
}

/** Shards written at once: each holds at most a few upload parts in memory. */
const SHARDS_IN_PARALLEL = 4;

function dataError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function assertRequest(request: LayOutTrainingRequest): void {
  const { trainShards, trainingYears, dataPrefix } = request;
  if (typeof dataPrefix !== 'string') throw dataError('InvalidRequest', `dataPrefix must be a string, got ${JSON.stringify(dataPrefix)}`);
  if (!Array.isArray(trainingYears) || trainingYears.length === 0 || !trainingYears.every(Number.isInteger)) {
    throw dataError('InvalidRequest', `trainingYears must be a non-empty list of years, got ${JSON.stringify(trainingYears)}`);
  }
  const shardsProblem = trainShardsProblem(trainShards);
  if (shardsProblem) throw dataError('InvalidRequest', `trainShards: ${JSON.stringify(trainShards)} ${shardsProblem}`);
}

/** The per-year training objects in key order, with their sizes; a missing one fails, naming it. */
async function perYearObjects(store: DataStore, request: LayOutTrainingRequest): Promise<TrainObject[]> {
  const keys = [...request.trainingYears].sort((a, b) => a - b).map((year) => outputKeysFor(request.dataPrefix, year, 'train').train!);
  return Promise.all(
    keys.map(async (key) => {
      const stored = await store.head(key);
      if (stored?.bytes === undefined) {
        throw dataError(
          'TrainingDataMissing',
          `${store.uri(key)} does not exist; its year must be prepared before the training data is laid out`,
        );
      }
      return { key, bytes: stored.bytes };
    }),
  );
}

const sameObjects = (stored: unknown, expected: readonly TrainObject[]): boolean =>
  Array.isArray(stored) &&
  stored.length === expected.length &&
  stored.every((object: Partial<TrainObject>, i) => object?.key === expected[i].key && object.bytes === expected[i].bytes);

function isManifestCurrent(stored: unknown, sources: readonly TrainObject[], outputs: readonly TrainObject[]): boolean {
  const manifest = stored as Partial<ShardsManifest> | undefined;
  return (
    manifest?.shards === outputs.length &&
    manifest.recordBytes === TRAIN_RECORD_BYTES &&
    sameObjects(manifest.sources, sources) &&
    sameObjects(manifest.outputs, outputs)
  );
}

/**
 * The objects of the train channel, in key order; for N shards, writes those missing first. A shard set whose
 * manifest is current and whose shards are all there (and not close to expiry) is reused as it is. Otherwise each
 * shard that is missing, of another size or close to expiry is written (shards are whole objects from one
 * multipart upload each, so one that exists is complete), then the manifest. Every shard is a function of the
 * dataset and N, so two executions writing the same set at once write the same bytes.
 */
export async function layOutTrainingData(deps: LayOutDeps, request: LayOutTrainingRequest, now = new Date()): Promise<TrainObject[]> {
  assertRequest(request);
  const sources = await perYearObjects(deps.store, request);
  if (request.trainShards === 'year') return sources;

  const shards = request.trainShards;
  const plan = planShards(sources, shards, (index) => trainShardKey(request.dataPrefix, shards, index));
  const outputs = plan.map(({ key, bytes }) => ({ key, bytes }));
  const manifestKey = trainShardsManifestKey(request.dataPrefix, shards);

  // One HEAD per shard decides both whether the set is reusable and which shards to write.
  const [manifest, manifestFresh, fresh] = await Promise.all([
    deps.store.readJson(manifestKey),
    isStoredAndFresh(deps.store, manifestKey, request.retentionDays, now),
    Promise.all(plan.map((shard) => isStoredAndFresh(deps.store, shard.key, request.retentionDays, now, shard.bytes))),
  ]);
  if (isManifestCurrent(manifest, sources, outputs) && manifestFresh && fresh.every(Boolean)) return outputs;

  const missing = plan.filter((_, index) => !fresh[index]);
  await inBatches(missing, SHARDS_IN_PARALLEL, async (shard) => {
    await writeShard(deps.store, shard);
    deps.onShardWritten?.({ key: shard.key, bytes: shard.bytes });
  });
  const written: ShardsManifest = { shards, recordBytes: TRAIN_RECORD_BYTES, sources, outputs, completedAt: new Date().toISOString() };
  await deps.store.writeJson(manifestKey, written);
  return outputs;
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

/** Writes one chunk, waiting for the stream to drain when it asks to; fails if the stream fails. */
function write(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (stream.destroyed) return Promise.reject(stream.errored ?? new Error('the output stream closed before the shard was written'));
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(stream.errored ?? new Error('the output stream closed before the shard was written'));
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}

/** Streams the shard's ranges into one new object; completes it only when every expected byte was copied. */
async function writeShard(store: DataStore, shard: ShardPlan): Promise<void> {
  const output = store.openOutput(shard.key, 'application/x-recordio-protobuf');
  try {
    let copied = 0;
    for (const range of shard.ranges) {
      for await (const chunk of await store.readRange(range.key, range.start, range.end)) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        copied += bytes.length;
        await write(output.stream, bytes);
      }
    }
    if (copied !== shard.bytes) {
      throw dataError('TrainingDataInvalid', `${store.uri(shard.key)}: read ${copied} bytes of its sources, expected ${shard.bytes}`);
    }
  } catch (error) {
    await output.abort(error as Error);
    throw error;
  }
  await output.complete();
}
