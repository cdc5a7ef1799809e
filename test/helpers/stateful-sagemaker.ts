import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  Tag,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import {
  endpointArn,
  endpointConfigArn,
  modelArn,
  trainingJobArn,
  trainingJobExists,
  validationException,
} from '../lambda/sagemaker-errors';
import { throttled } from './fake-sagemaker';

export type FakeKind = 'trainingJob' | 'model' | 'endpointConfig' | 'endpoint';

export interface FakeResource {
  readonly kind: FakeKind;
  readonly name: string;
  readonly arn: string;
  /** Training jobs: InProgress, Stopping, Stopped, Completed, Failed. Endpoints: Creating, InService, Failed, ... */
  status?: string;
  readonly tags: Tag[];
  /** How many times it was described. */
  describes: number;
  /** When it was created (for endpoints, what DescribeEndpoint answers as CreationTime). */
  readonly createdAt: Date;
}

export interface StatefulSageMakerOptions {
  /** A running job completes on this describe (1 = the first); never, if absent. */
  readonly trainingCompletesOnDescribe?: number | ((jobName: string) => number | undefined);
  /** The failure reason of the jobs that fail, on their first describe; none fails, if absent. */
  readonly trainingFailure?: (jobName: string) => string | undefined;
  /** A creating endpoint is in service on this describe (1 = the first); never, if absent. */
  readonly endpointInServiceOnDescribe?: number;
}

const ARN_OF: Record<FakeKind, (name: string) => string> = {
  trainingJob: trainingJobArn,
  model: modelArn,
  endpointConfig: endpointConfigArn,
  endpoint: endpointArn,
};

const NOT_FOUND: Record<FakeKind, (name: string) => Error> = {
  trainingJob: () => validationException('Requested resource not found.'),
  model: (name) => validationException(`Could not find model "${modelArn(name)}".`),
  endpointConfig: (name) => validationException(`Could not find endpoint configuration "${endpointConfigArn(name)}".`),
  endpoint: (name) => validationException(`Could not find endpoint "${endpointArn(name)}".`),
};

/**
 * SageMaker as state: what the Create* calls make exists, with its tags and status, until Stop/Delete* change it;
 * List* (NameContains, StatusEquals, paging), ListTags and Describe* read that state and answer errors as SageMaker
 * does. `billing()` is what still costs money: running jobs and existing endpoints.
 */
