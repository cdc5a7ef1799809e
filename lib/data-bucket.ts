import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DataBucketProps {
  /**
   * Keep the bucket and its objects when the stack is destroyed.
   * Everything in it can be rebuilt from the public GDELT files by running the workflow again.
   * @default false
   */
  readonly retainData?: boolean;
}

/** The experiment's bucket: prepared data, model artifacts and reports. */
export class DataBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps = {}) {
    super(scope, id);
    const retain = props.retainData ?? false;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Destroying the stack leaves nothing billing: the data is rebuilt from GDELT by the next deploy and run.
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !retain,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds data rebuilt from public GDELT files, model artifacts and reports; access goes through ' +
        'this stack\'s roles only. A second bucket for access logs would outlive the experiment and bill on its own.',
    });
  }
}
