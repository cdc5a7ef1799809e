import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { sweepLogLine, sweepStack } from '../../../../lambda/core/cleanup/sweep';
import { FakeKind, statefulSageMaker } from '../../../helpers/stateful-sagemaker';

const WORKFLOW = 'arn:aws:states:us-east-1:123456789012:stateMachine:Workflow';
const execution = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:Workflow:${name}`;
const STACK = 'MyExperiment';
const clients = { sagemaker: new SageMakerClient({ region: 'us-east-1' }), sfn: new SFNClient({ region: 'us-east-1' }) };
const noWait = async () => undefined;
const farFuture = Date.parse('2100-01-01T00:00:00Z');
const sfn = mockClient(SFNClient);
let sagemaker: ReturnType<typeof statefulSageMaker>;

const tags = (executionArn: string, keep: { endpoints?: boolean; models?: boolean } = {}, stack = STACK) => [
  { Key: 'experiment:stack', Value: stack },
  { Key: 'experiment:execution', Value: executionArn },
  { Key: 'experiment:variant', Value: 'sharded' },
  ...(keep.endpoints ? [{ Key: 'experiment:keep-endpoints', Value: 'true' }] : []),
  ...(keep.models ? [{ Key: 'experiment:keep-models', Value: 'true' }] : []),
];

/** One variant's job, model, config and endpoint, as the workflow names and tags them. */
function givenVariant(name: string, resourceTags: ReturnType<typeof tags>, status: { job?: string; endpoint?: string } = {}) {
  sagemaker.add('trainingJob', name, resourceTags, status.job ?? 'Completed');
  for (const kind of ['model', 'endpointConfig'] as FakeKind[]) sagemaker.add(kind, name, resourceTags);
  if (status.endpoint !== 'none') sagemaker.add('endpoint', name, resourceTags, status.endpoint ?? 'InService');
}

function givenStatuses(statuses: Record<string, 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT' | 'gone'>) {
  for (const [name, status] of Object.entries(statuses)) {
    const request = sfn.on(DescribeExecutionCommand, { executionArn: execution(name) });
    if (status === 'gone')
      request.rejects(new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${execution(name)}'`, $metadata: {} }));
    else request.resolves({ executionArn: execution(name), stateMachineArn: WORKFLOW, status, startDate: new Date() });
  }
}

beforeEach(() => {
  sfn.reset();
  sagemaker = statefulSageMaker();
});
afterEach(() => sagemaker.sagemaker.restore());

