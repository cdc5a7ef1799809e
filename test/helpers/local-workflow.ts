import { StateMachine } from 'aws-local-stepfunctions';
import { TaskDeclaration, WORKFLOW_TASKS } from '../../lib/task-declarations';
import { stateMachineDefinition } from './definition';
import { fakeServiceQuotas, serviceQuotasMocked } from './fake-service-quotas';
import { synthTemplate } from './stack';

type Handler = (input: never) => Promise<unknown>;
type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];
export type EventLog = EventLogs extends AsyncGenerator<infer Event> ? Event : never;

/** The real handler of a declared task, as its bundle exports it. */
export function taskHandler(declaration: Pick<TaskDeclaration, 'handler'>): Handler {
  // Named by the declaration rather than imported one by one, so a new task needs no line here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`../../lambda/${declaration.handler}`) as { handler: Handler }).handler;
}

/** Each Task state of the synthesized workflow, run by the real handler it invokes in AWS (lib/task-declarations.ts). */
export const TASK_HANDLERS: Record<string, Handler> = Object.fromEntries(
  Object.values(WORKFLOW_TASKS).flatMap((task) => task.stateNames.map((state) => [state, taskHandler(task)])),
);

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

interface StatesNode {
  readonly States?: Record<
    string,
    { readonly Type: string; readonly ItemProcessor?: StatesNode; readonly Iterator?: StatesNode; readonly Branches?: StatesNode[] }
  >;
}

/** Every Wait state's name, in Map and Parallel branches too: a new Wait needs no line here to run without waiting. */
export function waitStates(node: StatesNode): string[] {
  return Object.entries(node.States ?? {}).flatMap(([name, state]) => [
    ...(state.Type === 'Wait' ? [name] : []),
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].flatMap((inner) => (inner ? waitStates(inner) : [])),
  ]);
}

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
        Object.entries({ ...TASK_HANDLERS, ...handlers }).map(([state, handler]) => [
          state,
          (payload: unknown) => handler(payload as never) as never,
        ]),
      ),
      waitTimeOverrides: Object.fromEntries(waitStates(definition).map((state) => [state, 0])),
      retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, 0])),
    },
    context: { Execution: { Id: executionArn(executionName), Name: executionName } } as never,
  });
  return finish(execution, stopWhen);
}

/**
 * Waits for a local execution to end, collecting its events; `stopWhen` aborts it at the first event it accepts.
 * Its output, or the error it failed with (the cause Step Functions reports, not the local runner's wrapper).
 */
export async function finish(execution: ReturnType<StateMachine['run']>, stopWhen?: (event: EventLog) => boolean): Promise<WorkflowRun> {
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