/** A real call waits on the network: other branches of a run go on meanwhile, as they do in AWS. */
function networkTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function statefulSageMaker(options: StatefulSageMakerOptions = {}) {
  const sagemaker = mockClient(SageMakerClient);
  const resources = new Map<string, FakeResource>();
  const throttles = new Map<string, number>();
  const key = (kind: FakeKind, name: string) => `${kind}/${name}`;
  const get = (kind: FakeKind, name: string | undefined): FakeResource => {
    const resource = resources.get(key(kind, name ?? ''));
    if (!resource) throw NOT_FOUND[kind](name ?? '');
    return resource;
  };
  /** Answers ThrottlingException to the next `times` calls of that command. */
  const throttle = (commandName: string, times: number) => throttles.set(commandName, times);
  const maybeThrottle = (commandName: string) => {
    const left = throttles.get(commandName) ?? 0;
    if (left > 0) {
      throttles.set(commandName, left - 1);
      throw throttled();
    }
  };
  const add = (kind: FakeKind, name: string, tags: Tag[] = [], status?: string): FakeResource => {
    const resource: FakeResource = {
      kind,
      name,
      arn: ARN_OF[kind](name),
      tags: [...tags],
      describes: 0,
      createdAt: new Date(),
      ...(status && { status }),
    };
    resources.set(key(kind, name), resource);
    return resource;
  };
  const create = async (kind: FakeKind, name: string, tags: Tag[] | undefined, exists: Error, status?: string) => {
    await networkTurn();
    if (resources.has(key(kind, name))) throw exists;
    return add(kind, name, tags, status).arn;
  };
  const page = <T>(items: T[], nextToken: string | undefined, maxResults: number | undefined) => {
    const start = nextToken ? Number(nextToken) : 0;
    const size = maxResults ?? 100;
    const slice = items.slice(start, start + size);
    return { slice, NextToken: start + size < items.length ? String(start + size) : undefined };
  };
  const listed = (kind: FakeKind, nameContains: string | undefined, status?: string) =>
    [...resources.values()].filter(
      (r) => r.kind === kind && r.name.includes(nameContains ?? '') && (status === undefined || r.status === status),
    );

  sagemaker.on(CreateTrainingJobCommand).callsFake(async (input) => ({
    TrainingJobArn: await create(
      'trainingJob',
      input.TrainingJobName!,
      input.Tags,
      trainingJobExists(input.TrainingJobName!),
      'InProgress',
    ),
  }));
  sagemaker.on(CreateModelCommand).callsFake(async (input) => ({
    ModelArn: await create(
      'model',
      input.ModelName!,
      input.Tags,
      validationException(`Cannot create already existing model "${modelArn(input.ModelName!)}".`),
    ),
  }));
  sagemaker.on(CreateEndpointConfigCommand).callsFake(async (input) => ({
    EndpointConfigArn: await create(
      'endpointConfig',
      input.EndpointConfigName!,
      input.Tags,
      validationException(`Cannot create already existing endpoint configuration "${endpointConfigArn(input.EndpointConfigName!)}".`),
    ),
  }));
  sagemaker.on(CreateEndpointCommand).callsFake(async (input) => ({
    EndpointArn: await create(
      'endpoint',
      input.EndpointName!,
      input.Tags,
      validationException(`Cannot create already existing endpoint "${endpointArn(input.EndpointName!)}".`),
      'Creating',
    ),
  }));

  sagemaker.on(DescribeTrainingJobCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('DescribeTrainingJob');
    const job = get('trainingJob', input.TrainingJobName);
    job.describes++;
    const completesOn =
      typeof options.trainingCompletesOnDescribe === 'function'
        ? options.trainingCompletesOnDescribe(job.name)
        : options.trainingCompletesOnDescribe;
    const failureReason = options.trainingFailure?.(job.name);
    if (job.status === 'InProgress' && failureReason !== undefined) job.status = 'Failed';
    else if (job.status === 'InProgress' && completesOn !== undefined && job.describes >= completesOn) job.status = 'Completed';
    return {
      TrainingJobName: job.name,
      TrainingJobArn: job.arn,
      TrainingJobStatus: job.status as never,
      ...(job.status === 'Failed' && failureReason !== undefined && { FailureReason: failureReason }),
      ...(job.status === 'Completed' && {
        TrainingTimeInSeconds: 300,
        BillableTimeInSeconds: 360,
        ModelArtifacts: { S3ModelArtifacts: `s3://bucket/sagemaker/data_distribution_types/${job.name}/output/model.tar.gz` },
      }),
    };
  });
  sagemaker.on(DescribeEndpointCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('DescribeEndpoint');
    const endpoint = get('endpoint', input.EndpointName);
    endpoint.describes++;
    if (
      endpoint.status === 'Creating' &&
      options.endpointInServiceOnDescribe !== undefined &&
      endpoint.describes >= options.endpointInServiceOnDescribe
    ) {
      endpoint.status = 'InService';
    }
    return {
      EndpointName: endpoint.name,
      EndpointArn: endpoint.arn,
      EndpointStatus: endpoint.status as never,
      CreationTime: endpoint.createdAt,
    };
  });

  sagemaker.on(ListTrainingJobsCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('ListTrainingJobs');
    const { slice, NextToken } = page(listed('trainingJob', input.NameContains, input.StatusEquals), input.NextToken, input.MaxResults);
    return {
      TrainingJobSummaries: slice.map((r) => ({
        TrainingJobName: r.name,
        TrainingJobArn: r.arn,
        TrainingJobStatus: r.status as never,
        CreationTime: new Date(),
      })),
      NextToken,
    };
  });
  sagemaker.on(ListEndpointsCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('ListEndpoints');
    const { slice, NextToken } = page(listed('endpoint', input.NameContains, input.StatusEquals), input.NextToken, input.MaxResults);
    return {
      Endpoints: slice.map((r) => ({
        EndpointName: r.name,
        EndpointArn: r.arn,
        EndpointStatus: r.status as never,
        CreationTime: new Date(),
        LastModifiedTime: new Date(),
      })),
      NextToken,
    };
  });
  sagemaker.on(ListEndpointConfigsCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('ListEndpointConfigs');
    const { slice, NextToken } = page(listed('endpointConfig', input.NameContains), input.NextToken, input.MaxResults);
    return {
      EndpointConfigs: slice.map((r) => ({ EndpointConfigName: r.name, EndpointConfigArn: r.arn, CreationTime: new Date() })),
      NextToken,
    };
  });
  sagemaker.on(ListModelsCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('ListModels');
    const { slice, NextToken } = page(listed('model', input.NameContains), input.NextToken, input.MaxResults);
    return { Models: slice.map((r) => ({ ModelName: r.name, ModelArn: r.arn, CreationTime: new Date() })), NextToken };
  });
  sagemaker.on(ListTagsCommand).callsFake(async (input) => {
    await networkTurn();
    maybeThrottle('ListTags');
    const resource = [...resources.values()].find((r) => r.arn === input.ResourceArn);
    if (!resource) throw validationException(`Could not find resource "${input.ResourceArn}".`);
    return { Tags: resource.tags };
  });

  sagemaker.on(StopTrainingJobCommand).callsFake(async (input) => {
    await networkTurn();
    const job = get('trainingJob', input.TrainingJobName);
    if (job.status !== 'InProgress')
      throw validationException(`The request was rejected because the training job is in status ${job.status}.`);
    job.status = 'Stopping';
    return {};
  });
  sagemaker.on(DeleteEndpointCommand).callsFake(async (input) => {
    await networkTurn();
    const endpoint = get('endpoint', input.EndpointName);
    // SageMaker's behaviour, written out here rather than imported from the code under test (SETTLING_ENDPOINT_STATES).
    if (['Creating', 'Updating', 'SystemUpdating', 'RollingBack'].includes(endpoint.status ?? '')) {
      throw validationException(`Cannot delete endpoint "${endpoint.arn}" while it is ${endpoint.status}.`);
    }
    resources.delete(key('endpoint', endpoint.name));
    return {};
  });
  sagemaker.on(DeleteEndpointConfigCommand).callsFake(async (input) => {
    await networkTurn();
    resources.delete(key('endpointConfig', get('endpointConfig', input.EndpointConfigName).name));
    return {};
  });
  sagemaker.on(DeleteModelCommand).callsFake(async (input) => {
    await networkTurn();
    resources.delete(key('model', get('model', input.ModelName).name));
    return {};
  });

  return {
    sagemaker,
    resources,
    add,
    throttle,
    /** Names of what still costs money: jobs still running and endpoints that exist. */
    billing: (): string[] =>
      [...resources.values()]
        .filter((r) => (r.kind === 'trainingJob' && r.status === 'InProgress') || r.kind === 'endpoint')
        .map((r) => `${r.kind}/${r.name}`)
        .sort(),
    /** Names of everything there is, of any kind, sorted. */
    names: (kind?: FakeKind): string[] =>
      [...resources.values()]
        .filter((r) => !kind || r.kind === kind)
        .map((r) => `${r.kind}/${r.name}`)
        .sort(),
    /** Ends an endpoint's creation (or anything else that changes a status). */
    setStatus: (kind: FakeKind, name: string, status: string) => void (get(kind, name).status = status),
  };
}
