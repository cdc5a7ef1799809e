import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MAX_TRAINING_JOB_SECONDS } from '../lambda/core/experiment/settings';

/**
 * A checkpoint is only read by the job that wrote it, to resume after a spot interruption, and a spot job ends at
 * the latest MaxWaitTimeInSeconds after it was created: at most MAX_TRAINING_JOB_SECONDS (28 days), so no checkpoint
 * a live job may still resume from is older than that. One more day is a margin (S3 also rounds expiry up to the
 * next midnight UTC).
 */
export const CHECKPOINT_RETENTION_DAYS = Math.ceil(MAX_TRAINING_JOB_SECONDS / (24 * 3600)) + 1;

export interface DataBucketProps {
  /**
   * Keep the bucket and its objects when the stack is destroyed.
   * Everything in it can be rebuilt from the public GDELT files by running the workflow again.
   * @default false
   */
  readonly retainData?: boolean;
  /** Key prefix of the prepared datasets; objects below it expire after `datasetRetentionDays`. */
  readonly datasetsPrefix: string;
  /** Days after an object below `datasetsPrefix` was last written when S3 deletes it. */
  readonly datasetRetentionDays: number;
  /** Key prefix of the spot training jobs' checkpoints; objects below it expire after CHECKPOINT_RETENTION_DAYS. */
  readonly checkpointsPrefix: string;
}

/** The experiment's bucket: prepared data, model artifacts and reports. */
export class DataBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const retain = props.retainData ?? false;
    if (!Number.isInteger(props.datasetRetentionDays) || props.datasetRetentionDays < 1) {
      throw new Error(`datasetRetentionDays: ${props.datasetRetentionDays} must be a whole number of days, at least 1`);
    }
    for (const [name, prefix] of Object.entries({ datasetsPrefix: props.datasetsPrefix, checkpointsPrefix: props.checkpointsPrefix })) {
      if (!prefix.endsWith('/')) throw new Error(`${name}: "${prefix}" must end with "/"`);
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Every distinct setting makes a new dataset; unused ones go by themselves. A dataset still in use is
        // rewritten by its next run before it expires (lambda/core/data/data-preparation.ts), which restarts the count.
        { id: 'expire-prepared-datasets', prefix: props.datasetsPrefix, expiration: Duration.days(props.datasetRetentionDays) },
        { id: 'expire-spot-checkpoints', prefix: props.checkpointsPrefix, expiration: Duration.days(CHECKPOINT_RETENTION_DAYS) },
      ],
      // Destroying the stack leaves nothing billing: the data is rebuilt from GDELT by the next deploy and run.
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !retain,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds data rebuilt from public GDELT files, model artifacts and reports; access goes through ' +
        "this stack's roles only. A second bucket for access logs would outlive the experiment and bill on its own.",
    });
  }
}
