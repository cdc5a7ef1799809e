/**
 * Finds the SageMaker resources the workflow created, with their tags: List* filtered by a part of the name, then
 * ListTags on each candidate. Listing rather than the Search API, whose index lags behind just-created resources.
 */
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
import { ResourceKind, describeKind } from './resource-kind';
import { errorParts } from '../common/errors';

export interface FoundResource {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly arn: string;
  /** Training jobs and endpoints only. */
  readonly status?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DiscoveryOptions {
  /** Only resources whose name contains this are listed (every workflow name starts with `linear-`). */
  readonly nameContains: string;
  /** Whether a candidate, by its tags, is one to return. */
  readonly matches: (tags: Readonly<Record<string, string>>) => boolean;
  /** Wraps every call, e.g. with throttling retries. */
  readonly call: <T>(send: () => Promise<T>) => Promise<T>;
  /** Called before every call; throws to stop the search (e.g. at a deadline). */
  readonly checkDeadline: (stage: string, foundSoFar: readonly FoundResource[]) => void;
}

// Endpoint states in which SageMaker refuses DeleteEndpoint; they settle on their own into a deletable state.
export const SETTLING_ENDPOINT_STATES: ReadonlySet<string> = new Set([
  EndpointStatus.CREATING,
  EndpointStatus.UPDATING,
  EndpointStatus.SYSTEM_UPDATING,
  EndpointStatus.ROLLING_BACK,
]);

/** Only running jobs bill; ended ones need nothing, stopping ones are on their way out. */
const LISTED_JOB_STATES = [TrainingJobStatus.IN_PROGRESS, TrainingJobStatus.STOPPING];

export async function findResources(client: SageMakerClient, options: DiscoveryOptions): Promise<FoundResource[]> {
  const { call, checkDeadline, nameContains } = options;
  type Candidate = Omit<FoundResource, 'tags'>;
  const listAll = async <O extends { NextToken?: string }>(
    fetchPage: (nextToken: string | undefined) => Promise<O>,
    pick: (page: O) => Candidate[],
  ): Promise<Candidate[]> => {
    const all: Candidate[] = [];
    let nextToken: string | undefined;
    do {
      checkDeadline('listing SageMaker resources', []);
      const page = await call(() => fetchPage(nextToken));
      all.push(...pick(page));
      nextToken = page.NextToken;
    } while (nextToken);
    return all;
  };

  const candidates: Candidate[] = [];
  for (const status of LISTED_JOB_STATES) {
    candidates.push(
      ...(await listAll(
        (NextToken) =>
          client.send(new ListTrainingJobsCommand({ StatusEquals: status, NameContains: nameContains, NextToken, MaxResults: 100 })),
        (page) =>
          page.TrainingJobSummaries?.map((job) =>
            candidate('trainingJob', job.TrainingJobName, job.TrainingJobArn, job.TrainingJobStatus),
          ) ?? [],
      )),
    );
  }
  candidates.push(
    ...(await listAll(
      (NextToken) => client.send(new ListEndpointsCommand({ NameContains: nameContains, NextToken, MaxResults: 100 })),
      (page) =>
        page.Endpoints?.map((endpoint) => candidate('endpoint', endpoint.EndpointName, endpoint.EndpointArn, endpoint.EndpointStatus)) ??
        [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListEndpointConfigsCommand({ NameContains: nameContains, NextToken, MaxResults: 100 })),
      (page) =>
        page.EndpointConfigs?.map((config) => candidate('endpointConfig', config.EndpointConfigName, config.EndpointConfigArn)) ?? [],
    )),
    ...(await listAll(
      (NextToken) => client.send(new ListModelsCommand({ NameContains: nameContains, NextToken, MaxResults: 100 })),
      (page) => page.Models?.map((model) => candidate('model', model.ModelName, model.ModelArn)) ?? [],
    )),
  );

  const found: FoundResource[] = [];
  for (const listed of candidates) {
    checkDeadline('reading tags', found);
    const tags = await tagsOf(client, listed.arn, call);
    if (tags && options.matches(tags)) found.push({ ...listed, tags });
  }
  return found;
}

/** The resource's tags, or undefined when it was deleted between the listing and now. */
async function tagsOf(client: SageMakerClient, arn: string, call: DiscoveryOptions['call']): Promise<Record<string, string> | undefined> {
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  try {
    do {
      const page = await call(() => client.send(new ListTagsCommand({ ResourceArn: arn, NextToken: nextToken, MaxResults: 100 })));
      for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
      nextToken = page.NextToken;
    } while (nextToken);
    return tags;
  } catch (error) {
    if (isGoneWhileReadingTags(error)) return undefined;
    throw error;
  }
}

function isGoneWhileReadingTags(error: unknown): boolean {
  const { name, message } = errorParts(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return true;
  return name === 'ValidationException' && /could not find|not found|does not exist/i.test(message);
}

function candidate(kind: ResourceKind, name: string | undefined, arn: string | undefined, status?: string): Omit<FoundResource, 'tags'> {
  return { kind, name: name ?? '', arn: arn ?? '', ...(status && { status }) };
}

/** The call that ends a resource's billing: stop for a training job, delete for the rest. */
export function sendRemoval(client: SageMakerClient, resource: Pick<FoundResource, 'kind' | 'name'>): Promise<unknown> {
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

/** An endpoint `Deleting` or a job `Stopping`: already on its way out. */
export function isAlreadyEnding(resource: Pick<FoundResource, 'kind' | 'status'>): boolean {
  return (
    (resource.kind === 'endpoint' && resource.status === EndpointStatus.DELETING) ||
    (resource.kind === 'trainingJob' && resource.status === TrainingJobStatus.STOPPING)
  );
}

/** DeleteEndpoint refused because the endpoint is still being created or updated: try again once it settles. */
export function isRefusedWhileSettling(resource: Pick<FoundResource, 'kind' | 'status'>, error: unknown): boolean {
  return (
    resource.kind === 'endpoint' && errorParts(error).name === 'ValidationException' && SETTLING_ENDPOINT_STATES.has(resource.status ?? '')
  );
}

export function describeResource(resource: Pick<FoundResource, 'kind' | 'name' | 'status'>): string {
  return `${describeKind(resource.kind)} ${resource.name}${resource.status ? ` (${resource.status})` : ''}`;
}
