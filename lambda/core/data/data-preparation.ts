/**
 * The two data-preparation tasks (profile the first year's event codes; prepare one year), independent of where
 * the bytes live: the Lambda handlers pass S3 implementations, the local tool passes file-system ones.
 */
import type { Writable } from 'node:stream';
import { OutputKeys, outputKeysFor, prepareManifestKey, profileManifestKey } from '../common/bucket-layout';
import {
  isPrepareManifestCurrent,
  isProfileManifestCurrent,
  PrepareManifest,
  PrepareSettings,
  ProfileManifest,
  SourceIdentity,
  SourceRef,
} from './data-manifest';
import {
  assertLooksLikeGdelt,
  assertMaxMalformedShare,
  DatasetKind,
  featurizeStream,
  FeaturizeSinks,
  PrepareCounts,
  ProfileCounts,
  profileStream,
  Progress,
} from './transform/featurize-stream';
import { assertEventCodes, selectTopEventCodes, TRANSFORM_VERSION } from './transform/gdelt-transform';
import { assertValidationPercent } from './transform/split';

/** An object being written; it becomes visible only on `complete`, and never after `abort`. */
export interface OutputObject {
  readonly stream: Writable;
  complete(): Promise<void>;
  abort(reason: Error): Promise<void>;
}

/** What the store knows of a stored object. */
export interface StoredObject {
  /** When it was last written; lifecycle expiry counts from here. */
  readonly lastModified?: Date;
  readonly bytes?: number;
}

/**
 * Where outputs and manifests go (the data bucket, or a local directory). It has no delete on purpose: see
 * `prepareYear` for why preparation never removes an object.
 */
export interface DataStore {
  readJson(key: string): Promise<unknown>;
  writeJson(key: string, value: unknown): Promise<void>;
  /** undefined when the object does not exist. */
  head(key: string): Promise<StoredObject | undefined>;
  openOutput(key: string, contentType: string): OutputObject;
  /** Bytes `start` (inclusive) to `end` (exclusive, after `start`) of a stored object, streamed. */
  readRange(key: string, start: number, end: number): Promise<AsyncIterable<Uint8Array | string>>;
  uri(key: string): string;
}

/** Where GDELT files are read from. `identify` fails with SourceNotFound when the object does not exist. */
export interface SourceReader {
  identify(source: SourceRef): Promise<SourceIdentity>;
  open(source: SourceIdentity): Promise<AsyncIterable<Buffer | Uint8Array | string>>;
  describe(source: SourceRef): string;
}

export interface DataPreparationDeps {
  store: DataStore;
  sources: SourceReader;
  onProgress?: (what: string, progress: Progress) => void;
}

export interface ProfileEventCodesRequest {
  source: SourceRef;
  year: number;
  dataPrefix: string;
  maxMalformedShare: number;
}

export interface ProfileEventCodesResult {
  year: number;
  codes: string[];
  sourceETag: string;
  counts: ProfileCounts;
  skipped: boolean;
}

export interface PrepareYearRequest {
  /** The source object and the ETag that named the dataset: only those bytes may be written under its id. */
  source: SourceIdentity;
  year: number;
  kind: DatasetKind;
  codes: string[];
  validationPercent: number;
  maxMalformedShare: number;
  /** The dataset's prefix (`<prefix>/datasets/<id>`). */
  dataPrefix: string;
  /** Days after which the bucket's lifecycle expires the dataset's objects; absent when they never expire. */
  retentionDays?: number;
}

export interface PrepareYearResult {
  year: number;
  kind: DatasetKind;
  skipped: boolean;
  counts: PrepareCounts;
  /** URIs of the written objects (s3://... or local paths). */
  outputs: string[];
}

function invalid(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidRequest';
  return error;
}

function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

