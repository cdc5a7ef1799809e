import {
  DeleteModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/clean-up-on-destroy';

const sagemakerMock = mockClient(SageMakerClient);
const sfnMock = mockClient(SFNClient);
const minutes = (n: number) => ({ getRemainingTimeInMillis: () => n * 60_000 });

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/x',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/MyExperiment/abc',
  RequestId: 'request-1',
  LogicalResourceId: 'CleanUpOnDestroy',
  ResourceType: 'Custom::ExperimentCleanUp',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider', StackName: 'MyExperiment' },
};

function givenOneTaggedModel() {
  sagemakerMock.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [] });
  sagemakerMock.on(ListEndpointsCommand).resolves({ Endpoints: [] });
  sagemakerMock.on(ListEndpointConfigsCommand).resolves({ EndpointConfigs: [] });
  sagemakerMock.on(ListModelsCommand).resolves({
    Models: [
      {
        ModelName: 'distributed-sharded-1',
        ModelArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model/distributed-sharded-1',
        CreationTime: new Date(),
      },
    ],
  });
  sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:stack', Value: 'MyExperiment' }] });
}

/** The handler logs one JSON summary per Delete; tests read it here instead of the test output. */
let log: jest.SpyInstance;

beforeEach(() => {
  sagemakerMock.reset();
  sfnMock.reset();
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => log.mockRestore());

describe('clean-up-on-destroy handler', () => {
  it('does nothing on Create but return a stable physical id', async () => {
    // GIVEN
    const event: CloudFormationCustomResourceEvent = { ...common, RequestType: 'Create' };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'experiment-cleanup-MyExperiment' });
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  it('does nothing on Update and keeps the same physical id, so no Delete follows', async () => {
    // GIVEN
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
      OldResourceProperties: common.ResourceProperties,
    };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(response.PhysicalResourceId).toBe('experiment-cleanup-MyExperiment');
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  it("removes the stack's tagged resources on Delete", async () => {
    // GIVEN
    givenOneTaggedModel();
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
    };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: 'distributed-sharded-1' });
    expect(response).toEqual({
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
      Data: { ExecutionsStopped: '0', TrainingJobsStopped: '0', EndpointsDeleted: '0', EndpointConfigsDeleted: '0', ModelsDeleted: '1' },
    });
  });

  it('logs the name of every resource it removed, where the response to CloudFormation has only counts', async () => {
    // GIVEN
    givenOneTaggedModel();
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
    };

    // WHEN
    await handler(event, minutes(15));

    // THEN
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(log.mock.calls[0][0] as string)).toEqual({
      executionsStopped: [],
      stackName: 'MyExperiment',
      trainingJobsStopped: [],
      endpointsDeleted: [],
      endpointConfigsDeleted: [],
      modelsDeleted: ['distributed-sharded-1'],
      alreadyGone: [],
      alreadyEnding: [],
    });
  });

  it("asks the stack's state machine for running executions before removing resources", async () => {
    // GIVEN no execution is running
    givenOneTaggedModel();
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    const StateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Workflow';
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      ResourceProperties: { ...common.ResourceProperties, StateMachineArn },
      RequestType: 'Delete',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
    };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: StateMachineArn, statusFilter: 'RUNNING' });
    expect(sfnMock).not.toHaveReceivedCommand(StopExecutionCommand);
    expect(response.Data).toMatchObject({ ExecutionsStopped: '0', ModelsDeleted: '1' });
  });

  it('stops running clean-ups of ended executions too, so none keeps the stack deletion waiting', async () => {
    // GIVEN one clean-up after an ended execution is running
    givenOneTaggedModel();
    const CleanUpStateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:CleanUpAfterEnd';
    const running = 'arn:aws:states:eu-west-1:111122223333:execution:CleanUpAfterEnd:abc';
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: CleanUpStateMachineArn }).resolves({
      executions: [
        { executionArn: running, stateMachineArn: CleanUpStateMachineArn, name: 'abc', status: 'RUNNING', startDate: new Date() },
      ],
    });
    sfnMock.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      ResourceProperties: {
        ...common.ResourceProperties,
        StateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Workflow',
        CleanUpStateMachineArn,
      },
      RequestType: 'Delete',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
    };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn: running });
    expect(response.Data).toMatchObject({ ExecutionsStopped: '1' });
  });

  it('fails the Delete with a clear error when the Lambda has no time left to clean up', async () => {
    // GIVEN less time left than the margin kept to answer CloudFormation
    givenOneTaggedModel();
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: 'experiment-cleanup-MyExperiment',
    };

    // WHEN / THEN
    await expect(handler(event, { getRemainingTimeInMillis: () => 10_000 })).rejects.toThrow(
      /Clean-up of stack MyExperiment reached its deadline while listing SageMaker resources/,
    );
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteModelCommand);
  });

  it('leaves resources alone when deleting a copy with another physical id', async () => {
    // GIVEN CloudFormation removing a resource whose creation failed (its id is not ours)
    givenOneTaggedModel();
    const event: CloudFormationCustomResourceEvent = { ...common, RequestType: 'Delete', PhysicalResourceId: '2025/03/04/[$LATEST]abc' };

    // WHEN
    const response = await handler(event, minutes(15));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: '2025/03/04/[$LATEST]abc' });
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  it('rejects a missing StackName property', async () => {
    // GIVEN
    const event: CloudFormationCustomResourceEvent = {
      ...common,
      RequestType: 'Create',
      ResourceProperties: { ServiceToken: common.ServiceToken },
    };

    // WHEN / THEN
    await expect(handler(event, minutes(15))).rejects.toThrow(
      /Custom resource property "StackName" must be the stack's name, got undefined/,
    );
  });
});
