import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CleanUpError, CleanUpFailure, endedJobStatus, isAlreadyGone, withThrottlingRetry } from './cleanup-errors';
import { defaultSleep } from '../common/backoff';
import { ResourceKind } from '../sagemaker/resource-kind';
import { describeError } from '../common/errors';
import { NAME_PREFIX, TAG_STACK } from '../experiment/naming';
import {
  FoundResource,
  describeResource,
  findResources,
  isAlreadyEnding,
  isRefusedWhileSettling,
  sendRemoval,
} from '../sagemaker/sagemaker-discovery';

/**
 * Removes every SageMaker resource tagged with the stack's name, whichever execution created it: the last line of
 * defence when the stack is destroyed.
 */

export interface StackCleanUpRequest {
  readonly stackName: string;
  /** Epoch milliseconds; no call starts after it, and whatever is left is named in the error. */
  readonly deadline: number;
  /** The tag whose value is the stack name. @default 'experiment:stack' */
  readonly tagKey?: string;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Wait before trying again endpoints that cannot be deleted yet (still creating or updating). @default 15000 */
  readonly retryIntervalMs?: number;
}

export interface StackCleanUpResult {
  readonly stackName: string;
  readonly trainingJobsStopped: string[];
  readonly endpointsDeleted: string[];
  readonly endpointConfigsDeleted: string[];
  readonly modelsDeleted: string[];
  /** Listed, but gone (or ended, for jobs) by the time they were removed. */
  readonly alreadyGone: string[];
  /** Already on their way out when found: endpoints `Deleting`, training jobs `Stopping`. */
  readonly alreadyEnding: string[];
}

type TaggedResource = FoundResource;

/** Thrown when the deadline comes before everything is removed; names what is left. */
export class CleanUpDeadlineError extends Error {
  constructor(stackName: string, stage: string, remaining: readonly TaggedResource[]) {
    const left = remaining.length > 0 ? remaining.map(describeResource).join(', ') : 'none found so far';
    super(
      `Clean-up of stack ${stackName} reached its deadline while ${stage}. ` +
        `Still present (may be billing): ${left}. Run the clean-up again or delete them in the SageMaker console.`,
    );
    this.name = 'CleanUpDeadlineReached';
  }
}

// Running jobs hold the most instances, so they stop first; then endpoints before the configs and models they use.
const REMOVAL_ORDER: readonly ResourceKind[] = ['trainingJob', 'endpoint', 'endpointConfig', 'model'];

export async function cleanUpStack(client: SageMakerClient, request: StackCleanUpRequest): Promise<StackCleanUpResult> {
  const { stackName, deadline } = request;
  const tagKey = request.tagKey ?? TAG_STACK;
  const now = request.now ?? Date.now;
  const sleep = request.sleep ?? defaultSleep;
  const retryIntervalMs = request.retryIntervalMs ?? 15_000;
  if (!stackName) throw new Error('cleanUpStack needs a stackName: refusing to match resources on an empty tag value');

  const result: StackCleanUpResult = {
    stackName,
    trainingJobsStopped: [],
    endpointsDeleted: [],
    endpointConfigsDeleted: [],
    modelsDeleted: [],
    alreadyGone: [],
    alreadyEnding: [],
  };
  const removedBy: Record<ResourceKind, string[]> = {
    trainingJob: result.trainingJobsStopped,
    endpoint: result.endpointsDeleted,
    endpointConfig: result.endpointConfigsDeleted,
    model: result.modelsDeleted,
  };
  const checkDeadline = (stage: string, remaining: readonly TaggedResource[]) => {
    if (now() >= deadline) throw new CleanUpDeadlineError(stackName, stage, remaining);
  };
  const call = <T>(send: () => Promise<T>) => withThrottlingRetry(send, sleep);

  for (;;) {
    const found = await findResources(client, {
      nameContains: NAME_PREFIX,
      matches: (tags) => tags[tagKey] === stackName,
      call,
      checkDeadline,
    });
    const toRemove = found.filter((resource) => !isAlreadyEnding(resource));
    for (const resource of found.filter(isAlreadyEnding)) addOnce(result.alreadyEnding, resource.name);
    if (toRemove.length === 0) return result;

    const ordered = REMOVAL_ORDER.flatMap((kind) => toRemove.filter((resource) => resource.kind === kind));
    const failures: CleanUpFailure[] = [];
    const settling: TaggedResource[] = [];
    for (const [index, resource] of ordered.entries()) {
      checkDeadline('removing resources', ordered.slice(index));
      try {
        await call(() => sendRemoval(client, resource));
        removedBy[resource.kind].push(resource.name);
      } catch (error) {
        if (isAlreadyGone(resource.kind, error) || (resource.kind === 'trainingJob' && endedJobStatus(error))) {
          addOnce(result.alreadyGone, resource.name);
        } else if (isRefusedWhileSettling(resource, error)) {
          settling.push(resource);
        } else {
          failures.push({ kind: resource.kind, name: resource.name, error: describeError(error) });
        }
      }
    }
    if (failures.length > 0) throw new CleanUpError(failures);
    if (settling.length === 0) return result;

    if (now() + retryIntervalMs >= deadline) {
      throw new CleanUpDeadlineError(stackName, 'waiting for endpoints to finish creating or updating', settling);
    }
    await sleep(retryIntervalMs);
  }
}

function addOnce(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}
