import { StopTrainingJobCommand as StopTrainingJobCommandRef } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { handler as cleanUpEndedExecution } from '../../lambda/clean-up-ended-execution';
import { handler as planExecution } from '../../lambda/plan-execution';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { WORKFLOW_ARN, runCleanUpAfterEnd, statusChangeEvent } from '../helpers/local-cleanup';
import { EventLog, HANDLER_ENV, executionArn, runWorkflow } from '../helpers/local-workflow';
import { StatefulSageMakerOptions, statefulSageMaker } from '../helpers/stateful-sagemaker';

const RUN = executionArn('run-1');

let sagemaker: ReturnType<typeof statefulSageMaker>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;
const sfn = mockClient(SFNClient);

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1', WORKFLOW_STATE_MACHINE_ARN: WORKFLOW_ARN }));
beforeEach(() => {
  s3 = fakeGdeltS3();
  sfn.reset();
});
afterEach(() => {
  sagemaker?.sagemaker.restore();
  runtime?.restore();
  s3.s3.restore();
});

/** Runs the experiment and stops it, as Stop execution would, once `stopWhen` says so; gives its start time. */
async function runAndStop(options: StatefulSageMakerOptions, input: Record<string, unknown>, stopWhen: (event: EventLog) => boolean) {
  sagemaker = statefulSageMaker(options);
  runtime = fakeEndpoints(() => 0);
  let startTime = '';
  const plan = async (payload: { execution: { startTime: string } }) => {
    startTime = payload.execution.startTime;
    return planExecution(payload as never);
  };
  const run = await runWorkflow(input, 'run-1', { 'Validate input and plan': plan as never }, stopWhen);
  return { run, startTime };
}

/** Step Functions answers DescribeExecution with the execution's status now. */
function givenExecution(status: 'ABORTED' | 'FAILED' | 'RUNNING', startTime: string): void {
  sfn
    .on(DescribeExecutionCommand, { executionArn: RUN })
    .resolves({ executionArn: RUN, stateMachineArn: WORKFLOW_ARN, status, startDate: new Date(startTime) });
}

const entered = (state: string) => (event: EventLog) => event.type === 'StateEntered' && event.state.name === state;

