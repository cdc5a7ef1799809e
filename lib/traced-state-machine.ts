import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag';

export interface TracedStateMachineProps {
  readonly definition: sfn.IChainable;
  /** Longest an execution may run before Step Functions stops it. */
  readonly timeout: Duration;
  readonly comment: string;
  /** The functions its Task states invoke: Step Functions grants invoke on each and its versions (`:*`). */
  readonly invokes: readonly lambda.IFunction[];
}

/** A Standard state machine as this stack runs them: X-Ray tracing, every execution event logged for a month. */
export class TracedStateMachine extends sfn.StateMachine {
  constructor(scope: Construct, id: string, props: TracedStateMachineProps) {
    super(scope, id, {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
      timeout: props.timeout,
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(scope, 'ExecutionLogs', {
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
      },
      comment: props.comment,
    });
    acknowledgeWildcardResources(
      this,
      props.invokes.map((fn) => `${fn.functionArn}:*`),
      'Step Functions grants lambda:InvokeFunction on each task function and its versions.',
    );
    acknowledgeWildcardResources(this, ['*'], 'X-Ray tracing and CloudWatch Logs delivery actions have no resource-level permissions.');
  }
}
