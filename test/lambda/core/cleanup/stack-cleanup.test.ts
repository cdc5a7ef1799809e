import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  SageMakerServiceException,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { CleanUpError } from '../../../../lambda/core/cleanup/cleanup-errors';
import { CleanUpDeadlineError, cleanUpStack } from '../../../../lambda/core/cleanup/stack-cleanup';

const sagemakerMock = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'eu-west-1' });
const noWait = async () => undefined;
const arn = (type: string, name: string) => `arn:aws:sagemaker:eu-west-1:111122223333:${type}/${name}`;
const ours = [
  { Key: 'experiment:stack', Value: 'MyExperiment' },
  { Key: 'experiment:variant', Value: 'sharded' },
];
const otherStack = [{ Key: 'experiment:stack', Value: 'SomeoneElse' }];
const farFuture = Date.parse('2100-01-01T00:00:00Z');

function serviceError(name: string, message: string): SageMakerServiceException {
  return new SageMakerServiceException({ name, message, $fault: 'client', $metadata: {} });
}

/** An account with our stack's resources, another stack's, and untagged ones. */
function givenAccount() {
  sagemakerMock.on(ListTrainingJobsCommand, { StatusEquals: 'InProgress' }).resolves({
    TrainingJobSummaries: [
      {
        TrainingJobName: 'linear-sharded-1',
        TrainingJobArn: arn('training-job', 'linear-sharded-1'),
        TrainingJobStatus: 'InProgress',
        CreationTime: new Date(),
      },
      {
        TrainingJobName: 'theirs-job',
        TrainingJobArn: arn('training-job', 'theirs-job'),
        TrainingJobStatus: 'InProgress',
        CreationTime: new Date(),
      },
    ],
  });
  sagemakerMock.on(ListTrainingJobsCommand, { StatusEquals: 'Stopping' }).resolves({ TrainingJobSummaries: [] });
  sagemakerMock.on(ListEndpointsCommand).resolves({
    Endpoints: [
      {
        EndpointName: 'distributed-sharded-1',
        EndpointArn: arn('endpoint', 'distributed-sharded-1'),
        EndpointStatus: 'InService',
        CreationTime: new Date(),
        LastModifiedTime: new Date(),
      },
      {
        EndpointName: 'untagged-endpoint',
        EndpointArn: arn('endpoint', 'untagged-endpoint'),
        EndpointStatus: 'InService',
        CreationTime: new Date(),
        LastModifiedTime: new Date(),
      },
    ],
  });
  sagemakerMock.on(ListEndpointConfigsCommand).resolves({
    EndpointConfigs: [
      {
        EndpointConfigName: 'distributed-sharded-1',
        EndpointConfigArn: arn('endpoint-config', 'distributed-sharded-1'),
        CreationTime: new Date(),
      },
    ],
  });
  sagemakerMock.on(ListModelsCommand).resolves({
    Models: [
      { ModelName: 'distributed-sharded-1', ModelArn: arn('model', 'distributed-sharded-1'), CreationTime: new Date() },
      { ModelName: 'theirs-model', ModelArn: arn('model', 'theirs-model'), CreationTime: new Date() },
    ],
  });
  sagemakerMock.on(ListTagsCommand).resolves({ Tags: ours });
  sagemakerMock.on(ListTagsCommand, { ResourceArn: arn('training-job', 'theirs-job') }).resolves({ Tags: otherStack });
  sagemakerMock.on(ListTagsCommand, { ResourceArn: arn('endpoint', 'untagged-endpoint') }).resolves({ Tags: [] });
  sagemakerMock.on(ListTagsCommand, { ResourceArn: arn('model', 'theirs-model') }).resolves({ Tags: otherStack });
}

/** After the first round of removals the listings come back empty, as they would in SageMaker. */
function givenEmptyAccount() {
  sagemakerMock.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [] });
  sagemakerMock.on(ListEndpointsCommand).resolves({ Endpoints: [] });
  sagemakerMock.on(ListEndpointConfigsCommand).resolves({ EndpointConfigs: [] });
  sagemakerMock.on(ListModelsCommand).resolves({ Models: [] });
}

beforeEach(() => {
  sagemakerMock.reset();
});

