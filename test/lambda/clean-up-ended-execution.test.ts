import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/clean-up-ended-execution';
import { WORKFLOW_ARN, statusChangeEvent } from '../helpers/local-cleanup';
import { statefulSageMaker } from '../helpers/stateful-sagemaker';
import { endpointArn } from './sagemaker-errors';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:Workflow:run-1';
const START = '2026-11-28T15:53:28.123Z';
const NAME = 'linear-sharded-20261128-155328-0a1b2c3d';
const OURS = [
  { Key: 'experiment:stack', Value: 'MyExperiment' },
  { Key: 'experiment:execution', Value: EXECUTION },
  { Key: 'experiment:variant', Value: 'sharded' },
];
const sfn = mockClient(SFNClient);
let sagemaker: ReturnType<typeof statefulSageMaker>;
const savedEnv = process.env;

/** The payload the clean-up state machine gives its task. */
const payload = (attempt = 0, status: 'ABORTED' | 'FAILED' = 'ABORTED') => {
  const { detail } = statusChangeEvent(EXECUTION, START, status);
  return {
    detail: {
      executionArn: detail.executionArn,
      stateMachineArn: detail.stateMachineArn,
      status: detail.status,
      startDate: detail.startDate,
    },
    attempt,
  };
};

beforeEach(() => {
  process.env = { ...savedEnv, WORKFLOW_STATE_MACHINE_ARN: WORKFLOW_ARN, AWS_REGION: 'us-east-1' };
  sfn.reset();
  sfn
    .on(DescribeExecutionCommand)
    .resolves({ executionArn: EXECUTION, stateMachineArn: WORKFLOW_ARN, status: 'ABORTED', startDate: new Date(START) });
  sagemaker = statefulSageMaker();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  sagemaker.sagemaker.restore();
  jest.restoreAllMocks();
});
afterAll(() => {
  process.env = savedEnv;
});

describe('clean-up-ended-execution handler', () => {
  it('asks Step Functions for the execution, then lists only names with its start time', async () => {
    // GIVEN nothing left
    // WHEN
    await handler(payload());
    // THEN
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    const stamp = '-20261128-155328-';
    expect(sagemaker.sagemaker.commandCalls(ListTrainingJobsCommand).map((call) => call.args[0].input)).toEqual([
      { StatusEquals: 'InProgress', NameContains: stamp, MaxResults: 100 },
      { StatusEquals: 'Stopping', NameContains: stamp, MaxResults: 100 },
    ]);
    expect(sagemaker.sagemaker.commandCalls(ListEndpointsCommand)[0].args[0].input).toEqual({ NameContains: stamp, MaxResults: 100 });
    expect(sagemaker.sagemaker.commandCalls(ListEndpointConfigsCommand)[0].args[0].input).toEqual({ NameContains: stamp, MaxResults: 100 });
    expect(sagemaker.sagemaker.commandCalls(ListModelsCommand)[0].args[0].input).toEqual({ NameContains: stamp, MaxResults: 100 });
  });

  it('stops the running job and deletes endpoint, config and model, by name', async () => {
    // GIVEN
    sagemaker.add('trainingJob', NAME, OURS, 'InProgress');
    sagemaker.add('endpoint', NAME, OURS, 'InService');
    sagemaker.add('endpointConfig', NAME, OURS);
    sagemaker.add('model', NAME, OURS);
    // WHEN
    const result = await handler(payload());
    // THEN
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: endpointArn(NAME), MaxResults: 100 });
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(StopTrainingJobCommand, { TrainingJobName: NAME });
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: NAME });
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: NAME });
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: NAME });
    expect(result).toMatchObject({ status: 'ABORTED', pendingEndpoints: [], attempt: 1 });
    expect(sagemaker.billing()).toEqual([]);
  });

  it("touches nothing whose execution tag is another execution's, even with the same start time", async () => {
    // GIVEN another execution started in the same second
    const theirs = 'linear-sharded-20261128-155328-ffffffff';
    sagemaker.add('endpoint', theirs, [{ Key: 'experiment:execution', Value: `${EXECUTION}-other` }], 'InService');
    // WHEN
    await handler(payload());
    // THEN
    expect(sagemaker.sagemaker).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it('returns endpoints still being created as pending, and counts the pass', async () => {
    // GIVEN
    sagemaker.add('endpoint', NAME, OURS, 'Creating');
    sagemaker.add('endpointConfig', NAME, OURS);
    // WHEN
    const result = await handler(payload(4));
    // THEN
    expect(result).toMatchObject({ pendingEndpoints: [NAME], attempt: 5 });
    expect(sagemaker.sagemaker).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(sagemaker.sagemaker).not.toHaveReceivedCommand(DeleteEndpointConfigCommand);
  });

  it('keeps the model of an execution asked to keep models', async () => {
    // GIVEN
    const tags = [...OURS, { Key: 'experiment:keep-models', Value: 'true' }];
    sagemaker.add('endpoint', NAME, tags, 'InService');
    sagemaker.add('model', NAME, tags);
    // WHEN
    const result = await handler(payload());
    // THEN
    expect(sagemaker.names()).toEqual([`model/${NAME}`]);
    expect(result.kept).toEqual([{ kind: 'model', name: NAME }]);
  });

  it('does nothing while Step Functions reports the execution running (redriven)', async () => {
    // GIVEN
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: EXECUTION, stateMachineArn: WORKFLOW_ARN, status: 'RUNNING', startDate: new Date(START) });
    sagemaker.add('trainingJob', NAME, OURS, 'InProgress');
    // WHEN
    const result = await handler(payload());
    // THEN
    expect(result.status).toBe('RUNNING');
    expect(sagemaker.sagemaker.calls()).toHaveLength(0);
  });

  it("uses the event's status and start time when Step Functions no longer knows the execution", async () => {
    // GIVEN
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    sagemaker.add('endpoint', NAME, OURS, 'InService');
    // WHEN
    const result = await handler(payload());
    // THEN
    expect(result.status).toBe('ABORTED');
    expect(sagemaker.billing()).toEqual([]);
  });

  it('treats a job that ended or a resource deleted meanwhile as done', async () => {
    // GIVEN a job listed as running that SageMaker has ended by the time it is stopped
    sagemaker.add('trainingJob', NAME, OURS, 'InProgress');
    sagemaker.sagemaker.on(StopTrainingJobCommand).callsFake(async () => {
      sagemaker.setStatus('trainingJob', NAME, 'Stopped');
      throw Object.assign(new Error('The request was rejected because the training job is in status Stopped.'), {
        name: 'ValidationException',
      });
    });
    // WHEN
    const result = await handler(payload());
    // THEN
    expect(result.alreadyGone).toEqual([{ kind: 'trainingJob', name: NAME }]);
  });

  it('rejects an event for an execution of another state machine', async () => {
    // GIVEN
    const event = payload();
    const foreign = { ...event, detail: { ...event.detail, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Other:run-1' } };
    // WHEN / THEN
    await expect(handler(foreign)).rejects.toThrow(
      /"detail.executionArn" must be an execution of arn:aws:states:us-east-1:123456789012:stateMachine:Workflow/,
    );
    expect(sfn.calls()).toHaveLength(0);
  });

  it('rejects an event without a start date, naming the field', async () => {
    // GIVEN
    const event = payload();
    const broken = { ...event, detail: { ...event.detail, startDate: '2026-11-28' as unknown as number } };
    // WHEN / THEN
    await expect(handler(broken)).rejects.toThrow(/"detail.startDate" must be epoch milliseconds, got "2026-11-28"/);
  });
});
