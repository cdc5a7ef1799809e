import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  EndpointStatus,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import {
  CleanUpError,
  CleanUpFailure,
  ResourceKind,
  defaultSleep,
  describeError,
  describeKind,
  endedJobStatus,
  errorParts,
  isAlreadyGone,
  withThrottlingRetry,
} from './cleanup-errors';
import { NAME_PREFIX, TAG_STACK } from './naming';

/**
 * Removes every SageMaker resource tagged with the stack's name, whichever execution created it: the last line of
 * defence when the stack is destroyed. Resources are found by listing and reading each one's tags (List* + ListTags)
 * rather than with the Search API, whose index lags behind just-created resources.
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

interface TaggedResource {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly arn: string;
  readonly status?: string;
}

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

// An endpoint in these states may refuse DeleteEndpoint; it settles on its own, so try again later.
const SETTLING_ENDPOINT_STATES: ReadonlySet<string> = new Set([
  EndpointStatus.CREATING,
  EndpointStatus.UPDATING,
  EndpointStatus.SYSTEM_UPDATING,
  EndpointStatus.ROLLING_BACK,
]);

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
    const found = await findTaggedResources(client, { stackName, tagKey, call, checkDeadline });
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
        } else if (resource.kind === 'endpoint' && isSettling(resource, error)) {
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

function sendRemoval(client: SageMakerClient, resource: TaggedResource): Promise<unknown> {
  switch (resource.kind) {
    case 'trainingJob':
      return client.send(new StopTrainingJobCommand({ TrainingJobName: resource.name }));
    case 'endpoint':
      return client.send(new DeleteEndpointCommand({ EndpointName: resource.name }));
    case 'endpointConfig':
      return client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: resource.name }));
    case 'model':
      return client.send(new DeleteModelCommand({ ModelName: resource.name }));
  }
}

function isAlreadyEnding(resource: TaggedResource): boolean {
  return (
    (resource.kind === 'endpoint' && resource.status === EndpointStatus.DELETING) ||
    (resource.kind === 'trainingJob' && resource.status === TrainingJobStatus.STOPPING)
  );
}

function isSettling(resource: TaggedResource, error: unknown): boolean {
  return errorParts(error).name === 'ValidationException' && SETTLING_ENDPOINT_STATES.has(resource.status ?? '');
}

interface DiscoveryContext {
  readonly stackName: string;
  readonly tagKey: string;
  readonly call: <T>(send: () => Promise<T>) => Promise<T>;
  readonly checkDeadline: (stage: string, remaining: readonly TaggedResource[]) => void;
}

async function findTaggedResources(client: SageMakerClient, context: DiscoveryContext): Promise<TaggedResource[]> {
  const { call, checkDeadline } = context;
  const listAll = async <O extends { NextToken?: string }>(
    fetchPage: (nextToken: string | undefined) => Promise<O>,
    pick: (page: O) => TaggedResource[],
  ): Promise<TaggedResource[]> => {
    const all: TaggedResource[] = [];
    let nextToken: string | undefined;
    do {
      checkDeadline('listing SageMaker resources', []);
      const page = await call(() => fetchPage(nextToken));
      all.push(...pick(page));
      nextToken = page.NextToken;
    } while (nextToken);
    return all;
  };

  const candidates = [
    ...(await listAll(
      (NextToken) => client.send(new ListTrainingJobsCommand({ StatusEquals: TrainingJobStatus.IN_PROGRESS, NameContains: NAME_PREFIX, NextToken, MaxResults: 100 })),
      (page) => page.TrainingJobSummaries?.map((job) => resource('trainingJob', job.TrainingJobName, job.TrainingJobArn, job.TrainingJobStatus)) ?? [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListTrainingJobsCommand({ StatusEquals: TrainingJobStatus.STOPPING, NameContains: NAME_PREFIX, NextToken, MaxResults: 100 })),
      (page) => page.TrainingJobSummaries?.map((job) => resource('trainingJob', job.TrainingJobName, job.TrainingJobArn, job.TrainingJobStatus)) ?? [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListEndpointsCommand({ NameContains: NAME_PREFIX, NextToken, MaxResults: 100 })),
      (page) => page.Endpoints?.map((endpoint) => resource('endpoint', endpoint.EndpointName, endpoint.EndpointArn, endpoint.EndpointStatus)) ?? [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListEndpointConfigsCommand({ NameContains: NAME_PREFIX, NextToken, MaxResults: 100 })),
      (page) => page.EndpointConfigs?.map((config) => resource('endpointConfig', config.EndpointConfigName, config.EndpointConfigArn)) ?? [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListModelsCommand({ NameContains: NAME_PREFIX, NextToken, MaxResults: 100 })),
      (page) => page.Models?.map((model) => resource('model', model.ModelName, model.ModelArn)) ?? [],
    )),
  ];

  const tagged: TaggedResource[] = [];
  for (const candidate of candidates) {
    checkDeadline('reading tags', tagged);
    if (await hasTag(client, candidate, context)) tagged.push(candidate);
  }
  return tagged;
}

async function hasTag(client: SageMakerClient, candidate: TaggedResource, context: DiscoveryContext): Promise<boolean> {
  let nextToken: string | undefined;
  try {
    do {
      const page = await context.call(() =>
        client.send(new ListTagsCommand({ ResourceArn: candidate.arn, NextToken: nextToken, MaxResults: 100 })),
      );
      if (page.Tags?.some((tag) => tag.Key === context.tagKey && tag.Value === context.stackName)) return true;
      nextToken = page.NextToken;
    } while (nextToken);
    return false;
  } catch (error) {
    // Deleted between the listing and now: nothing left to clean up.
    if (isGoneWhileReadingTags(error)) return false;
    throw error;
  }
}

function isGoneWhileReadingTags(error: unknown): boolean {
  const { name, message } = errorParts(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return true;
  return name === 'ValidationException' && /could not find|not found|does not exist/i.test(message);
}

function resource(kind: ResourceKind, name: string | undefined, arn: string | undefined, status?: string): TaggedResource {
  return { kind, name: name ?? '', arn: arn ?? '', ...(status && { status }) };
}

function describeResource(resource: TaggedResource): string {
  return `${describeKind(resource.kind)} ${resource.name}${resource.status ? ` (${resource.status})` : ''}`;
}

function addOnce(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}
