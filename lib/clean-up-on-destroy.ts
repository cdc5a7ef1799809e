import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { executionsOf } from './ended-execution-cleanup';
import { acknowledgeWildcardResources } from './nag';
import { TaskFunction } from './task-function';
import { sagemakerArns } from './sagemaker-arns';

export interface CleanUpOnDestroyProps {
  /** Its running executions are stopped first, so none creates anything after the clean-up looked. */
  readonly stateMachine: sfn.IStateMachine;
  /** Runs that clean up after ended executions: stopped too, so none is left for the stack deletion to wait on. */
  readonly cleanUpStateMachine: sfn.IStateMachine;
  /** Removed only after the clean-up ran (e.g. the data bucket and the role SageMaker resources use). */
  readonly dependents: IDependable[];
}

/**
 * On `cdk destroy`, before the bucket goes: stops every running training job and deletes every endpoint,
 * endpoint config and model tagged with this stack, so nothing an execution started keeps billing.
 */
export class CleanUpOnDestroy extends Construct {
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CleanUpOnDestroyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const onEvent = new TaskFunction(this, 'Handler', {
      handler: 'clean-up-on-destroy',
      description: 'On stack deletion, removes the SageMaker resources tagged with this stack',
      // Bounded: the handler stops at its deadline (timeout minus a margin) and names what is left.
      timeout: Duration.minutes(14),
    });
    const named = sagemakerArns(this, ['training-job', 'endpoint', 'endpoint-config', 'model']);
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'sagemaker:StopTrainingJob',
          'sagemaker:DescribeTrainingJob',
          'sagemaker:DeleteEndpoint',
          'sagemaker:DeleteEndpointConfig',
          'sagemaker:DeleteModel',
        ],
        resources: named,
      }),
    );
    // The tags say whose a resource is: the handler reads them on every listed resource named like the workflow's.
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListTags'], resources: named }));
    const machines = [props.stateMachine, props.cleanUpStateMachine];
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: machines.map((machine) => machine.stateMachineArn) }),
    );
    const executions = machines.map((machine) => executionsOf(this, machine));
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: executions }));
    acknowledgeWildcardResources(onEvent, executions, "Stops the running executions of this stack's state machines only.");
    // SageMaker's List* actions have no resource-level permissions.
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:ListTrainingJobs', 'sagemaker:ListEndpoints', 'sagemaker:ListEndpointConfigs', 'sagemaker:ListModels'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcardResources(
      onEvent,
      named,
      'Every SageMaker name the workflow creates starts with linear-; only ones tagged with this stack are touched.',
    );
    acknowledgeWildcardResources(onEvent, ['*'], 'SageMaker List* actions have no resource-level permissions.');

    const provider = new cr.Provider(this, 'Provider', { onEventHandler: onEvent });
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The custom resource framework function only writes its own CloudWatch logs with this policy.',
    });
    acknowledgeWildcardResources(provider, [`${onEvent.functionArn}:*`], 'The framework invokes the clean-up handler and its versions.');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::CleanUpExperimentResources',
      properties: {
        StackName: stack.stackName,
        StateMachineArn: props.stateMachine.stateMachineArn,
        CleanUpStateMachineArn: props.cleanUpStateMachine.stateMachineArn,
      },
    });
    for (const dependent of [...machines, ...props.dependents]) this.resource.node.addDependency(dependent);
  }
}
