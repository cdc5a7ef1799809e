import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describeKind } from '../lambda/core/sagemaker/resource-kind';
import { NamedResource, cleanUpEndedExecution } from '../lambda/core/cleanup/ended-cleanup';
import { isStillRunning, executionStatusOf } from '../lambda/core/cleanup/removal-policy';

/** `npm run experiment -- clean-up <execution>`: removes everything an ended execution created, kept or not. */

export interface CleanUpCommandDeps {
  readonly sfn: SFNClient;
  readonly sagemaker: SageMakerClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** SageMaker refuses to delete an endpoint being created (10+ minutes): look again every minute, for half an hour. */
export const SETTLE_WAIT_MS = 60_000;
export const MAX_PASSES = 30;

export async function cleanUpCommand(deps: CleanUpCommandDeps, executionArn: string): Promise<number> {
  const name = executionArn.split(':').pop();
  await refuseWhileRunning(deps.sfn, executionArn);
  let removedAny = false;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const result = await cleanUpEndedExecution(
      { sagemaker: deps.sagemaker, sfn: deps.sfn },
      { executionArn, removeKept: true, sleep: deps.sleep },
    );
    // Redriven between the check and now: its resources are in use again.
    if (isStillRunning(result.status)) throw new Error(runningMessage(name, executionArn));
    result.stopped.forEach((job) => deps.out(`Stopped training job ${job.name}`));
    result.deleted.forEach((resource) => deps.out(`Deleted ${describe(resource)}`));
    removedAny ||= result.stopped.length + result.deleted.length > 0;
    if (result.pendingEndpoints.length === 0) {
      deps.out(removedAny ? `Nothing of execution ${name} is left running or billing.` : `Execution ${name} left nothing to remove.`);
      return 0;
    }
    if (pass === MAX_PASSES) break;
    deps.out(
      `Waiting for endpoints still being created, which SageMaker cannot delete yet: ${result.pendingEndpoints.join(', ')} (check ${pass} of ${MAX_PASSES})`,
    );
    await deps.sleep(SETTLE_WAIT_MS);
  }
  deps.err(`Endpoints of execution ${name} were still being created after ${MAX_PASSES} checks; run clean-up again later.`);
  return 1;
}

async function refuseWhileRunning(sfn: SFNClient, executionArn: string): Promise<void> {
  let status: string | undefined;
  try {
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  } catch (error) {
    // Gone from Step Functions' history (90 days after it ended): its resources may still be there.
    if ((error as Error).name === 'ExecutionDoesNotExist') return;
    throw error;
  }
  if (isStillRunning(executionStatusOf(status))) throw new Error(runningMessage(executionArn.split(':').pop(), executionArn));
}

function runningMessage(name: string | undefined, executionArn: string): string {
  return (
    `Execution ${name} is still running, and removing its resources now would only make it fail. Stop it first ` +
    `(Stop execution in the console, or aws stepfunctions stop-execution --execution-arn ${executionArn}); ` +
    'the stack then cleans up within minutes on its own, or run clean-up again.'
  );
}

function describe(resource: NamedResource): string {
  return `${describeKind(resource.kind)} ${resource.name}`;
}
