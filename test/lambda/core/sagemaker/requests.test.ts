import { Readable } from 'node:stream';
import {
  dataUri,
  endpointConfigRequest,
  endpointRequest,
  modelRequest,
  trainingJobRequest,
} from '../../../../lambda/core/sagemaker/requests';
import { trainShardKey } from '../../../../lambda/core/common/bucket-layout';
import type { SourceReader } from '../../../../lambda/core/data/data-preparation';
import { identifyDataset } from '../../../../lambda/core/data/dataset';
import { FIXTURE_CODES } from '../../s3-test-helpers';
import { BUCKET, CHANNELS, EXECUTION, IMAGE, ROLE_ARN, STACK_NAME, planFor, WORKSHOP_HYPERPARAMETERS } from '../../variant-fixture';

const DEPLOYMENT = { bucketName: BUCKET, roleArn: ROLE_ARN };
const ARTIFACT = `s3://${BUCKET}/sagemaker/data_distribution_types/linear-sharded-x/output/model.tar.gz`;

const tagsFor = (variantName: string) => [
  { Key: 'experiment:stack', Value: STACK_NAME },
  { Key: 'experiment:execution', Value: EXECUTION.executionArn },
  { Key: 'experiment:variant', Value: variantName },
];

describe('trainingJobRequest', () => {
  it('sends the workshop request for the replicated variant', () => {
    // GIVEN
    const plan = planFor({});
    const replicated = plan.variants[0];
    // WHEN
    const request = trainingJobRequest(replicated, DEPLOYMENT, CHANNELS);
    // THEN
    expect(request).toEqual({
      TrainingJobName: replicated.jobName,
      AlgorithmSpecification: { TrainingImage: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1', TrainingInputMode: 'File' },
      RoleArn: ROLE_ARN,
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: 's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/train/',
              S3DataDistributionType: 'FullyReplicated',
            },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
        {
          ChannelName: 'validation',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: 's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/validation/',
              S3DataDistributionType: 'FullyReplicated',
            },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://experiment-data-bucket/sagemaker/data_distribution_types' },
      ResourceConfig: { InstanceCount: 5, InstanceType: 'ml.c4.2xlarge', VolumeSizeInGB: 10 },
      HyperParameters: WORKSHOP_HYPERPARAMETERS,
      StoppingCondition: { MaxRuntimeInSeconds: 1800 },
      Tags: [
        { Key: 'experiment:stack', Value: 'DistributedTrainingExperiment' },
        { Key: 'experiment:execution', Value: 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1' },
        { Key: 'experiment:variant', Value: 'replicated' },
      ],
    });
  });

  it('sends the workshop request for the sharded variant, which differs only in the train channel distribution', () => {
    // GIVEN
    const plan = planFor({});
    const sharded = plan.variants[1];
    // WHEN
    const request = trainingJobRequest(sharded, DEPLOYMENT, CHANNELS);
    // THEN
    expect(request).toEqual({
      TrainingJobName: sharded.jobName,
      AlgorithmSpecification: { TrainingImage: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1', TrainingInputMode: 'File' },
      RoleArn: ROLE_ARN,
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: 's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/train/',
              S3DataDistributionType: 'ShardedByS3Key',
            },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
        {
          ChannelName: 'validation',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: 's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/validation/',
              S3DataDistributionType: 'FullyReplicated',
            },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://experiment-data-bucket/sagemaker/data_distribution_types' },
      ResourceConfig: { InstanceCount: 5, InstanceType: 'ml.c4.2xlarge', VolumeSizeInGB: 10 },
      HyperParameters: WORKSHOP_HYPERPARAMETERS,
      StoppingCondition: { MaxRuntimeInSeconds: 1800 },
      Tags: [
        { Key: 'experiment:stack', Value: 'DistributedTrainingExperiment' },
        { Key: 'experiment:execution', Value: 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1' },
        { Key: 'experiment:variant', Value: 'sharded' },
      ],
    });
  });

  it('gives no ContentType on any channel, so Linear Learner reads RecordIO-protobuf', () => {
    // GIVEN
    const plan = planFor({});
    // WHEN
    const request = trainingJobRequest(plan.variants[1], DEPLOYMENT, CHANNELS);
    // THEN
    for (const channel of request.InputDataConfig ?? []) expect(channel).not.toHaveProperty('ContentType');
  });

  it('gives a variant its own resources and hyperparameters over the experiment ones', () => {
    // GIVEN
    const plan = planFor({
      volumeSizeInGB: 30,
      maxRuntimeInSeconds: 3600,
      variants: [
        {
          name: 'more-epochs',
          trainDistribution: 'ShardedByS3Key',
          instanceCount: 4,
          instanceType: 'ml.c5.2xlarge',
          hyperparameters: { epochs: 6 },
        },
      ],
    });
    // WHEN
    const request = trainingJobRequest(plan.variants[0], DEPLOYMENT, CHANNELS);
    // THEN
    expect(request.ResourceConfig).toEqual({ InstanceCount: 4, InstanceType: 'ml.c5.2xlarge', VolumeSizeInGB: 30 });
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(request.HyperParameters).toMatchObject({ epochs: '6', mini_batch_size: '500' });
    expect(request.Tags).toEqual(tagsFor('more-epochs'));
  });
});

const TRAIN_PREFIX = 's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/';

/** A channel as every request sends it: an S3 prefix of RecordIO-protobuf objects, no wrapping, no compression. */
const channelOf = (name: 'train' | 'validation', distribution: string) => ({
  ChannelName: name,
  DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${TRAIN_PREFIX}${name}/`, S3DataDistributionType: distribution } },
  CompressionType: 'None',
  RecordWrapperType: 'None',
});

/** The workshop's request for one job over the fixture's channels: each test below changes one part of it. */
const workshopRequest = (jobName: string, variantName: string, trainDistribution: string) => ({
  TrainingJobName: jobName,
  AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
  RoleArn: ROLE_ARN,
  InputDataConfig: [channelOf('train', trainDistribution), channelOf('validation', 'FullyReplicated')],
  OutputDataConfig: { S3OutputPath: 's3://experiment-data-bucket/sagemaker/data_distribution_types' },
  ResourceConfig: { InstanceCount: 5, InstanceType: 'ml.c4.2xlarge', VolumeSizeInGB: 10 },
  HyperParameters: WORKSHOP_HYPERPARAMETERS,
  StoppingCondition: { MaxRuntimeInSeconds: 1800 },
  Tags: tagsFor(variantName),
});

describe('trainingJobRequest for input mode and spot', () => {
  it('streams the channels of a Pipe variant and changes nothing else', () => {
    // GIVEN
    const plan = planFor({ variants: [{ name: 'piped', trainDistribution: 'ShardedByS3Key', inputMode: 'Pipe' }] });
    const piped = plan.variants[0];
    // WHEN
    const request = trainingJobRequest(piped, DEPLOYMENT, CHANNELS);
    // THEN
    expect(request).toEqual({
      ...workshopRequest(piped.jobName, 'piped', 'ShardedByS3Key'),
      AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'Pipe' },
    });
  });

  it('runs a spot variant as managed spot training with a wait bound and its own checkpoint folder', () => {
    // GIVEN
    const plan = planFor({
      maxRuntimeInSeconds: 1800,
      maxWaitInSeconds: 5400,
      variants: [{ name: 'cheap', trainDistribution: 'FullyReplicated', spot: true }],
    });
    const spot = plan.variants[0];
    // WHEN
    const request = trainingJobRequest(spot, DEPLOYMENT, CHANNELS);
    // THEN
    expect(request).toEqual({
      ...workshopRequest(spot.jobName, 'cheap', 'FullyReplicated'),
      StoppingCondition: { MaxRuntimeInSeconds: 1800, MaxWaitTimeInSeconds: 5400 },
      EnableManagedSpotTraining: true,
      CheckpointConfig: { S3Uri: `s3://experiment-data-bucket/sagemaker/data_distribution_types/checkpoints/${spot.jobName}/` },
    });
  });

  it('sends a spot request within the documented constraints of StoppingCondition and CheckpointConfig', () => {
    // GIVEN the defaults: maxRuntimeInSeconds 1800, maxWaitInSeconds 3600
    const plan = planFor({ spot: true });
    // WHEN
    const request = trainingJobRequest(plan.variants[1], DEPLOYMENT, CHANNELS);
    // THEN MaxWaitTimeInSeconds >= MaxRuntimeInSeconds; S3Uri matches (https|s3)://([^/]+)/?(.*), at most 1024 characters
    const { MaxRuntimeInSeconds, MaxWaitTimeInSeconds } = request.StoppingCondition!;
    expect(MaxWaitTimeInSeconds).toBeGreaterThanOrEqual(MaxRuntimeInSeconds!);
    expect(request.CheckpointConfig!.S3Uri).toMatch(/^(https|s3):\/\/([^/]+)\/?(.*)$/);
    expect(request.CheckpointConfig!.S3Uri!.length).toBeLessThanOrEqual(1024);
  });

  it('gives every spot variant its own checkpoint folder, so no job resumes from another', () => {
    // GIVEN
    const plan = planFor({ spot: true });
    // WHEN
    const uris = plan.variants.map((variant) => trainingJobRequest(variant, DEPLOYMENT, CHANNELS).CheckpointConfig!.S3Uri);
    // THEN
    expect(new Set(uris).size).toBe(plan.variants.length);
  });

  it('sends no spot fields for an on-demand variant', () => {
    // GIVEN
    const plan = planFor({ maxWaitInSeconds: 7200 });
    // WHEN
    const request = trainingJobRequest(plan.variants[0], DEPLOYMENT, CHANNELS);
    // THEN
    expect(request).not.toHaveProperty('EnableManagedSpotTraining');
    expect(request).not.toHaveProperty('CheckpointConfig');
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 1800 });
  });
});

