/**
 * The experiment's settings: one shape, the workshop's values as defaults, one validator.
 *
 * The same code checks deploy-time settings (at synth, from CDK context or a config file) and
 * per-execution overrides (in the workflow's first state), so both fail with the same messages.
 */
import { INVOKE_ENDPOINT_MAX_BODY_BYTES } from '../sagemaker/limits';
import { hyperparameterProblem } from './linear-learner-hyperparameters';

export type TrainDistribution = 'FullyReplicated' | 'ShardedByS3Key';
export const TRAIN_DISTRIBUTIONS: readonly TrainDistribution[] = ['FullyReplicated', 'ShardedByS3Key'];

export type Hyperparameters = Record<string, string>;

/** One training run of the experiment; everything not given comes from the experiment's settings. */
export interface VariantSettings {
  readonly name: string;
  readonly trainDistribution: TrainDistribution;
  readonly instanceCount?: number;
  readonly instanceType?: string;
  /** Merged over the experiment's hyperparameters. */
  readonly hyperparameters?: Hyperparameters;
}

export interface ExperimentSettings {
  /** Linear Learner image; the deploy region's `linear-learner:1` unless given. */
  readonly imageUri: string;
  readonly instanceCount: number;
  readonly instanceType: string;
  readonly volumeSizeInGB: number;
  readonly maxRuntimeInSeconds: number;
  readonly hyperparameters: Hyperparameters;
  readonly endpointInstanceType: string;
  readonly endpointInstanceCount: number;
  /** Key prefix in the data bucket for data, model artifacts and reports; no leading or trailing slash. */
  readonly s3Prefix: string;
  /** Days the bucket keeps prepared datasets (`<s3Prefix>/datasets/`) after they were last written. */
  readonly datasetRetentionDays: number;
  readonly variants: readonly VariantSettings[];
  /** GDELT years whose rows train the models (one object per year per channel). */
  readonly trainingYears: readonly number[];
  /** GDELT year held out for evaluating the endpoints. */
  readonly testYear: number;
  /** Share of each training year (by a hash of GLOBALEVENTID) sent to the validation channel, in percent. */
  readonly validationPercent: number;
  /** A source file with a larger share of malformed rows is not GDELT data and fails the preparation. */
  readonly maxMalformedShare: number;
  readonly trainingPollSeconds: number;
  readonly endpointPollSeconds: number;
  /** Keep both endpoints running after the evaluation (they bill by the hour). */
  readonly keepEndpoints: boolean;
  /** Keep the models after the endpoints are deleted (models cost nothing). */
  readonly keepModels: boolean;
  /** Largest InvokeEndpoint body the evaluation sends, in bytes (SageMaker's limit is 6 MiB). */
  readonly evaluationBatchBytes: number;
  readonly evaluationConcurrency: number;
  /** On-demand USD per instance-hour by instance type, for the report's cost estimate. */
  readonly pricesPerHour: Readonly<Record<string, number>>;
  /** Check quotas and source data before anything is read or created. */
  readonly preflight: boolean;
}

/** The workshop's values, plus this project's own defaults for what the workshop did by hand. */
export const WORKSHOP_DEFAULTS: Omit<ExperimentSettings, 'imageUri' | 'pricesPerHour'> = {
  instanceCount: 5,
  instanceType: 'ml.c4.2xlarge',
  volumeSizeInGB: 10,
  maxRuntimeInSeconds: 1800,
  hyperparameters: {
    feature_dim: '25',
    mini_batch_size: '500',
    predictor_type: 'regressor',
    epochs: '2',
    num_models: '32',
    loss: 'absolute_loss',
  },
  endpointInstanceType: 'ml.m4.xlarge',
  endpointInstanceCount: 1,
  s3Prefix: 'sagemaker/data_distribution_types',
  datasetRetentionDays: 30,
  variants: [
    { name: 'replicated', trainDistribution: 'FullyReplicated' },
    { name: 'sharded', trainDistribution: 'ShardedByS3Key' },
  ],
  trainingYears: [1979, 1980, 1981, 1982, 1983],
  testYear: 1984,
  validationPercent: 10,
  maxMalformedShare: 0.5,
  trainingPollSeconds: 60,
  endpointPollSeconds: 30,
  keepEndpoints: false,
  keepModels: false,
  // A little under InvokeEndpoint's 6 MiB, as the workshop notebook sends (about 5 MB per call).
  evaluationBatchBytes: 5_000_000,
  evaluationConcurrency: 4,
  preflight: true,
};

/** GDELT 1.0 publishes one events file per year for these years (later data is monthly, then daily). */
export const FIRST_GDELT_YEAR = 1979;
export const LAST_YEARLY_GDELT_YEAR = 2005;
export const MAX_VARIANT_NAME_LENGTH = 20;

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[], source: string) {
    super(`Invalid ${source}:\n- ${problems.join('\n- ')}`);
    this.name = 'InvalidSettings';
  }
}

