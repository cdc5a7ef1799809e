import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { reportsPrefix } from '../lambda/core/shared/bucket-layout';
import { GDELT_BUCKET_ARN } from '../lambda/core/data/gdelt-source';
import { acknowledgeWildcardResources } from './nag';
import { sagemakerArns, SageMakerResourceType } from './sagemaker-arns';
import { TaskFunction, TaskFunctionProps } from './task-function';

/**
 * Data preparation streams a yearly GDELT file (up to a few hundred MB) through the transform; see the README's
 * "Data preparation" figures for the measured throughput these limits leave a wide margin over.
 */
const DATA_PREPARATION: Partial<TaskFunctionProps> = {
  memorySize: 1024,
  timeout: Duration.minutes(15),
  // lib-storage is not among the SDK packages the runtime ships; bundling it with the S3 client it was built
  // against avoids mixing its version with the runtime's.
  externalModules: [],
};

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
  public readonly preflight: lambda.IFunction;
  public readonly profileEventCodes: lambda.IFunction;
  public readonly prepareYear: lambda.IFunction;
  public readonly identifyDataset: lambda.IFunction;
  public readonly startTraining: lambda.IFunction;
  public readonly describeTraining: lambda.IFunction;
  public readonly createModel: lambda.IFunction;
  public readonly createEndpointConfig: lambda.IFunction;
  public readonly createEndpoint: lambda.IFunction;
  public readonly describeEndpoint: lambda.IFunction;
  public readonly evaluateEndpoint: lambda.IFunction;
  public readonly cleanUpExecution: lambda.IFunction;
  public readonly writeReport: lambda.IFunction;
  /** Every task function, for grants that apply to all of them. */
  public readonly all: lambda.IFunction[] = [];

  private readonly stack: Stack;
  private readonly props: WorkflowTasksProps;

  constructor(scope: Construct, id: string, props: WorkflowTasksProps) {
    super(scope, id);
    this.stack = Stack.of(this);
    this.props = props;

    this.planExecution = this.task('plan-execution', 'Validates the execution input and fixes names, tags and work items');
    // Pages through SageMaker's default quota list, backing off when Service Quotas throttles.
    this.preflight = this.task('preflight', 'Checks SageMaker quotas and the GDELT source objects before anything is read or created', {
      timeout: Duration.minutes(2),
    });
    this.profileEventCodes = this.task('profile-event-codes', 'Finds the 20 most frequent event codes of the first GDELT year', DATA_PREPARATION);
    this.identifyDataset = this.task('identify-dataset', 'Names the prepared dataset from the source ETags, event codes and split');
    this.prepareYear = this.task('prepare-year', 'Streams one GDELT year into RecordIO-protobuf train/validation or test objects', DATA_PREPARATION);
    this.startTraining = this.task('start-training', 'Starts one variant\'s Linear Learner training job');
    this.describeTraining = this.task('describe-training', 'Reports a training job\'s status, times and final metrics');
    this.createModel = this.task('create-model', 'Creates a model from a training job\'s artifact');
    this.createEndpointConfig = this.task('create-endpoint-config', 'Creates an endpoint config for one variant\'s model');
    this.createEndpoint = this.task('create-endpoint', 'Creates one variant\'s endpoint');
    this.describeEndpoint = this.task('describe-endpoint', 'Reports an endpoint\'s status');
    this.evaluateEndpoint = this.task('evaluate-endpoint', 'Scores the test year on one endpoint in batches and returns MSE and MAE', {
      memorySize: 512,
      timeout: Duration.minutes(15),
    });
    this.cleanUpExecution = this.task('clean-up-execution', 'Deletes an execution\'s endpoints, configs and models and stops its training jobs', {
      timeout: Duration.minutes(5),
    });
    this.writeReport = this.task('write-report', 'Writes the comparison report (JSON, Markdown, SVG) to the data bucket');

    this.grantData();
    this.grantSageMaker();
    this.grantPreflight();
  }

  /** SageMaker ARNs of the experiment's resources of the given kinds, in this stack's account and region. */
  sagemakerArns(kinds: SageMakerResourceType[]): string[] {
    return sagemakerArns(this, kinds);
  }

  private task(handler: string, description: string, options: Partial<TaskFunctionProps> = {}): TaskFunction {
    const { bucket, sagemakerRole } = this.props;
    const fn = new TaskFunction(this, handler, {
      handler,
      description,
      environment: { DATA_BUCKET: bucket.bucketName, SAGEMAKER_ROLE_ARN: sagemakerRole.roleArn, STACK_NAME: this.stack.stackName },
      ...options,
    });
    this.all.push(fn);
    return fn;
  }

  private grantData(): void {
    const { bucket, prefix } = this.props;
    const experimentObjects = bucket.arnForObjects(`${prefix}/*`);
    for (const fn of [this.profileEventCodes, this.identifyDataset, this.prepareYear]) {
      this.allowData(fn, 'ReadGdelt', ['s3:GetObject'], [`${GDELT_BUCKET_ARN}/*`], 'Reads the public GDELT objects (the workshop\'s access).');
      // ListBucket makes a missing year answer 404 (a clear "source not found") instead of 403.
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [GDELT_BUCKET_ARN] }));
    }
    for (const fn of [this.profileEventCodes, this.prepareYear]) {
      // Without ListBucket, HeadObject on a missing key answers 403 instead of 404, and a first run could not tell.
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      // No DeleteObject: a dataset's objects are shared by every execution with the same settings, so preparation
      // never removes one; the bucket's lifecycle rule expires old datasets.
      this.allowData(
        fn,
        'ExperimentData',
        ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        [experimentObjects],
        'Reads and writes prepared data and manifests below the experiment prefix only.',
      );
    }
    this.allowData(this.evaluateEndpoint, 'TestData', ['s3:GetObject'], [experimentObjects], 'Reads the prepared test set below the experiment prefix.');
    this.allowData(
      this.writeReport,
      'Reports',
      ['s3:PutObject'],
      [bucket.arnForObjects(`${reportsPrefix(prefix)}/*`)],
      'Writes one report folder per execution below the experiment prefix.',
    );
  }

  private grantSageMaker(): void {
    const passRole = new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.props.sagemakerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
    // Create calls carry tags (AddTags) and check, on a retry, that an existing resource is this execution's (ListTags).
    this.allowSageMaker(this.startTraining, ['sagemaker:CreateTrainingJob', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['training-job']);
    this.startTraining.addToRolePolicy(passRole);
    this.allowSageMaker(this.describeTraining, ['sagemaker:DescribeTrainingJob'], ['training-job']);
    this.allowSageMaker(this.createModel, ['sagemaker:CreateModel', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['model']);
    this.createModel.addToRolePolicy(passRole);
    this.allowSageMaker(this.createEndpointConfig, ['sagemaker:CreateEndpointConfig', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['endpoint-config']);
    this.allowSageMaker(this.createEndpoint, ['sagemaker:CreateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'], ['endpoint', 'endpoint-config']);
    this.allowSageMaker(this.describeEndpoint, ['sagemaker:DescribeEndpoint'], ['endpoint']);
    this.allowSageMaker(this.evaluateEndpoint, ['sagemaker:InvokeEndpoint'], ['endpoint']);
    this.allowSageMaker(this.cleanUpExecution, ['sagemaker:DescribeEndpoint', 'sagemaker:DeleteEndpoint', 'sagemaker:DeleteEndpointConfig', 'sagemaker:DeleteModel'], [
      'endpoint',
      'endpoint-config',
      'model',
    ]);
    this.allowSageMaker(this.cleanUpExecution, ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'], ['training-job']);
  }

  /** Quota reads, and HeadObject on the GDELT objects (never their bytes: that is the data tasks' job). */
  private grantPreflight(): void {
    const fn = this.preflight;
    const sagemakerQuotas = this.stack.formatArn({
      service: 'servicequotas',
      resource: 'sagemaker',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['servicequotas:GetServiceQuota'], resources: [sagemakerQuotas] }));
    acknowledgeWildcardResources(fn, [sagemakerQuotas], 'Reads the applied value of SageMaker quotas only; quota codes are looked up by name at run time.');
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['servicequotas:ListAWSDefaultServiceQuotas'], resources: ['*'] }));
    acknowledgeWildcardResources(fn, ['*'], 'servicequotas:ListAWSDefaultServiceQuotas has no resource types; it lists the AWS default quotas, the same for every account.');
    this.allowData(fn, 'CheckGdelt', ['s3:GetObject'], [`${GDELT_BUCKET_ARN}/*`], 'HeadObject on the public GDELT objects (s3:GetObject authorizes it).');
    // ListBucket makes a missing year answer 404 (named as missing) instead of 403.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [GDELT_BUCKET_ARN] }));
  }

  private allowSageMaker(fn: lambda.IFunction, actions: string[], kinds: SageMakerResourceType[]): void {
    const resources = this.sagemakerArns(kinds);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    acknowledgeWildcardResources(fn, resources, 'SageMaker names are derived per execution; every one starts with linear- (lambda/core/experiment/naming.ts).');
  }

  private allowData(fn: lambda.IFunction, sid: string, actions: string[], resources: string[], reason: string): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ sid, actions, resources }));
    acknowledgeWildcardResources(fn, resources, reason);
  }
}
