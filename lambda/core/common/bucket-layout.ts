/**
 * Where everything the experiment writes lives in the data bucket, below the experiment prefix (the s3Prefix
 * setting):
 *
 *   <prefix>/profiles/<year>.json                       a source year's event-code profile (found before any dataset)
 *   <prefix>/datasets/<id>/train/<year>.data            RecordIO-protobuf, one object per training year
 *   <prefix>/datasets/<id>/validation/<year>.data
 *   <prefix>/datasets/<id>/test/<year>.data, <year>.csv
 *   <prefix>/datasets/<id>/manifests/<year>.json        written last: the mark that a year is complete
 *   <prefix>/datasets/<id>/train-shards-<N>/part-00000.data ... part-<N-1>   the training rows in N near-equal objects
 *   <prefix>/datasets/<id>/manifests/train-shards-<N>.json  written last: the mark that the N shards are complete
 *   <prefix>/<training job name>/output/model.tar.gz    model artifacts, where SageMaker puts them
 *   <prefix>/checkpoints/<training job name>/            a spot training job's checkpoints, to resume from
 *   <prefix>/reports/<execution name>/report.json, report.md, report.svg, report-cost.svg
 *
 * The plan, the data tasks, the SageMaker requests, the report writer, the local tool and the stack's IAM grants
 * and lifecycle rule all take their keys from here. It imports nothing, so synth loads nothing else with it.
 */

/** Joins key parts with `/`, ignoring an empty prefix and stray slashes at the joins. */
export function joinKey(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
}

/** Where prepared datasets live, one folder per dataset id (with the slash); the bucket expires what is below it. */
export function datasetsPrefix(experimentPrefix: string): string {
  return `${joinKey(experimentPrefix, 'datasets')}/`;
}

export function datasetPrefix(experimentPrefix: string, id: string): string {
  return joinKey(datasetsPrefix(experimentPrefix), id);
}

/** A training channel's key prefix, with the slash: SageMaker reads every object below it. */
export function channelPrefix(datasetPrefix: string, channel: 'train' | 'validation'): string {
  return `${joinKey(datasetPrefix, channel)}/`;
}

export function prepareManifestKey(datasetPrefix: string, year: number): string {
  return joinKey(datasetPrefix, 'manifests', `${year}.json`);
}

/**
 * The train channel of `trainShards: N`: its own folder per N, holding exactly the N shards and nothing else, since
 * ShardedByS3Key hands out every object below a channel's prefix. The per-year objects stay shared by every N.
 */
export function trainShardsPrefix(datasetPrefix: string, shards: number): string {
  return `${joinKey(datasetPrefix, `train-shards-${shards}`)}/`;
}

/** Shard `index` (from 0) of N; zero-padded so that key order is shard order. */
export function trainShardKey(datasetPrefix: string, shards: number, index: number): string {
  return joinKey(trainShardsPrefix(datasetPrefix, shards), `part-${String(index).padStart(5, '0')}.data`);
}

/** Outside the shards' channel prefix, so no training job ever reads it. */
export function trainShardsManifestKey(datasetPrefix: string, shards: number): string {
  return joinKey(datasetPrefix, 'manifests', `train-shards-${shards}.json`);
}

/** Outside any dataset: the profile decides a dataset's codes, so it is found before the dataset is named. */
export function profileManifestKey(experimentPrefix: string, year: number): string {
  return joinKey(experimentPrefix, 'profiles', `${year}.json`);
}

export interface OutputKeys {
  train?: string;
  validation?: string;
  test?: string;
  testCsv?: string;
}

/** One object per year per channel, so ShardedByS3Key gives each instance whole years (trainShards cuts other objects from them). */
export function outputKeysFor(datasetPrefix: string, year: number, kind: 'train' | 'test'): OutputKeys {
  return kind === 'train'
    ? {
        train: joinKey(channelPrefix(datasetPrefix, 'train'), `${year}.data`),
        validation: joinKey(channelPrefix(datasetPrefix, 'validation'), `${year}.data`),
      }
    : { test: joinKey(datasetPrefix, 'test', `${year}.data`), testCsv: joinKey(datasetPrefix, 'test', `${year}.csv`) };
}

/** A training job's S3OutputPath: SageMaker adds `<job name>/output/model.tar.gz` below it. */
export function modelOutputPrefix(experimentPrefix: string): string {
  return joinKey(experimentPrefix);
}

/** Every spot training job's checkpoint folder is below this one (with the slash); the bucket expires what is below it. */
export function checkpointsPrefix(experimentPrefix: string): string {
  return `${joinKey(experimentPrefix, 'checkpoints')}/`;
}

/** A spot training job's CheckpointConfig.S3Uri, with the slash: one folder per job, so no job resumes another's. */
export function checkpointPrefix(experimentPrefix: string, jobName: string): string {
  return `${joinKey(checkpointsPrefix(experimentPrefix), jobName)}/`;
}

/** Every execution's report folder is below this one. */
export function reportsPrefix(experimentPrefix: string): string {
  return joinKey(experimentPrefix, 'reports');
}

export function reportPrefix(experimentPrefix: string, executionName: string): string {
  return joinKey(reportsPrefix(experimentPrefix), executionName);
}

/** The report's three files in an execution's report folder. */
export function reportKeys(prefix: string): {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string;
  readonly costSvg: string;
} {
  return {
    json: joinKey(prefix, 'report.json'),
    markdown: joinKey(prefix, 'report.md'),
    svg: joinKey(prefix, 'report.svg'),
    costSvg: joinKey(prefix, 'report-cost.svg'),
  };
}