describe('sweepStack on a mix of executions', () => {
  beforeEach(() => {
    givenVariant('linear-sharded-20261128-100000-aaaaaaaa', tags(execution('running')), { job: 'InProgress', endpoint: 'none' });
    givenVariant('linear-sharded-20261128-110000-bbbbbbbb', tags(execution('stopped')), { job: 'InProgress', endpoint: 'InService' });
    givenVariant('linear-sharded-20261128-120000-cccccccc', tags(execution('kept'), { endpoints: true }));
    givenVariant('linear-sharded-20261128-130000-dddddddd', tags(execution('timed-out')), { endpoint: 'Creating' });
    givenVariant('linear-sharded-20261128-140000-eeeeeeee', tags(execution('models-kept'), { models: true }));
    givenVariant('linear-sharded-20261128-150000-ffffffff', tags(execution('expired')));
    givenVariant('linear-sharded-20261128-160000-99999999', tags(execution('other-stack'), {}, 'SomeoneElse'));
    givenVariant('linear-sharded-20261128-170000-88888888', tags('arn:aws:states:us-east-1:123456789012:execution:OtherMachine:x'));
    givenStatuses({
      running: 'RUNNING',
      stopped: 'ABORTED',
      kept: 'SUCCEEDED',
      'timed-out': 'TIMED_OUT',
      'models-kept': 'SUCCEEDED',
      expired: 'gone',
    });
    // Listing is throttled now and then, as SageMaker's List* calls are.
    sagemaker.throttle('ListEndpoints', 2);
    sagemaker.throttle('ListTags', 1);
  });

  it('removes exactly what ended executions left and were not asked to keep', async () => {
    // WHEN
    await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: farFuture, sleep: noWait });

    // THEN
    const left = sagemaker.names().filter((name) => !name.startsWith('trainingJob/'));
    const ofExecution = (stamp: string, kinds: string[]) => kinds.map((kind) => `${kind}/linear-sharded-20261128-${stamp}`);
    expect(left).toEqual(
      [
        // the running execution's (it has no endpoint yet)
        ...ofExecution('100000-aaaaaaaa', ['endpointConfig', 'model']),
        // kept on purpose by a succeeded execution
        ...ofExecution('120000-cccccccc', ['endpoint', 'endpointConfig', 'model']),
        // the endpoint still being created, with what it runs on: the next sweep gets them
        ...ofExecution('130000-dddddddd', ['endpoint', 'endpointConfig', 'model']),
        // the model of a succeeded execution that kept its models only
        ...ofExecution('140000-eeeeeeee', ['model']),
        // another stack's and another state machine's
        ...ofExecution('160000-99999999', ['endpoint', 'endpointConfig', 'model']),
        ...ofExecution('170000-88888888', ['endpoint', 'endpointConfig', 'model']),
      ].sort(),
    );
  });

  it('stops the jobs of ended executions only', async () => {
    // WHEN
    await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: farFuture, sleep: noWait });

    // THEN
    expect(sagemaker.resources.get('trainingJob/linear-sharded-20261128-100000-aaaaaaaa')?.status).toBe('InProgress');
    expect(sagemaker.resources.get('trainingJob/linear-sharded-20261128-110000-bbbbbbbb')?.status).toBe('Stopping');
  });

  it('reports what it did by execution and by resource', async () => {
    // WHEN
    const result = await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: farFuture, sleep: noWait });

    // THEN
    expect(result.complete).toBe(true);
    expect(result.executions).toEqual({ running: 1, ended: 5, notThisStateMachine: 1, notLookedUp: 0 });
    expect(result.stopped.map((job) => job.name)).toEqual(['linear-sharded-20261128-110000-bbbbbbbb']);
    expect(result.waiting.map((resource) => `${resource.kind}/${resource.name}`).sort()).toEqual([
      'endpoint/linear-sharded-20261128-130000-dddddddd',
      'endpointConfig/linear-sharded-20261128-130000-dddddddd',
      'model/linear-sharded-20261128-130000-dddddddd',
    ]);
    expect(JSON.parse(sweepLogLine(result)).counts).toEqual({
      trainingJobsStopped: 1,
      deleted: 8,
      kept: 4,
      waitingToSettle: 3,
      alreadyGone: 0,
      skipped: 3,
      notReached: 0,
      failed: 0,
    });
  });

  it('asks Step Functions once per execution of this state machine', async () => {
    // WHEN
    await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: farFuture, sleep: noWait });

    // THEN
    const asked = sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input.executionArn);
    expect(asked.sort()).toEqual(['expired', 'kept', 'models-kept', 'running', 'stopped', 'timed-out'].map(execution).sort());
  });
});

describe('sweepStack at its deadline', () => {
  it('starts no call after the deadline and names what it did not reach', async () => {
    // GIVEN an ended execution's resources, and a clock that passes the deadline once the executions are looked up
    givenVariant('linear-sharded-20261128-110000-bbbbbbbb', tags(execution('stopped')), { job: 'InProgress' });
    givenStatuses({ stopped: 'ABORTED' });
    let time = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async () => {
      time = 2;
      return { executionArn: execution('stopped'), stateMachineArn: WORKFLOW, status: 'ABORTED', startDate: new Date() };
    });

    // WHEN
    const result = await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: 1, now: () => time, sleep: noWait });

    // THEN nothing was removed, and the result says what is left
    expect(result.complete).toBe(false);
    expect(result.notReached).toHaveLength(4);
    expect(sagemaker.billing()).toHaveLength(2);
  });

  it('returns an incomplete result when the deadline comes while listing', async () => {
    // GIVEN
    givenVariant('linear-sharded-20261128-110000-bbbbbbbb', tags(execution('stopped')));

    // WHEN
    const result = await sweepStack(clients, { stackName: STACK, stateMachineArn: WORKFLOW, deadline: 0, now: () => 1, sleep: noWait });

    // THEN
    expect(result.complete).toBe(false);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });
});
