import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GDELT_BUCKET_ARN } from '../lambda/core/data/gdelt-source';
import { reportsPrefix } from '../lambda/core/common/bucket-layout';
import { acknowledgeWildcardResources } from './nag';
import { sagemakerArns, SageMakerResourceType } from './sagemaker-arns';

/** What the grants of every task function are scoped to. */
export interface TaskGrantScope {
  readonly bucket: s3.IBucket;
  /** The SageMaker execution role that training jobs and models run as. */
  readonly sagemakerRole: iam.IRole;
  /** Key prefix of the experiment in the bucket. */
  readonly prefix: string;
}

/**
 * The permissions a task function may be given, one method each, so a task's declaration reads as the list of what
 * it may do. Each adds least-privilege statements to the function's role and acknowledges its wildcards by id.
 */
export class TaskGrants {
  constructor(
    private readonly fn: lambda.IFunction,
    private readonly scope: TaskGrantScope,
  ) {}

  /** GetObject on the public GDELT objects, the workshop's access. */
  readGdelt(): this {
    this.allowData('ReadGdelt', ['s3:GetObject'], [`${GDELT_BUCKET_ARN}/*`], "Reads the public GDELT objects (the workshop's access).");
    // ListBucket makes a missing year answer 404 (a clear "source not found") instead of 403.
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [GDELT_BUCKET_ARN] }));
    return this;
  }

  /** HeadObject on the GDELT objects, never their bytes (that is the data tasks' job). */
  checkGdelt(): this {
    this.allowData(
      'CheckGdelt',
      ['s3:GetObject'],
      [`${GDELT_BUCKET_ARN}/*`],
      'HeadObject on the public GDELT objects (s3:GetObject authorizes it).',
    );
    // ListBucket makes a missing year answer 404 (named as missing) instead of 403.
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [GDELT_BUCKET_ARN] }));
    return this;
  }

  /** Prepared data, profiles and manifests: read and write, never delete. */
  readWriteData(): this {
    const { bucket } = this.scope;
    // Without ListBucket, HeadObject on a missing key answers 403 instead of 404, and a first run could not tell.
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    // No DeleteObject: a dataset's objects are shared by every execution with the same settings, so preparation
    // never removes one; the bucket's lifecycle rule expires old datasets.
    this.allowData(
      'ExperimentData',
      ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      [this.experimentObjects()],
      'Reads and writes prepared data and manifests below the experiment prefix only.',
    );
    return this;
  }

  readTestData(): this {
    this.allowData('TestData', ['s3:GetObject'], [this.experimentObjects()], 'Reads the prepared test set below the experiment prefix.');
    return this;
  }

  writeReports(): this {
    const { bucket, prefix } = this.scope;
    this.allowData(
      'Reports',
      ['s3:PutObject'],
      [bucket.arnForObjects(`${reportsPrefix(prefix)}/*`)],
      'Writes one report folder per execution below the experiment prefix.',
    );
    return this;
  }

  /** SageMaker actions on the experiment's resources of these types only (names starting with linear-). */
  sagemaker(actions: string[], types: SageMakerResourceType[]): this {
    const resources = sagemakerArns(this.fn, types);
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    acknowledgeWildcardResources(
      this.fn,
      resources,
      'SageMaker names are derived per execution; every one starts with linear- (lambda/core/experiment/naming.ts).',
    );
    return this;
  }

  /** Lets the function hand the SageMaker execution role to SageMaker, and to nothing else. */
  passSageMakerRole(): this {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.scope.sagemakerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    return this;
  }

  /** The applied value of SageMaker quotas, and the AWS default quota list. */
  readSageMakerQuotas(): this {
    const sagemakerQuotas = Stack.of(this.fn).formatArn({
      service: 'servicequotas',
      resource: 'sagemaker',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['servicequotas:GetServiceQuota'], resources: [sagemakerQuotas] }));
    acknowledgeWildcardResources(
      this.fn,
      [sagemakerQuotas],
      'Reads the applied value of SageMaker quotas only; quota codes are looked up by name at run time.',
    );
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['servicequotas:ListAWSDefaultServiceQuotas'], resources: ['*'] }));
    acknowledgeWildcardResources(
      this.fn,
      ['*'],
      'servicequotas:ListAWSDefaultServiceQuotas has no resource types; it lists the AWS default quotas, the same for every account.',
    );
    return this;
  }

  private experimentObjects(): string {
    return this.scope.bucket.arnForObjects(`${this.scope.prefix}/*`);
  }

  private allowData(sid: string, actions: string[], resources: string[], reason: string): void {
    this.fn.addToRolePolicy(new iam.PolicyStatement({ sid, actions, resources }));
    acknowledgeWildcardResources(this.fn, resources, reason);
  }
}
