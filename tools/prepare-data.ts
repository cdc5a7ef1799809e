/**
 * Prepares GDELT files on this machine with the same code the workflow runs in Lambda.
 *
 *   npm run prepare-data -- --input <file or dir>... --out <dir> [options]
 *
 * Writes <out>/[prefix/]datasets/<id>/train|validation|test/<year>.data, test/<year>.csv and manifests/, like the data
 * bucket, with the same dataset id for the same files and settings.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareYear, profileEventCodes, PrepareYearResult } from '../lambda/core/data/data-preparation';
import { identifyDataset } from '../lambda/core/data/dataset';
import { logProgress } from '../lambda/core/data/transform/featurize-stream';
import { TrainShards, WORKSHOP_DEFAULTS, settingsProblems } from '../lambda/core/experiment/settings';
import { layOutTrainingData } from '../lambda/core/data/train-shards';
import { LOCAL_SOURCE_BUCKET, LocalDataStore, LocalSourceReader } from './local-data-store';

export const USAGE = `Usage: npm run prepare-data -- --input <file or dir> [--input ...] --out <dir> [options]

Transforms local GDELT 1.0 event files (tab-separated, no header) into RecordIO-protobuf, as the workflow does.
Each file must be named <year>.csv or <year>.tsv; a directory contributes the files so named.
The lowest year is profiled for the 20 event codes.

Options:
  --input <path>...            GDELT files and/or directories of them
  --out <dir>                  output directory (created)
  --test-year <year>           year written to test/ (RecordIO + CSV, no split);
                               default: the highest year when more than one file is given, else none
  --validation-percent <n>     percent of train-year rows sent to validation/, as the workflow's
                               validationPercent setting (default ${WORKSHOP_DEFAULTS.validationPercent})
  --max-malformed-share <x>    fail a file when more than this share of rows is not GDELT-shaped,
                               as the maxMalformedShare setting (default ${WORKSHOP_DEFAULTS.maxMalformedShare})
  --train-shards <n>           also write the training rows as n objects of near-equal size (2 to 100) in
                               train-shards-<n>/, as the trainShards setting (default: year, per-year objects only)
  --prefix <key prefix>        write below <out>/<key prefix>/, as the s3Prefix setting does in the bucket
                               (default: none, straight into <out>)
  --help                       show this help

A rerun with the same files and settings finds the same dataset and skips the work.`;

export interface PrepareDataOptions {
  inputs: string[];
  out: string;
  testYear?: number;
  validationPercent: number;
  maxMalformedShare: number;
  prefix: string;
  /** @default 'year' */
  trainShards?: TrainShards;
}

const YEAR_FILE = /^(\d{4})\.(csv|tsv)$/;

function usageError(message: string): Error {
  const error = new Error(`${message}\n\n${USAGE}`);
  error.name = 'UsageError';
  return error;
}

function numberOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw usageError(`--${name} must be a number, got ${JSON.stringify(text)}`);
  return value;
}

/** Checks an option with the rule of the workflow setting it stands for, so both accept the same values. */
function checkAsSetting(option: string, setting: string, value: unknown): void {
  const [problem] = settingsProblems({ [setting]: value });
  // The settings' messages start with "<setting>: "; the option's name takes its place.
  if (problem) throw usageError(`--${option} ${problem.slice(setting.length + 2)}`);
}

