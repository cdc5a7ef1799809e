/**
 * The experiment's settings: one table declares each setting once (type, meaning, default, checks), and the
 * settings' type, defaults, known names and deploy-time-only list are derived from it.
 *
 * The same code checks deploy-time settings (at synth, from CDK context or a config file) and
 * per-execution overrides (in the workflow's first state), so both fail with the same messages.
 */
import { INVOKE_ENDPOINT_MAX_BODY_BYTES } from '../sagemaker/limits';
import { hyperparameterProblem } from './linear-learner-hyperparameters';
import { FEATURE_COUNT } from '../data/transform/features';
import { DEFAULT_PRICES_PER_HOUR } from './prices';
import { MAX_VARIANTS, maxVariants, worstCaseEventsPerVariant } from './execution-limits';
import { Sweep, expandSweep, sweepProblems } from './sweep';
import {
  Problems,
  Rule,
  describe,
  imageUri,
  instanceType,
  integer,
  isObject,
  number,
  s3Prefix,
  single,
  trueOrFalse,
} from './setting-rules';

export type TrainDistribution = 'FullyReplicated' | 'ShardedByS3Key';
export const TRAIN_DISTRIBUTIONS: readonly TrainDistribution[] = ['FullyReplicated', 'ShardedByS3Key'];
export type VariantFailurePolicy = 'continue' | 'stop';
export const VARIANT_FAILURE_POLICIES: readonly VariantFailurePolicy[] = ['continue', 'stop'];

export type Hyperparameters = Record<string, string>;

/** How a training job reads its channels: Linear Learner documents File and Pipe (RecordIO-protobuf or CSV). */
export type InputMode = 'File' | 'Pipe';
export const INPUT_MODES: readonly InputMode[] = ['File', 'Pipe'];

/** One training run of the experiment; everything not given comes from the experiment's settings. */
export interface VariantSettings {
  readonly name: string;
  readonly trainDistribution: TrainDistribution;
  readonly instanceCount?: number;
  readonly instanceType?: string;
  /** Merged over the experiment's hyperparameters. */
  readonly hyperparameters?: Hyperparameters;
  readonly inputMode?: InputMode;
  readonly spot?: boolean;
}

/** `"year"`: one training object per training year; a number N: the training rows spread over N objects. */
export type TrainShards = 'year' | number;
export const MIN_TRAIN_SHARDS = 2;
export const MAX_TRAIN_SHARDS = 100;

/** How many objects the train channel holds: ShardedByS3Key hands each instance whole objects. */
export function trainObjectCount(settings: Pick<ExperimentSettings, 'trainShards' | 'trainingYears'>): number {
  return settings.trainShards === 'year' ? settings.trainingYears.length : settings.trainShards;
}

/** GDELT 1.0 publishes one events file per year for these years (later data is monthly, then daily). */
export const FIRST_GDELT_YEAR = 1979;
export const LAST_YEARLY_GDELT_YEAR = 2005;
export const MAX_VARIANT_NAME_LENGTH = 20;
/** SageMaker's bound on MaxRuntimeInSeconds, 28 days; the settings hold MaxWaitTimeInSeconds to it too. */
export const MAX_TRAINING_JOB_SECONDS = 28 * 24 * 3600;

export class SettingsError extends Error {
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`Invalid ${source}:\n- ${problems.join('\n- ')}`);
    this.name = 'InvalidSettings';
  }
}

const year: Rule = integer(FIRST_GDELT_YEAR, LAST_YEARLY_GDELT_YEAR);

/** The `trainShards` rule, also applied by the task that lays the training data out. */
export const trainShardsProblem: Rule = (value) =>
  value === 'year' || (Number.isInteger(value) && (value as number) >= MIN_TRAIN_SHARDS && (value as number) <= MAX_TRAIN_SHARDS)
    ? undefined
    : `must be "year" or an integer from ${MIN_TRAIN_SHARDS} to ${MAX_TRAIN_SHARDS}`;

