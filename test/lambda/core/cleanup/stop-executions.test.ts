import { ExecutionDoesNotExist, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { stopRunningExecutions } from '../../../../lambda/core/cleanup/stop-executions';

const sfnMock = mockClient(SFNClient);
const client = new SFNClient({ region: 'eu-west-1' });
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Workflow';
const execution = (name: string) => ({
  executionArn: `arn:aws:states:eu-west-1:111122223333:execution:Workflow:${name}`,
  stateMachineArn: STATE_MACHINE,
  name,
  status: 'RUNNING' as const,
  startDate: new Date(),
});

beforeEach(() => sfnMock.reset());

describe('stopRunningExecutions', () => {
  it('stops every running execution on every page, then waits for in-flight tasks', async () => {
    // GIVEN two pages of running executions
    sfnMock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [execution('a')], nextToken: 'page-2' })
      .resolvesOnce({ executions: [execution('b')] });
    sfnMock.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const waits: number[] = [];

    // WHEN
    const stopped = await stopRunningExecutions(client, STATE_MACHINE, { graceMs: 30_000, sleep: async (ms) => void waits.push(ms) });

    // THEN
    expect(stopped).toEqual([execution('a').executionArn, execution('b').executionArn]);
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: STATE_MACHINE,
      statusFilter: 'RUNNING',
      nextToken: 'page-2',
    });
    expect(sfnMock).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn: execution('b').executionArn, error: 'StackDeleted' });
    expect(waits).toEqual([30_000]);
  });

  it('neither stops nor waits when nothing runs', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    const waits: number[] = [];

    const stopped = await stopRunningExecutions(client, STATE_MACHINE, { graceMs: 30_000, sleep: async (ms) => void waits.push(ms) });

    expect(stopped).toEqual([]);
    expect(sfnMock).not.toHaveReceivedCommand(StopExecutionCommand);
    expect(waits).toEqual([]);
  });

  it('tolerates an execution that ended between the listing and the stop', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [execution('a')] });
    sfnMock.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution does not exist', $metadata: {} }));

    const stopped = await stopRunningExecutions(client, STATE_MACHINE, { graceMs: 0, sleep: async () => undefined });

    expect(stopped).toEqual([]);
  });

  it('fails on any other error, so CloudFormation reports it', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [execution('a')] });
    sfnMock.on(StopExecutionCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    await expect(stopRunningExecutions(client, STATE_MACHINE, { graceMs: 0, sleep: async () => undefined })).rejects.toThrow(
      /not authorized/,
    );
  });
});
