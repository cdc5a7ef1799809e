import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { cleanUpStack } from './core/cleanup/stack-cleanup';
import { defaultSleep } from './core/common/backoff';
import { TAG_STACK } from './core/experiment/naming';
import { stopRunningExecutions } from './core/cleanup/stop-executions';

const sagemaker = new SageMakerClient({});
const stepFunctions = new SFNClient({});

/** Long enough for a Lambda task already calling SageMaker to finish its call. */
const IN_FLIGHT_GRACE_MS = 30_000;

/** Time kept back from the Lambda timeout to report the outcome to CloudFormation. */
export const DEADLINE_MARGIN_MS = 30_000;

export interface CleanUpOnDestroyResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export function physicalResourceIdFor(stackName: string): string {
  return `experiment-cleanup-${stackName}`;
}

/**
 * onEvent handler of a custom resource (custom-resources Provider): when the stack is destroyed, removes every
 * SageMaker resource tagged with its name, so nothing the workflow started keeps billing after the stack is gone.
 */
export const handler = async (
  event: CloudFormationCustomResourceEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<CleanUpOnDestroyResponse> => {
  const stackName = stackNameOf(event);
  const PhysicalResourceId = physicalResourceIdFor(stackName);
  if (event.RequestType !== 'Delete') return { PhysicalResourceId };

  // A Delete for another physical id is CloudFormation removing a replaced or never-created copy of this resource,
  // not the stack going away: the stack's resources must stay.
  if (event.PhysicalResourceId !== PhysicalResourceId) return { PhysicalResourceId: event.PhysicalResourceId };

  const deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  const stateMachineArn = event.ResourceProperties?.StateMachineArn as string | undefined;
  const cleanUpStateMachineArn = event.ResourceProperties?.CleanUpStateMachineArn as string | undefined;
  const executionsStopped = stateMachineArn
    ? await stopRunningExecutions(stepFunctions, stateMachineArn, { graceMs: IN_FLIGHT_GRACE_MS, sleep: defaultSleep })
    : [];
  // Clean-ups after ended executions only delete, so they need no grace; stopped, none keeps the state machine busy.
  if (cleanUpStateMachineArn) {
    executionsStopped.push(...(await stopRunningExecutions(stepFunctions, cleanUpStateMachineArn, { graceMs: 0, sleep: defaultSleep })));
  }
  const result = await cleanUpStack(sagemaker, { stackName, deadline, tagKey: TAG_STACK });
  // The names go to the log; CloudFormation's response (4 KB at most) gets counts only.
  console.log(JSON.stringify({ executionsStopped, ...result }));
  return {
    PhysicalResourceId,
    Data: {
      ExecutionsStopped: String(executionsStopped.length),
      TrainingJobsStopped: String(result.trainingJobsStopped.length),
      EndpointsDeleted: String(result.endpointsDeleted.length),
      EndpointConfigsDeleted: String(result.endpointConfigsDeleted.length),
      ModelsDeleted: String(result.modelsDeleted.length),
    },
  };
};

function stackNameOf(event: CloudFormationCustomResourceEvent): string {
  const stackName: unknown = event.ResourceProperties?.StackName;
  if (typeof stackName !== 'string' || stackName.length === 0) {
    throw new Error(`Custom resource property "StackName" must be the stack's name, got ${JSON.stringify(stackName)}`);
  }
  return stackName;
}
