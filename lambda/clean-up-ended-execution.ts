import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EndedExecutionEvent, EndedExecutionResult, cleanUpEndedExecution, parseEndedExecutionEvent } from './core/cleanup/ended-cleanup';
import { requiredEnv } from './core/common/environment';

const sagemaker = new SageMakerClient({});
const sfn = new SFNClient({});

/**
 * Task of the "clean up after an execution ends" state machine, started by the workflow's status-change events:
 * removes what the ended execution left. Endpoints still being created come back as pending, for another pass.
 */
export const handler = async (event: EndedExecutionEvent): Promise<EndedExecutionResult & { attempt: number }> => {
  const request = parseEndedExecutionEvent(event, requiredEnv('WORKFLOW_STATE_MACHINE_ARN'));
  const result = await cleanUpEndedExecution({ sagemaker, sfn }, request);
  console.log(JSON.stringify(result));
  return { ...result, attempt: (event.attempt ?? 0) + 1 };
};
