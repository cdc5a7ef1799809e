import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MAX_CLEAN_UP_ATTEMPTS } from '../lambda/core/cleanup/cleanup-errors';
import { acknowledgeWildcardResources } from './nag';
import { TaskFunction } from './task-function';
import { TracedStateMachine } from './traced-state-machine';
import { WorkflowTasks } from './workflow-tasks';

export interface EndedExecutionCleanUpProps {
  /** The experiment's state machine: its executions' resources are cleaned up after they end. */
  readonly workflow: sfn.StateMachine;
  /** Gives the `linear-*` ARNs the clean-up may act on. */
  readonly tasks: WorkflowTasks;
  /**
   * Time between two sweeps.
   * @default Duration.minutes(30)
   */
  readonly sweepInterval?: Duration;
}

/** Statuses after which no state of the workflow runs any more, so its own clean-up may never have run. */
export const ABNORMAL_END_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'];

/** `arn:<partition>:states:<region>:<account>:execution:<state machine name>:*`: the executions of one state machine. */
export function executionsOf(scope: Construct, stateMachine: sfn.IStateMachine): string {
  const stack = Stack.of(scope);
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stack.splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Cleans up after any end of an execution, not only the ends the workflow itself reaches (Stop execution, the
 * timeout, a crashed clean-up): an EventBridge rule on the workflow's ABORTED, TIMED_OUT and FAILED status changes
 * starts a small state machine that stops the execution's jobs and deletes its endpoints, retrying endpoints still
 * being created; and, because EventBridge delivery is best effort, a scheduled sweep removes whatever ended
 * executions of this stack left, except what they were asked to keep.
 */
export class EndedExecutionCleanUp extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly sweep: lambda.IFunction;
  /** The rules that start clean-ups; the stack removes them before its own clean-up on destroy runs. */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: EndedExecutionCleanUpProps) {
    super(scope, id);
    const { workflow } = props;
    const environment = { STACK_NAME: Stack.of(this).stackName, WORKFLOW_STATE_MACHINE_ARN: workflow.stateMachineArn };

    const cleanUp = new TaskFunction(this, 'clean-up-ended-execution', {
      handler: 'clean-up-ended-execution',
      description: 'Stops the jobs and deletes the endpoints an ended execution left, except what it was asked to keep',
      timeout: Duration.minutes(2),
      environment,
    });
    this.sweep = new TaskFunction(this, 'sweep-ended-executions', {
      handler: 'sweep-ended-executions',
      description: 'Removes what ended executions of this stack left, in case their clean-up never ran',
      // Bounded: the handler stops starting calls before its deadline and leaves the rest for the next sweep.
      timeout: Duration.minutes(5),
      environment,
    });
    // The next sweep comes soon enough: a failed one is not run again.
    this.sweep.configureAsyncInvoke({ retryAttempts: 0 });
    for (const fn of [cleanUp, this.sweep]) this.allowCleanUp(fn, props);

    this.stateMachine = this.cleanUpStateMachine(cleanUp);
    const onEnd = new events.Rule(this, 'OnExecutionEnd', {
      description: 'Starts the clean-up when an execution of the experiment ends ABORTED, TIMED_OUT or FAILED',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ABNORMAL_END_STATUSES, stateMachineArn: [workflow.stateMachineArn] },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });
    const schedule = new events.Rule(this, 'SweepSchedule', {
      description: 'Sweeps what ended executions of the experiment left behind',
      schedule: events.Schedule.rate(props.sweepInterval ?? Duration.minutes(30)),
      targets: [new targets.LambdaFunction(this.sweep)],
    });
    this.rules = [onEnd, schedule];
  }

  /** Let tasks under way land -> clean up -> (endpoints still settling?) wait a minute -> clean up again, bounded. */
  private cleanUpStateMachine(cleanUp: lambda.IFunction): sfn.StateMachine {
    // A create task invoked just before the stop still runs (their functions time out after a minute).
    const letTasksFinish = new sfn.Wait(this, 'Let running tasks finish', { time: sfn.WaitTime.duration(Duration.seconds(60)) });
    const firstPass = new sfn.Pass(this, 'Start clean-up', { result: sfn.Result.fromObject({ attempt: 0 }), resultPath: '$.cleanup' });
    const task = new tasks.LambdaInvoke(this, 'Clean up ended execution', {
      lambdaFunction: cleanUp,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      payload: sfn.TaskInput.fromObject({
        detail: {
          executionArn: sfn.JsonPath.stringAt('$.detail.executionArn'),
          stateMachineArn: sfn.JsonPath.stringAt('$.detail.stateMachineArn'),
          status: sfn.JsonPath.stringAt('$.detail.status'),
          startDate: sfn.JsonPath.numberAt('$.detail.startDate'),
        },
        attempt: sfn.JsonPath.numberAt('$.cleanup.attempt'),
      }),
      resultPath: '$.cleanup',
    });
    // Throttling, a crashed or timed-out function and a resource SageMaker could not remove this time: all may pass.
    task.addRetry({
      errors: ['ThrottlingException', 'Lambda.TooManyRequestsException', 'Lambda.Unknown', 'Sandbox.Timedout', 'CleanUpFailed'],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const waitToSettle = new sfn.Wait(this, 'Wait for endpoints to settle', { time: sfn.WaitTime.duration(Duration.seconds(60)) });
    const nameLeftovers = new sfn.Pass(this, 'Name endpoints left running', {
      parameters: {
        cause: sfn.JsonPath.format(
          'These endpoints were still being created after {} attempts; delete them in the SageMaker console or run npm run experiment -- clean-up {}: {}',
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.cleanup.attempt')),
          sfn.JsonPath.stringAt('$.detail.executionArn'),
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.cleanup.pendingEndpoints')),
        ),
      },
      resultPath: '$.failure',
    });
    const leftRunning = new sfn.Fail(this, 'Endpoints left running', { error: 'EndpointsLeftRunning', causePath: '$.failure.cause' });
    const pending = sfn.Condition.isPresent('$.cleanup.pendingEndpoints[0]');
    const definition = letTasksFinish
      .next(firstPass)
      .next(task)
      .next(
        new sfn.Choice(this, 'Endpoints still settling?')
          .when(
            sfn.Condition.and(pending, sfn.Condition.numberLessThan('$.cleanup.attempt', MAX_CLEAN_UP_ATTEMPTS)),
            waitToSettle.next(task),
          )
          .when(pending, nameLeftovers.next(leftRunning))
          .otherwise(new sfn.Succeed(this, 'Execution cleaned up')),
      );

    return new TracedStateMachine(this, 'StateMachine', {
      definition,
      timeout: Duration.hours(2),
      comment: 'Cleans up after an execution of the experiment ends ABORTED, TIMED_OUT or FAILED',
      invokes: [cleanUp],
    });
  }

  /** Stop, delete and read tags only on `linear-*`, list everywhere, and read only the workflow's executions. */
  private allowCleanUp(fn: lambda.IFunction, props: EndedExecutionCleanUpProps): void {
    const [jobs, endpoints, configs, models] = props.tasks.sagemakerArns(['training-job', 'endpoint', 'endpoint-config', 'model']);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:StopTrainingJob'], resources: [jobs] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteEndpoint'], resources: [endpoints] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteEndpointConfig'], resources: [configs] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteModel'], resources: [models] }));
    // The tags say which execution a resource is of, and what it was asked to keep.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListTags'], resources: [jobs, endpoints, configs, models] }));
    acknowledgeWildcardResources(
      fn,
      [jobs, endpoints, configs, models],
      'Every SageMaker name the workflow creates starts with linear-; only ones tagged with an ended execution are touched.',
    );
    // SageMaker's List* actions have no resource-level permissions.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:ListTrainingJobs', 'sagemaker:ListEndpoints', 'sagemaker:ListEndpointConfigs', 'sagemaker:ListModels'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcardResources(fn, ['*'], 'SageMaker List* actions have no resource-level permissions.');
    const executions = executionsOf(this, props.workflow);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    acknowledgeWildcardResources(fn, [executions], "Reads the status of the experiment state machine's executions only.");
  }
}
