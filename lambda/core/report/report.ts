/**
 * The experiment's report as data: per-variant training time, test accuracy and cost, the
 * time-vs-accuracy Pareto frontier, and a short factual verdict. Markdown and SVG render from it.
 */
import type { SucceededVariantSummary as VariantSummary } from '../workflow/execution-state';
import { CostEstimate, HostingCostEstimate, hostingCost, trainingCost, validatePrices } from './cost';
import { requireText } from '../common/input-checks';

/** What the report reads of each variant's summary. */
export type VariantInput = Pick<
  VariantSummary,
  | 'name'
  | 'trainDistribution'
  | 'instanceCount'
  | 'instanceType'
  | 'inputMode'
  | 'spot'
  | 'endpointInstanceType'
  | 'endpointInstanceCount'
  | 'jobName'
  | 'endpointName'
> & {
  readonly training: Omit<VariantSummary['training'], 'status'>;
  readonly evaluation: Pick<NonNullable<VariantSummary['evaluation']>, 'rowsScored' | 'mse' | 'mae'>;
  readonly hosting: Omit<VariantSummary['hosting'], 'status'>;
};

export interface ReportInput {
  readonly executionName: string;
  readonly generatedAt: Date;
  readonly pricesPerHour: Record<string, number>;
  readonly pricesSource: string;
  readonly variants: readonly VariantInput[];
  readonly data?: unknown;
  /** Checks the preflight could not make; the run went on without them. */
  readonly warnings?: readonly string[];
}

export interface VariantReport {
  readonly name: string;
  readonly trainDistribution: string;
  readonly inputMode: string;
  readonly spot: boolean;
  /** Spot variants only: 1 − BillableTimeInSeconds / TrainingTimeInSeconds, the share of training time not billed. */
  readonly spotSaving?: number | null;
  readonly jobName: string;
  readonly endpointName: string;
  readonly training: VariantInput['training'] & { readonly instanceType: string; readonly instanceCount: number };
  readonly evaluation: VariantInput['evaluation'];
  /** When the endpoint was created, and deleted (absent while it is kept). */
  readonly hosting: VariantInput['hosting'];
  readonly cost: {
    readonly training: CostEstimate;
    readonly hosting: HostingCostEstimate;
    /** Training plus hosting; null if either has no price. */
    readonly totalUsd: number | null;
  };
  /** True when no other variant both trained at least as fast and scored at least as well, and one of them strictly better. */
  readonly onParetoFrontier: boolean;
}

export interface Report {
  readonly reportVersion: 1;
  readonly executionName: string;
  readonly generatedAt: string;
  readonly verdict: string;
  readonly variants: readonly VariantReport[];
  readonly paretoFrontier: readonly string[];
  readonly prices: { readonly perHour: Record<string, number>; readonly source: string };
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly data?: unknown;
}

export const REPORT_NOTES: readonly string[] = [
  'Training time is DescribeTrainingJob TrainingTimeInSeconds (wall clock, seconds).',
  'BillableTimeInSeconds is per instance, as SageMaker reports it: training cost = BillableTimeInSeconds x instance count x price per hour / 3600.',
  'Spot saving = 1 - BillableTimeInSeconds / TrainingTimeInSeconds, for variants trained on managed spot capacity (n/a when the training time is 0).',
  'Hosting cost = endpoint instance count x seconds from endpoint creation to deletion (or to the report time if kept) x price per hour / 3600.',
  'MSE and MAE are computed over every scored row of the test set; the training loss is absolute loss, so MAE is what training minimised.',
  'Costs are estimates from the price table below, not a bill.',
];

function requireFinite(field: string, value: unknown, minimum = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new Error(`${field} must be a finite number >= ${minimum}; got ${JSON.stringify(value)}`);
  }
}

export function validateVariants(variants: readonly VariantInput[]): void {
  if (!Array.isArray(variants) || variants.length === 0) throw new Error('variants must be a non-empty array');
  const seen = new Set<string>();
  variants.forEach((variant, i) => {
    const at = `variants[${i}]`;
    requireText(`${at}.name`, variant.name);
    if (seen.has(variant.name)) throw new Error(`${at}.name "${variant.name}" is used twice; variant names must be unique`);
    seen.add(variant.name);
    for (const field of ['instanceType', 'endpointInstanceType', 'jobName', 'endpointName', 'trainDistribution', 'inputMode'] as const) {
      requireText(`${at}.${field}`, variant[field]);
    }
    if (typeof variant.spot !== 'boolean') throw new Error(`${at}.spot must be true or false; got ${JSON.stringify(variant.spot)}`);
    requireFinite(`${at}.training.trainingTimeInSeconds`, variant.training?.trainingTimeInSeconds);
    requireFinite(`${at}.training.billableTimeInSeconds`, variant.training?.billableTimeInSeconds);
    requireFinite(`${at}.evaluation.rowsScored`, variant.evaluation?.rowsScored);
    for (const metric of ['mse', 'mae'] as const) {
      const value = variant.evaluation[metric];
      if (value !== null) requireFinite(`${at}.evaluation.${metric}`, value);
    }
  });
}

interface Point {
  readonly name: string;
  readonly time: number;
  readonly mse: number;
}

function pointsOf(
  variants: readonly { name: string; training: { trainingTimeInSeconds: number }; evaluation: { mse: number | null } }[],
): Point[] {
  return variants
    .filter((v) => v.evaluation.mse !== null)
    .map((v) => ({ name: v.name, time: v.training.trainingTimeInSeconds, mse: v.evaluation.mse as number }));
}

