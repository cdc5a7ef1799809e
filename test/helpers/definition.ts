import { Template } from 'aws-cdk-lib/assertions';

/** A stand-in ARN for a resource the template references, so the definition parses as plain JSON. */
export const fakeArn = (logicalId: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`;

function resolve(part: unknown): string {
  if (typeof part === 'string') return part;
  const object = part as Record<string, unknown>;
  if (object['Fn::GetAtt']) return fakeArn((object['Fn::GetAtt'] as string[])[0]);
  if (object.Ref === 'AWS::Partition') return 'aws';
  if (object.Ref === 'AWS::Region') return 'us-east-1';
  if (object.Ref === 'AWS::AccountId') return '123456789012';
  if (object.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (typeof object.Ref === 'string') return `ref-${object.Ref}`;
  throw new Error(`Cannot resolve ${JSON.stringify(part)} in the state machine definition`);
}

/**
 * A synthesized state machine definition with its Fn::Join resolved, as Step Functions would see it: the experiment's
 * workflow, or the one whose logical id starts with `logicalIdPrefix`.
 */
export function stateMachineDefinition(template: Template, logicalIdPrefix = 'WorkflowStateMachine'): Record<string, unknown> {
  const all = template.findResources('AWS::StepFunctions::StateMachine');
  const machines = Object.entries(all)
    .filter(([logicalId]) => logicalId.startsWith(logicalIdPrefix))
    .map(([, machine]) => machine);
  if (machines.length !== 1)
    throw new Error(`Expected one state machine named ${logicalIdPrefix}*, found ${machines.length} among ${Object.keys(all).join(', ')}`);
  const definition = machines[0].Properties.DefinitionString as unknown;
  const text =
    typeof definition === 'string' ? definition : (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(resolve).join('');
  return JSON.parse(text);
}
