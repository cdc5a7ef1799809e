/**
 * The end of one variant's pipeline. A variant that was evaluated has its endpoint deleted at once (unless kept), so
 * it bills only for its own evaluation rather than until the slowest variant is done. A variant that failed has what
 * it created removed, and its failure recorded in a summary the report lists beside the others.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { cleanUpExecution, VariantCleanUpResult } from './cleanup';
import { lambdaErrorEnvelope } from '../common/errors';
import { pick } from '../common/pick';
import { variantResources, VariantPlan } from '../experiment/plan';
import {
  FailedVariantSummary,
  StateError,
  SucceededVariantSummary,
  VARIANT_DESCRIPTION_FIELDS,
  VariantSummary,
} from '../workflow/execution-state';

/**
 * A failed variant's own clean-up gives an endpoint still being created ten minutes, then lets the run go on: the
 * execution ends failed, and the clean-up after it ends retries for another half hour. Fewer passes here keep the
 * variant's share of the execution history small (see execution-limits.ts).
 */
export const MAX_VARIANT_CLEAN_UP_ATTEMPTS = 10;

export interface FinishVariantRequest {
  readonly variant: VariantPlan;
  /** The evaluated variant's summary: present when the pipeline got to the end. */
  readonly summary?: SucceededVariantSummary;
  /** What failed: present when a state of the pipeline failed (a Catch's error, or a failed job or endpoint). */
  readonly failure?: StateError;
  /** How many passes ran before this one. */
  readonly attempt?: number;
}

export interface FinishVariantResult {
  /** `wait`: an endpoint is still being created and cannot be deleted yet; run again after a wait. */
  readonly next: 'wait' | 'continue';
  readonly attempt: number;
  readonly summary: VariantSummary;
  readonly cleanup: VariantCleanUpResult;
  /** Endpoints left because they are still being created; the execution's own clean-up tries them again. */
  readonly pendingEndpoints: string[];
}

export interface FinishVariantOptions {
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A Lambda task's failure carries Lambda's JSON envelope (errorType, errorMessage, stack trace) as its cause: keep
 * the message, so the report and the console show a sentence. Other causes pass as they are.
 */
export function readableFailure(failure: StateError): FailedVariantSummary['failure'] {
  const error = typeof failure?.Error === 'string' && failure.Error !== '' ? failure.Error : 'UnknownError';
  const cause = typeof failure?.Cause === 'string' ? failure.Cause : '';
  return { error, cause: lambdaErrorEnvelope(cause)?.message ?? cause };
}

/** What the report lists for a variant that failed: what it was, and why it failed. */
export function failedSummary(variant: VariantPlan, failure: StateError): FailedVariantSummary {
  return { ...pick(variant, VARIANT_DESCRIPTION_FIELDS), status: 'failed', failure: readableFailure(failure) };
}

function requireVariant(request: FinishVariantRequest): VariantPlan {
  const variant = request?.variant;
  if (!variant || typeof variant.name !== 'string' || typeof variant.jobName !== 'string' || typeof variant.endpointName !== 'string') {
    throw new Error(
      `variant must be the variant's plan (name, jobName, modelName, endpointConfigName, endpointName), got ${JSON.stringify(variant)}`,
    );
  }
  return variant;
}

/**
 * Deletes the variant's endpoint, config and model (as the keep settings allow) and returns its final summary.
 * On the failure path endpoints are never kept, and a training job still running is stopped.
 * @throws Error when an evaluated variant's endpoint cannot be deleted: it was in service, so that is a fault.
 */
export async function finishVariant(
  client: SageMakerClient,
  request: FinishVariantRequest,
  options: FinishVariantOptions = {},
): Promise<FinishVariantResult> {
  const variant = requireVariant(request);
  if (!request.summary === !request.failure) {
    throw new Error(
      `finish-variant needs either the evaluated variant's summary or its failure, not ${request.summary ? 'both' : 'neither'}`,
    );
  }
  const attempt = (request.attempt ?? 0) + 1;
  const failed = request.failure !== undefined;
  const { variants, pendingEndpoints } = await cleanUpExecution(client, {
    resources: [variantResources(variant)],
    keepEndpoints: !failed && variant.keepEndpoints,
    keepModels: variant.keepModels,
    ...options,
  });
  const [cleanup] = variants;
  if (request.summary) {
    if (pendingEndpoints.length > 0) {
      throw new Error(`Endpoint ${variant.endpointName} was in service after its evaluation but SageMaker would not delete it yet`);
    }
    const deletedAt = cleanup.endpointDeletedAt;
    const summary: SucceededVariantSummary = {
      ...request.summary,
      hosting: { ...request.summary.hosting, ...(deletedAt && { deletedAt }) },
    };
    return { next: 'continue', attempt, summary, cleanup, pendingEndpoints };
  }
  const next = pendingEndpoints.length > 0 && attempt < MAX_VARIANT_CLEAN_UP_ATTEMPTS ? 'wait' : 'continue';
  const { failure, ...description } = failedSummary(variant, request.failure as StateError);
  const leftBehind =
    next === 'continue' && pendingEndpoints.length > 0
      ? ` (endpoint ${pendingEndpoints.join(', ')} was still being created after ${attempt} clean-up attempts; the execution's clean-up deletes it)`
      : '';
  const summary: FailedVariantSummary = { ...description, failure: { ...failure, cause: `${failure.cause}${leftBehind}` } };
  return { next, attempt, summary, cleanup, pendingEndpoints };
}
