/**
 * The preflight's decisions: which SageMaker quotas an execution needs and how much of each, and what to tell the
 * user when the account has less, when the region does not offer an instance type, or when source data is missing.
 * Every problem is collected, so one failed run names all of them.
 *
 * Quota names as Service Quotas lists them for ServiceCode "sagemaker" (ListAWSDefaultServiceQuotas), and as
 * SageMaker quotes them in ResourceLimitExceeded ("The account-level service limit 'ml.m4.xlarge for endpoint
 * usage' is 0 Instances ..."). A per-type quota exists only in regions that offer the type.
 */
import type { ResolvedVariant } from '../experiment/settings';

export const SERVICE_CODE = 'sagemaker';

export const trainingQuotaName = (instanceType: string): string => `${instanceType} for training job usage`;
/** Managed spot training jobs count against this quota, not the on-demand one: the two are separate pools. */
export const spotTrainingQuotaName = (instanceType: string): string => `${instanceType} for spot training job usage`;
export const endpointQuotaName = (instanceType: string): string => `${instanceType} for endpoint usage`;
export const MAX_INSTANCES_PER_TRAINING_JOB = 'Maximum number of instances per training job';
export const INSTANCES_ACROSS_TRAINING_JOBS = 'Number of instances across all training jobs';
export const INSTANCES_ACROSS_ENDPOINTS = 'Number of instances across active endpoints';

export type PreflightVariant = Pick<ResolvedVariant, 'name' | 'instanceType' | 'instanceCount'> & {
  /** Trains on managed spot capacity; absent: on demand. */
  readonly spot?: boolean;
};

export interface PreflightYear {
  readonly source: { readonly bucket: string; readonly key: string };
  readonly year: number;
  readonly kind: 'train' | 'test';
}

/** What the Preflight state passes from the plan. */
export interface PreflightRequest {
  /** The `preflight` setting: false skips every check. */
  readonly enabled: boolean;
  /** The experiment's training instance type, which variants without their own use. */
  readonly instanceType: string;
  readonly variants: readonly PreflightVariant[];
  readonly endpointInstanceType: string;
  readonly endpointInstanceCount: number;
  /** Every GDELT object the data preparation reads. */
  readonly years: readonly PreflightYear[];
  /**
   * Variants training at the same time (the `maxParallelVariants` setting): the training needs are those of the
   * largest variants that can run together.
   * @default every variant
   */
  readonly maxParallelVariants?: number;
  /**
   * The `keepEndpoints` setting: kept endpoints stay up together; otherwise each variant deletes its endpoint after
   * its evaluation, so no more are up at once than variants run at once.
   * @default false
   */
  readonly keepEndpoints?: boolean;
}

export interface PreflightResult {
  /** False when the `preflight` setting turned the checks off. */
  readonly checked: boolean;
  /** Checks that could not be made; the run goes on. */
  readonly warnings: readonly string[];
}

/** How much of one quota an execution needs, and why, in words a message can quote. */
export interface QuotaNeed {
  readonly quotaName: string;
  readonly amount: number;
  /** e.g. "10 = 2 variants × 5 instances of ml.c4.2xlarge training at once" */
  readonly breakdown: string;
  /** For a per-instance-type quota: the type, what it is used for, and the setting that chose it. */
  readonly instanceType?: {
    readonly type: string;
    readonly usage: 'training' | 'spot training' | 'endpoints';
    readonly setting: string;
  };
}

/** A quota's value for this account: the applied value, or the AWS default where none is applied. */
export interface QuotaValue {
  readonly code: string;
  readonly value: number;
  readonly applied: boolean;
}

export type QuotaReading =
  { readonly readable: true; readonly values: ReadonlyMap<string, QuotaValue> } | { readonly readable: false; readonly reason: string };

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The variants that can train together and need the most instances: what must fit at once. */
function largestTogether(variants: readonly PreflightVariant[], maxParallel: number): PreflightVariant[] {
  return [...variants].sort((a, b) => b.instanceCount - a.instanceCount).slice(0, Math.max(1, maxParallel));
}

/** "10 = 2 variants × 5 instances" when counts are equal, "8 = 5 (replicated) + 3 (sharded) instances" otherwise. */
function sumBreakdown(variants: readonly PreflightVariant[]): { amount: number; text: string } {
  const amount = variants.reduce((sum, variant) => sum + variant.instanceCount, 0);
  const counts = new Set(variants.map((variant) => variant.instanceCount));
  if (counts.size === 1)
    return { amount, text: `${amount} = ${plural(variants.length, 'variant')} × ${plural(variants[0].instanceCount, 'instance')}` };
  return { amount, text: `${amount} = ${variants.map((variant) => `${variant.instanceCount} (${variant.name})`).join(' + ')} instances` };
}

function trainingSetting(request: PreflightRequest, type: string): string {
  if (type === request.instanceType) return 'instanceType';
  const named = request.variants.filter((variant) => variant.instanceType === type).map((variant) => variant.name);
  return `the instanceType of variant ${named.join(', ')}`;
}

/**
 * The SageMaker quotas this execution needs, in the order its steps need them. Spot variants need
 * "<type> for spot training job usage" instead of the on-demand "<type> for training job usage".
 */