const OPTIONS = {
  input: { type: 'string', multiple: true },
  out: { type: 'string' },
  'test-year': { type: 'string' },
  'validation-percent': { type: 'string' },
  'max-malformed-share': { type: 'string' },
  prefix: { type: 'string' },
  'train-shards': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Parses and checks the command line before any file is read; returns undefined for --help. */
export function parseOptions(argv: string[]): PrepareDataOptions | undefined {
  let parsed;
  try {
    // `--input a.csv b.csv`: paths after the first are positionals.
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    // node:util names the option it does not know or that lacks its value.
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const inputs = [...(values.input ?? []), ...positionals];
  if (inputs.length === 0) throw usageError('--input is required');
  if (!values.out) throw usageError('--out is required');
  const validationPercent = numberOption('validation-percent', values['validation-percent'], WORKSHOP_DEFAULTS.validationPercent);
  checkAsSetting('validation-percent', 'validationPercent', validationPercent);
  const maxMalformedShare = numberOption('max-malformed-share', values['max-malformed-share'], WORKSHOP_DEFAULTS.maxMalformedShare);
  checkAsSetting('max-malformed-share', 'maxMalformedShare', maxMalformedShare);
  if (values.prefix !== undefined) checkAsSetting('prefix', 's3Prefix', values.prefix);
  const shardsText = values['train-shards'];
  // A number is a number of shards; any other text goes to the setting's rule as it is, which names what it takes.
  const shardsValue =
    shardsText === undefined ? 'year' : shardsText.trim() !== '' && Number.isFinite(Number(shardsText)) ? Number(shardsText) : shardsText;
  checkAsSetting('train-shards', 'trainShards', shardsValue);
  const trainShards = shardsValue as TrainShards;
  return {
    inputs,
    out: values.out,
    testYear: values['test-year'] === undefined ? undefined : numberOption('test-year', values['test-year'], 0),
    validationPercent,
    maxMalformedShare,
    prefix: values.prefix ?? '',
    trainShards,
  };
}

/** Finds the year files among the inputs, sorted by year. */
export async function findYearFiles(inputs: string[]): Promise<Array<{ year: number; file: string }>> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw usageError(`--input ${input} does not exist`);
    if (info.isDirectory()) {
      files.push(...(await readdir(input)).filter((name) => YEAR_FILE.test(name)).map((name) => path.join(input, name)));
    } else {
      if (!YEAR_FILE.test(path.basename(input))) throw usageError(`--input ${input}: the file name must be <year>.csv or <year>.tsv`);
      files.push(input);
    }
  }
  const byYear = new Map<number, string>();
  for (const file of files) {
    const year = Number(YEAR_FILE.exec(path.basename(file))![1]);
    if (byYear.has(year) && byYear.get(year) !== path.resolve(file))
      throw usageError(`two inputs for year ${year}: ${byYear.get(year)} and ${file}`);
    byYear.set(year, path.resolve(file));
  }
  if (byYear.size === 0) throw usageError(`no <year>.csv or <year>.tsv files in ${inputs.join(', ')}`);
  return [...byYear].sort(([a], [b]) => a - b).map(([year, file]) => ({ year, file }));
}

export async function prepareData(options: PrepareDataOptions, log: (line: string) => void = console.log): Promise<PrepareYearResult[]> {
  const files = await findYearFiles(options.inputs);
  const testYear = options.testYear ?? (files.length > 1 ? files[files.length - 1].year : undefined);
  if (testYear !== undefined && !files.some(({ year }) => year === testYear)) {
    throw usageError(`--test-year ${testYear} is not among the input years ${files.map(({ year }) => year).join(', ')}`);
  }
  const deps = { store: new LocalDataStore(options.out), sources: new LocalSourceReader(), onProgress: logProgress };
  const common = { dataPrefix: options.prefix, maxMalformedShare: options.maxMalformedShare };
  const first = files[0];
  const profile = await profileEventCodes(deps, { ...common, source: { bucket: LOCAL_SOURCE_BUCKET, key: first.file }, year: first.year });
  log(`event codes of ${first.year}${profile.skipped ? ' (unchanged, skipped)' : ''}: ${profile.codes.join(' ')}`);
  const dataset = await identifyDataset(deps.sources, {
    dataPrefix: options.prefix,
    validationPercent: options.validationPercent,
    maxMalformedShare: options.maxMalformedShare,
    trainShards: options.trainShards ?? 'year',
    years: files.map(({ year, file }) => ({
      year,
      kind: year === testYear ? 'test' : 'train',
      source: { bucket: LOCAL_SOURCE_BUCKET, key: file },
    })),
    profile: { year: first.year, codes: profile.codes, sourceETag: profile.sourceETag },
  });
  log(`dataset ${dataset.id}: ${deps.store.uri(dataset.prefix)}`);
  const results: PrepareYearResult[] = [];
  for (const work of dataset.years) {
    const result = await prepareYear(deps, work);
    const { read, train, validation, test, dropped } = result.counts;
    log(
      `${result.year} ${result.kind}${result.skipped ? ' (unchanged, skipped)' : ''}: read ${read}, train ${train}, validation ${validation}, ` +
        `test ${test}, dropped: wrong column count ${dropped.wrongColumnCount}, event code not selected ${dropped.eventCodeNotSelected}, ` +
        `bad number ${dropped.badNumber}, zero coordinates ${dropped.zeroCoordinates}`,
    );
    results.push(result);
  }
  if (dataset.trainLayout.trainShards !== 'year' && dataset.trainLayout.trainingYears.length > 0) {
    const shards = await layOutTrainingData({ store: deps.store }, dataset.trainLayout);
    const sizes = shards.map((shard) => shard.bytes);
    log(
      `train shards: ${shards.length} of ${Math.min(...sizes)} to ${Math.max(...sizes)} bytes in ${deps.store.uri(dataset.channels.train)}`,
    );
  }
  return results;
}

/** Runs the tool; returns the process exit code (0 success, 1 failure, 2 bad command line). */
export async function main(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let options: PrepareDataOptions | undefined;
  try {
    options = parseOptions(argv);
  } catch (error) {
    err((error as Error).message);
    return 2;
  }
  if (!options) {
    out(USAGE);
    return 0;
  }
  try {
    await prepareData(options, out);
    return 0;
  } catch (error) {
    err(`${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), console.log, console.error).then((code) => {
    process.exitCode = code;
  });
}
