/**
 * The first state's work: validate the execution input over the deployed defaults and fix, once, everything
 * later states need (resolved settings, names, tags, polling bounds, data-preparation work items).
 * Later states only read the plan, so a retried task always sees the same names.
 */
import type { VariantResources } from './naming';
import type { IdentifyDatasetRequest } from '../data/dataset';
import type { ProfileEventCodesRequest } from '../data/data-preparation';
import { GDELT_BUCKET, gdeltKey } from '../data/gdelt-source';
import { reportPrefix } from '../common/bucket-layout';
import { pick } from '../common/pick';
import { ExecutionIdentity, ResourceNames, Tag, resourceNames, resourceTags } from './naming';
import { ExperimentSettings, ResolvedVariant, experimentVariants, resolveSettings, resolveVariant, SettingsError } from './settings';
import { pollBounds } from './execution-limits';
import { MAX_SAGEMAKER_TAG_VALUE_LENGTH, SAGEMAKER_TAG_TEXT } from '../sagemaker/limits';

/** The settings a variant's tasks read, copied into each variant under the same names, so no task needs the rest. */
export const VARIANT_SETTINGS = [
  'imageUri',
  'volumeSizeInGB',
  'maxRuntimeInSeconds',
  'maxWaitInSeconds',
  's3Prefix',
  'endpointInstanceType',
  'endpointInstanceCount',
  'trainingPollSeconds',
  'endpointPollSeconds',
  'evaluationBatchBytes',
  'evaluationConcurrency',
  'keepEndpoints',
  'keepModels',
  'onVariantFailure',
] as const satisfies ReadonlyArray<keyof ExperimentSettings>;

export type VariantSettingsCopy = Pick<ExperimentSettings, (typeof VARIANT_SETTINGS)[number]>;

/** Everything one variant's tasks need, from the training job to the evaluation of its endpoint. */
export interface VariantPlan extends ResolvedVariant, ResourceNames, VariantSettingsCopy {
  /** The execution that owns this variant's resources; a create that finds them tagged with it continues. */
  readonly executionArn: string;
  readonly tags: readonly Tag[];
  readonly maxTrainingPolls: number;
  readonly maxEndpointPolls: number;
}

export interface SourceObject {
  readonly bucket: string;
  readonly key: string;
}

export interface DataPlan {
  readonly profile: ProfileEventCodesRequest;
  /** What "Identify dataset" names a dataset from, with the profile's codes and ETag. */
  readonly dataset: Omit<IdentifyDatasetRequest, 'profile'>;
}

export interface ExecutionPlan {
  readonly execution: ExecutionIdentity & { readonly name: string; readonly stackName: string };
  readonly settings: ExperimentSettings;
  readonly variants: readonly VariantPlan[];
  /** Everything this execution may create (names are known before anything exists), for the clean-up steps. */
  readonly resources: readonly VariantResources[];
  readonly data: DataPlan;
  readonly reportPrefix: string;
}

export interface PlanRequest {
  /** The execution input: overrides of any setting. */
  readonly input: unknown;
  readonly execution: ExecutionIdentity & { readonly name: string };
  readonly defaults: ExperimentSettings;
  readonly stackName: string;
}

/** The Step Functions console pre-fills new executions with `{"Comment": ...}`; starting with it must work. */
const IGNORED_INPUT_KEYS = ['Comment'];

const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);

function withoutIgnoredKeys(input: unknown): Record<string, unknown> {
  if (input === null || input === undefined) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new SettingsError(
      [`the execution input must be a JSON object of settings to override (or {} for the deployed settings), got ${describe(input)}`],
      'execution input',
    );
  }
  return Object.fromEntries(Object.entries(input).filter(([key]) => !IGNORED_INPUT_KEYS.includes(key)));
}

function dataPlan(settings: ExperimentSettings): DataPlan {
  const dataPrefix = settings.s3Prefix;
  const source = (year: number): SourceObject => ({ bucket: GDELT_BUCKET, key: gdeltKey(year) });
  const firstYear = Math.min(...settings.trainingYears);
  return {
    profile: { source: source(firstYear), year: firstYear, dataPrefix, maxMalformedShare: settings.maxMalformedShare },
    dataset: {
      dataPrefix,
      validationPercent: settings.validationPercent,
      maxMalformedShare: settings.maxMalformedShare,
      retentionDays: settings.datasetRetentionDays,
      trainShards: settings.trainShards,
      years: [
        ...[...settings.trainingYears].sort().map((year) => ({ year, kind: 'train' as const, source: source(year) })),
        { year: settings.testYear, kind: 'test' as const, source: source(settings.testYear) },
      ],
    },
  };
}

/**
 * Step Functions accepts execution names with ! ' ( ) and other characters SageMaker refuses in tag values, and every
 * resource carries the execution ARN as a tag: such a run would fail at its first training job, after the data work.
 */
function executionNameProblems(execution: PlanRequest['execution']): string[] {
  const refused = [...new Set([...execution.executionArn].filter((character) => !SAGEMAKER_TAG_TEXT.test(character)))];
  if (refused.length === 0 && execution.executionArn.length <= MAX_SAGEMAKER_TAG_VALUE_LENGTH) return [];
  return [
    `execution name: ${describe(execution.name)} has characters SageMaker does not allow in tags (${refused.join(' ')}), ` +
      'and every resource is tagged with the execution ARN; start the execution with a name of letters, digits and _ . = + - @',
  ];
}

/** What a variant creates, by name: what the clean-up steps remove. */
export function variantResources({ name, jobName, modelName, endpointConfigName, endpointName }: VariantPlan): VariantResources {
  return { variantName: name, jobName, modelName, endpointConfigName, endpointName };
}

/** @throws SettingsError naming every invalid or unknown key of the execution input. */
export function planExecution(request: PlanRequest): ExecutionPlan {
  const nameProblems = executionNameProblems(request.execution);
  if (nameProblems.length > 0) throw new SettingsError(nameProblems, 'execution input');
  const settings = resolveSettings(request.defaults, withoutIgnoredKeys(request.input), 'execution input');
  const copied: VariantSettingsCopy = pick(settings, VARIANT_SETTINGS);
  const variants = experimentVariants(settings).map((variant): VariantPlan => {
    const resolved = resolveVariant(settings, variant);
    return {
      ...copied,
      ...resolved,
      ...resourceNames(request.execution, variant.name),
      executionArn: request.execution.executionArn,
      tags: resourceTags(request.stackName, request.execution.executionArn, variant.name, settings),
      ...pollBounds(settings, resolved.spot),
    };
  });
  return {
    execution: { ...request.execution, stackName: request.stackName },
    settings,
    variants,
    resources: variants.map(variantResources),
    data: dataPlan(settings),
    reportPrefix: reportPrefix(settings.s3Prefix, request.execution.name),
  };
}
