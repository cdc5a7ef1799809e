import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag';
import { TaskFunction } from './task-function';

/** Every SageMaker resource the workflow creates is named `linear-<variant>-<time>-<hash>` (lambda/core/naming.ts). */
export const RESOURCE_NAME_PATTERN = 'linear-*';

export interface WorkflowTasksProps {
  readonly bucket: s3.IBucket;
  /** The SageMaker execution role that training jobs and models run as. */
  readonly sagemakerRole: iam.IRole;
  /** Key prefix of the experiment in the bucket. */
  readonly prefix: string;
}

/** The workflow's Lambda tasks, each with only the permissions its SageMaker or S3 calls need. */
export class WorkflowTasks extends Construct {
  public readonly planExecution: lambda.IFunction;
  public readonly startTraining: lambda.IFunction;
  public readonly describeTraining: lambda.IFunction;
  public readonly createModel: lambda.IFunction;
  public readonly createEndpointConfig: lambda.IFunction;
  public readonly createEndpoint: lambda.IFunction;
  public readonly describeEndpoint: lambda.IFunction;

  /** Every task function, for grants that apply to all of them. */
  public readonly all: lambda.IFunction[] = [];

  private readonly stack: Stack;

  constructor(scope: Construct, id: string, props: WorkflowTasksProps) {
    super(scope, id);
    this.stack = Stack.of(this);
    const environment = { DATA_BUCKET: props.bucket.bucketName, SAGEMAKER_ROLE_ARN: props.sagemakerRole.roleArn, STACK_NAME: this.stack.stackName };
    const task = (handler: string, description: string): TaskFunction => {
      const fn = new TaskFunction(this, handler, { handler, description, environment });
      this.all.push(fn);
      return fn;
    };

    this.planExecution = task('plan-execution', 'Validates the execution input and fixes names, tags and work items');
    this.startTraining = task('start-training', 'Starts one variant\'s Linear Learner training job');
    this.describeTraining = task('describe-training', 'Reports a training job\'s status, times and final metrics');
    this.createModel = task('create-model', 'Creates a model from a training job\'s artifact');
    this.createEndpointConfig = task('create-endpoint-config', 'Creates an endpoint config for one variant\'s model');
    this.createEndpoint = task('create-endpoint', 'Creates one variant\'s endpoint');
    this.describeEndpoint = task('describe-endpoint', 'Reports an endpoint\'s status');

    const passRole = new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [props.sagemakerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
    // Create calls carry tags (AddTags) and check, on a retry, that an existing resource is this execution's (ListTags).
    this.allow(this.startTraining, ['sagemaker:CreateTrainingJob', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['training-job']);
    this.startTraining.addToRolePolicy(passRole);
    this.allow(this.describeTraining, ['sagemaker:DescribeTrainingJob'], ['training-job']);
    this.allow(this.createModel, ['sagemaker:CreateModel', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['model']);
    this.createModel.addToRolePolicy(passRole);
    this.allow(this.createEndpointConfig, ['sagemaker:CreateEndpointConfig', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['endpoint-config']);
    this.allow(this.createEndpoint, ['sagemaker:CreateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['endpoint', 'endpoint-config']);
    this.allow(this.describeEndpoint, ['sagemaker:DescribeEndpoint'], ['endpoint']);
  }

  /** SageMaker ARNs of the experiment's resources of the given kinds, in this stack's account and region. */
  sagemakerArns(kinds: string[]): string[] {
    return kinds.map((kind) =>
      this.stack.formatArn({ service: 'sagemaker', resource: kind, resourceName: RESOURCE_NAME_PATTERN, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    );
  }

  private allow(fn: lambda.IFunction, actions: string[], kinds: string[]): void {
    const resources = this.sagemakerArns(kinds);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    acknowledgeWildcardResources(fn, resources, 'SageMaker names are derived per execution; every one starts with linear- (lambda/core/naming.ts).');
  }
}