describe('trainingJobRequest over trainShards', () => {
  /** The dataset "Identify dataset" names for a plan, with every GDELT object at one ETag. */
  async function identifiedChannels(plan: ReturnType<typeof planFor>) {
    const sources: SourceReader = {
      identify: async (source) => ({ ...source, eTag: '"etag"' }),
      open: async () => Readable.from([]),
      describe: (source) => source.key,
    };
    return identifyDataset(sources, { ...plan.data.dataset, profile: { year: 1979, codes: FIXTURE_CODES, sourceETag: '"etag"' } });
  }

  it('sends a 10-instance ShardedByS3Key variant over trainShards 10 to the shard prefix, and nothing else changes', async () => {
    // GIVEN a plan of 10 shards and a 10-instance sharded variant, and the dataset identified from it
    const plan = planFor({ trainShards: 10, variants: [{ name: 'sharded10', trainDistribution: 'ShardedByS3Key', instanceCount: 10 }] });
    const sharded = plan.variants[0];
    const dataset = await identifiedChannels(plan);
    // WHEN
    const request = trainingJobRequest(sharded, DEPLOYMENT, dataset.channels);
    // THEN the train channel is the prefix that holds exactly the 10 shards, split across the 10 instances
    const datasetUri = `s3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/${dataset.id}`;
    expect(request).toEqual({
      ...workshopRequest(sharded.jobName, 'sharded10', 'ShardedByS3Key'),
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: {
            S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${datasetUri}/train-shards-10/`, S3DataDistributionType: 'ShardedByS3Key' },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
        {
          ChannelName: 'validation',
          DataSource: {
            S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${datasetUri}/validation/`, S3DataDistributionType: 'FullyReplicated' },
          },
          CompressionType: 'None',
          RecordWrapperType: 'None',
        },
      ],
      ResourceConfig: { InstanceCount: 10, InstanceType: 'ml.c4.2xlarge', VolumeSizeInGB: 10 },
    });
    // AND the lay-out task writes those 10 shards below exactly that prefix
    expect(dataset.trainLayout).toEqual({
      dataPrefix: `sagemaker/data_distribution_types/datasets/${dataset.id}`,
      trainingYears: [1979, 1980, 1981, 1982, 1983],
      trainShards: 10,
      retentionDays: 30,
    });
    expect(trainShardKey(dataset.trainLayout.dataPrefix, 10, 9)).toBe(`${dataset.prefix}/train-shards-10/part-00009.data`);
  });

  it('keeps the per-year train prefix, and the same dataset id, with trainShards "year"', async () => {
    // GIVEN the same settings with and without shards
    const perYear = await identifiedChannels(planFor({}));
    const sharded = await identifiedChannels(planFor({ trainShards: 10 }));
    // THEN both share the per-year objects; only the train channel differs
    expect(sharded.id).toBe(perYear.id);
    expect(perYear.channels.train).toBe(`${perYear.prefix}/train/`);
    expect(sharded.channels.validation).toBe(perYear.channels.validation);
  });
});

