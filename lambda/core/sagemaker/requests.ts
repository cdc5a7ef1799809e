/**
 * Every request the workflow sends to SageMaker, built in one place from the plan.
 * Pure functions: the handlers add nothing but the call.
 */
import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  CreateTrainingJobCommandInput,
  Channel,
  ProductionVariantInstanceType,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import type { DatasetLocation } from '../data/dataset';
import type { VariantPlan } from '../experiment/plan';
import { checkpointPrefix, modelOutputPrefix } from '../common/bucket-layout';

/** What the deployment gives every handler through its environment. */
export interface Deployment {
  readonly bucketName: string;
  readonly roleArn: string;
}

/** A key or key prefix in the data bucket as an s3:// URI. */
export const dataUri = (deployment: Deployment, key: string): string => `s3://${deployment.bucketName}/${key}`;

function channel(name: string, uri: string, distribution: 'FullyReplicated' | 'ShardedByS3Key'): Channel {
  return {
    ChannelName: name,
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: distribution } },
    // No ContentType: Linear Learner then reads RecordIO-protobuf, which the data preparation writes.
    // The objects are RecordIO already, so Pipe mode needs no wrapping either (RecordWrapperType None).
    CompressionType: 'None',
    RecordWrapperType: 'None',
  };
}

/** Managed spot training: a wait bound that covers interruptions, and checkpoints an interrupted job resumes from. */
function spotFields(
  variant: VariantPlan,
  deployment: Deployment,
): Pick<CreateTrainingJobCommandInput, 'EnableManagedSpotTraining' | 'CheckpointConfig'> {
  if (!variant.spot) return {};
  return {
    EnableManagedSpotTraining: true,
    CheckpointConfig: { S3Uri: dataUri(deployment, checkpointPrefix(variant.s3Prefix, variant.jobName)) },
  };
}

/**
 * The channels are the dataset's prefixes: SageMaker reads every object below them, and they hold exactly its years
 * (or, with trainShards, exactly its shards).
 */
export function trainingJobRequest(
  variant: VariantPlan,
  deployment: Deployment,
  channels: DatasetLocation['channels'],
): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: variant.jobName,
    AlgorithmSpecification: { TrainingImage: variant.imageUri, TrainingInputMode: variant.inputMode },
    RoleArn: deployment.roleArn,
    InputDataConfig: [
      channel('train', dataUri(deployment, channels.train), variant.trainDistribution),
      channel('validation', dataUri(deployment, channels.validation), 'FullyReplicated'),
    ],
    OutputDataConfig: { S3OutputPath: dataUri(deployment, modelOutputPrefix(variant.s3Prefix)) },
    ResourceConfig: {
      InstanceCount: variant.instanceCount,
      InstanceType: variant.instanceType as TrainingInstanceType,
      VolumeSizeInGB: variant.volumeSizeInGB,
    },
    HyperParameters: { ...variant.hyperparameters },
    StoppingCondition: {
      MaxRuntimeInSeconds: variant.maxRuntimeInSeconds,
      ...(variant.spot && { MaxWaitTimeInSeconds: variant.maxWaitInSeconds }),
    },
    ...spotFields(variant, deployment),
    Tags: [...variant.tags],
  };
}

export function modelRequest(variant: VariantPlan, deployment: Deployment, modelArtifact: string): CreateModelCommandInput {
  return {
    ModelName: variant.modelName,
    ExecutionRoleArn: deployment.roleArn,
    PrimaryContainer: { Image: variant.imageUri, ModelDataUrl: modelArtifact },
    Tags: [...variant.tags],
  };
}

export function endpointConfigRequest(variant: VariantPlan): CreateEndpointConfigCommandInput {
  return {
    EndpointConfigName: variant.endpointConfigName,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        ModelName: variant.modelName,
        InitialInstanceCount: variant.endpointInstanceCount,
        InstanceType: variant.endpointInstanceType as ProductionVariantInstanceType,
        InitialVariantWeight: 1,
      },
    ],
    Tags: [...variant.tags],
  };
}

export function endpointRequest(variant: VariantPlan): CreateEndpointCommandInput {
  return { EndpointName: variant.endpointName, EndpointConfigName: variant.endpointConfigName, Tags: [...variant.tags] };
}