type Check = (value: unknown) => string | undefined;

const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);

function integer(min: number, max: number): Check {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
}

function number(min: number, max: number): Check {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
      ? undefined
      : `must be a number from ${min} to ${max}`;
}

const booleanCheck: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const instanceType: Check = (value) =>
  typeof value === 'string' && INSTANCE_TYPE.test(value)
    ? undefined
    : 'must be a SageMaker instance type such as "ml.c5.2xlarge"';

// Characters S3 documents as safe in keys; the prefix also becomes part of s3:// URIs in SageMaker requests.
export const S3_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const s3Prefix: Check = (value) =>
  typeof value === 'string' && value.length <= 200 && S3_PREFIX.test(value)
    ? undefined
    : 'must be an S3 key prefix of up to 200 characters (letters, digits, !_.*\'()- and / between parts), no leading or trailing slash';

// ECR image URIs: <registry>/<repository>[:tag|@digest]
const IMAGE_URI = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$/;
const imageUri: Check = (value) =>
  typeof value === 'string' && IMAGE_URI.test(value)
    ? undefined
    : 'must be a container image URI with a tag, such as "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"';

const year: Check = integer(FIRST_GDELT_YEAR, LAST_YEARLY_GDELT_YEAR);

function hyperparameterProblems(value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: ${describe(value)} must be an object of hyperparameter names to values`];
  }
  return Object.entries(value).flatMap(([key, entry]) => hyperparameterProblem(path, key, entry) ?? []);
}

/** SageMaker takes hyperparameters as strings; settings may give numbers for convenience. */
function normalizeHyperparameters(value: Record<string, string | number>): Hyperparameters {
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

const VARIANT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VARIANT_KEYS = ['name', 'trainDistribution', 'instanceCount', 'instanceType', 'hyperparameters'];

function variantProblems(value: unknown, index: number): string[] {
  const path = `variants[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: ${describe(value)} must be an object with "name" and "trainDistribution"`];
  }
  const variant = value as Record<string, unknown>;
  const problems = Object.keys(variant)
    .filter((key) => !VARIANT_KEYS.includes(key))
    .map((key) => `${path}.${key}: unknown setting; a variant takes ${VARIANT_KEYS.join(', ')}`);
  if (typeof variant.name !== 'string' || variant.name.length > MAX_VARIANT_NAME_LENGTH || !VARIANT_NAME.test(variant.name)) {
    problems.push(
      `${path}.name: ${describe(variant.name)} must be 1 to ${MAX_VARIANT_NAME_LENGTH} lowercase letters or digits, with single hyphens between them`,
    );
  }
  if (!TRAIN_DISTRIBUTIONS.includes(variant.trainDistribution as TrainDistribution)) {
    problems.push(`${path}.trainDistribution: ${describe(variant.trainDistribution)} must be one of ${TRAIN_DISTRIBUTIONS.join(', ')}`);
  }
  const checks: Record<string, Check> = { instanceCount: integer(1, 100), instanceType };
  for (const [key, check] of Object.entries(checks)) {
    const problem = variant[key] === undefined ? undefined : check(variant[key]);
    if (problem) problems.push(`${path}.${key}: ${describe(variant[key])} ${problem}`);
  }
  if (variant.hyperparameters !== undefined) problems.push(...hyperparameterProblems(variant.hyperparameters, `${path}.hyperparameters`));
  return problems;
}

const SCALAR_CHECKS: Record<string, Check> = {
  imageUri,
  instanceCount: integer(1, 100),
  instanceType,
  volumeSizeInGB: integer(1, 16384),
  // SageMaker's own bounds for MaxRuntimeInSeconds on a training job: up to 28 days.
  maxRuntimeInSeconds: integer(60, 28 * 24 * 3600),
  endpointInstanceType: instanceType,
  endpointInstanceCount: integer(1, 10),
  s3Prefix,
  // Above the 2 days before expiry at which a year is rebuilt rather than reused, so a dataset is reused at all.
  datasetRetentionDays: integer(3, 3650),
  testYear: year,
  validationPercent: integer(1, 50),
  maxMalformedShare: number(0, 1),
  trainingPollSeconds: integer(5, 3600),
  endpointPollSeconds: integer(5, 3600),
  keepEndpoints: booleanCheck,
  keepModels: booleanCheck,
  evaluationBatchBytes: integer(1024, INVOKE_ENDPOINT_MAX_BODY_BYTES),
  evaluationConcurrency: integer(1, 16),
  preflight: booleanCheck,
};

export const SETTING_NAMES: readonly string[] = [
  ...Object.keys(SCALAR_CHECKS),
  'hyperparameters',
  'variants',
  'trainingYears',
  'pricesPerHour',
];

function listProblems(name: string, value: unknown): string[] {
  switch (name) {
    case 'hyperparameters':
      return hyperparameterProblems(value, 'hyperparameters');
    case 'variants':
      if (!Array.isArray(value) || value.length === 0 || value.length > 10) {
        return [`variants: ${describe(value)} must be a list of 1 to 10 variants`];
      }
      return value.flatMap(variantProblems);
    case 'trainingYears':
      if (!Array.isArray(value) || value.length === 0 || value.length > 27) {
        return [`trainingYears: ${describe(value)} must be a non-empty list of years`];
      }
      return value.flatMap((entry, i) => {
        const problem = year(entry);
        return problem ? [`trainingYears[${i}]: ${describe(entry)} ${problem}`] : [];
      });
    case 'pricesPerHour':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [`pricesPerHour: ${describe(value)} must be an object of instance types to USD per hour`];
      }
      return Object.entries(value).flatMap(([type, price]) => [
        ...(instanceType(type) ? [`pricesPerHour: key ${describe(type)} ${instanceType(type)}`] : []),
        ...(number(0, 1000)(price) ? [`pricesPerHour.${type}: ${describe(price)} ${number(0, 1000)(price)}`] : []),
      ]);
    default:
      return [];
  }
}

/** Settings fixed at deploy time, each with the reason an execution cannot change it. */
const DEPLOY_TIME_REASONS: Readonly<Record<string, string>> = {
  s3Prefix: 'the stack\'s IAM policies are scoped to it',
  datasetRetentionDays: 'the data bucket\'s lifecycle rule applies it',
};
export const DEPLOY_TIME_ONLY: readonly string[] = Object.keys(DEPLOY_TIME_REASONS);

/** Problems with a partial settings object, each naming the setting, the value and what is allowed. */
export function settingsProblems(overrides: unknown, deployTime = true): string[] {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    return [`settings must be a JSON object, got ${describe(overrides)}`];
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    if (!SETTING_NAMES.includes(name)) {
      problems.push(`${name}: unknown setting; known settings are ${SETTING_NAMES.join(', ')}`);
    } else if (!deployTime && DEPLOY_TIME_ONLY.includes(name)) {
      problems.push(`${name}: can only be set at deploy time (${DEPLOY_TIME_REASONS[name]}), not per execution`);
    } else if (SCALAR_CHECKS[name]) {
      const problem = SCALAR_CHECKS[name](value);
      if (problem) problems.push(`${name}: ${describe(value)} ${problem}`);
    } else {
      problems.push(...listProblems(name, value));
    }
  }
  return problems;
}

/** Rules that involve more than one setting, checked on the merged result. */
function crossSettingProblems(settings: ExperimentSettings): string[] {
  const problems: string[] = [];
  const names = settings.variants.map((variant) => variant.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0) problems.push(`variants: names must be unique, ${describe([...new Set(duplicates)])} repeated`);
  const years = settings.trainingYears;
  if (new Set(years).size !== years.length) problems.push(`trainingYears: ${describe(years)} must not repeat a year`);
  if (years.includes(settings.testYear)) {
    problems.push(`testYear: ${settings.testYear} is also a training year; the test year must be held out`);
  }
  settings.variants.forEach((variant, i) => {
    const count = variant.instanceCount ?? settings.instanceCount;
    // ShardedByS3Key hands out whole objects: an instance without one has no data to train on.
    if (variant.trainDistribution === 'ShardedByS3Key' && count > years.length) {
      problems.push(
        `variants[${i}] (${variant.name}): ${count} instances with ShardedByS3Key need at least ${count} training years (one object each), got ${years.length}`,
      );
    }
  });
  return problems;
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
  const given = overrides as Partial<ExperimentSettings>;
  const merged: ExperimentSettings = {
    ...base,
    ...given,
    hyperparameters: normalizeHyperparameters({ ...base.hyperparameters, ...given.hyperparameters }),
    pricesPerHour: { ...base.pricesPerHour, ...given.pricesPerHour },
    variants: (given.variants ?? base.variants).map((variant) =>
      variant.hyperparameters ? { ...variant, hyperparameters: normalizeHyperparameters(variant.hyperparameters) } : variant,
    ),
  };
  const crossProblems = crossSettingProblems(merged);
  if (crossProblems.length > 0) throw new SettingsError(crossProblems, source);
  return merged;
}

/** A variant with every field filled from the experiment's settings. */
export interface ResolvedVariant {
  readonly name: string;
  readonly trainDistribution: TrainDistribution;
  readonly instanceCount: number;
  readonly instanceType: string;
  readonly hyperparameters: Hyperparameters;
}

export function resolveVariant(settings: ExperimentSettings, variant: VariantSettings): ResolvedVariant {
  return {
    name: variant.name,
    trainDistribution: variant.trainDistribution,
    instanceCount: variant.instanceCount ?? settings.instanceCount,
    instanceType: variant.instanceType ?? settings.instanceType,
    hyperparameters: { ...settings.hyperparameters, ...variant.hyperparameters },
  };
}