describe('modelRequest', () => {
  it('creates the model from the job artifact, the same image and the SageMaker role', () => {
    // GIVEN
    const plan = planFor({});
    const sharded = plan.variants[1];
    // WHEN
    const request = modelRequest(sharded, DEPLOYMENT, ARTIFACT);
    // THEN
    expect(request).toEqual({
      ModelName: sharded.modelName,
      ExecutionRoleArn: ROLE_ARN,
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: ARTIFACT },
      Tags: tagsFor('sharded'),
    });
  });
});

describe('endpointConfigRequest', () => {
  it('hosts the model on one ml.m4.xlarge with weight 1', () => {
    // GIVEN
    const plan = planFor({});
    const sharded = plan.variants[1];
    // WHEN
    const request = endpointConfigRequest(sharded);
    // THEN
    expect(request).toEqual({
      EndpointConfigName: sharded.endpointConfigName,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: sharded.modelName,
          InitialInstanceCount: 1,
          InstanceType: 'ml.m4.xlarge',
          InitialVariantWeight: 1,
        },
      ],
      Tags: tagsFor('sharded'),
    });
  });

  it('takes the endpoint instance type and count from the settings', () => {
    // GIVEN
    const plan = planFor({ endpointInstanceType: 'ml.m5.xlarge', endpointInstanceCount: 2 });
    // WHEN
    const request = endpointConfigRequest(plan.variants[0]);
    // THEN
    expect(request.ProductionVariants?.[0]).toMatchObject({ InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2 });
  });
});

describe('endpointRequest', () => {
  it('creates the endpoint from the variant endpoint config', () => {
    // GIVEN
    const replicated = planFor({}).variants[0];
    // WHEN
    const request = endpointRequest(replicated);
    // THEN
    expect(request).toEqual({
      EndpointName: replicated.endpointName,
      EndpointConfigName: replicated.endpointConfigName,
      Tags: tagsFor('replicated'),
    });
  });
});

describe('dataUri', () => {
  it('points at a key of the data bucket', () => {
    // GIVEN / WHEN / THEN
    expect(dataUri(DEPLOYMENT, CHANNELS.train)).toBe(
      's3://experiment-data-bucket/sagemaker/data_distribution_types/datasets/0123456789abcdef/train/',
    );
  });
});
