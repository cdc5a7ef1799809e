/**
 * Clean-up of one execution after it ended, however it ended (a stop by hand, the timeout, a crash): the resources
 * are found by the execution's start time in their names and confirmed by its tag, and each gets what the removal
 * policy decides. Safe to run any number of times, also after the workflow's own clean-up.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CleanUpError, CleanUpFailure, endedJobStatus, isAlreadyGone, withThrottlingRetry } from './cleanup-errors';
import { defaultSleep } from '../common/backoff';
import { ResourceKind } from '../sagemaker/resource-kind';
import { describeError, errorParts } from '../common/errors';
import { TAG_EXECUTION, startStamp } from '../experiment/naming';
import { ExecutionStatus, PlannedRemoval, executionStatusOf, isStillRunning, planRemovals } from './removal-policy';
import { FoundResource, findResources, isAlreadyEnding, isRefusedWhileSettling, sendRemoval } from '../sagemaker/sagemaker-discovery';

export interface NamedResource {
  readonly kind: ResourceKind;
  readonly name: string;
}

export interface RemovalOutcome {
  /** Training jobs this call stopped. */
  readonly stopped: NamedResource[];
  readonly deleted: NamedResource[];
  /** Left on purpose: the execution asked to keep them. */
  readonly kept: NamedResource[];
  /** Endpoints still being created or updated, with their configs and models: for a later pass. */
  readonly waiting: NamedResource[];
  /** Gone, ended or already being removed when this call got to them. */
  readonly alreadyGone: NamedResource[];
  /** Not tried because the deadline came first. */
  readonly notReached: NamedResource[];
  readonly failures: CleanUpFailure[];
}

export interface RemovalContext {
  readonly call: <T>(send: () => Promise<T>) => Promise<T>;
  /** True once no further call may start. */
  readonly pastDeadline: () => boolean;
}

/** Carries out a plan; a failure on one resource never stops the others. */
export async function applyRemovals(
  client: SageMakerClient,
  planned: readonly PlannedRemoval<FoundResource>[],
  context: RemovalContext,
): Promise<RemovalOutcome> {
  const outcome: RemovalOutcome = { stopped: [], deleted: [], kept: [], waiting: [], alreadyGone: [], notReached: [], failures: [] };
  for (const { resource, action } of planned) {
    const named = { kind: resource.kind, name: resource.name };
    if (action === 'keep') outcome.kept.push(named);
    if (action === 'wait') outcome.waiting.push(named);
    if (action === 'none' && isAlreadyEnding(resource)) outcome.alreadyGone.push(named);
    if (action !== 'stop' && action !== 'delete') continue;
    if (context.pastDeadline()) {
      outcome.notReached.push(named);
      continue;
    }
    try {
      await context.call(() => sendRemoval(client, resource));
      (action === 'stop' ? outcome.stopped : outcome.deleted).push(named);
    } catch (error) {
      if (isAlreadyGone(resource.kind, error) || (resource.kind === 'trainingJob' && endedJobStatus(error)))
        outcome.alreadyGone.push(named);
      else if (isRefusedWhileSettling(resource, error)) outcome.waiting.push(named);
      else outcome.failures.push({ ...named, error: describeError(error) });
    }
  }
  return outcome;
}

export interface ExecutionLookUp {
  readonly status: ExecutionStatus;
  /** ISO 8601; absent when Step Functions no longer knows the execution. */
  readonly startTime?: string;
}

/** The execution's status now; one Step Functions no longer knows ended long ago (history is kept 90 days). */
export async function lookUpExecution(sfn: SFNClient, executionArn: string, call: RemovalContext['call']): Promise<ExecutionLookUp> {
  try {
    const execution = await call(() => sfn.send(new DescribeExecutionCommand({ executionArn })));
    return { status: executionStatusOf(execution.status), ...(execution.startDate && { startTime: execution.startDate.toISOString() }) };
  } catch (error) {
    if (errorParts(error).name === 'ExecutionDoesNotExist') return { status: 'UNKNOWN' };
    throw error;
  }
}