function assertCommonRequest(request: { source?: SourceRef; year?: number; dataPrefix?: string; maxMalformedShare?: number }): void {
  if (typeof request.source?.bucket !== 'string' || typeof request.source.key !== 'string' || request.source.key === '') {
    throw invalid(`source must be { bucket, key } of a GDELT file, got ${JSON.stringify(request.source)}`);
  }
  if (!Number.isInteger(request.year)) throw invalid(`year must be an integer, got ${JSON.stringify(request.year)}`);
  if (typeof request.dataPrefix !== 'string') throw invalid(`dataPrefix must be a string, got ${JSON.stringify(request.dataPrefix)}`);
  checked(() => assertMaxMalformedShare(request.maxMalformedShare));
}

export async function profileEventCodes(deps: DataPreparationDeps, request: ProfileEventCodesRequest): Promise<ProfileEventCodesResult> {
  assertCommonRequest(request);
  const source = await deps.sources.identify(request.source);
  const manifestKey = profileManifestKey(request.dataPrefix, request.year);
  const stored = await deps.store.readJson(manifestKey);
  if (isProfileManifestCurrent(stored, TRANSFORM_VERSION, source)) {
    return { year: request.year, codes: stored.codes, sourceETag: source.eTag, counts: stored.counts, skipped: true };
  }
  const description = deps.sources.describe(request.source);
  const { counts, codeCounts } = await profileStream(await deps.sources.open(source), (progress) =>
    deps.onProgress?.(`profile ${description}`, progress),
  );
  assertLooksLikeGdelt(description, counts.read, counts.wrongColumnCount, request.maxMalformedShare);
  let codes: string[];
  try {
    codes = selectTopEventCodes(codeCounts);
  } catch (error) {
    (error as Error).message = `${description} (year ${request.year}): ${(error as Error).message}`;
    throw error;
  }
  const manifest: ProfileManifest = {
    year: request.year,
    transformVersion: TRANSFORM_VERSION,
    source,
    codes,
    counts,
    completedAt: new Date().toISOString(),
  };
  await deps.store.writeJson(manifestKey, manifest);
  return { year: request.year, codes, sourceETag: source.eTag, counts, skipped: false };
}

function settingsFor(request: PrepareYearRequest): PrepareSettings {
  if (request.kind !== 'train' && request.kind !== 'test') {
    throw invalid(`kind must be 'train' or 'test', got ${JSON.stringify(request.kind)}`);
  }
  return {
    transformVersion: TRANSFORM_VERSION,
    kind: request.kind,
    codes: checked(() => assertEventCodes(request.codes)),
    validationPercent: request.kind === 'train' ? checked(() => assertValidationPercent(request.validationPercent)) : null,
  };
}

const CONTENT_TYPES: Record<keyof OutputKeys, string> = {
  train: 'application/x-recordio-protobuf',
  validation: 'application/x-recordio-protobuf',
  test: 'application/x-recordio-protobuf',
  testCsv: 'text/csv',
};

/** A year close to expiry is rebuilt, so a reused dataset never expires under a running execution (12 h at most). */
export const EXPIRY_MARGIN_DAYS = 2;
const DAY_MS = 24 * 3600 * 1000;

/**
 * True when the object exists, has `bytes` bytes if given, and, if objects expire, does not do so within the margin.
 */
export async function isStoredAndFresh(
  store: DataStore,
  key: string,
  retentionDays: number | undefined,
  now: Date,
  bytes?: number,
): Promise<boolean> {
  const object = await store.head(key);
  return (
    object !== undefined &&
    (bytes === undefined || object.bytes === bytes) &&
    (retentionDays === undefined ||
      // S3 expires an object at the first midnight UTC after lastModified + retentionDays: lastModified + days is the
      // earliest it can go.
      (object.lastModified !== undefined && object.lastModified.getTime() + (retentionDays - EXPIRY_MARGIN_DAYS) * DAY_MS > now.getTime()))
  );
}

async function allStoredAndFresh(store: DataStore, keys: string[], retentionDays: number | undefined, now: Date): Promise<boolean> {
  return (await Promise.all(keys.map((key) => isStoredAndFresh(store, key, retentionDays, now)))).every(Boolean);
}

