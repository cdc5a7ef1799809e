import { CreateEndpointCommand, CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { completingJob, fakeSageMaker, throttled } from '../helpers/fake-sagemaker';
import { HANDLER_ENV, runWorkflow } from '../helpers/local-workflow';

let sagemaker: AwsClientStub<SageMakerClient>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV));
afterEach(() => sagemaker.restore());

describe('the synthesized workflow, run locally with SageMaker mocked', () => {
  it('trains both variants in parallel and brings both endpoints to InService', async () => {
    // GIVEN both jobs complete and both endpoints come up
    sagemaker = fakeSageMaker({ replicated: completingJob(900, 1.5), sharded: completingJob(300, 1.7) });

    // WHEN the experiment runs with the default settings
    const run = await runWorkflow({});

    // THEN the output lists each variant's job, times, metrics and hosting resources
    expect(run.error).toBeUndefined();
    const variants = run.output!.variants as Array<Record<string, unknown>>;
    expect(variants.map((variant) => [variant.variant, variant.trainDistribution, variant.trainingStatus, variant.endpointStatus])).toEqual([
      ['replicated', 'FullyReplicated', 'Completed', 'InService'],
      ['sharded', 'ShardedByS3Key', 'Completed', 'InService'],
    ]);
    expect(variants[1]).toMatchObject({
      trainingTimeInSeconds: 300,
      billableTimeInSeconds: 360,
      finalMetrics: { 'validation:mse': 1.7 },
      instanceCount: 5,
      instanceType: 'ml.c4.2xlarge',
    });
    for (const variant of variants) {
      expect(variant.jobName).toMatch(new RegExp(`^linear-${variant.variant}-\\d{8}-\\d{6}-[0-9a-f]{8}$`));
      expect([variant.modelName, variant.endpointConfigName, variant.endpointName]).toEqual([variant.jobName, variant.jobName, variant.jobName]);
    }
    expect(sagemaker).toHaveReceivedCommandTimes(CreateTrainingJobCommand, 2);
    expect(sagemaker).toHaveReceivedCommandTimes(CreateEndpointCommand, 2);
  });

  it('fails the execution with SageMaker\'s reason when a training job fails', async () => {
    // GIVEN the sharded job fails
    sagemaker = fakeSageMaker({
      replicated: completingJob(900, 1.5),
      sharded: [{ TrainingJobStatus: 'Failed', FailureReason: 'ClientError: Unable to read data channel train' }],
    });

    // WHEN the experiment runs
    const run = await runWorkflow({});

    // THEN the execution fails through the "Training failed" state, with the job and the reason in the cause
    expect(run.statesEntered).toContain('Training failed');
    expect(run.error?.name).toBe('TrainingJobFailed');
    expect(run.error?.message).toMatch(/Training job linear-sharded-\S+ failed: ClientError: Unable to read data channel train/);
  });

  it('fails the execution when a training job is stopped', async () => {
    // GIVEN someone stops the replicated job in the console
    sagemaker = fakeSageMaker({ replicated: [{ TrainingJobStatus: 'Stopped' }], sharded: completingJob(300, 1.7) });

    // WHEN the experiment runs
    const run = await runWorkflow({});

    // THEN it fails through "Training stopped"
    expect(run.statesEntered).toContain('Training stopped');
    expect(run.error?.name).toBe('TrainingJobStopped');
    expect(run.error?.message).toMatch(/Training job linear-replicated-\S+ was stopped/);
  });

  it('retries a throttled describe and carries on', async () => {
    // GIVEN DescribeTrainingJob is throttled twice for one variant before it answers
    sagemaker = fakeSageMaker({ replicated: [throttled(), throttled(), ...completingJob(900, 1.5)], sharded: completingJob(300, 1.7) });

    // WHEN the experiment runs
    const run = await runWorkflow({});

    // THEN the describe state is retried twice and the execution succeeds
    const retries = run.events.filter((event) => event.type === 'StateRetried' && event.state.name === 'Describe training job');
    expect(retries).toHaveLength(2);
    expect(run.error).toBeUndefined();
    expect((run.output!.variants as unknown[]).length).toBe(2);
  });

  it('rejects invalid execution input at the first state, before anything is created', async () => {
    // GIVEN SageMaker would answer
    sagemaker = fakeSageMaker({});

    // WHEN the execution input has a bad value and an unknown key
    const run = await runWorkflow({ instanceCount: 0, epochs: 4 });

    // THEN the first state fails with both problems named, and no SageMaker call was made
    expect(run.statesEntered).toEqual(['Validate input and plan']);
    expect(run.error?.name).toBe('InvalidSettings');
    expect(run.error?.message).toMatch(/instanceCount: 0 must be an integer from 1 to 100/);
    expect(run.error?.message).toMatch(/epochs: unknown setting/);
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('runs any number of variants, each with its own overrides', async () => {
    // GIVEN a sweep of sharded runs with more epochs
    sagemaker = fakeSageMaker({ 'sharded-e2': completingJob(300, 1.7), 'sharded-e4': completingJob(500, 1.6), 'sharded-e8': completingJob(900, 1.55) });

    // WHEN the execution input lists three variants
    const run = await runWorkflow({
      variants: [2, 4, 8].map((epochs) => ({ name: `sharded-e${epochs}`, trainDistribution: 'ShardedByS3Key', hyperparameters: { epochs } })),
    });

    // THEN three jobs ran, each with its own epochs
    expect(run.error).toBeUndefined();
    const requests = sagemaker.commandCalls(CreateTrainingJobCommand).map((call) => call.args[0].input);
    expect(requests.map((request) => request.HyperParameters?.epochs).sort()).toEqual(['2', '4', '8']);
  });
});
