/**
 * The two data-preparation tasks (profile the first year's event codes; prepare one year), independent of where
 * the bytes live: the Lambda handlers pass S3 implementations, the local tool passes file-system ones.
 */
import type { Writable } from 'node:stream';
import {
  isPrepareManifestCurrent, isProfileManifestCurrent, OutputKeys, outputKeysFor, PrepareManifest, PrepareSettings,
  prepareManifestKey, ProfileManifest, profileManifestKey, SourceIdentity, SourceRef,
} from './data-manifest';
import {
  assertLooksLikeGdelt, assertMaxMalformedShare, DatasetKind, featurizeStream, FeaturizeSinks, PrepareCounts, ProfileCounts,
  profileStream, Progress,
} from './featurize-stream';
import { assertEventCodes, selectTopEventCodes, TRANSFORM_VERSION } from './gdelt-transform';
import { assertValidationPercent } from './split';

/** An object being written; it becomes visible only on `complete`, and never after `abort`. */
export interface OutputObject {
  readonly stream: Writable;
  complete(): Promise<void>;
  abort(reason: Error): Promise<void>;
}

/** Where outputs and manifests go (the data bucket, or a local directory). */
export interface DataStore {
  readJson(key: string): Promise<unknown>;
  writeJson(key: string, value: unknown): Promise<void>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  openOutput(key: string, contentType: string): OutputObject;
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
  source: SourceRef;
  year: number;
  kind: DatasetKind;
  codes: string[];
  validationPercent: number;
  maxMalformedShare: number;
  dataPrefix: string;
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
  const { counts, codeCounts } = await profileStream(await deps.sources.open(source),
    (progress) => deps.onProgress?.(`profile ${description}`, progress));
  assertLooksLikeGdelt(description, counts.read, counts.wrongColumnCount, request.maxMalformedShare);
  let codes: string[];
  try {
    codes = selectTopEventCodes(codeCounts);
  } catch (error) {
    (error as Error).message = `${description} (year ${request.year}): ${(error as Error).message}`;
    throw error;
  }
  const manifest: ProfileManifest = {
    year: request.year, transformVersion: TRANSFORM_VERSION, source, codes, counts, completedAt: new Date().toISOString(),
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

export async function prepareYear(deps: DataPreparationDeps, request: PrepareYearRequest): Promise<PrepareYearResult> {
  assertCommonRequest(request);
  const settings = settingsFor(request);
  const source = await deps.sources.identify(request.source);
  const manifestKey = prepareManifestKey(request.dataPrefix, request.year);
  const keys = outputKeysFor(request.dataPrefix, request.year, request.kind);
  const outputKeys = Object.values(keys) as string[];
  const result = (skipped: boolean, counts: PrepareCounts): PrepareYearResult =>
    ({ year: request.year, kind: request.kind, skipped, counts, outputs: outputKeys.map((key) => deps.store.uri(key)) });

  const stored = await deps.store.readJson(manifestKey);
  if (isPrepareManifestCurrent(stored, settings, source) && sameKeys(stored.outputKeys, outputKeys)
    && (await Promise.all(outputKeys.map((key) => deps.store.exists(key)))).every(Boolean)) {
    return result(true, stored.counts);
  }
  // The old manifest must not outlive the outputs it describes, which are about to be replaced.
  if (stored !== undefined) await deps.store.remove(manifestKey);

  const counts = await writeOutputs(deps, request, source, keys);
  const manifest: PrepareManifest = {
    year: request.year, settings, source, counts, outputKeys, completedAt: new Date().toISOString(),
  };
  await deps.store.writeJson(manifestKey, manifest);
  return result(false, counts);
}

function sameKeys(stored: string[], expected: string[]): boolean {
  return stored.length === expected.length && stored.every((key, index) => key === expected[index]);
}

/** Streams the source into all outputs; completes all of them or leaves none visible. */
async function writeOutputs(
  deps: DataPreparationDeps, request: PrepareYearRequest, source: SourceIdentity, keys: OutputKeys,
): Promise<PrepareCounts> {
  const description = deps.sources.describe(request.source);
  const outputs = (Object.entries(keys) as Array<[keyof OutputKeys, string]>)
    .map(([name, key]) => ({ name, key, object: deps.store.openOutput(key, CONTENT_TYPES[name]) }));
  const sinks: FeaturizeSinks = Object.fromEntries(outputs.map(({ name, object }) => [name, object.stream]));
  let counts: PrepareCounts;
  try {
    counts = await featurizeStream(await deps.sources.open(source), sinks, {
      codes: request.codes, kind: request.kind, validationPercent: request.validationPercent,
      onProgress: (progress) => deps.onProgress?.(`prepare ${description}`, progress),
    });
    assertLooksLikeGdelt(description, counts.read, counts.dropped.wrongColumnCount, request.maxMalformedShare);
  } catch (error) {
    await Promise.allSettled(outputs.map(({ object }) => object.abort(error as Error)));
    throw error;
  }
  const completions = await Promise.allSettled(outputs.map(({ object }) => object.complete()));
  const failure = completions.find((completion): completion is PromiseRejectedResult => completion.status === 'rejected');
  if (failure) {
    // Some outputs may have completed: remove them so no year is left half-written.
    await Promise.allSettled(outputs.map(({ key }, index) => (completions[index].status === 'fulfilled' ? deps.store.remove(key) : undefined)));
    throw failure.reason;
  }
  return counts;
}
