import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { fakeSageMaker } from '../helpers/fake-sagemaker';
import { HANDLER_ENV, runWorkflow } from '../helpers/local-workflow';

let sagemaker: AwsClientStub<SageMakerClient>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  s3 = fakeGdeltS3();
  sagemaker = fakeSageMaker({});
  runtime = fakeEndpoints(() => 0);
});
afterEach(() => {
  sagemaker.restore();
  runtime.restore();
  s3.s3.restore();
});

/**
 * Training jobs that run from CreateTrainingJob until their second describe, as a real job does over a few polls;
 * returns the most jobs that were ever running at the same time.
 */
function givenJobsThatTrackConcurrency(): () => number {
  const describes = new Map<string, number>();
  const running = new Set<string>();
  let most = 0;
  sagemaker.on(CreateTrainingJobCommand).callsFake(async (input: { TrainingJobName: string }) => {
    running.add(input.TrainingJobName);
    most = Math.max(most, running.size);
    return { TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${input.TrainingJobName}` };
  });
  sagemaker.on(DescribeTrainingJobCommand).callsFake(async (input: { TrainingJobName: string }) => {
    const call = (describes.get(input.TrainingJobName) ?? 0) + 1;
    describes.set(input.TrainingJobName, call);
    if (call < 2) return { TrainingJobName: input.TrainingJobName, TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' };
    running.delete(input.TrainingJobName);
    return {
      TrainingJobName: input.TrainingJobName,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      TrainingTimeInSeconds: 300,
      BillableTimeInSeconds: 360,
      FinalMetricDataList: [],
      ModelArtifacts: { S3ModelArtifacts: `s3://bucket/sagemaker/data_distribution_types/${input.TrainingJobName}/output/model.tar.gz` },
    };
  });
  return () => most;
}

describe('a sweep', () => {
  it('runs all 8 variants of a 2 × 2 × 2 grid, never more than maxParallelVariants training at once', async () => {
    // GIVEN training jobs that report how many ran at once
    const mostAtOnce = givenJobsThatTrackConcurrency();

    // WHEN a grid of distributions, instance counts and epochs runs with at most 2 variants at a time
    const run = await runWorkflow({
      variants: [],
      sweep: { trainDistribution: ['FullyReplicated', 'ShardedByS3Key'], instanceCount: [2, 5], 'hyperparameters.epochs': [2, 4] },
      maxParallelVariants: 2,
    });

    // THEN every variant trained and was evaluated, and no more than 2 trained at once
    expect(run.error).toBeUndefined();
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(8);
    expect((run.output!.variants as unknown[]).length).toBe(8);
    expect(mostAtOnce()).toBe(2);
  });
});
