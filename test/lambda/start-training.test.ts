import { CreateTrainingJobCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/start-training';
import { resourceLimitExceeded, trainingJobArn, trainingJobExists } from './sagemaker-errors';
import { BUCKET, EXECUTION, ROLE_ARN, STACK_NAME, variantState, WORKSHOP_HYPERPARAMETERS } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);
const savedEnv = process.env;

beforeEach(() => {
  sagemakerMock.reset();
  process.env = { ...savedEnv, DATA_BUCKET: BUCKET, SAGEMAKER_ROLE_ARN: ROLE_ARN, STACK_NAME };
});

afterAll(() => {
  process.env = savedEnv;
});

describe('start-training handler', () => {
  it('starts the training job with the bucket and role of the deployment', async () => {
    // GIVEN
    sagemakerMock.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const state = variantState('sharded');
    // WHEN
    await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandTimes(CreateTrainingJobCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandWith(CreateTrainingJobCommand, {
      TrainingJobName: state.variant.jobName,
      RoleArn: 'arn:aws:iam::123456789012:role/experiment-sagemaker-role',
      AlgorithmSpecification: { TrainingImage: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1', TrainingInputMode: 'File' },
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
        { Key: 'experiment:stack', Value: STACK_NAME },
        { Key: 'experiment:execution', Value: EXECUTION.executionArn },
        { Key: 'experiment:variant', Value: 'sharded' },
      ],
    });
  });

  it('returns the state of a job that has just started', async () => {
    // GIVEN
    sagemakerMock.on(CreateTrainingJobCommand).resolves({});
    // WHEN
    const training = await handler(variantState('replicated'));
    // THEN
    expect(training).toEqual({ status: 'InProgress', polls: 0, finalMetrics: {}, interruptions: 0, next: 'wait' });
  });

  it('continues when a retry finds the job this execution already started', async () => {
    // GIVEN
    const state = variantState('sharded');
    sagemakerMock.on(CreateTrainingJobCommand).rejects(trainingJobExists(state.variant.jobName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: EXECUTION.executionArn }] });
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training).toEqual({ status: 'InProgress', polls: 0, finalMetrics: {}, interruptions: 0, next: 'wait' });
    expect(sagemakerMock).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: trainingJobArn(state.variant.jobName) });
  });

  it('fails with NameTaken when another execution owns a job of the same name', async () => {
    // GIVEN
    const state = variantState('sharded');
    sagemakerMock.on(CreateTrainingJobCommand).rejects(trainingJobExists(state.variant.jobName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: `${EXECUTION.executionArn}-other` }] });
    // WHEN / THEN
    await expect(handler(state)).rejects.toMatchObject({
      name: 'NameTaken',
      message: expect.stringMatching(/training-job\/linear-sharded-.* already exists and was not created by this execution/),
    });
  });

  it('explains a training quota that is too small', async () => {
    // GIVEN
    sagemakerMock
      .on(CreateTrainingJobCommand)
      .rejects(
        resourceLimitExceeded(
          "The account-level service limit 'ml.c4.2xlarge for training job usage' is 5 Instances, with current utilization of 5 Instances and a request delta of 5 Instances.",
        ),
      );
    // WHEN / THEN
    await expect(handler(variantState('sharded'))).rejects.toThrow(
      /SageMaker refused 5 x ml.c4.2xlarge for training job usage: .*Raise the Service Quotas value "ml.c4.2xlarge for training job usage".*lower instanceCount \(variant "sharded"\)/,
    );
  });

  it('fails clearly without the bucket in its environment, before calling SageMaker', async () => {
    // GIVEN
    delete process.env.DATA_BUCKET;
    // WHEN / THEN
    await expect(handler(variantState('sharded'))).rejects.toThrow(/Environment variable DATA_BUCKET is not set/);
    expect(sagemakerMock.calls()).toHaveLength(0);
  });
});