describe('cleanUpStack', () => {
  it("lists only resources named like the workflow's, so a busy account does not exhaust the deadline", async () => {
    // GIVEN nothing to clean up
    sagemakerMock.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [] });
    sagemakerMock.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    sagemakerMock.on(ListEndpointConfigsCommand).resolves({ EndpointConfigs: [] });
    sagemakerMock.on(ListModelsCommand).resolves({ Models: [] });

    // WHEN
    await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN every List call filters by the name prefix
    for (const command of [ListTrainingJobsCommand, ListEndpointsCommand, ListEndpointConfigsCommand, ListModelsCommand]) {
      const calls = sagemakerMock.commandCalls(command as never);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect((call.args[0].input as { NameContains?: string }).NameContains).toBe('linear-');
    }
  });

  it("removes the stack's tagged resources and reports them", async () => {
    // GIVEN
    givenAccount();

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(result).toEqual({
      stackName: 'MyExperiment',
      trainingJobsStopped: ['linear-sharded-1'],
      endpointsDeleted: ['distributed-sharded-1'],
      endpointConfigsDeleted: ['distributed-sharded-1'],
      modelsDeleted: ['distributed-sharded-1'],
      alreadyGone: [],
      alreadyEnding: [],
    });
  });

  it("leaves untagged resources and other stacks' resources untouched", async () => {
    // GIVEN
    givenAccount();

    // WHEN
    await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandTimes(StopTrainingJobCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteModelCommand, 1);
    expect(sagemakerMock).not.toHaveReceivedCommandWith(StopTrainingJobCommand, { TrainingJobName: 'theirs-job' });
    expect(sagemakerMock).not.toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'untagged-endpoint' });
    expect(sagemakerMock).not.toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: 'theirs-model' });
  });

  it('stops jobs, then deletes endpoints, then configs, then models', async () => {
    // GIVEN
    givenAccount();
    const order: string[] = [];
    sagemakerMock.on(StopTrainingJobCommand).callsFake(async () => order.push('job'));
    sagemakerMock.on(DeleteEndpointCommand).callsFake(async () => order.push('endpoint'));
    sagemakerMock.on(DeleteEndpointConfigCommand).callsFake(async () => order.push('config'));
    sagemakerMock.on(DeleteModelCommand).callsFake(async () => order.push('model'));

    // WHEN
    await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(order).toEqual(['job', 'endpoint', 'config', 'model']);
  });

  it('follows NextToken through every page of a listing', async () => {
    // GIVEN models on two pages
    givenEmptyAccount();
    sagemakerMock.on(ListModelsCommand, { NextToken: undefined }).resolves({
      Models: [{ ModelName: 'page-1-model', ModelArn: arn('model', 'page-1-model'), CreationTime: new Date() }],
      NextToken: 'token-2',
    });
    sagemakerMock
      .on(ListModelsCommand, { NextToken: 'token-2' })
      .resolves({ Models: [{ ModelName: 'page-2-model', ModelArn: arn('model', 'page-2-model'), CreationTime: new Date() }] });
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: ours });

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(result.modelsDeleted).toEqual(['page-1-model', 'page-2-model']);
  });

  it('follows NextToken through the pages of tags', async () => {
    // GIVEN the stack tag is on the second page of the model's tags
    givenEmptyAccount();
    sagemakerMock.on(ListModelsCommand).resolves({ Models: [{ ModelName: 'm', ModelArn: arn('model', 'm'), CreationTime: new Date() }] });
    sagemakerMock.on(ListTagsCommand, { NextToken: undefined }).resolves({ Tags: [{ Key: 'team', Value: 'ml' }], NextToken: 'tags-2' });
    sagemakerMock.on(ListTagsCommand, { NextToken: 'tags-2' }).resolves({ Tags: ours });

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(result.modelsDeleted).toEqual(['m']);
  });

  it('is idempotent: nothing tagged means nothing to do', async () => {
    // GIVEN
    givenEmptyAccount();

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(result.endpointsDeleted).toEqual([]);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(sagemakerMock).not.toHaveReceivedCommand(StopTrainingJobCommand);
  });

  it('tolerates resources that disappear between the listing and the delete', async () => {
    // GIVEN
    givenAccount();
    sagemakerMock
      .on(DeleteEndpointCommand)
      .rejects(serviceError('ValidationException', `Could not find endpoint "${arn('endpoint', 'distributed-sharded-1')}".`));
    sagemakerMock
      .on(StopTrainingJobCommand)
      .rejects(serviceError('ValidationException', 'The request was rejected because the training job is in status Completed.'));
    sagemakerMock
      .on(ListTagsCommand, { ResourceArn: arn('model', 'distributed-sharded-1') })
      .rejects(serviceError('ResourceNotFound', 'gone'));

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(result.alreadyGone).toEqual(['linear-sharded-1', 'distributed-sharded-1']);
    expect(result.modelsDeleted).toEqual([]);
    expect(result.endpointConfigsDeleted).toEqual(['distributed-sharded-1']);
  });

  it('does not stop jobs already stopping nor delete endpoints already deleting', async () => {
    // GIVEN
    givenEmptyAccount();
    sagemakerMock.on(ListTrainingJobsCommand, { StatusEquals: 'Stopping' }).resolves({
      TrainingJobSummaries: [
        { TrainingJobName: 'j', TrainingJobArn: arn('training-job', 'j'), TrainingJobStatus: 'Stopping', CreationTime: new Date() },
      ],
    });
    sagemakerMock.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: 'e',
          EndpointArn: arn('endpoint', 'e'),
          EndpointStatus: 'Deleting',
          CreationTime: new Date(),
          LastModifiedTime: new Date(),
        },
      ],
    });
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: ours });

    // WHEN
    const result = await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    expect(sagemakerMock).not.toHaveReceivedCommand(StopTrainingJobCommand);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(result.alreadyEnding).toEqual(['j', 'e']);
  });

  it('continues past a failing delete and reports it', async () => {
    // GIVEN
    givenAccount();
    sagemakerMock.on(DeleteEndpointCommand).rejects(serviceError('AccessDeniedException', 'not allowed'));

    // WHEN
    const cleanUp = cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: noWait });

    // THEN
    await expect(cleanUp).rejects.toThrow(CleanUpError);
    await expect(cleanUp).rejects.toThrow(/endpoint distributed-sharded-1 \(AccessDeniedException: not allowed\)/);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointConfigCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteModelCommand, 1);
  });

  it('retries a throttled listing with backoff', async () => {
    // GIVEN
    givenEmptyAccount();
    sagemakerMock
      .on(ListTrainingJobsCommand)
      .rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded'))
      .resolves({ TrainingJobSummaries: [] });
    const waits: number[] = [];

    // WHEN
    await cleanUpStack(client, { stackName: 'MyExperiment', deadline: farFuture, sleep: async (ms) => void waits.push(ms) });

    // THEN
    expect(waits).toEqual([500]);
    expect(sagemakerMock).toHaveReceivedCommandTimes(ListTrainingJobsCommand, 3);
  });

  it('tries an endpoint that is still creating again after a wait', async () => {
    // GIVEN an endpoint that refuses deletion while Creating, then shows as Deleting
    givenEmptyAccount();
    const creating = {
      EndpointName: 'e',
      EndpointArn: arn('endpoint', 'e'),
      EndpointStatus: 'Creating' as const,
      CreationTime: new Date(),
      LastModifiedTime: new Date(),
    };
    sagemakerMock
      .on(ListEndpointsCommand)
      .resolvesOnce({ Endpoints: [creating] })
      .resolvesOnce({ Endpoints: [{ ...creating, EndpointStatus: 'InService' }] })
      .resolves({ Endpoints: [] });
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: ours });
    sagemakerMock
      .on(DeleteEndpointCommand)
      .rejectsOnce(serviceError('ValidationException', 'Cannot delete endpoint while it is Creating'))
      .resolves({});
    const waits: number[] = [];

    // WHEN
    const result = await cleanUpStack(client, {
      stackName: 'MyExperiment',
      deadline: farFuture,
      sleep: async (ms) => void waits.push(ms),
      retryIntervalMs: 1000,
    });

    // THEN
    expect(waits).toEqual([1000]);
    expect(result.endpointsDeleted).toEqual(['e']);
  });

  it('stops at the deadline, naming what remains', async () => {
    // GIVEN a clock that passes the deadline once all seven candidates' tags are read
    givenAccount();
    let tagReads = 0;
    sagemakerMock.on(ListTagsCommand).callsFake(async ({ ResourceArn }: { ResourceArn: string }) => {
      tagReads += 1;
      return { Tags: /theirs|untagged/.test(ResourceArn) ? otherStack : ours };
    });
    const now = () => (tagReads >= 7 ? 2_000 : 1_000);

    // WHEN
    const cleanUp = cleanUpStack(client, { stackName: 'MyExperiment', deadline: 2_000, now, sleep: noWait });

    // THEN
    await expect(cleanUp).rejects.toThrow(CleanUpDeadlineError);
    await expect(cleanUp).rejects.toThrow(
      'Clean-up of stack MyExperiment reached its deadline while removing resources. Still present (may be billing): ' +
        'training job linear-sharded-1 (InProgress), endpoint distributed-sharded-1 (InService), ' +
        'endpoint config distributed-sharded-1, model distributed-sharded-1. ' +
        'Run the clean-up again or delete them in the SageMaker console.',
    );
    expect(sagemakerMock).not.toHaveReceivedCommand(StopTrainingJobCommand);
  });

  it('gives up waiting for a settling endpoint when the next try would pass the deadline', async () => {
    // GIVEN an endpoint stuck in Creating and a deadline 10 s away
    givenEmptyAccount();
    sagemakerMock.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: 'e',
          EndpointArn: arn('endpoint', 'e'),
          EndpointStatus: 'Creating',
          CreationTime: new Date(),
          LastModifiedTime: new Date(),
        },
      ],
    });
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: ours });
    sagemakerMock.on(DeleteEndpointCommand).rejects(serviceError('ValidationException', 'Cannot delete endpoint while it is Creating'));

    // WHEN / THEN
    await expect(
      cleanUpStack(client, { stackName: 'MyExperiment', deadline: 10_000, now: () => 0, sleep: noWait, retryIntervalMs: 15_000 }),
    ).rejects.toThrow(
      /reached its deadline while waiting for endpoints to finish creating or updating\. Still present \(may be billing\): endpoint e \(Creating\)/,
    );
  });

  it('refuses an empty stack name', async () => {
    // WHEN / THEN
    await expect(cleanUpStack(client, { stackName: '', deadline: farFuture })).rejects.toThrow(/needs a stackName/);
  });
});
