import { Template } from 'aws-cdk-lib/assertions';
import { CLEAN_UP_AFTER_END_TASKS, TaskDeclaration, WORKFLOW_TASKS } from '../../lib/task-declarations';
import { stateMachineDefinition } from '../helpers/definition';
import { TASK_HANDLERS } from '../helpers/local-workflow';
import { synthTemplate } from '../helpers/stack';

interface TaskState {
  readonly name: string;
  /** Logical id of the Lambda function the state invokes. */
  readonly functionId: string;
}

type States = Record<string, Record<string, unknown>>;

/** Every Task state of a definition, in Map item processors and Parallel branches too. */
function taskStates(states: States): TaskState[] {
  return Object.entries(states).flatMap(([name, state]): TaskState[] => {
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])] as Array<{ States: States } | undefined>;
    const inner = nested.flatMap((graph) => (graph ? taskStates(graph.States) : []));
    if (state.Type !== 'Task') return inner;
    const parameters = (state.Parameters ?? state.Arguments ?? {}) as { FunctionName?: string };
    const functionArn = String(state.Resource).includes(':function:') ? String(state.Resource) : String(parameters.FunctionName);
    return [{ name, functionId: /:function:([A-Za-z0-9]+)/.exec(functionArn)![1] }, ...inner];
  });
}

/** Whether a function's logical id is the one CDK gives the task function of this handler (its construct id). */
const isFunctionOf = (functionId: string, declaration: Pick<TaskDeclaration, 'handler'>): boolean =>
  new RegExp(`${declaration.handler.replace(/[^A-Za-z0-9]/g, '')}[0-9A-F]{8}$`).test(functionId);

const declaredStates = (declarations: Readonly<Record<string, Pick<TaskDeclaration, 'handler' | 'stateNames'>>>) =>
  Object.values(declarations).flatMap((declaration) => declaration.stateNames.map((name) => ({ name, declaration })));

describe('task declarations', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it.each([
    ['the experiment workflow', 'WorkflowStateMachine', WORKFLOW_TASKS],
    ['the clean-up after an execution ends', 'CleanUpAfterEndStateMachine', CLEAN_UP_AFTER_END_TASKS],
  ])('declare exactly the Task states of %s', (_, logicalIdPrefix, declarations) => {
    // GIVEN the synthesized definition
    const states = taskStates(stateMachineDefinition(template, logicalIdPrefix).States as States);

    // THEN every Task state is declared, and every declared state exists
    expect(states.map(({ name }) => name).sort()).toEqual(
      declaredStates(declarations)
        .map(({ name }) => name)
        .sort(),
    );
  });

  it.each([
    ['the experiment workflow', 'WorkflowStateMachine', WORKFLOW_TASKS],
    ['the clean-up after an execution ends', 'CleanUpAfterEndStateMachine', CLEAN_UP_AFTER_END_TASKS],
  ])('map each Task state of %s to the function that runs its declared handler', (_, logicalIdPrefix, declarations) => {
    // GIVEN the synthesized definition and the declared handler of each state
    const states = taskStates(stateMachineDefinition(template, logicalIdPrefix).States as States);
    const declared = new Map(declaredStates(declarations).map(({ name, declaration }) => [name, declaration]));

    // THEN each state invokes its declared handler's function
    const mismatched = states.filter(({ name, functionId }) => !declared.has(name) || !isFunctionOf(functionId, declared.get(name)!));
    expect(mismatched).toEqual([]);
  });

  it('give every workflow task a function with its declared description and sizing', () => {
    // GIVEN / WHEN / THEN
    for (const declaration of Object.values(WORKFLOW_TASKS) as TaskDeclaration[]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: declaration.description,
        MemorySize: declaration.sizing?.memorySize ?? 256,
        Timeout: declaration.sizing?.timeout?.toSeconds() ?? 60,
      });
    }
  });

  it('find a handler function in lambda/<handler>.ts for every declared workflow state', () => {
    // GIVEN / WHEN / THEN
    const states = declaredStates(WORKFLOW_TASKS).map(({ name }) => name);
    expect(Object.keys(TASK_HANDLERS).sort()).toEqual([...states].sort());
    expect(Object.values(TASK_HANDLERS).every((handler) => typeof handler === 'function')).toBe(true);
  });
});
