/**
 * Prepared data is addressed by what it is. A dataset's id is a hash of everything that decides its bytes: the
 * transform version, the 20 event codes, the validation share, and each year's source object with its ETag. It lives
 * at `<prefix>/datasets/<id>/`, so executions with the same settings share it, and executions with other settings
 * can never write into it: a training job's channel prefixes hold exactly the years of its own settings.
 */
import { createHash } from 'node:crypto';
import { channelPrefix, datasetPrefix, outputKeysFor, trainShardsPrefix } from '../common/bucket-layout';
import type { TrainShards } from '../experiment/settings';
import type { SourceIdentity, SourceRef } from './data-manifest';
import type { PrepareYearRequest, SourceReader } from './data-preparation';
import type { DatasetKind } from './transform/featurize-stream';
import type { LayOutTrainingRequest } from './train-shards';
import { assertEventCodes, TRANSFORM_VERSION } from './transform/gdelt-transform';

/** 64 bits of SHA-256: no two datasets of one bucket will ever share an id, and keys stay short. */
const ID_HEX_DIGITS = 16;
/** HEAD requests in flight at once; the SDK retries S3's SlowDown with backoff on top of this. */
const MAX_HEADS_IN_FLIGHT = 8;

export interface YearSource {
  readonly year: number;
  readonly kind: DatasetKind;
  readonly source: SourceRef;
}

/** Everything that decides the bytes of a dataset. */
export interface DatasetInputs {
  readonly transformVersion: number;
  readonly codes: readonly string[];
  readonly validationPercent: number;
  readonly years: ReadonlyArray<{ readonly year: number; readonly kind: DatasetKind; readonly source: SourceIdentity }>;
}

export function datasetId(inputs: DatasetInputs): string {
  // Canonical: fixed key order, codes as the transform orders them, years by year. The order they were given in
  // changes nothing in the data, so it changes nothing in the id.
  const canonical = {
    transformVersion: inputs.transformVersion,
    codes: assertEventCodes([...inputs.codes]),
    validationPercent: inputs.validationPercent,
    years: [...inputs.years]
      .sort((a, b) => a.year - b.year)
      .map(({ year, kind, source }) => ({
        year,
        kind,
        bucket: source.bucket,
        key: source.key,
        eTag: source.eTag,
      })),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, ID_HEX_DIGITS);
}

/** Where the later states find a dataset: the training channels (key prefixes, with the slash) and the test CSV. */
export interface DatasetLocation {
  readonly id: string;
  readonly prefix: string;
  readonly channels: { readonly train: string; readonly validation: string };
  /** Absent when the dataset has no test year (only the local tool prepares such datasets). */
  readonly testKey?: string;
}

export interface IdentifyDatasetRequest {
  /** The experiment's key prefix; datasets go below `<dataPrefix>/datasets/`. */
  readonly dataPrefix: string;
  readonly validationPercent: number;
  readonly maxMalformedShare: number;
  /** Days after which the bucket expires dataset objects; prepare-year rebuilds a year close to it. */
  readonly retentionDays?: number;
  readonly years: readonly YearSource[];
  /**
   * How the train channel is laid out (default "year"); not part of the id, since every layout is cut from the same
   * per-year objects.
   */
  readonly trainShards?: TrainShards;
  /** The profile of the first training year: its codes, and the ETag of the bytes they were counted from. */
  readonly profile: { readonly year: number; readonly codes: readonly string[]; readonly sourceETag: string };
}

export interface IdentifiedDataset extends DatasetLocation {
  /** One work item per year for "Prepare each year", each bound to the source ETag that named the dataset. */
  readonly years: PrepareYearRequest[];
  /** The work item for "Lay out training data", once the years are prepared. */
  readonly trainLayout: LayOutTrainingRequest;
}

function sourceChanged(description: string, year: number): Error {
  const error = new Error(
    `${description} changed after its event codes were counted (year ${year} has another ETag now); start the execution again`,
  );
  error.name = 'SourceChanged';
  return error;
}

async function mapInBatches<T, R>(items: readonly T[], size: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(map))));
  return results;
}

/** HEADs every source object, names the dataset, and returns its location and the work items that fill it. */
export async function identifyDataset(sources: SourceReader, request: IdentifyDatasetRequest): Promise<IdentifiedDataset> {
  const identified = await mapInBatches(request.years, MAX_HEADS_IN_FLIGHT, async (year) => ({
    ...year,
    source: await sources.identify(year.source),
  }));
  const profiled = identified.find(({ year }) => year === request.profile.year);
  if (profiled && profiled.source.eTag !== request.profile.sourceETag)
    throw sourceChanged(sources.describe(profiled.source), profiled.year);

  const codes = assertEventCodes([...request.profile.codes]);
  const id = datasetId({ transformVersion: TRANSFORM_VERSION, codes, validationPercent: request.validationPercent, years: identified });
  const prefix = datasetPrefix(request.dataPrefix, id);
  const testYear = identified.find(({ kind }) => kind === 'test');
  const trainShards = request.trainShards ?? 'year';
  return {
    id,
    prefix,
    channels: {
      train: trainShards === 'year' ? channelPrefix(prefix, 'train') : trainShardsPrefix(prefix, trainShards),
      validation: channelPrefix(prefix, 'validation'),
    },
    ...(testYear && { testKey: outputKeysFor(prefix, testYear.year, 'test').testCsv }),
    years: identified.map(({ year, kind, source }) => ({
      source,
      year,
      kind,
      codes,
      validationPercent: request.validationPercent,
      maxMalformedShare: request.maxMalformedShare,
      dataPrefix: prefix,
      ...(request.retentionDays !== undefined && { retentionDays: request.retentionDays }),
    })),
    trainLayout: {
      dataPrefix: prefix,
      trainingYears: identified.filter(({ kind }) => kind === 'train').map(({ year }) => year),
      trainShards,
      ...(request.retentionDays !== undefined && { retentionDays: request.retentionDays }),
    },
  };
}
