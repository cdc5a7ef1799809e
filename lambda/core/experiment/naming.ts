import { createHash } from 'node:crypto';

/** SageMaker's rule for job, model, endpoint config and endpoint names, the pattern of their Name fields in the SageMaker API reference. */
export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const MAX_SAGEMAKER_NAME_LENGTH = 63;

/** The stack's name unless `-c stackName=...` says otherwise; the command-line tools look it up by this name. */
export const DEFAULT_STACK_NAME = 'DistributedTrainingExperiment';

/** Every SageMaker name the workflow creates starts with this; IAM policies and the destroy clean-up rely on it. */
export const NAME_PREFIX = 'linear-';

/** What identifies one execution of the workflow; Step Functions gives it in the context object. */
export interface ExecutionIdentity {
  /** `$$.Execution.Id`: unique per state machine, account and region. */
  readonly executionArn: string;
  /** `$$.Execution.StartTime`, ISO 8601. */
  readonly startTime: string;
}

/** The names one variant's resources get in one execution. */
export interface ResourceNames {
  readonly jobName: string;
  readonly modelName: string;
  readonly endpointConfigName: string;
  readonly endpointName: string;
}

/** The SageMaker resources of one experiment variant (e.g. replicated, sharded), by name. */
export interface VariantResources extends ResourceNames {
  readonly variantName: string;
}

/**
 * `20261128-155328` from `2026-11-28T15:53:28.123Z`: sorts by time and reads at a glance in the console.
 * Every name of an execution contains `-<stamp>-`, so a listing filtered by it finds that execution's resources.
 */
export function startStamp(startTime: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(startTime);
  if (!match) throw new Error(`Execution start time ${JSON.stringify(startTime)} is not an ISO 8601 timestamp`);
  const [, y, mo, d, h, mi, s] = match;
  return `${y}${mo}${d}-${h}${mi}${s}`;
}

/**
 * Names derived only from the execution and the variant: a retried task computes the same names, while
 * another execution (even one started in the same second, or in another stack) gets a different hash.
 * A training job name can never be reused in an account and region, so uniqueness matters.
 */
export function resourceNames(execution: ExecutionIdentity, variantName: string): ResourceNames {
  const hash = createHash('sha256').update(`${execution.executionArn}\n${execution.startTime}`).digest('hex').slice(0, 8);
  const name = `${NAME_PREFIX}${variantName}-${startStamp(execution.startTime)}-${hash}`;
  if (name.length > MAX_SAGEMAKER_NAME_LENGTH || !SAGEMAKER_NAME.test(name)) {
    throw new Error(`Variant name ${JSON.stringify(variantName)} makes the SageMaker name "${name}", which is not valid`);
  }
  // Jobs, models, endpoint configs and endpoints have separate namespaces: one name finds all of a run's resources.
  return { jobName: name, modelName: name, endpointConfigName: name, endpointName: name };
}

/** Tag keys on everything the workflow creates, so it can be found and cleaned up later. */
export const TAG_STACK = 'experiment:stack';
export const TAG_EXECUTION = 'experiment:execution';
export const TAG_VARIANT = 'experiment:variant';
/**
 * What the execution was asked to keep, recorded on the resources themselves (only when true), so the clean-up of an
 * ended execution needs no other state to know what to leave alone.
 */
export const TAG_KEEP_ENDPOINTS = 'experiment:keep-endpoints';
export const TAG_KEEP_MODELS = 'experiment:keep-models';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** What an execution's settings ask to keep after it ends. */
export interface KeepIntent {
  readonly keepEndpoints: boolean;
  readonly keepModels: boolean;
}

export function resourceTags(stackName: string, executionArn: string, variantName: string, keep?: KeepIntent): Tag[] {
  return [
    { Key: TAG_STACK, Value: stackName },
    { Key: TAG_EXECUTION, Value: executionArn },
    { Key: TAG_VARIANT, Value: variantName },
    ...(keep?.keepEndpoints ? [{ Key: TAG_KEEP_ENDPOINTS, Value: 'true' }] : []),
    ...(keep?.keepModels ? [{ Key: TAG_KEEP_MODELS, Value: 'true' }] : []),
  ];
}
