/**
 * Before a stack's resources are removed, its running executions must stop: otherwise one could create an
 * endpoint after the clean-up has looked, and leave it billing.
 */
import { ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';

export interface StopExecutionsOptions {
  /** Wait after stopping any, so task calls already under way land before the clean-up lists resources. */
  readonly graceMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Stops every RUNNING execution of the state machine; returns their ARNs. */
export async function stopRunningExecutions(client: SFNClient, stateMachineArn: string, options: StopExecutionsOptions): Promise<string[]> {
  const stopped: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }));
    for (const execution of page.executions ?? []) {
      if (!execution.executionArn) continue;
      try {
        await client.send(
          new StopExecutionCommand({
            executionArn: execution.executionArn,
            error: 'StackDeleted',
            cause: 'The experiment stack is being deleted',
          }),
        );
        stopped.push(execution.executionArn);
      } catch (error) {
        // It ended between the listing and the stop: nothing left to stop.
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  if (stopped.length > 0) await options.sleep(options.graceMs);
  return stopped;
}