const inputMode: Rule = (value) => {
  // SageMaker accepts FastFile for any algorithm, but Linear Learner's documentation names only File and Pipe.
  if (value === 'FastFile') return 'must be File or Pipe: Linear Learner does not document FastFile input mode';
  return INPUT_MODES.includes(value as InputMode) ? undefined : `must be one of ${INPUT_MODES.join(', ')}`;
};

function hyperparameterProblems(value: unknown, path: string): string[] {
  if (!isObject(value)) return [`${path}: ${describe(value)} must be an object of hyperparameter names to values`];
  return Object.entries(value).flatMap(([key, entry]) => hyperparameterProblem(path, key, entry) ?? []);
}

/** SageMaker takes hyperparameters as strings; settings may give numbers for convenience. */
function normalizeHyperparameters(value: Record<string, string | number>): Hyperparameters {
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

const VARIANT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VARIANT_KEYS = ['name', 'trainDistribution', 'instanceCount', 'instanceType', 'hyperparameters', 'inputMode', 'spot'];

function variantProblems(value: unknown, index: number): string[] {
  const path = `variants[${index}]`;
  if (!isObject(value)) return [`${path}: ${describe(value)} must be an object with "name" and "trainDistribution"`];
  const problems = Object.keys(value)
    .filter((key) => !VARIANT_KEYS.includes(key))
    .map((key) => `${path}.${key}: unknown setting; a variant takes ${VARIANT_KEYS.join(', ')}`);
  if (typeof value.name !== 'string' || value.name.length > MAX_VARIANT_NAME_LENGTH || !VARIANT_NAME.test(value.name)) {
    problems.push(
      `${path}.name: ${describe(value.name)} must be 1 to ${MAX_VARIANT_NAME_LENGTH} lowercase letters or digits, with single hyphens between them`,
    );
  }
  if (!TRAIN_DISTRIBUTIONS.includes(value.trainDistribution as TrainDistribution)) {
    problems.push(`${path}.trainDistribution: ${describe(value.trainDistribution)} must be one of ${TRAIN_DISTRIBUTIONS.join(', ')}`);
  }
  // A variant's own resources override the experiment's, under the experiment's rules.
  for (const key of ['instanceCount', 'instanceType', 'hyperparameters', 'inputMode', 'spot'] as const) {
    if (value[key] !== undefined) problems.push(...SETTINGS[key].problems(value[key], `${path}.${key}`));
  }
  return problems;
}

/** A swept value is checked by the rule its key has in a variant. */
function sweepValueProblems(key: string, value: unknown, path: string): string[] {
  if (key === 'trainDistribution') {
    return TRAIN_DISTRIBUTIONS.includes(value as TrainDistribution)
      ? []
      : [`${path}: ${describe(value)} must be one of ${TRAIN_DISTRIBUTIONS.join(', ')}`];
  }
  if (key === 'instanceCount' || key === 'instanceType') return SETTINGS[key].problems(value, path);
  const problem = hyperparameterProblem('', key.slice('hyperparameters.'.length), value);
  // The rule names `<path>.<hyperparameter>`; the swept value's place is the list entry.
  return problem ? [`${path}:${problem.slice(problem.indexOf(':') + 1)}`] : [];
}

/** One setting: `T` is its type; the rest is what it means, its default and how a value is checked and merged. */
interface SettingSpec<T> {
  /** What the setting means, for whoever reads or changes its use. */
  readonly doc: string;
  readonly problems: Problems;
  /** Why an execution cannot change the setting; absent when an execution may override it. */
  readonly deployTimeOnly?: string;
  /** How an override combines with the base value; absent: the override replaces it. */
  readonly merge?: (base: T, override: T | undefined) => T;
}

interface DefaultedSettingSpec<T> extends SettingSpec<T> {
  readonly default: T;
}

/** A setting whose default depends on the deployment, so the table cannot hold it: synth supplies it. */
interface SynthDefaultedSettingSpec<T> extends SettingSpec<T> {
  /** Where synth takes the default from, and why it is not a constant. */
  readonly defaultAtSynth: string;
}

const setting = <T>(spec: DefaultedSettingSpec<T>): DefaultedSettingSpec<T> => spec;
const settingDefaultedAtSynth = <T>(spec: SynthDefaultedSettingSpec<T>): SynthDefaultedSettingSpec<T> => spec;

/**
 * Every setting, once. Defaults are the workshop's values (its notebook), plus this project's own for what the
 * workshop did by hand. The order is the order of `WORKSHOP_DEFAULTS` (and so of the settings in the template) and
 * of the known settings an unknown one's message lists.
 */
const SETTINGS = {
  imageUri: settingDefaultedAtSynth<string>({
    doc: 'Linear Learner image.',
    defaultAtSynth: "the stack region's `linear-learner:1` (lib/linear-learner-image.ts): the region is known only at synth",
    problems: single(imageUri),
  }),
  instanceCount: setting<number>({ doc: 'Training instances per job.', default: 5, problems: single(integer(1, 100)) }),
  instanceType: setting<string>({ doc: 'Training instance type.', default: 'ml.c4.2xlarge', problems: single(instanceType) }),
  volumeSizeInGB: setting<number>({ doc: 'Training volume per instance.', default: 10, problems: single(integer(1, 16384)) }),
  maxRuntimeInSeconds: setting<number>({
    doc: 'Training stopping condition.',
    default: 1800,
    // SageMaker's own bounds for MaxRuntimeInSeconds on a training job: up to 28 days.
    problems: single(integer(60, MAX_TRAINING_JOB_SECONDS)),
  }),
  maxWaitInSeconds: setting<number>({
    doc: 'Spot training stopping condition: waiting for spot capacity plus training; at least maxRuntimeInSeconds.',
    // Twice the default runtime: room for one interruption and a resume from the last checkpoint.
    default: 3600,
    // The same 28 days SageMaker allows for MaxRuntimeInSeconds. The bucket's checkpoint expiry is derived from it.
    problems: single(integer(60, MAX_TRAINING_JOB_SECONDS)),
  }),
  inputMode: setting<InputMode>({
    doc: 'How training jobs read their data: File (downloaded first) or Pipe (streamed from S3).',
    default: 'File',
    problems: single(inputMode),
  }),
  spot: setting<boolean>({
    doc: 'Train on managed spot capacity, with checkpoints under `<s3Prefix>/checkpoints/` to resume from.',
    default: false,
    problems: single(trueOrFalse),
  }),
  hyperparameters: setting<Hyperparameters>({
    doc: "Linear Learner hyperparameters of every variant; a variant's own are merged over them.",
    default: {
      feature_dim: String(FEATURE_COUNT),
      mini_batch_size: '500',
      predictor_type: 'regressor',
      epochs: '2',
      num_models: '32',
      loss: 'absolute_loss',
    },
    problems: hyperparameterProblems,
    merge: (base, override) => normalizeHyperparameters({ ...base, ...override }),
  }),
  endpointInstanceType: setting<string>({ doc: 'Hosting instance type.', default: 'ml.m4.xlarge', problems: single(instanceType) }),
  endpointInstanceCount: setting<number>({ doc: 'Hosting instances per endpoint.', default: 1, problems: single(integer(1, 10)) }),
  s3Prefix: setting<string>({
    doc: 'Key prefix in the data bucket for data, model artifacts and reports; no leading or trailing slash.',
    default: 'sagemaker/data_distribution_types',
    problems: single(s3Prefix),
    deployTimeOnly: "the stack's IAM policies are scoped to it",
  }),
  datasetRetentionDays: setting<number>({
    doc: 'Days the bucket keeps prepared datasets (`<s3Prefix>/datasets/`) after they were last written.',
    default: 30,
    // Above the 2 days before expiry at which a year is rebuilt rather than reused, so a dataset is reused at all.
    problems: single(integer(3, 3650)),
    deployTimeOnly: "the data bucket's lifecycle rule applies it",
  }),
  variants: setting<readonly VariantSettings[]>({
    doc: 'The training runs compared; a list replaces the base list.',
    default: [
      { name: 'replicated', trainDistribution: 'FullyReplicated' },
      { name: 'sharded', trainDistribution: 'ShardedByS3Key' },
    ],
    // Empty only with a sweep, which the check on the merged settings makes sure of.
    problems: (value, path) =>
      Array.isArray(value) && value.length <= MAX_VARIANTS
        ? value.flatMap(variantProblems)
        : [`${path}: ${describe(value)} must be a list of up to ${MAX_VARIANTS} variants`],
    merge: (base, override) =>
      (override ?? base).map((variant) =>
        variant.hyperparameters ? { ...variant, hyperparameters: normalizeHyperparameters(variant.hyperparameters) } : variant,
      ),
  }),
  sweep: setting<Sweep>({
    doc: 'A grid of variant values (`trainDistribution`, `instanceCount`, `instanceType`, `hyperparameters.<name>`) run as one variant per combination, after `variants`.',
    default: {},
    problems: sweepProblems(sweepValueProblems),
  }),
  maxParallelVariants: setting<number>({
    doc: 'Variants trained and hosted at the same time; the others wait for a free slot.',
    default: 4,
    problems: single(integer(1, MAX_VARIANTS)),
  }),
  trainingYears: setting<readonly number[]>({
    doc: 'GDELT years whose rows train the models (one object per year per channel).',
    default: [1979, 1980, 1981, 1982, 1983],
    problems: (value, path) =>
      Array.isArray(value) && value.length >= 1 && value.length <= 27
        ? value.flatMap((entry, i) => single(year)(entry, `${path}[${i}]`))
        : [`${path}: ${describe(value)} must be a non-empty list of years`],
  }),
  trainShards: setting<TrainShards>({
    doc: 'Objects of the train channel: "year" (one per training year) or N (2 to 100) objects of near-equal size, the rows spread evenly.',
    default: 'year',
    problems: single(trainShardsProblem),
  }),
  testYear: setting<number>({ doc: 'GDELT year held out for evaluating the endpoints.', default: 1984, problems: single(year) }),
  validationPercent: setting<number>({
    doc: 'Share of each training year (by a hash of GLOBALEVENTID) sent to the validation channel, in percent.',
    default: 10,
    problems: single(integer(1, 50)),
  }),
  maxMalformedShare: setting<number>({
    doc: 'A source file with a larger share of malformed rows is not GDELT data and fails the preparation.',
    default: 0.5,
    problems: single(number(0, 1)),
  }),
  trainingPollSeconds: setting<number>({ doc: 'Wait between training status checks.', default: 60, problems: single(integer(5, 3600)) }),
  endpointPollSeconds: setting<number>({ doc: 'Wait between endpoint status checks.', default: 30, problems: single(integer(5, 3600)) }),
  keepEndpoints: setting<boolean>({
    doc: 'Keep both endpoints running after the evaluation (they bill by the hour).',
    default: false,
    problems: single(trueOrFalse),
  }),
  keepModels: setting<boolean>({
    doc: 'Keep the models after the endpoints are deleted (models cost nothing).',
    default: false,
    problems: single(trueOrFalse),
  }),
  onVariantFailure: setting<VariantFailurePolicy>({
    doc: 'What a failed variant does to the others: `continue` trains, hosts, evaluates and cleans up the rest, reports them all, then fails the execution; `stop` cleans up everything and fails at once.',
    default: 'continue',
    problems: single((value) =>
      VARIANT_FAILURE_POLICIES.includes(value as VariantFailurePolicy)
        ? undefined
        : `must be one of ${VARIANT_FAILURE_POLICIES.join(', ')}`,
    ),
  }),
  evaluationBatchBytes: setting<number>({
    doc: "Largest InvokeEndpoint body the evaluation sends, in bytes (SageMaker's limit is 6 MiB).",
    // A little under InvokeEndpoint's 6 MiB, as the workshop notebook sends (about 5 MB per call).
    default: 5_000_000,
    problems: single(integer(1024, INVOKE_ENDPOINT_MAX_BODY_BYTES)),
  }),
  evaluationConcurrency: setting<number>({ doc: 'Batches in flight per endpoint.', default: 4, problems: single(integer(1, 16)) }),
  preflight: setting<boolean>({
    doc: 'Check quotas and source data before anything is read or created.',
    default: true,
    problems: single(trueOrFalse),
  }),
  pricesPerHour: setting<Readonly<Record<string, number>>>({
    doc: "On-demand USD per instance-hour by instance type, for the report's cost estimate.",
    // Not the workshop's (it estimated no cost): this project's price table, kept with its sources in prices.ts.
    default: DEFAULT_PRICES_PER_HOUR,
    problems: (value, path) =>
      isObject(value)
        ? Object.entries(value).flatMap(([type, price]) => [
            ...(instanceType(type) ? [`${path}: key ${describe(type)} ${instanceType(type)}`] : []),
            ...single(number(0, 1000))(price, `${path}.${type}`),
          ])
        : [`${path}: ${describe(value)} must be an object of instance types to USD per hour`],
    merge: (base, override) => ({ ...base, ...override }),
  }),
};

type Settings = typeof SETTINGS;
type SettingName = keyof Settings;
type ValueOf<Spec> = Spec extends SettingSpec<infer T> ? T : never;

export type ExperimentSettings = { readonly [Name in SettingName]: ValueOf<Settings[Name]> };

/** The settings synth supplies a default for (see `defaultAtSynth`), left out of the defaults below. */
type DefaultedAtSynth = { [Name in SettingName]: Settings[Name] extends { defaultAtSynth: string } ? Name : never }[SettingName];

/** Every table default, in the table's order: a complete settings object once synth adds the rest. */
export const WORKSHOP_DEFAULTS = Object.fromEntries(
  Object.entries(SETTINGS).flatMap(([name, spec]) => ('default' in spec ? [[name, spec.default]] : [])),
) as Omit<ExperimentSettings, DefaultedAtSynth>;

export const SETTING_NAMES = Object.keys(SETTINGS) as readonly SettingName[];

const isSettingName = (name: string): name is SettingName => (SETTING_NAMES as readonly string[]).includes(name);

/** Settings fixed at deploy time; each spec says why an execution cannot change it. */
export const DEPLOY_TIME_ONLY: readonly SettingName[] = SETTING_NAMES.filter((name) => SETTINGS[name].deployTimeOnly !== undefined);

/** Problems with a partial settings object, each naming the setting, the value and what is allowed. */
export function settingsProblems(overrides: unknown, deployTime = true): string[] {
  if (!isObject(overrides)) return [`settings must be a JSON object, got ${describe(overrides)}`];
  return Object.entries(overrides).flatMap(([name, value]) => {
    if (!isSettingName(name)) return [`${name}: unknown setting; known settings are ${SETTING_NAMES.join(', ')}`];
    const { deployTimeOnly, problems } = SETTINGS[name];
    if (!deployTime && deployTimeOnly) return [`${name}: can only be set at deploy time (${deployTimeOnly}), not per execution`];
    return problems(value, name);
  });
}

/** Rules that involve more than one setting, checked on the merged result. */
function crossSettingProblems(settings: ExperimentSettings): string[] {
  const problems: string[] = [];
  const variants = experimentVariants(settings);
  const names = variants.map((variant) => variant.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0) {
    problems.push(
      `variants and sweep: names must be unique, ${describe([...new Set(duplicates)])} repeated; rename the variant the sweep's name clashes with`,
    );
  }
  const tooLong = names.filter((name) => name.length > MAX_VARIANT_NAME_LENGTH);
  if (tooLong.length > 0) {
    problems.push(`sweep: generated names ${describe(tooLong)} are longer than ${MAX_VARIANT_NAME_LENGTH} characters; sweep fewer keys`);
  }
  // Spot jobs may be polled until maxWaitInSeconds: the limit counts the longest loop any variant may run.
  const anySpot = variants.some((variant) => variant.spot ?? settings.spot);
  const limit = maxVariants(settings, anySpot);
  if (variants.length === 0) problems.push('variants: at least one variant is needed, in variants or from a sweep');
  if (variants.length > limit) {
    problems.push(
      `variants and sweep: ${variants.length} variants (${settings.variants.length} listed + ${variants.length - settings.variants.length} from the sweep) exceed the ${limit} an execution can hold ` +
        `(up to ${worstCaseEventsPerVariant(settings, anySpot)} history events each of 25,000, at most ${MAX_VARIANTS}); poll less often (trainingPollSeconds, endpointPollSeconds) or run fewer`,
    );
  }
  const years = settings.trainingYears;
  if (new Set(years).size !== years.length) problems.push(`trainingYears: ${describe(years)} must not repeat a year`);
  if (years.includes(settings.testYear)) {
    problems.push(`testYear: ${settings.testYear} is also a training year; the test year must be held out`);
  }
  const spotVariants = variants.filter((variant) => variant.spot ?? settings.spot).map((variant) => variant.name);
  if (spotVariants.length > 0 && settings.maxWaitInSeconds < settings.maxRuntimeInSeconds) {
    problems.push(
      `maxWaitInSeconds: ${settings.maxWaitInSeconds} must be at least maxRuntimeInSeconds (${settings.maxRuntimeInSeconds}) for spot training (variants ${spotVariants.join(', ')})`,
    );
  }
  const objects = trainObjectCount(settings);
  const objectsText =
    settings.trainShards === 'year' ? `${objects} (one per training year)` : `${objects} (trainShards: ${settings.trainShards})`;
  variants.forEach((variant, i) => {
    const count = variant.instanceCount ?? settings.instanceCount;
    // ShardedByS3Key hands out whole objects: an instance without one has no data to train on.
    if (variant.trainDistribution === 'ShardedByS3Key' && count > objects) {
      const where = i < settings.variants.length ? `variants[${i}]` : 'sweep';
      problems.push(
        `${where} (${variant.name}): ${count} instances with ShardedByS3Key need at least ${count} training objects (one each), the train channel holds ${objectsText}; ` +
          `set trainShards to at least ${count} or use at most ${objects} instances`,
      );
    }
  });
  return problems;
}

/** Each setting's merge applied to its base value and override; the result keeps the base's key order. */
function mergeOverrides(base: ExperimentSettings, given: Partial<ExperimentSettings>): ExperimentSettings {
  const merged: Record<string, unknown> = { ...base, ...given };
  for (const name of SETTING_NAMES) {
    const { merge } = SETTINGS[name] as SettingSpec<unknown>;
    if (merge) merged[name] = merge(base[name], given[name]);
  }
  return merged as ExperimentSettings;
}

/**
 * Merges overrides over a complete base and validates the result.
 * Lists replace lists; hyperparameters and prices merge by key.
 * @throws SettingsError listing every problem, labelled with `source`.
 */
export function resolveSettings(
  base: ExperimentSettings,
  overrides: unknown,
  source: 'deploy-time settings' | 'execution input',
): ExperimentSettings {
  const problems = settingsProblems(overrides, source === 'deploy-time settings');
  if (problems.length > 0) throw new SettingsError(problems, source);
  const merged = mergeOverrides(base, overrides as Partial<ExperimentSettings>);
  const crossProblems = crossSettingProblems(merged);
  if (crossProblems.length > 0) throw new SettingsError(crossProblems, source);
  return merged;
}

/** The listed variants, then the sweep's combinations: every variant an execution trains. */
export function experimentVariants(settings: Pick<ExperimentSettings, 'variants' | 'sweep'>): VariantSettings[] {
  return [...settings.variants, ...expandSweep(settings.sweep)];
}

/** A variant with every field filled from the experiment's settings. */
export interface ResolvedVariant {
  readonly name: string;
  readonly trainDistribution: TrainDistribution;
  readonly instanceCount: number;
  readonly instanceType: string;
  readonly hyperparameters: Hyperparameters;
  readonly inputMode: InputMode;
  readonly spot: boolean;
}

export function resolveVariant(settings: ExperimentSettings, variant: VariantSettings): ResolvedVariant {
  return {
    name: variant.name,
    trainDistribution: variant.trainDistribution,
    instanceCount: variant.instanceCount ?? settings.instanceCount,
    instanceType: variant.instanceType ?? settings.instanceType,
    hyperparameters: { ...settings.hyperparameters, ...variant.hyperparameters },
    inputMode: variant.inputMode ?? settings.inputMode,
    spot: variant.spot ?? settings.spot,
  };
}
