import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ExperimentSettings } from '../lambda/core/settings';
import { acknowledgeWildcardResources } from './nag';
import { WorkflowTasks } from './workflow-tasks';

export interface ExperimentWorkflowProps {
  readonly tasks: WorkflowTasks;
  /** Deploy-time settings; every execution starts from these and may override them in its input. */
  readonly settings: ExperimentSettings;
  /**
   * Longest an execution may run before Step Functions stops it (and its cleanup runs).
   * @default Duration.hours(12)
   */
  readonly timeout?: Duration;
}

const { stringAt, objectAt, numberAt } = sfn.JsonPath;

/**
 * The experiment as a state machine: plan -> (per variant, in parallel) train -> host -> summarize.
 * Every SageMaker wait is a Wait -> Describe -> Choice loop with a bound; no Lambda ever waits.
 */
export class ExperimentWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ExperimentWorkflowProps) {
    super(scope, id);
    const fns = props.tasks;

    const plan = this.invoke('Validate input and plan', fns.planExecution, {
      payload: sfn.TaskInput.fromObject({
        input: objectAt('$$.Execution.Input'),
        execution: { executionArn: sfn.JsonPath.executionId, startTime: stringAt('$$.Execution.StartTime'), name: sfn.JsonPath.executionName },
        defaults: props.settings,
      }),
    });

    const variants = new sfn.Map(this, 'Train and host each variant', {
      itemsPath: '$.variants',
      itemSelector: { variant: objectAt('$$.Map.Item.Value'), settings: objectAt('$.settings') },
      resultPath: '$.results',
    });
    variants.itemProcessor(this.trainThenHost(fns));

    const output = new sfn.Pass(this, 'Experiment output', {
      parameters: { execution: stringAt('$.execution.name'), variants: objectAt('$.results') },
    });

    const definition = plan.next(variants).next(output).next(new sfn.Succeed(this, 'Experiment done'));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(12),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'ExecutionLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
        level: sfn.LogLevel.ALL,
      },
      comment: 'SageMaker Linear Learner on GDELT: FullyReplicated vs ShardedByS3Key',
    });
    acknowledgeWildcardResources(
      this.stateMachine,
      fns.all.map((fn) => `${fn.functionArn}:*`),
      'Step Functions grants lambda:InvokeFunction on each task function and its versions.',
    );
    acknowledgeWildcardResources(
      this.stateMachine,
      ['*'],
      'X-Ray tracing and CloudWatch Logs delivery actions have no resource-level permissions.',
    );
  }

  /** One variant: start the training job, poll it, then create model, endpoint config and endpoint, and poll that. */
  private trainThenHost(fns: WorkflowTasks): sfn.IChainable {
    const startTraining = this.invoke('Start training job', fns.startTraining, { resultPath: '$.training' });
    const waitForTraining = new sfn.Wait(this, 'Wait for training', { time: sfn.WaitTime.secondsPath('$.settings.trainingPollSeconds') });
    const describeTraining = this.invoke('Describe training job', fns.describeTraining, { resultPath: '$.training' });
    const waitForEndpoint = new sfn.Wait(this, 'Wait for endpoint', { time: sfn.WaitTime.secondsPath('$.settings.endpointPollSeconds') });
    const describeEndpoint = this.invoke('Describe endpoint', fns.describeEndpoint, { resultPath: '$.endpoint' });

    const host = this.invoke('Create model', fns.createModel, { resultPath: sfn.JsonPath.DISCARD })
      .next(this.invoke('Create endpoint config', fns.createEndpointConfig, { resultPath: sfn.JsonPath.DISCARD }))
      .next(this.invoke('Create endpoint', fns.createEndpoint, { resultPath: '$.endpoint' }))
      .next(waitForEndpoint)
      .next(describeEndpoint)
      .next(
        new sfn.Choice(this, 'Endpoint in service?')
          .when(sfn.Condition.stringEquals('$.endpoint.status', 'InService'), this.summarizeVariant())
          .when(sfn.Condition.stringEquals('$.endpoint.status', 'Failed'), this.fail('Endpoint failed', 'EndpointFailed', '$.endpoint.message'))
          .when(sfn.Condition.isPresent('$.endpoint.message'), this.fail('Endpoint not ready in time', 'EndpointTimedOut', '$.endpoint.message'))
          .otherwise(waitForEndpoint),
      );

    return startTraining
      .next(waitForTraining)
      .next(describeTraining)
      .next(
        new sfn.Choice(this, 'Training done?')
          .when(sfn.Condition.stringEquals('$.training.status', 'Completed'), host)
          .when(sfn.Condition.stringEquals('$.training.status', 'Failed'), this.fail('Training failed', 'TrainingJobFailed', '$.training.message'))
          .when(sfn.Condition.stringEquals('$.training.status', 'Stopped'), this.fail('Training stopped', 'TrainingJobStopped', '$.training.message'))
          .when(sfn.Condition.isPresent('$.training.message'), this.fail('Training not done in time', 'TrainingTimedOut', '$.training.message'))
          .otherwise(waitForTraining),
      );
  }

  /** What the execution output lists per variant. */
  private summarizeVariant(): sfn.Pass {
    return new sfn.Pass(this, 'Summarize variant', {
      parameters: {
        variant: stringAt('$.variant.name'),
        trainDistribution: stringAt('$.variant.trainDistribution'),
        instanceCount: numberAt('$.variant.instanceCount'),
        instanceType: stringAt('$.variant.instanceType'),
        jobName: stringAt('$.variant.jobName'),
        trainingStatus: stringAt('$.training.status'),
        trainingTimeInSeconds: numberAt('$.training.trainingTimeInSeconds'),
        billableTimeInSeconds: numberAt('$.training.billableTimeInSeconds'),
        finalMetrics: objectAt('$.training.finalMetrics'),
        modelName: stringAt('$.variant.modelName'),
        endpointConfigName: stringAt('$.variant.endpointConfigName'),
        endpointName: stringAt('$.variant.endpointName'),
        endpointStatus: stringAt('$.endpoint.status'),
        endpointCreatedAt: stringAt('$.endpoint.createdAt'),
      },
    });
  }

  private fail(id: string, error: string, causePath: string): sfn.Fail {
    return new sfn.Fail(this, id, { error, causePath });
  }

  /** A Lambda task that returns the handler's result, retried on Lambda service errors and SageMaker throttling. */
  private invoke(id: string, fn: lambda.IFunction, options: { payload?: sfn.TaskInput; resultPath?: string }): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      ...(options.payload && { payload: options.payload }),
      ...(options.resultPath && { resultPath: options.resultPath }),
    });
    task.addRetry({
      errors: ['ThrottlingException', 'Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }
}
