import { StateMachine } from 'aws-local-stepfunctions';
import { CLEAN_UP_AFTER_END_TASKS } from '../../lib/task-declarations';
import { stateMachineDefinition } from './definition';
import { finish, taskHandler, waitStates } from './local-workflow';
import { synthTemplate } from './stack';

/** The experiment's state machine as the ARNs in local runs name it (see executionArn in local-workflow.ts). */
export const WORKFLOW_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Workflow';

type Handler = (input: never) => Promise<unknown>;

/** A Step Functions Execution Status Change event as EventBridge delivers it to the rule's target. */
export function statusChangeEvent(executionArn: string, startTime: string, status: 'ABORTED' | 'TIMED_OUT' | 'FAILED' | 'SUCCEEDED') {
  const startDate = Date.parse(startTime);
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: new Date(startDate + 600_000).toISOString(),
    region: 'us-east-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: WORKFLOW_ARN,
      name: executionArn.split(':').pop(),
      status,
      startDate,
      stopDate: startDate + 600_000,
      input: '{}',
      output: null,
      inputDetails: { included: true },
      outputDetails: null,
      error: status === 'ABORTED' ? null : 'States.Timeout',
      cause: null,
    },
  };
}

export interface CleanUpRun {
  readonly output?: Record<string, unknown>;
  readonly error?: { name: string; message: string };
  readonly statesEntered: string[];
  /** What the clean-up task logged, one JSON line per pass (its record in CloudWatch Logs). */
  readonly logLines: string[];
}

let definition: Record<string, unknown> | undefined;

const CLEAN_UP_TASK = CLEAN_UP_AFTER_END_TASKS.cleanUpEndedExecution;
const [CLEAN_UP_STATE] = CLEAN_UP_TASK.stateNames;

/** Runs the synthesized "clean up after an execution ends" state machine in-process, with its waits at zero. */
export async function runCleanUpAfterEnd(event: unknown, handler: Handler = taskHandler(CLEAN_UP_TASK)): Promise<CleanUpRun> {
  definition ??= stateMachineDefinition(synthTemplate(), 'CleanUpAfterEndStateMachine');
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(event as never, {
    overrides: {
      taskResourceLocalHandlers: { [CLEAN_UP_STATE]: (payload: unknown) => handler(payload as never) as never },
      waitTimeOverrides: Object.fromEntries(waitStates(definition).map((state) => [state, 0])),
      retryIntervalOverrides: { [CLEAN_UP_STATE]: 0 },
    },
  });
  const logLines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logLines.push(String(line)));
  try {
    const { output, error, statesEntered } = await finish(execution);
    return { output, error, statesEntered, logLines };
  } finally {
    log.mockRestore();
  }
}
