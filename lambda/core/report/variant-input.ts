/**
 * What the report reads of each variant, as the workflow sends it: a succeeded variant has its training, hosting
 * and evaluation; a failed one has its failure, and whatever of the others it got to before it failed.
 */
import { requireText } from '../common/input-checks';
import type { EvaluateEndpointResult } from '../evaluation/endpoint-scoring';
import type { FailedVariantSummary, SucceededVariantSummary, VariantDescription, VariantSummary } from '../workflow/execution-state';

export type VariantStatus = VariantSummary['status'];

/** The training as the variant's summary has it, without SageMaker's status word (a failed variant has none). */
export type TrainingInput = Omit<SucceededVariantSummary['training'], 'status'>;

export type HostingInput = Omit<SucceededVariantSummary['hosting'], 'status'>;

export type EvaluationInput = Pick<EvaluateEndpointResult, 'rowsScored' | 'mse' | 'mae'>;

export type VariantFailure = FailedVariantSummary['failure'];

/**
 * A variant's summary as the report reads it: what the variant is, then whatever of its training, hosting and
 * evaluation it got to, and its failure if it failed.
 */
export type VariantInput = Omit<VariantDescription, 'modelName' | 'endpointConfigName'> & {
  /** Absent means succeeded: a variant that reached the report without a failure. */
  readonly status?: VariantStatus;
  readonly training?: TrainingInput;
  readonly hosting?: HostingInput;
  readonly evaluation?: EvaluationInput;
  /** A failed variant's error name and cause, as its branch failed with them. */
  readonly failure?: VariantFailure;
};

/** A variant after validation: its status settled. */
export type CheckedVariant = VariantInput & { readonly status: VariantStatus };

function requireFinite(field: string, value: unknown, minimum = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new Error(`${field} must be a finite number >= ${minimum}; got ${JSON.stringify(value)}`);
  }
}

function requireCount(field: string, value: unknown, minimum: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < minimum) {
    throw new Error(`${field} must be a whole number >= ${minimum}; got ${JSON.stringify(value)}`);
  }
}

function requireObject(field: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${field} must be an object; got ${JSON.stringify(value)}`);
  }
}

function validateTraining(at: string, training: TrainingInput): void {
  requireObject(at, training);
  requireFinite(`${at}.trainingTimeInSeconds`, training.trainingTimeInSeconds);
  requireFinite(`${at}.billableTimeInSeconds`, training.billableTimeInSeconds);
  requireObject(`${at}.finalMetrics`, training.finalMetrics);
  requireCount(`${at}.interruptions`, training.interruptions, 0);
}

function validateEvaluation(at: string, evaluation: EvaluationInput): void {
  requireObject(at, evaluation);
  requireFinite(`${at}.rowsScored`, evaluation.rowsScored);
  for (const metric of ['mse', 'mae'] as const) {
    if (evaluation[metric] !== null) requireFinite(`${at}.${metric}`, evaluation[metric]);
  }
}

function validateOutcome(at: string, variant: VariantInput, status: VariantStatus): void {
  if (status === 'succeeded') {
    for (const part of ['training', 'hosting', 'evaluation'] as const) {
      if (variant[part] === undefined)
        throw new Error(`${at}.${part} is missing; a succeeded variant has its training, hosting and evaluation`);
    }
    if (variant.failure !== undefined) throw new Error(`${at}.failure is given for a succeeded variant`);
  } else {
    requireObject(`${at}.failure`, variant.failure);
    requireText(`${at}.failure.error`, variant.failure!.error);
    if (typeof variant.failure!.cause !== 'string') {
      throw new Error(`${at}.failure.cause must be a string; got ${JSON.stringify(variant.failure!.cause)}`);
    }
  }
  if (variant.training !== undefined) validateTraining(`${at}.training`, variant.training);
  if (variant.hosting !== undefined) {
    requireObject(`${at}.hosting`, variant.hosting);
    requireText(`${at}.hosting.createdAt`, variant.hosting.createdAt);
  }
  if (variant.evaluation !== undefined) validateEvaluation(`${at}.evaluation`, variant.evaluation);
}

function validateVariant(at: string, variant: VariantInput): CheckedVariant {
  requireObject(at, variant);
  requireText(`${at}.name`, variant.name);
  const status = variant.status ?? 'succeeded';
  if (status !== 'succeeded' && status !== 'failed') {
    throw new Error(`${at}.status must be "succeeded" or "failed"; got ${JSON.stringify(variant.status)}`);
  }
  for (const field of ['instanceType', 'endpointInstanceType', 'jobName', 'endpointName', 'trainDistribution', 'inputMode'] as const) {
    requireText(`${at}.${field}`, variant[field]);
  }
  requireCount(`${at}.instanceCount`, variant.instanceCount, 1);
  requireCount(`${at}.endpointInstanceCount`, variant.endpointInstanceCount, 1);
  if (typeof variant.spot !== 'boolean') throw new Error(`${at}.spot must be true or false; got ${JSON.stringify(variant.spot)}`);
  requireObject(`${at}.hyperparameters`, variant.hyperparameters);
  validateOutcome(at, variant, status);
  return { ...variant, status };
}

export function validateVariants(variants: readonly VariantInput[]): CheckedVariant[] {
  if (!Array.isArray(variants) || variants.length === 0) throw new Error('variants must be a non-empty array');
  const seen = new Set<string>();
  return variants.map((variant, i) => {
    const checked = validateVariant(`variants[${i}]`, variant);
    if (seen.has(checked.name)) throw new Error(`variants[${i}].name "${checked.name}" is used twice; variant names must be unique`);
    seen.add(checked.name);
    return checked;
  });
}
