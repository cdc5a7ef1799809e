import { StateMachine } from 'aws-local-stepfunctions';
import { handler as cleanUpExecution } from '../../lambda/clean-up-execution';
import { handler as createEndpoint } from '../../lambda/create-endpoint';
import { handler as createEndpointConfig } from '../../lambda/create-endpoint-config';
import { handler as createModel } from '../../lambda/create-model';
import { handler as describeEndpoint } from '../../lambda/describe-endpoint';
import { handler as describeTraining } from '../../lambda/describe-training';
import { handler as evaluateEndpoint } from '../../lambda/evaluate-endpoint';
import { handler as identifyDataset } from '../../lambda/identify-dataset';
import { handler as planExecution } from '../../lambda/plan-execution';
import { handler as preflight } from '../../lambda/preflight';
import { handler as prepareYear } from '../../lambda/prepare-year';
import { handler as profileEventCodes } from '../../lambda/profile-event-codes';
import { handler as startTraining } from '../../lambda/start-training';
import { handler as writeReport } from '../../lambda/write-report';
import { stateMachineDefinition } from './definition';
import { fakeServiceQuotas, serviceQuotasMocked } from './fake-service-quotas';
import { synthTemplate } from './stack';

type Handler = (input: never) => Promise<unknown>;
type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];
export type EventLog = EventLogs extends AsyncGenerator<infer Event> ? Event : never;

/** Each Task state of the synthesized workflow, run by the real handler it invokes in AWS. */
export const TASK_HANDLERS: Record<string, Handler> = {
  'Validate input and plan': planExecution,
  Preflight: preflight,
  'Profile event codes': profileEventCodes,
  'Identify dataset': identifyDataset,
  'Prepare year': prepareYear,
  'Start training job': startTraining,
  'Describe training job': describeTraining,
  'Create model': createModel,
  'Create endpoint config': createEndpointConfig,
  'Create endpoint': createEndpoint,
  'Describe endpoint': describeEndpoint,
  'Evaluate endpoint': evaluateEndpoint,
  'Clean up': cleanUpExecution,
  'Clean up after failure': cleanUpExecution,
  'Write report': writeReport,
};

export const HANDLER_ENV = {
  DATA_BUCKET: 'experiment-data-bucket',
  SAGEMAKER_ROLE_ARN: 'arn:aws:iam::123456789012:role/SageMakerExecutionRole',
  STACK_NAME: 'DistributedTrainingExperiment',
};

export const executionArn = (name: string): string => `arn:aws:states:us-east-1:123456789012:execution:Workflow:${name}`;

export interface WorkflowRun {
  readonly output?: Record<string, unknown>;
  readonly error?: { name: string; message: string };
  readonly events: EventLog[];
  /** Names of the states entered, in order (Map iterations interleave). */
  readonly statesEntered: string[];
}

let definition: Record<string, unknown> | undefined;

/**
 * Runs the synthesized state machine definition in-process, with every wait and retry interval at zero.
 * Service Quotas answers quotas that cover the run unless the test mocked it itself.
 * `stopWhen` plays Stop execution: the run is aborted at the first event it accepts, as a person would stop it.
 */
export async function runWorkflow(
  input: unknown,
  executionName = 'run-1',
  handlers: Record<string, Handler> = {},
  stopWhen?: (event: EventLog) => boolean,
): Promise<WorkflowRun> {
  const quotas = serviceQuotasMocked() ? undefined : fakeServiceQuotas();
  try {
    return await runDefinition(input, executionName, handlers, stopWhen);
  } finally {
    quotas?.restore();
  }
}

async function runDefinition(
  input: unknown,
  executionName: string,
  handlers: Record<string, Handler>,
  stopWhen?: (event: EventLog) => boolean,
): Promise<WorkflowRun> {
  definition ??= stateMachineDefinition(synthTemplate());
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const taskStates = Object.keys(TASK_HANDLERS);
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(
        Object.entries({ ...TASK_HANDLERS, ...handlers }).map(([state, handler]) => [state, (payload: unknown) => handler(payload as never) as never]),
      ),
      waitTimeOverrides: { 'Wait for training': 0, 'Wait for endpoint': 0, 'Let running tasks finish': 0, 'Wait for endpoints to settle': 0 },
      retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, 0])),
    },
    context: { Execution: { Id: executionArn(executionName), Name: executionName } } as never,
  });
  const events: EventLog[] = [];
  const collecting = (async () => {
    let stopped = false;
    for await (const event of execution.eventLogs) {
      events.push(event);
      if (!stopped && stopWhen?.(event)) {
        stopped = true;
        execution.abort();
      }
    }
  })();
  let output: Record<string, unknown> | undefined;
  let error: { name: string; message: string } | undefined;
  try {
    output = (await execution.result) as Record<string, unknown>;
  } catch (caught) {
    const cause = (caught as Error).cause as Error | undefined;
    error = { name: cause?.name ?? (caught as Error).name, message: cause?.message ?? (caught as Error).message };
  }
  await collecting;
  const statesEntered = events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));
  return { output, error, events, statesEntered };
}
