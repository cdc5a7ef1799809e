import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';

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
export class TaskFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id, {
      entry: path.join(__dirname, '..', 'lambda', `${props.handler}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 256,
      environment: props.environment,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      bundling: { externalModules: props.externalModules ?? ['@aws-sdk/*'], minify: true, sourceMap: false },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The AWS managed basic execution policy only lets the function write its own CloudWatch logs.',
    });
  }
}
