/**
 * What happens to each resource of an execution that has ended, decided from its tags and the execution's status
 * alone. The same rules serve the clean-up after a stop or timeout, the scheduled sweep and `clean-up <execution>`.
 */
import { TrainingJobStatus } from '@aws-sdk/client-sagemaker';
import type { ResourceKind } from '../sagemaker/resource-kind';
import { TAG_KEEP_ENDPOINTS, TAG_KEEP_MODELS } from '../experiment/naming';
import { SETTLING_ENDPOINT_STATES } from '../sagemaker/sagemaker-discovery';

/**
 * Step Functions' execution statuses, plus `UNKNOWN` for an execution no longer in its history (closed executions
 * are kept 90 days): it ended long ago, and treating it as succeeded keeps what it was asked to keep.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'UNKNOWN';

/**
 * - `stop`: a training job still running.
 * - `delete`: an endpoint, endpoint config or model nobody asked to keep.
 * - `keep`: left on purpose (the execution's keep tags).
 * - `wait`: an endpoint SageMaker cannot delete yet (still being created or updated), and its config and model.
 * - `none`: nothing to do (the execution still runs, the job has ended, the endpoint is already being deleted).
 */
export type RemovalAction = 'stop' | 'delete' | 'keep' | 'wait' | 'none';

export interface ResourceView {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly status?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RemovalOptions {
  /** Remove what the execution was asked to keep too (the `clean-up` command). @default false */
  readonly removeKept?: boolean;
}

const ENDED_ABNORMALLY: ReadonlySet<ExecutionStatus> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
/** A running execution owns its resources; a redriven one runs again. */
const STILL_RUNNING: ReadonlySet<ExecutionStatus> = new Set(['RUNNING', 'PENDING_REDRIVE']);

export function isStillRunning(status: ExecutionStatus): boolean {
  return STILL_RUNNING.has(status);
}

/** The action for one resource, ignoring its siblings (see planRemovals for those). */
export function decideRemoval(resource: ResourceView, execution: ExecutionStatus, options: RemovalOptions = {}): RemovalAction {
  if (isStillRunning(execution)) return 'none';
  if (resource.kind === 'trainingJob') return resource.status === TrainingJobStatus.IN_PROGRESS ? 'stop' : 'none';
  if (resource.kind === 'endpoint' && resource.status === 'Deleting') return 'none';

  // A failed, stopped or timed-out run never reached the evaluation the endpoints were kept for: like the workflow's
  // own failure clean-up, only keepModels counts then.
  const keepEndpoints = !options.removeKept && !ENDED_ABNORMALLY.has(execution) && resource.tags[TAG_KEEP_ENDPOINTS] === 'true';
  const keepModels = !options.removeKept && (keepEndpoints || resource.tags[TAG_KEEP_MODELS] === 'true');
  const keep = resource.kind === 'model' ? keepModels : keepEndpoints;
  if (keep) return 'keep';
  if (resource.kind === 'endpoint' && SETTLING_ENDPOINT_STATES.has(resource.status ?? '')) return 'wait';
  return 'delete';
}

export interface PlannedRemoval<R extends ResourceView> {
  readonly resource: R;
  readonly action: RemovalAction;
}

/**
 * Decides every resource, then leaves the config and model of an endpoint that must wait for the next pass too:
 * the endpoint still runs on them. Jobs first (they hold the most instances), then endpoints before what they use.
 */
export function planRemovals<R extends ResourceView>(
  resources: readonly R[],
  statusOf: (resource: R) => ExecutionStatus,
  options: RemovalOptions = {},
): PlannedRemoval<R>[] {
  const decided = resources.map((resource) => ({ resource, action: decideRemoval(resource, statusOf(resource), options) }));
  const waiting = new Set(
    decided.filter(({ resource, action }) => resource.kind === 'endpoint' && action === 'wait').map(({ resource }) => resource.name),
  );
  const planned = decided.map(({ resource, action }) =>
    action === 'delete' && resource.kind !== 'endpoint' && waiting.has(resource.name)
      ? { resource, action: 'wait' as const }
      : { resource, action },
  );
  return REMOVAL_ORDER.flatMap((kind) => planned.filter(({ resource }) => resource.kind === kind));
}

const REMOVAL_ORDER: readonly ResourceKind[] = ['trainingJob', 'endpoint', 'endpointConfig', 'model'];

/** Step Functions' status word; one this code does not know is left alone, as if the execution still ran. */
export function executionStatusOf(status: string | undefined): ExecutionStatus {
  const known: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
  return known.includes(status as ExecutionStatus) ? (status as ExecutionStatus) : 'RUNNING';
}
