/**
 * The experiment's report as data: per variant its status, training time, test accuracy, cost, spot saving, shard
 * balance and endpoint lifetime; the time-vs-accuracy and cost-vs-accuracy Pareto frontiers over the variants that
 * succeeded; and a short factual verdict. Markdown and SVG render from it.
 */
import { requireText } from '../common/input-checks';
import { CostEstimate, HostingCostEstimate, hostingCost, parseIsoTime, trainingCost, validatePrices } from './cost';
import type { VARIANTS_FAILED } from './failure-summary';
import { paretoFrontier } from './frontier';
import type { TrainObject } from '../data/train-shards';
import { ShardBalance, shardBalance, validateTrainObjects } from './shard-balance';
import {
  CheckedVariant,
  EvaluationInput,
  HostingInput,
  TrainingInput,
  VariantFailure,
  VariantInput,
  VariantStatus,
  validateVariants,
} from './variant-input';
import { verdictText } from './verdict';

export type { VariantInput } from './variant-input';

export interface ReportInput {
  readonly executionName: string;
  readonly generatedAt: Date;
  readonly pricesPerHour: Record<string, number>;
  readonly pricesSource: string;
  readonly variants: readonly VariantInput[];
  /** The training channel's objects, for the bytes each instance reads; without them there is no shard balance. */
  readonly trainObjects?: readonly TrainObject[];
  readonly data?: unknown;
  /** Checks the preflight could not make; the run went on without them. */
  readonly warnings?: readonly string[];
}

export interface VariantReport {
  readonly name: string;
  readonly status: VariantStatus;
  /** Failed variants only: the error and cause their branch failed with. */
  readonly failure?: VariantFailure;
  readonly trainDistribution: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly inputMode: string;
  readonly spot: boolean;
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** Null for a failed variant, and for one that scored no test rows. */
  readonly testMse: number | null;
  /** Spot variants only: 1 − BillableTimeInSeconds / TrainingTimeInSeconds, the share of training time not billed. */
  readonly spotSaving?: number | null;
  /** Spot variants only: how often the spot capacity was taken away; null when the training was not described. */
  readonly spotInterruptions?: number | null;
  /** Seconds from endpoint creation to deletion; null when the endpoint was kept or never created. */
  readonly endpointLifetimeSeconds: number | null;
  /** Bytes per training instance; null when the training objects are not known. */
  readonly shardBalance: ShardBalance | null;
  readonly jobName: string;
  readonly endpointName: string;
  /** Absent for a variant that failed before its training was described (and likewise below). */
  readonly training?: TrainingInput;
  readonly evaluation?: EvaluationInput;
  /** When the endpoint was created, and deleted (absent while it is kept). */
  readonly hosting?: HostingInput;
  readonly cost: {
    /** Null when the training was never described. */
    readonly training: CostEstimate | null;
    /** Null when no endpoint was created. */
    readonly hosting: HostingCostEstimate | null;
    /** Training plus hosting; null if the training cost is unknown or either has no price. */
    readonly totalUsd: number | null;
  };
  /** On the training-time vs test-MSE frontier of the succeeded variants. */
  readonly onParetoFrontier: boolean;
  /** On the cost vs test-MSE frontier of the succeeded variants. */
  readonly onCostFrontier: boolean;
}

export interface Report {
  readonly reportVersion: 2;
  readonly executionName: string;
  readonly generatedAt: string;
  readonly verdict: string;
  readonly variantsFailed: number;
  readonly variants: readonly VariantReport[];
  /** Training time vs test MSE, fastest first. */
  readonly paretoFrontier: readonly string[];
  /** Estimated cost vs test MSE, cheapest first. */
  readonly costFrontier: readonly string[];
  /** The training channel's size, when known. */
  readonly trainData?: { readonly objects: number; readonly bytes: number };
  readonly prices: { readonly perHour: Record<string, number>; readonly source: string };
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly data?: unknown;
}

/** What writing the report answers: the verdict, where the files are, and the error a run with failed variants ends with. */
export interface ReportWritten {
  readonly summary: string;
  readonly uris: { readonly json: string; readonly markdown: string; readonly svg: string; readonly costSvg: string };
  readonly variantsFailed: number;
  /** When variants failed: what the execution's Fail state ends with. */
  readonly failure?: { readonly error: typeof VARIANTS_FAILED; readonly cause: string };
}

export const REPORT_NOTES: readonly string[] = [
  'Training time is DescribeTrainingJob TrainingTimeInSeconds (wall clock, seconds).',
  'BillableTimeInSeconds is per instance, as SageMaker reports it: training cost = BillableTimeInSeconds x instance count x price per hour / 3600.',
  "Spot saving = 1 - BillableTimeInSeconds / TrainingTimeInSeconds, for variants trained on managed spot capacity (n/a when the training time is 0); interruptions count the job's transitions into the Interrupted status.",
  'Endpoint lifetime = seconds from endpoint creation to deletion; hosting cost = endpoint instance count x that lifetime (or the time to the report if the endpoint is kept) x price per hour / 3600.',
  'Shard balance = bytes read by the busiest / the least busy training instance. For ShardedByS3Key it is estimated: SageMaker gives each instance whole objects, about 1/n of them, modelled as object i (in key order) going to instance i mod n. FullyReplicated instances each read every object.',
  'MSE and MAE are computed over every scored row of the test set; the training loss is absolute loss, so MAE is what training minimised.',
  'Failed variants are listed with their error but left out of the frontiers and the comparisons; the cost of a failed variant counts what it got to.',
  'Costs are estimates from the price table below, not a bill.',
];

