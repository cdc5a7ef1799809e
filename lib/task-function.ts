import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { handlerBundle } from './handler-bundle';

export interface TaskFunctionProps {
  /** File name of the handler in lambda/, without extension. */
  readonly handler: string;
  readonly description: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /**
   * Modules left out of the bundle because the Lambda runtime provides them.
   * @default ['@aws-sdk/*'] (the runtime ships the AWS SDK v3)
   */
  readonly externalModules?: string[];
}

/** One workflow task: a TypeScript handler from lambda/, bundled with esbuild, on the latest Node.js runtime. */
export class TaskFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id, {
      code: handlerBundle({
        entry: path.join(__dirname, '..', 'lambda', `${props.handler}.ts`),
        runtime: lambda.Runtime.NODEJS_24_X,
        externalModules: props.externalModules ?? ['@aws-sdk/*'],
      }),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 256,
      environment: props.environment,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The AWS managed basic execution policy only lets the function write its own CloudWatch logs.',
    });
  }
}
