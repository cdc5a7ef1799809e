/**
 * Stale prepared data: objects under the training channels that the current settings did not prepare.
 *
 * The train and validation channels are S3Prefix channels, and SageMaker reads every object whose key starts with
 * the prefix, nested keys included. Data preparation writes one object per year and never removes any, so after
 * trainingYears shrinks (say 1979-1983 to 1979-1981), 1982 and 1983 would still be trained on, silently.
 *
 * test/ and manifests/ are left alone on purpose: the evaluation reads only `test/<testYear>.csv` by its exact key,
 * so an old test year is never read, and manifests are what let a rerun skip a year that is already prepared.
 */
import { joinKey, outputKeysFor } from './data-manifest';
import { S3_PREFIX } from './settings';

/** The channels SageMaker reads by prefix; only these affect what the models learn. */
export const PREFIX_READ_CHANNELS = ['train', 'validation'] as const;

/** DeleteObjects accepts at most this many keys per request. */
export const MAX_KEYS_PER_DELETE = 1000;

export interface RemoveStaleDataRequest {
  readonly dataPrefix: string;
  readonly trainingYears: readonly number[];
}

/** The key prefix SageMaker reads for a channel, with the trailing slash so `train/` never matches `training/`. */
export function channelPrefix(dataPrefix: string, channel: string): string {
  return `${joinKey(dataPrefix, channel)}/`;
}

/**
 * The listed keys a training job would read but that are not a current year's output: old years, partial or stray
 * files, and anything in nested "folders". Keys outside the channels are never returned.
 */
export function staleKeys(listedKeys: string[], dataPrefix: string, trainingYears: readonly number[]): string[] {
  const current = new Set<string>();
  for (const year of trainingYears) {
    const keys = outputKeysFor(dataPrefix, year, 'train');
    current.add(keys.train!);
    current.add(keys.validation!);
  }
  const prefixes = PREFIX_READ_CHANNELS.map((channel) => channelPrefix(dataPrefix, channel));
  return listedKeys.filter((key) => prefixes.some((prefix) => key.startsWith(prefix)) && !current.has(key));
}

/** Splits keys into DeleteObjects-sized batches, in order. */
export function deleteBatches(keys: readonly string[], batchSize = MAX_KEYS_PER_DELETE): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < keys.length; start += batchSize) batches.push(keys.slice(start, start + batchSize));
  return batches;
}


/**
 * Checks the event before anything is listed or deleted. An empty year list is refused: it would make every
 * prepared training object stale, which is never what a run that is about to train wants.
 */
export function parseRemoveStaleDataRequest(event: unknown): RemoveStaleDataRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new Error(`Remove-stale-data event must be an object with "dataPrefix" and "trainingYears", got ${JSON.stringify(event)}`);
  }
  const { dataPrefix, trainingYears } = event as Record<string, unknown>;
  // Same rule as the s3Prefix setting: no leading or trailing slash, so `<prefix>/train/` is the channel's exact prefix.
  if (typeof dataPrefix !== 'string' || !S3_PREFIX.test(dataPrefix)) {
    throw new Error(
      `"dataPrefix" must be an S3 key prefix without leading or trailing slash, such as "sagemaker/data_distribution_types", got ${JSON.stringify(dataPrefix)}`,
    );
  }
  if (!Array.isArray(trainingYears) || trainingYears.length === 0) {
    throw new Error(`"trainingYears" must be a non-empty list of years, got ${JSON.stringify(trainingYears)}`);
  }
  trainingYears.forEach((year, i) => {
    if (!Number.isInteger(year) || (year as number) < 0) {
      throw new Error(`"trainingYears[${i}]" must be a year (a whole number), got ${JSON.stringify(year)}`);
    }
  });
  return { dataPrefix, trainingYears: trainingYears as number[] };
}