/** Names of the variants no other variant dominates (faster-or-equal and lower-or-equal MSE, one strictly), fastest first. */
export function paretoFrontier(points: readonly Point[]): string[] {
  const dominated = (p: Point): boolean => points.some((q) => q.time <= p.time && q.mse <= p.mse && (q.time < p.time || q.mse < p.mse));
  return points
    .filter((p) => !dominated(p))
    .sort((a, b) => a.time - b.time || a.mse - b.mse)
    .map((p) => p.name);
}

/** A number with up to `digits` significant digits, without exponent noise for the usual ranges. */
export function formatNumber(value: number, digits = 4): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

export function formatUsd(value: number | null): string {
  return value === null ? 'n/a' : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

/** One or two sentences: which trained faster and by what ratio, which is more accurate and by how much. */
export function verdictText(
  variants: readonly { name: string; training: { trainingTimeInSeconds: number }; evaluation: { mse: number | null } }[],
): string {
  const byTime = [...variants].sort((a, b) => a.training.trainingTimeInSeconds - b.training.trainingTimeInSeconds);
  const fastest = byTime[0];
  const slowest = byTime[byTime.length - 1];
  const seconds = (v: typeof fastest): string => `${formatNumber(v.training.trainingTimeInSeconds)} s`;
  if (variants.length === 1) {
    const mse = fastest.evaluation.mse;
    return `${fastest.name} trained in ${seconds(fastest)}${mse === null ? ' and scored no test rows.' : ` with test MSE ${formatNumber(mse)}.`}`;
  }
  const others = variants.length === 2 ? slowest.name : `the slowest, ${slowest.name}`;
  const speed =
    fastest.training.trainingTimeInSeconds === slowest.training.trainingTimeInSeconds
      ? `All variants trained in the same time (${seconds(fastest)}).`
      : `${fastest.name} trained ${formatRatio(slowest.training.trainingTimeInSeconds, fastest.training.trainingTimeInSeconds)} faster than ${others} (${seconds(fastest)} vs ${seconds(slowest)}).`;

  const byMse = pointsOf(variants).sort((a, b) => a.mse - b.mse);
  if (byMse.length < 2) return `${speed} Accuracy cannot be compared: fewer than two variants scored test rows.`;
  const best = byMse[0];
  const worst = byMse[byMse.length - 1];
  if (best.mse === worst.mse) return `${speed} All variants have the same test MSE (${formatNumber(best.mse)}).`;
  const lower = ((worst.mse - best.mse) / worst.mse) * 100;
  const than = byMse.length === 2 ? worst.name : `the least accurate, ${worst.name}`;
  return `${speed} ${best.name} is more accurate: test MSE ${formatNumber(best.mse)} vs ${formatNumber(worst.mse)} for ${than} (${formatNumber(lower, 3)}% lower).`;
}

function formatRatio(larger: number, smaller: number): string {
  return smaller === 0 ? 'infinitely' : `${(larger / smaller).toFixed(2)}x`;
}

/** SageMaker bills a spot job for less than it trained; the difference is the saving over on-demand. */
export function spotSaving(training: { readonly trainingTimeInSeconds: number; readonly billableTimeInSeconds: number }): number | null {
  if (training.trainingTimeInSeconds === 0) return null;
  return 1 - training.billableTimeInSeconds / training.trainingTimeInSeconds;
}

export function buildReport(input: ReportInput): Report {
  validatePrices(input.pricesPerHour);
  validateVariants(input.variants);
  requireText('executionName', input.executionName);
  const frontier = paretoFrontier(pointsOf(input.variants));
  const variants = input.variants.map((v): VariantReport => {
    const training = trainingCost(
      { instanceType: v.instanceType, instanceCount: v.instanceCount, billableTimeInSeconds: v.training.billableTimeInSeconds },
      input.pricesPerHour,
    );
    const hosting = hostingCost(
      { instanceType: v.endpointInstanceType, instanceCount: v.endpointInstanceCount, ...v.hosting },
      input.generatedAt,
      input.pricesPerHour,
    );
    return {
      name: v.name,
      trainDistribution: v.trainDistribution,
      inputMode: v.inputMode,
      spot: v.spot,
      ...(v.spot && { spotSaving: spotSaving(v.training) }),
      jobName: v.jobName,
      endpointName: v.endpointName,
      training: { instanceType: v.instanceType, instanceCount: v.instanceCount, ...v.training },
      evaluation: { rowsScored: v.evaluation.rowsScored, mse: v.evaluation.mse, mae: v.evaluation.mae },
      hosting: { createdAt: v.hosting.createdAt, ...(v.hosting.deletedAt && { deletedAt: v.hosting.deletedAt }) },
      cost: {
        training,
        hosting,
        totalUsd: training.usd === null || hosting.usd === null ? null : training.usd + hosting.usd,
      },
      onParetoFrontier: frontier.includes(v.name),
    };
  });
  return {
    reportVersion: 1,
    executionName: input.executionName,
    generatedAt: input.generatedAt.toISOString(),
    verdict: verdictText(input.variants),
    variants,
    paretoFrontier: frontier,
    prices: { perHour: { ...input.pricesPerHour }, source: input.pricesSource },
    notes: REPORT_NOTES,
    warnings: [...(input.warnings ?? [])],
    ...(input.data === undefined ? {} : { data: input.data }),
  };
}