/**
 * Every object of a dataset is a function of the dataset's id (the source bytes are pinned by their ETag, the
 * transform is deterministic), so whichever execution writes a key writes the same bytes, and a multipart upload
 * replaces an object in one step. Hence preparation never deletes anything: a completed output of a run that failed
 * later is correct, and may be what another execution of the same dataset is training on right now. The manifest,
 * written last, is the only mark that a year is complete; a year without one (a failed run, an expired object) is
 * simply rebuilt next time, over whatever outputs it has.
 */
export async function prepareYear(deps: DataPreparationDeps, request: PrepareYearRequest, now = new Date()): Promise<PrepareYearResult> {
  assertCommonRequest(request);
  const settings = settingsFor(request);
  const source = sourceIdentityOf(request);
  const manifestKey = prepareManifestKey(request.dataPrefix, request.year);
  const keys = outputKeysFor(request.dataPrefix, request.year, request.kind);
  const outputKeys = Object.values(keys) as string[];
  const result = (skipped: boolean, counts: PrepareCounts): PrepareYearResult => ({
    year: request.year,
    kind: request.kind,
    skipped,
    counts,
    outputs: outputKeys.map((key) => deps.store.uri(key)),
  });

  const stored = await deps.store.readJson(manifestKey);
  if (
    isPrepareManifestCurrent(stored, settings, source) &&
    sameKeys(stored.outputKeys, outputKeys) &&
    (await allStoredAndFresh(deps.store, [manifestKey, ...outputKeys], request.retentionDays, now))
  ) {
    return result(true, stored.counts);
  }

  const counts = await writeOutputs(deps, request, source, keys);
  const manifest: PrepareManifest = {
    year: request.year,
    settings,
    source,
    counts,
    outputKeys,
    completedAt: new Date().toISOString(),
  };
  await deps.store.writeJson(manifestKey, manifest);
  return result(false, counts);
}

function sourceIdentityOf(request: PrepareYearRequest): SourceIdentity {
  if (typeof request.source.eTag !== 'string' || request.source.eTag === '') {
    throw invalid(`source.eTag must be the ETag that named the dataset, got ${JSON.stringify(request.source.eTag)}`);
  }
  if (request.retentionDays !== undefined && !(Number.isInteger(request.retentionDays) && request.retentionDays > 0)) {
    throw invalid(`retentionDays must be a whole number of days, got ${JSON.stringify(request.retentionDays)}`);
  }
  return { bucket: request.source.bucket, key: request.source.key, eTag: request.source.eTag };
}

function sameKeys(stored: string[], expected: string[]): boolean {
  return stored.length === expected.length && stored.every((key, index) => key === expected[index]);
}

/** Streams the source into all outputs; completes all of them or leaves none visible. */
async function writeOutputs(
  deps: DataPreparationDeps,
  request: PrepareYearRequest,
  source: SourceIdentity,
  keys: OutputKeys,
): Promise<PrepareCounts> {
  const description = deps.sources.describe(request.source);
  const outputs = (Object.entries(keys) as Array<[keyof OutputKeys, string]>).map(([name, key]) => ({
    name,
    key,
    object: deps.store.openOutput(key, CONTENT_TYPES[name]),
  }));
  const sinks: FeaturizeSinks = Object.fromEntries(outputs.map(({ name, object }) => [name, object.stream]));
  let counts: PrepareCounts;
  try {
    counts = await featurizeStream(await deps.sources.open(source), sinks, {
      codes: request.codes,
      kind: request.kind,
      validationPercent: request.validationPercent,
      onProgress: (progress) => deps.onProgress?.(`prepare ${description}`, progress),
    });
    assertLooksLikeGdelt(description, counts.read, counts.dropped.wrongColumnCount, request.maxMalformedShare);
  } catch (error) {
    await Promise.allSettled(outputs.map(({ object }) => object.abort(error as Error)));
    throw error;
  }
  // Outputs that complete before another fails stay: they are correct, and without a manifest nothing trusts them.
  const completions = await Promise.allSettled(outputs.map(({ object }) => object.complete()));
  const failure = completions.find((completion): completion is PromiseRejectedResult => completion.status === 'rejected');
  if (failure) throw failure.reason;
  return counts;
}