/** `arn:...:execution:<machine>:<name>` belongs to `arn:...:stateMachine:<machine>`. */
export function isExecutionOf(stateMachineArn: string, executionArn: string): boolean {
  return executionArn.startsWith(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:`);
}

export interface EndedExecutionRequest {
  readonly executionArn: string;
  /** The start time as the event reported it; Step Functions' own answer wins when it still knows the execution. */
  readonly startTime?: string;
  /** The status the event reported, used when Step Functions no longer knows the execution. */
  readonly reportedStatus?: string;
  /** Remove what the execution was asked to keep too (the `clean-up` command). @default false */
  readonly removeKept?: boolean;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface EndedExecutionResult extends Omit<RemovalOutcome, 'failures' | 'notReached'> {
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  /** Endpoints SageMaker cannot delete yet; run again once they settle. */
  readonly pendingEndpoints: string[];
}

/** Removes what an ended execution left; does nothing while it runs. Throws CleanUpError after trying everything. */
export async function cleanUpEndedExecution(
  clients: { sagemaker: SageMakerClient; sfn: SFNClient },
  request: EndedExecutionRequest,
): Promise<EndedExecutionResult> {
  const sleep = request.sleep ?? defaultSleep;
  const call = <T>(send: () => Promise<T>) => withThrottlingRetry(send, sleep);
  const { executionArn } = request;
  const lookUp = await lookUpExecution(clients.sfn, executionArn, call);
  const status = lookUp.status === 'UNKNOWN' && request.reportedStatus ? executionStatusOf(request.reportedStatus) : lookUp.status;
  const empty = { stopped: [], deleted: [], kept: [], waiting: [], alreadyGone: [], pendingEndpoints: [] };
  if (isStillRunning(status)) return { executionArn, status, ...empty };
  const startTime = lookUp.startTime ?? request.startTime;
  if (!startTime)
    throw new Error(`Execution ${executionArn} is unknown to Step Functions and no start time was given: cannot tell its resources' names`);

  // The start time to the second is in every name of the execution; the tag makes sure a resource is really its.
  const found = await findResources(clients.sagemaker, {
    nameContains: `-${startStamp(startTime)}-`,
    matches: (tags) => tags[TAG_EXECUTION] === executionArn,
    call,
    checkDeadline: () => undefined,
  });
  const planned = planRemovals(found, () => status, { removeKept: request.removeKept ?? false });
  const outcome = await applyRemovals(clients.sagemaker, planned, { call, pastDeadline: () => false });
  if (outcome.failures.length > 0) throw new CleanUpError(outcome.failures);
  const { stopped, deleted, kept, waiting, alreadyGone } = outcome;
  return {
    executionArn,
    status,
    stopped,
    deleted,
    kept,
    waiting,
    alreadyGone,
    pendingEndpoints: waiting.filter((resource) => resource.kind === 'endpoint').map((resource) => resource.name),
  };
}

/** What the clean-up state machine passes its task: the status-change event's detail, and the passes so far. */
export interface EndedExecutionEvent {
  readonly detail: { readonly executionArn: string; readonly stateMachineArn: string; readonly status: string; readonly startDate: number };
  readonly attempt?: number;
}

/** Validates the status-change event's detail; names the field and what was expected when something is wrong. */
export function parseEndedExecutionEvent(event: unknown, workflowArn: string): EndedExecutionRequest {
  const detail = (event as { detail?: unknown } | null)?.detail;
  if (typeof detail !== 'object' || detail === null) {
    throw new Error(
      `Clean-up event must have a "detail" object (a Step Functions Execution Status Change event), got ${JSON.stringify(event)}`,
    );
  }
  const { executionArn, stateMachineArn, status, startDate } = detail as Record<string, unknown>;
  if (typeof executionArn !== 'string' || !isExecutionOf(workflowArn, executionArn)) {
    throw new Error(
      `Clean-up event field "detail.executionArn" must be an execution of ${workflowArn}, got ${JSON.stringify(executionArn)}`,
    );
  }
  if (stateMachineArn !== workflowArn) {
    throw new Error(`Clean-up event field "detail.stateMachineArn" must be ${workflowArn}, got ${JSON.stringify(stateMachineArn)}`);
  }
  if (typeof status !== 'string') throw new Error(`Clean-up event field "detail.status" must be a string, got ${JSON.stringify(status)}`);
  if (typeof startDate !== 'number' || !Number.isFinite(startDate)) {
    throw new Error(`Clean-up event field "detail.startDate" must be epoch milliseconds, got ${JSON.stringify(startDate)}`);
  }
  return { executionArn, reportedStatus: status, startTime: new Date(startDate).toISOString() };
}
