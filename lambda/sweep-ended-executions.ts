import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { CleanUpError } from './core/cleanup/cleanup-errors';
import { requiredEnv } from './core/common/environment';
import { SweepResult, sweepLogLine, sweepStack } from './core/cleanup/sweep';

const sagemaker = new SageMakerClient({});
const sfn = new SFNClient({});

/** Time kept back from the Lambda timeout to log what was done and what is left. */
export const DEADLINE_MARGIN_MS = 20_000;

/**
 * Runs on a schedule: removes what ended executions of this stack left behind, in case the clean-up after an
 * execution ends never ran. Fails (after logging) when a resource could not be removed, so the error shows.
 */
export const handler = async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SweepResult> => {
  const result = await sweepStack(
    { sagemaker, sfn },
    {
      stackName: requiredEnv('STACK_NAME'),
      stateMachineArn: requiredEnv('WORKFLOW_STATE_MACHINE_ARN'),
      deadline: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
    },
  );
  console.log(sweepLogLine(result));
  if (result.failures.length > 0) throw new CleanUpError(result.failures);
  return result;
};
