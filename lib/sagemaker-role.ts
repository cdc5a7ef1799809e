import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GDELT_BUCKET_ARN } from '../lambda/core/data/gdelt-source';
import { acknowledgeWildcardResources } from './nag';

export interface SageMakerRoleProps {
  /** The experiment's data bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the experiment in the bucket; the role reads and writes only below it. */
  readonly prefix: string;
}

/**
 * The role SageMaker assumes for training jobs and models: GDELT read, the experiment's prefix in the data bucket,
 * and the logs and metrics a training job writes. Deliberately not AmazonSageMakerFullAccess.
 */
export class SageMakerRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SageMakerRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'SageMaker execution role of the distributed training experiment (training jobs and models)',
    });

    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ListGdelt', actions: ['s3:ListBucket'], resources: [GDELT_BUCKET_ARN] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadGdelt', actions: ['s3:GetObject'], resources: [`${GDELT_BUCKET_ARN}/*`] }));

    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListExperimentPrefix',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [props.prefix, `${props.prefix}/*`] } },
      }),
    );
    const experimentObjects = props.bucket.arnForObjects(`${props.prefix}/*`);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteExperimentPrefix',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [experimentObjects],
      }),
    );

    const logGroups = ['TrainingJobs', 'Endpoints/*'].map((group) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `/aws/sagemaker/${group}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TrainingAndEndpointLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: logGroups,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TrainingMetrics',
        actions: ['cloudwatch:PutMetricData'],
        // PutMetricData has no resource-level permissions; the namespace condition scopes it instead.
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': ['aws/sagemaker/*', '/aws/sagemaker/*'] } },
      }),
    );

    acknowledgeWildcardResources(this.role, [`${GDELT_BUCKET_ARN}/*`], "The workshop's read access to the public GDELT objects.");
    acknowledgeWildcardResources(
      this.role,
      [experimentObjects],
      'Training reads data and writes model artifacts below the experiment prefix only.',
    );
    acknowledgeWildcardResources(
      this.role,
      logGroups,
      'SageMaker writes one log stream per job instance or endpoint variant in these groups.',
    );
    acknowledgeWildcardResources(
      this.role,
      ['*'],
      'cloudwatch:PutMetricData has no resource-level permissions; a namespace condition scopes it.',
    );
  }
}
