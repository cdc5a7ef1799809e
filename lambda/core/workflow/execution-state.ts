/**
 * The JSON the experiment's state machine carries from state to state, typed once for both sides: the workflow
 * definition names its fields through `fieldPath`, so a renamed field fails the build there as it does in the
 * handlers that read or return it.
 */
import type { ExecutionCleanUpResult } from '../cleanup/cleanup';
import type { DatasetLocation, IdentifiedDataset } from '../data/dataset';
import type { PrepareYearResult, ProfileEventCodesResult } from '../data/data-preparation';
import type { TrainObject } from '../data/train-shards';
import type { EvaluateEndpointResult } from '../evaluation/endpoint-scoring';
import type { ExecutionPlan, VariantPlan } from '../experiment/plan';
import type { PreflightResult } from '../preflight/preflight';
import type { ReportWritten } from '../report/report';
import type { EndpointStatus, TrainingStatus } from '../sagemaker/variant-state';
import type { FinishVariantResult } from '../cleanup/finish-variant';

/** What Step Functions puts at a Catch's result path, and what a Fail state reads. */
export interface StateError {
  readonly Error: string;
  readonly Cause: string;
}

/** The clean-up loop's state: the pass count before the first pass, the clean-up's result after each. */
export type CleanUpState = Partial<ExecutionCleanUpResult> & { readonly attempt: number };

/** The execution's state: the plan, then each stage's result under its own field, in the order they run. */
export interface ExecutionState extends ExecutionPlan {
  readonly preflight?: PreflightResult;
  readonly prepared?: {
    readonly profile: ProfileEventCodesResult;
    readonly years?: readonly PrepareYearResult[];
    /** The objects of the train channel, in key order: what the instances of a sharded job split between them. */
    readonly trainObjects?: readonly TrainObject[];
  };
  readonly dataset?: IdentifiedDataset;
  /** One per variant, in the plan's order, once its pipeline has ended: evaluated, or failed. */
  readonly results?: readonly VariantSummary[];
  readonly cleanup?: CleanUpState;
  /** The report's verdict and where it is; with `failure` when a variant failed (`onVariantFailure: continue`). */
  readonly report?: ReportWritten;
  readonly error?: StateError;
  /** A clean-up that failed after the experiment did; kept beside the experiment's own error. */
  readonly cleanupError?: StateError;
  /** A Lambda error's cause, parsed: Lambda's JSON envelope. */
  readonly lambdaError?: { readonly envelope: { readonly errorMessage: string } };
}

/** The part of the dataset a variant trains on and is scored against: known only once the dataset is identified. */
export type VariantDataset = Pick<DatasetLocation, 'channels' | 'testKey'>;

/**
 * One variant's pipeline: its plan, its data, what SageMaker has answered so far, its summary once hosted, and how
 * it ended (its endpoint deleted, or what failed and what was cleaned up).
 */
export interface VariantState {
  readonly variant: VariantPlan;
  readonly dataset: VariantDataset;
  readonly training?: TrainingStatus;
  readonly endpoint?: EndpointStatus;
  readonly summary?: SucceededVariantSummary;
  readonly failure?: StateError;
  readonly finish?: Partial<FinishVariantResult> & { readonly attempt: number };
}

/** What a variant is, whatever became of it. */
export interface VariantDescription {
  readonly name: string;
  readonly trainDistribution: string;
  readonly instanceCount: number;
  readonly instanceType: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly inputMode: string;
  readonly spot: boolean;
  readonly endpointInstanceType: string;
  readonly endpointInstanceCount: number;
  readonly jobName: string;
  readonly modelName: string;
  readonly endpointConfigName: string;
  readonly endpointName: string;
}

/**
 * The description's fields, in the order summaries list them: each is the variant plan's field of the same name,
 * so a succeeded variant's summary (a Pass state) and a failed one's (the clean-up task) copy the same list.
 */
export const VARIANT_DESCRIPTION_FIELDS = [
  'name',
  'trainDistribution',
  'instanceCount',
  'instanceType',
  'hyperparameters',
  'inputMode',
  'spot',
  'endpointInstanceType',
  'endpointInstanceCount',
  'jobName',
  'modelName',
  'endpointConfigName',
  'endpointName',
] as const satisfies ReadonlyArray<keyof VariantDescription & keyof VariantPlan>;

/** A field added to the description and not to the list fails to compile here. */
const everyDescriptionField: Exclude<keyof VariantDescription, (typeof VARIANT_DESCRIPTION_FIELDS)[number]> extends never ? true : never =
  true;
void everyDescriptionField;

/** A variant trained, hosted and scored: what the execution output and the report list for it. */
export interface SucceededVariantSummary extends VariantDescription {
  readonly status: 'succeeded';
  readonly training: {
    readonly status: string;
    readonly trainingTimeInSeconds: number;
    readonly billableTimeInSeconds: number;
    readonly finalMetrics: Readonly<Record<string, number>>;
    readonly interruptions: number;
  };
  readonly hosting: { readonly status: string; readonly createdAt: string; readonly deletedAt?: string };
  /** Added once the endpoint has been scored. */
  readonly evaluation?: EvaluateEndpointResult;
}

/** A variant whose pipeline failed; with `onVariantFailure: continue` the others go on, and the report lists it. */
export interface FailedVariantSummary extends VariantDescription {
  readonly status: 'failed';
  readonly failure: { readonly error: string; readonly cause: string };
}

export type VariantSummary = SucceededVariantSummary | FailedVariantSummary;

type Levels = [never, 0, 1, 2, 3, 4, 5];

/** Every dotted path to a field of T (lists end a path: their items are reached by a Map state, not by a path). */
export type FieldPath<T, Depth extends number = 5> = [Depth] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? {
          [K in Extract<keyof T, string>]-?: NonNullable<T[K]> extends readonly unknown[]
            ? K
            : NonNullable<T[K]> extends object
              ? K | `${K}.${FieldPath<NonNullable<T[K]>, Levels[Depth]>}`
              : K;
        }[Extract<keyof T, string>]
      : never;

/** A JsonPath to a field of the state T, checked by the compiler: `fieldPath<ExecutionState>()('settings.keepModels')`. */
export const fieldPath =
  <T>() =>
  (path: FieldPath<T>): string =>
    `$.${path}`;

/** A Task payload or Pass state's parameters that build a T: each field a JsonPath or a value, none missing or extra. */
export type Fields<T> = { readonly [K in keyof T]: unknown };