/** SageMaker bills a spot job for less than it trained; the difference is the saving over on-demand. */
export function spotSaving(training: { readonly trainingTimeInSeconds: number; readonly billableTimeInSeconds: number }): number | null {
  if (training.trainingTimeInSeconds === 0) return null;
  return 1 - training.billableTimeInSeconds / training.trainingTimeInSeconds;
}

export function endpointLifetimeSeconds(hosting: HostingInput | undefined): number | null {
  if (hosting?.deletedAt === undefined) return null;
  return (parseIsoTime('hosting.deletedAt', hosting.deletedAt) - parseIsoTime('hosting.createdAt', hosting.createdAt)) / 1000;
}

function costOf(v: CheckedVariant, input: ReportInput): VariantReport['cost'] {
  const training = v.training
    ? trainingCost(
        { instanceType: v.instanceType, instanceCount: v.instanceCount, billableTimeInSeconds: v.training.billableTimeInSeconds },
        input.pricesPerHour,
      )
    : null;
  const hosting = v.hosting
    ? hostingCost(
        { instanceType: v.endpointInstanceType, instanceCount: v.endpointInstanceCount, ...v.hosting },
        input.generatedAt,
        input.pricesPerHour,
      )
    : null;
  const known = [training, hosting].filter((estimate): estimate is CostEstimate => estimate !== null);
  const totalUsd =
    training === null || known.some((estimate) => estimate.usd === null) ? null : known.reduce((sum, estimate) => sum + estimate.usd!, 0);
  return { training, hosting, totalUsd };
}

function variantReport(v: CheckedVariant, input: ReportInput, trainObjects: readonly TrainObject[] | undefined): VariantReport {
  const succeeded = v.status === 'succeeded';
  return {
    name: v.name,
    status: v.status,
    ...(v.failure && { failure: { error: v.failure.error, cause: v.failure.cause } }),
    trainDistribution: v.trainDistribution,
    instanceType: v.instanceType,
    instanceCount: v.instanceCount,
    inputMode: v.inputMode,
    spot: v.spot,
    hyperparameters: { ...v.hyperparameters },
    testMse: succeeded ? (v.evaluation?.mse ?? null) : null,
    ...(v.spot && { spotSaving: v.training ? spotSaving(v.training) : null, spotInterruptions: v.training?.interruptions ?? null }),
    endpointLifetimeSeconds: endpointLifetimeSeconds(v.hosting),
    shardBalance: trainObjects ? shardBalance(trainObjects, v.trainDistribution, v.instanceCount) : null,
    jobName: v.jobName,
    endpointName: v.endpointName,
    ...(v.training && { training: { ...v.training } }),
    ...(v.evaluation && { evaluation: { rowsScored: v.evaluation.rowsScored, mse: v.evaluation.mse, mae: v.evaluation.mae } }),
    ...(v.hosting && { hosting: { createdAt: v.hosting.createdAt, ...(v.hosting.deletedAt && { deletedAt: v.hosting.deletedAt }) } }),
    cost: costOf(v, input),
    onParetoFrontier: false,
    onCostFrontier: false,
  };
}

/** The succeeded variants with a test MSE: the only ones a frontier compares. */
function comparable(variants: readonly VariantReport[]): (VariantReport & { testMse: number })[] {
  return variants.filter((v): v is VariantReport & { testMse: number } => v.status === 'succeeded' && v.testMse !== null);
}

export function buildReport(input: ReportInput): Report {
  validatePrices(input.pricesPerHour);
  requireText('executionName', input.executionName);
  const variants = validateVariants(input.variants);
  const trainObjects = input.trainObjects === undefined ? undefined : validateTrainObjects(input.trainObjects);
  const reports = variants.map((v) => variantReport(v, input, trainObjects));

  const scored = comparable(reports);
  const timeFrontier = paretoFrontier(scored.map((v) => ({ name: v.name, x: v.training!.trainingTimeInSeconds, y: v.testMse })));
  const costFrontier = paretoFrontier(
    scored.filter((v) => v.cost.totalUsd !== null).map((v) => ({ name: v.name, x: v.cost.totalUsd!, y: v.testMse })),
  );
  const withFrontiers = reports.map((v) => ({
    ...v,
    onParetoFrontier: timeFrontier.includes(v.name),
    onCostFrontier: costFrontier.includes(v.name),
  }));
  return {
    reportVersion: 2,
    executionName: input.executionName,
    generatedAt: input.generatedAt.toISOString(),
    verdict: verdictText(withFrontiers),
    variantsFailed: withFrontiers.filter((v) => v.status === 'failed').length,
    variants: withFrontiers,
    paretoFrontier: timeFrontier,
    costFrontier,
    ...(trainObjects && { trainData: { objects: trainObjects.length, bytes: trainObjects.reduce((sum, o) => sum + o.bytes, 0) } }),
    prices: { perHour: { ...input.pricesPerHour }, source: input.pricesSource },
    notes: REPORT_NOTES,
    warnings: [...(input.warnings ?? [])],
    ...(input.data === undefined ? {} : { data: input.data }),
  };
}
