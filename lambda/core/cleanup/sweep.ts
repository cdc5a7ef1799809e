/**
 * The scheduled backstop for the clean-up after an execution ends (EventBridge delivers at best once): finds every
 * resource tagged with this stack, asks Step Functions whether the execution that made it still runs, and removes
 * what ended executions left, except what they were asked to keep. Bounded by a deadline: what it cannot reach is
 * named in its result and left for the next sweep.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CleanUpFailure, withThrottlingRetry } from './cleanup-errors';
import { defaultSleep } from '../common/backoff';
import { NamedResource, RemovalOutcome, applyRemovals, isExecutionOf, lookUpExecution } from './ended-cleanup';
import { NAME_PREFIX, TAG_EXECUTION, TAG_STACK } from '../experiment/naming';
import { ExecutionStatus, isStillRunning, planRemovals } from './removal-policy';
import { FoundResource, findResources } from '../sagemaker/sagemaker-discovery';

export interface SweepRequest {
  readonly stackName: string;
  /** Only executions of this state machine are looked at; resources of any other are skipped and counted. */
  readonly stateMachineArn: string;
  /** Epoch milliseconds; no call starts after it. */
  readonly deadline: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SweepResult extends Omit<RemovalOutcome, 'failures'> {
  /** Executions whose resources were found, by what the sweep did with them. */
  readonly executions: {
    readonly running: number;
    readonly ended: number;
    readonly notThisStateMachine: number;
    readonly notLookedUp: number;
  };
  /** Resources tagged with the stack but with no execution tag, or one of another state machine: never touched. */
  readonly skipped: NamedResource[];
  /** False when the deadline came before everything was listed, looked up and tried. */
  readonly complete: boolean;
  readonly failures: CleanUpFailure[];
}

class DeadlineReached extends Error {}

export async function sweepStack(clients: { sagemaker: SageMakerClient; sfn: SFNClient }, request: SweepRequest): Promise<SweepResult> {
  const { stackName, stateMachineArn, deadline } = request;
  if (!stackName) throw new Error('sweepStack needs a stackName: refusing to match resources on an empty tag value');
  const now = request.now ?? Date.now;
  const sleep = request.sleep ?? defaultSleep;
  const call = <T>(send: () => Promise<T>) => withThrottlingRetry(send, sleep);
  const pastDeadline = () => now() >= deadline;
  const executions = { running: 0, ended: 0, notThisStateMachine: 0, notLookedUp: 0 };
  const empty: Omit<RemovalOutcome, 'failures'> = { stopped: [], deleted: [], kept: [], waiting: [], alreadyGone: [], notReached: [] };

  let found: FoundResource[];
  try {
    found = await findResources(clients.sagemaker, {
      nameContains: NAME_PREFIX,
      matches: (tags) => tags[TAG_STACK] === stackName,
      call,
      checkDeadline: () => {
        if (pastDeadline()) throw new DeadlineReached();
      },
    });
  } catch (error) {
    if (error instanceof DeadlineReached) return { ...empty, executions, skipped: [], complete: false, failures: [] };
    throw error;
  }

  const skipped: NamedResource[] = [];
  const otherExecutions = new Set<string>();
  const byExecution = new Map<string, FoundResource[]>();
  for (const resource of found) {
    const executionArn = resource.tags[TAG_EXECUTION];
    if (!executionArn || !isExecutionOf(stateMachineArn, executionArn)) {
      if (executionArn) otherExecutions.add(executionArn);
      skipped.push({ kind: resource.kind, name: resource.name });
      continue;
    }
    byExecution.set(executionArn, [...(byExecution.get(executionArn) ?? []), resource]);
  }
  executions.notThisStateMachine = otherExecutions.size;

  const statuses = new Map<string, ExecutionStatus>();
  const ended: FoundResource[] = [];
  const notReached: NamedResource[] = [];
  for (const [executionArn, resources] of byExecution) {
    if (pastDeadline()) {
      executions.notLookedUp++;
      notReached.push(...resources.map(({ kind, name }) => ({ kind, name })));
      continue;
    }
    const { status } = await lookUpExecution(clients.sfn, executionArn, call);
    statuses.set(executionArn, status);
    if (isStillRunning(status)) {
      executions.running++;
    } else {
      executions.ended++;
      ended.push(...resources);
    }
  }

  const planned = planRemovals(ended, (resource) => statuses.get(resource.tags[TAG_EXECUTION])!);
  const outcome = await applyRemovals(clients.sagemaker, planned, { call, pastDeadline });
  const allNotReached = [...notReached, ...outcome.notReached];
  return { ...outcome, notReached: allNotReached, executions, skipped, complete: allNotReached.length === 0 };
}

/** One log line: counts first, for metric filters and a glance; the names for whoever looks closer. */
export function sweepLogLine(result: SweepResult): string {
  const names = (list: readonly NamedResource[]) => list.map((resource) => resource.name);
  return JSON.stringify({
    complete: result.complete,
    executions: result.executions,
    counts: {
      trainingJobsStopped: result.stopped.length,
      deleted: result.deleted.length,
      kept: result.kept.length,
      waitingToSettle: result.waiting.length,
      alreadyGone: result.alreadyGone.length,
      skipped: result.skipped.length,
      notReached: result.notReached.length,
      failed: result.failures.length,
    },
    stopped: names(result.stopped),
    deleted: result.deleted.map((resource) => `${resource.kind}:${resource.name}`),
    waitingToSettle: names(result.waiting),
    notReached: names(result.notReached),
    failures: result.failures,
  });
}