export function quotaNeeds(request: PreflightRequest): QuotaNeed[] {
  const maxParallel = request.maxParallelVariants ?? request.variants.length;
  const needs: QuotaNeed[] = [];
  for (const spot of [false, true]) {
    const pool = request.variants.filter((variant) => (variant.spot ?? false) === spot);
    const usage = spot ? 'spot training' : 'training';
    for (const type of new Set(pool.map((variant) => variant.instanceType))) {
      const together = largestTogether(
        pool.filter((variant) => variant.instanceType === type),
        maxParallel,
      );
      const { amount, text } = sumBreakdown(together);
      needs.push({
        quotaName: spot ? spotTrainingQuotaName(type) : trainingQuotaName(type),
        amount,
        breakdown: `${text} of ${type} ${usage} at once`,
        instanceType: { type, usage, setting: trainingSetting(request, type) },
      });
    }
  }
  const largestJob = largestTogether(request.variants, 1)[0];
  needs.push({
    quotaName: MAX_INSTANCES_PER_TRAINING_JOB,
    amount: largestJob.instanceCount,
    breakdown: `${largestJob.instanceCount} = the largest training job (variant ${largestJob.name})`,
  });
  const allTraining = sumBreakdown(largestTogether(request.variants, maxParallel));
  needs.push({ quotaName: INSTANCES_ACROSS_TRAINING_JOBS, amount: allTraining.amount, breakdown: `${allTraining.text} training at once` });

  // A variant deletes its endpoint after its own evaluation, so only the variants running together host at once.
  const hosting = request.keepEndpoints ? request.variants.length : Math.min(maxParallel, request.variants.length);
  const endpoints = hosting * request.endpointInstanceCount;
  const endpointText = `${endpoints} = ${plural(hosting, 'variant')}${request.keepEndpoints ? ' (endpoints kept)' : ''} × ${plural(request.endpointInstanceCount, 'instance')} of ${request.endpointInstanceType}`;
  needs.push({
    quotaName: endpointQuotaName(request.endpointInstanceType),
    amount: endpoints,
    breakdown: `${endpointText} for endpoints`,
    instanceType: { type: request.endpointInstanceType, usage: 'endpoints', setting: 'endpointInstanceType' },
  });
  needs.push({ quotaName: INSTANCES_ACROSS_ENDPOINTS, amount: endpoints, breakdown: `${endpointText} in service at once` });
  return needs;
}

export const quotasConsoleUrl = (region: string): string =>
  `https://${region}.console.aws.amazon.com/servicequotas/home/services/${SERVICE_CODE}/quotas`;

function shortfall(need: QuotaNeed, quota: QuotaValue, region: string): string {
  const source = quota.applied ? 'applied to this account' : 'the AWS default; no other value is applied to this account';
  return (
    `Quota "${need.quotaName}" (${quota.code}) is ${quota.value} in ${region} (${source}), but this execution needs ${need.breakdown}. ` +
    `Ask for at least ${need.amount} in the Service Quotas console: ${quotasConsoleUrl(region)}/${quota.code}`
  );
}

function notOffered(need: QuotaNeed, region: string): string {
  const { type, usage, setting } = need.instanceType!;
  return `${type} is not offered for ${usage} in ${region} (Service Quotas has no quota "${need.quotaName}" there); set ${setting} to an instance type the region offers.`;
}

/** Problems (the run must not start) and warnings (a check that could not be made) from the account's quotas. */
export function quotaFindings(
  needs: readonly QuotaNeed[],
  reading: QuotaReading,
  region: string,
): { problems: string[]; warnings: string[] } {
  if (!reading.readable) {
    return {
      problems: [],
      warnings: [
        `Service Quotas could not be read (${reading.reason}), so the SageMaker quotas were not checked; ` +
          'a quota that is too low will stop the run at CreateTrainingJob or CreateEndpoint with ResourceLimitExceeded.',
      ],
    };
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const need of needs) {
    const quota = reading.values.get(need.quotaName);
    if (!quota && need.instanceType) problems.push(notOffered(need, region));
    else if (!quota)
      warnings.push(
        `Quota "${need.quotaName}" is not listed for SageMaker in ${region}, so it was not checked (this execution needs ${need.breakdown}).`,
      );
    else if (quota.value < need.amount) problems.push(shortfall(need, quota, region));
  }
  return { problems, warnings };
}

/** What went wrong reading one source object: it does not exist, or S3 refused or failed the request. */
export type SourceFailure =
  | { readonly year: PreflightYear; readonly missing: true }
  | { readonly year: PreflightYear; readonly missing: false; readonly error: string };

export function sourceProblem(failure: SourceFailure): string {
  const { year } = failure;
  const uri = `s3://${year.source.bucket}/${year.source.key}`;
  const setting = year.kind === 'test' ? 'testYear' : 'trainingYears';
  if (failure.missing) return `GDELT year ${year.year} is missing: ${uri} does not exist; choose another year in ${setting}.`;
  return `GDELT year ${year.year} cannot be read: HeadObject on ${uri} failed with ${failure.error}.`;
}

/** Fails the Preflight state; the workflow routes it by this name to "Preflight failed". */
export class PreflightFailed extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Preflight found ${plural(problems.length, 'problem')} before any data was read or anything created:\n- ${problems.join('\n- ')}`,
    );
    this.name = 'PreflightFailed';
  }
}
