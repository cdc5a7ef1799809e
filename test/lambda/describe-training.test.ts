import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/describe-training';
import { variantState } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);
const ARTIFACT = 's3://experiment-data-bucket/sagemaker/data_distribution_types/job/output/model.tar.gz';

beforeEach(() => {
  sagemakerMock.reset();
});

describe('describe-training handler', () => {
  it('describes the variant training job', async () => {
    // GIVEN
    const state = variantState('sharded');
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    // WHEN
    await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DescribeTrainingJobCommand, { TrainingJobName: state.variant.jobName });
  });

  it('counts the first check as poll 1', async () => {
    // GIVEN
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Starting' });
    // WHEN
    const training = await handler(variantState('sharded'));
    // THEN
    expect(training).toEqual({
      status: 'InProgress',
      secondaryStatus: 'Starting',
      polls: 1,
      finalMetrics: {},
      interruptions: 0,
      next: 'wait',
    });
  });

  it('returns the times, metrics and artifact of a completed job', async () => {
    // GIVEN
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      TrainingTimeInSeconds: 300,
      BillableTimeInSeconds: 290,
      FinalMetricDataList: [{ MetricName: 'validation:objective_loss', Value: 1.75 }],
      ModelArtifacts: { S3ModelArtifacts: ARTIFACT },
    });
    const state = variantState('sharded', {
      training: { status: 'InProgress', polls: 4, finalMetrics: {}, interruptions: 0, next: 'wait' },
    });
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training).toEqual({
      status: 'Completed',
      secondaryStatus: 'Completed',
      polls: 5,
      next: 'continue',
      trainingTimeInSeconds: 300,
      billableTimeInSeconds: 290,
      finalMetrics: { 'validation:objective_loss': 1.75 },
      interruptions: 0,
      modelArtifact: ARTIFACT,
    });
  });

  it('fails with TrainingJobFailed and the failure reason as the cause', async () => {
    // GIVEN
    sagemakerMock
      .on(DescribeTrainingJobCommand)
      .resolves({ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: feature_dim mismatch' });
    const state = variantState('replicated');
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training).toMatchObject({
      next: 'fail',
      error: 'TrainingJobFailed',
      cause: `Training job ${state.variant.jobName} failed: AlgorithmError: feature_dim mismatch`,
    });
  });

  it('fails with TrainingJobStopped, saying a stopped job was stopped', async () => {
    // GIVEN
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'Stopped' });
    const state = variantState('replicated');
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training).toMatchObject({
      status: 'Stopped',
      next: 'fail',
      error: 'TrainingJobStopped',
      cause: `Training job ${state.variant.jobName} was stopped before it completed`,
    });
  });

  it('fails with TrainingTimedOut when the job is still running at the poll bound', async () => {
    // GIVEN the plan allows (1800 + 7200) / 60 = 150 checks; this is the 150th
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    const state = variantState('sharded', {
      training: { status: 'InProgress', polls: 149, finalMetrics: {}, interruptions: 0, next: 'wait' },
    });
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training.polls).toBe(150);
    expect(training).toMatchObject({ next: 'fail', error: 'TrainingTimedOut' });
    expect(training.cause).toMatch(/is still InProgress after 150 checks; stopped waiting/);
  });

  it('keeps waiting without a cause one check before the bound', async () => {
    // GIVEN
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    const state = variantState('sharded', {
      training: { status: 'InProgress', polls: 148, finalMetrics: {}, interruptions: 0, next: 'wait' },
    });
    // WHEN
    const training = await handler(state);
    // THEN
    expect(training.next).toBe('wait');
    expect(training).not.toHaveProperty('cause');
  });
});