describe('an execution stopped by hand, then its ABORTED status-change event', () => {
  it('stops both training jobs when stopped while they train', async () => {
    // GIVEN an execution stopped in "Wait for training", both jobs running
    const { run, startTime } = await runAndStop(
      {},
      {},
      (event) => entered('Wait for training')(event) && sagemaker.names('trainingJob').length === 2,
    );
    expect(run.error?.name).toBe('ExecutionAbortedError');
    expect(sagemaker.billing()).toHaveLength(2);
    givenExecution('ABORTED', startTime);

    // WHEN the status-change event reaches the clean-up
    const cleanUp = await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'ABORTED'));

    // THEN nothing runs any more
    expect(cleanUp.error).toBeUndefined();
    expect(sagemaker.billing()).toEqual([]);
    expect([...sagemaker.resources.values()].map((job) => job.status)).toEqual(['Stopping', 'Stopping']);
    // AND its log line names the two jobs it stopped
    expect(cleanUp.logLines.map((line) => JSON.parse(line).stopped.map((stopped: { kind: string }) => stopped.kind))).toEqual([
      ['trainingJob', 'trainingJob'],
    ]);
  });

  it('deletes both endpoints, their configs and models when stopped while the endpoints are being created', async () => {
    // GIVEN an execution stopped in "Wait for endpoint", both endpoints still Creating
    const { startTime } = await runAndStop(
      { trainingCompletesOnDescribe: 1 },
      {},
      (event) => entered('Wait for endpoint')(event) && sagemaker.names('endpoint').length === 2,
    );
    givenExecution('ABORTED', startTime);
    // AND the endpoints finish creating after the clean-up's second pass, as SageMaker would some minutes later
    const settleAfterSecondPass = async (event: never) => {
      const result = (await cleanUpEndedExecution(event)) as { attempt: number };
      if (result.attempt === 2)
        for (const name of sagemaker.names('endpoint')) sagemaker.setStatus('endpoint', name.split('/')[1], 'InService');
      return result;
    };

    // WHEN the status-change event reaches the clean-up
    const cleanUp = await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'ABORTED'), settleAfterSecondPass);

    // THEN it retried until the endpoints could be deleted, and left nothing but the ended training jobs
    expect(cleanUp.error).toBeUndefined();
    expect(cleanUp.statesEntered.filter((state) => state === 'Clean up ended execution')).toHaveLength(3);
    expect(sagemaker.billing()).toEqual([]);
    expect(sagemaker.names().every((name) => name.startsWith('trainingJob/'))).toBe(true);
  });

  it('fails naming the endpoints after 30 passes when they never finish creating', async () => {
    // GIVEN an execution stopped while its endpoints were being created, which stay Creating
    const { startTime } = await runAndStop(
      { trainingCompletesOnDescribe: 1 },
      {},
      (event) => entered('Wait for endpoint')(event) && sagemaker.names('endpoint').length === 2,
    );
    givenExecution('ABORTED', startTime);

    // WHEN
    const cleanUp = await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'ABORTED'));

    // THEN
    expect(cleanUp.statesEntered.filter((state) => state === 'Clean up ended execution')).toHaveLength(30);
    expect(cleanUp.error?.name).toBe('EndpointsLeftRunning');
    expect(cleanUp.error?.message).toMatch(
      /still being created after 30 attempts.*clean-up arn:aws:states:.*linear-replicated-.*linear-sharded-/,
    );
  });

  it('keeps the models of an execution asked to keep them', async () => {
    // GIVEN an execution with keepModels stopped while its endpoints were being created, which have settled since
    const { startTime } = await runAndStop(
      { trainingCompletesOnDescribe: 1 },
      { keepModels: true },
      (event) => entered('Wait for endpoint')(event) && sagemaker.names('endpoint').length === 2,
    );
    for (const name of sagemaker.names('endpoint')) sagemaker.setStatus('endpoint', name.split('/')[1], 'InService');
    givenExecution('ABORTED', startTime);

    // WHEN
    await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'ABORTED'));

    // THEN only the models are left
    expect(sagemaker.names().filter((name) => !name.startsWith('trainingJob/'))).toEqual([
      expect.stringMatching(/^model\/linear-replicated-/),
      expect.stringMatching(/^model\/linear-sharded-/),
    ]);
  });

  it('does no harm when the same event arrives twice', async () => {
    // GIVEN an execution stopped while training, cleaned up once
    const { startTime } = await runAndStop(
      {},
      {},
      (event) => entered('Wait for training')(event) && sagemaker.names('trainingJob').length === 2,
    );
    givenExecution('ABORTED', startTime);
    const event = statusChangeEvent(RUN, startTime, 'ABORTED');
    await runCleanUpAfterEnd(event);
    const stopsBefore = sagemaker.sagemaker.commandCalls(StopTrainingJobCommandRef).length;

    // WHEN the same event is delivered again
    const again = await runCleanUpAfterEnd(event);

    // THEN it succeeds without stopping or deleting anything more
    expect(again.error).toBeUndefined();
    expect(again.statesEntered).toContain('Execution cleaned up');
    expect(sagemaker.sagemaker.commandCalls(StopTrainingJobCommandRef)).toHaveLength(stopsBefore);
    expect(sagemaker.billing()).toEqual([]);
  });

  it('leaves alone an execution that runs again (redriven) by the time the event is handled', async () => {
    // GIVEN a stopped execution that Step Functions reports RUNNING again
    const { startTime } = await runAndStop(
      {},
      {},
      (event) => entered('Wait for training')(event) && sagemaker.names('trainingJob').length === 2,
    );
    givenExecution('RUNNING', startTime);

    // WHEN
    await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'ABORTED'));

    // THEN its jobs keep running
    expect(sagemaker.billing()).toHaveLength(2);
  });
});

describe('a failed execution whose own clean-up already ran, then its FAILED status-change event', () => {
  it('succeeds without removing anything the workflow kept', async () => {
    // GIVEN an execution with keepModels whose evaluations failed: each variant deleted its endpoint and config itself
    sagemaker = statefulSageMaker({ trainingCompletesOnDescribe: 1, endpointInServiceOnDescribe: 1 });
    runtime = mockClient(SageMakerRuntimeClient);
    runtime.rejects(Object.assign(new Error('Received client error (400) from primary with message "bad input"'), { name: 'ModelError' }));
    let startTime = '';
    const plan = async (payload: { execution: { startTime: string } }) => {
      startTime = payload.execution.startTime;
      return planExecution(payload as never);
    };
    const run = await runWorkflow({ keepModels: true }, 'run-1', { 'Validate input and plan': plan as never });
    expect(run.statesEntered).toContain('Clean up failed variant');
    expect(run.error?.name).toBe('VariantsFailed');
    const left = sagemaker.names();
    givenExecution('FAILED', startTime);

    // WHEN the FAILED event reaches the clean-up
    const cleanUp = await runCleanUpAfterEnd(statusChangeEvent(RUN, startTime, 'FAILED'));

    // THEN it succeeds and everything the workflow left (the ended jobs and the kept models) is still there
    expect(cleanUp.error).toBeUndefined();
    expect(sagemaker.names()).toEqual(left);
    expect(sagemaker.names('model')).toHaveLength(2);
    expect(sagemaker.billing()).toEqual([]);
  });
});
