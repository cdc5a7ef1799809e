import {
  CreateEndpointCommand,
  CreateTrainingJobCommand,
  DeleteEndpointCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { EndpointScript, TrainingScript, completingJob, fakeSageMaker, throttled, variantOf } from '../helpers/fake-sagemaker';
import { HANDLER_ENV, runWorkflow, WorkflowRun } from '../helpers/local-workflow';

const PREFIX = 'sagemaker/data_distribution_types';
const DATA = `s3://${HANDLER_ENV.DATA_BUCKET}/${PREFIX}`;
/** Each variant's endpoint predicts a constant, so its test MSE is the mean squared distance of the labels to it. */
const PREDICTION: Record<string, number> = { replicated: -1, sharded: 2 };

let sagemaker: AwsClientStub<SageMakerClient>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;

/** The public GDELT files the workflow reads: every year serves the fixture's real rows. */
function givenGdelt(): void {
  s3 = fakeGdeltS3();
}

function givenSageMaker(training: Record<string, TrainingScript>, endpoints: Record<string, EndpointScript> = {}): void {
  sagemaker = fakeSageMaker(training, endpoints);
  runtime = fakeEndpoints((endpoint) => PREDICTION[variantOf(endpoint)] ?? 0);
}

const defaultJobs = (): Record<string, TrainingScript> => ({ replicated: completingJob(900, 1.5), sharded: completingJob(300, 1.7) });

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => givenGdelt());
afterEach(() => {
  sagemaker?.restore();
  runtime?.restore();
  s3.s3.restore();
});

/** Where a run's prepared dataset is, as s3://bucket/key. */
const datasetOf = (run: WorkflowRun): string => `s3://${HANDLER_ENV.DATA_BUCKET}/${run.output!.dataset as string}`;

/** Labels of the prepared test CSV, read back independently of the code that wrote it. */
function testLabels(dataset: string): number[] {
  const csv = s3.objects.get(`${dataset}/test/1984.csv`)!.toString('utf8');
  return csv
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split(',')[0]));
}

describe('the whole experiment, run locally from the synthesized definition', () => {
  it('prepares the data, trains and hosts both variants, evaluates them, deletes the endpoints and writes the report', async () => {
    // GIVEN GDELT files, two jobs that complete and endpoints that answer
    givenSageMaker(defaultJobs());

    // WHEN the experiment runs with the default settings
    const run = await runWorkflow({});

    // THEN it succeeds and every stage left its mark
    expect(run.error).toBeUndefined();
    const output = run.output!;
    const dataset = datasetOf(run);
    expect(dataset).toMatch(new RegExp(`^${DATA}/datasets/[0-9a-f]{16}$`));
    for (const year of [1979, 1980, 1981, 1982, 1983]) {
      expect(s3.objects.has(`${dataset}/train/${year}.data`)).toBe(true);
      expect(s3.objects.has(`${dataset}/validation/${year}.data`)).toBe(true);
    }
    expect(s3.objects.has(`${dataset}/test/1984.data`)).toBe(true);
    expect(sagemaker).toHaveReceivedCommandTimes(CreateTrainingJobCommand, 2);
    expect(sagemaker).toHaveReceivedCommandTimes(CreateEndpointCommand, 2);

    // AND each variant's evaluation is the MSE of its constant prediction over every test row
    const labels = testLabels(dataset);
    const variants = output.variants as Array<{
      name: string;
      endpointName: string;
      evaluation: { rowsScored: number; mse: number; mae: number };
    }>;
    expect(variants.map((variant) => variant.name)).toEqual(['replicated', 'sharded']);
    for (const variant of variants) {
      const prediction = PREDICTION[variant.name];
      const expectedMse = labels.reduce((sum, label) => sum + (label - prediction) ** 2, 0) / labels.length;
      const expectedMae = labels.reduce((sum, label) => sum + Math.abs(label - prediction), 0) / labels.length;
      expect(variant.evaluation.rowsScored).toBe(labels.length);
      expect(variant.evaluation.mse).toBeCloseTo(expectedMse, 6);
      expect(variant.evaluation.mae).toBeCloseTo(expectedMae, 6);
    }

    // AND both endpoints were deleted, and the report says when
    expect(
      sagemaker
        .commandCalls(DeleteEndpointCommand)
        .map((call) => call.args[0].input.EndpointName)
        .sort(),
    ).toEqual(variants.map((variant) => variant.endpointName).sort());
    const report = JSON.parse(s3.objects.get(`${DATA}/reports/run-1/report.json`)!.toString('utf8'));
    expect(report.variants.map((variant: { hosting: { deletedAt?: string } }) => typeof variant.hosting.deletedAt)).toEqual([
      'string',
      'string',
    ]);
    expect(s3.objects.get(`${DATA}/reports/run-1/report.md`)!.toString('utf8')).toContain('sharded');
    expect(s3.objects.get(`${DATA}/reports/run-1/report.svg`)!.toString('utf8')).toMatch(/^<svg|<\?xml/);
    expect(output.report).toMatchObject({
      uris: {
        json: `${DATA}/reports/run-1/report.json`,
        markdown: `${DATA}/reports/run-1/report.md`,
        svg: `${DATA}/reports/run-1/report.svg`,
      },
    });
    expect((output.report as { summary: string }).summary).toMatch(/sharded trained 3(\.0+)?x faster than replicated/);
  });

  it('lists per variant the job, its times and metrics, and the hosting resources', async () => {
    givenSageMaker(defaultJobs());

    const run = await runWorkflow({});

    const sharded = (run.output!.variants as Array<Record<string, unknown>>)[1];
    expect(sharded).toMatchObject({
      name: 'sharded',
      trainDistribution: 'ShardedByS3Key',
      instanceCount: 5,
      instanceType: 'ml.c4.2xlarge',
      training: { status: 'Completed', trainingTimeInSeconds: 300, billableTimeInSeconds: 360, finalMetrics: { 'validation:mse': 1.7 } },
      hosting: { status: 'InService' },
    });
    expect(sharded.jobName).toMatch(/^linear-sharded-\d{8}-\d{6}-[0-9a-f]{8}$/);
    expect([sharded.modelName, sharded.endpointConfigName, sharded.endpointName]).toEqual([
      sharded.jobName,
      sharded.jobName,
      sharded.jobName,
    ]);
  });

  it('keeps the endpoints when keepEndpoints is true', async () => {
    givenSageMaker(defaultJobs());

    const run = await runWorkflow({ keepEndpoints: true });

    expect(run.error).toBeUndefined();
    expect(sagemaker).toHaveReceivedCommandTimes(DeleteEndpointCommand, 0);
    const report = JSON.parse(s3.objects.get(`${DATA}/reports/run-1/report.json`)!.toString('utf8'));
    expect(report.variants.map((variant: { hosting: { deletedAt?: string } }) => variant.hosting.deletedAt)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('skips the data preparation on a rerun with the same inputs and settings', async () => {
    givenSageMaker(defaultJobs());
    const first = await runWorkflow({}, 'run-1');
    sagemaker.restore();
    runtime.restore();
    givenSageMaker(defaultJobs());

    const second = await runWorkflow({}, 'run-2');

    const skipped = (run: typeof first): boolean[] => (run.output!.data as Array<{ skipped: boolean }>).map((year) => year.skipped);
    expect(skipped(first)).toEqual([false, false, false, false, false, false]);
    expect(skipped(second)).toEqual([true, true, true, true, true, true]);
  });

  it('prepares a changed split as a new dataset, and leaves the earlier dataset as it was', async () => {
    // GIVEN a first run with the default split
    givenSageMaker(defaultJobs());
    const first = await runWorkflow({}, 'run-1');
    const before = new Map([...s3.objects].filter(([uri]) => uri.startsWith(datasetOf(first))));
    sagemaker.restore();
    runtime.restore();
    givenSageMaker(defaultJobs());

    // WHEN a run sends 20% to validation
    const rerun = await runWorkflow({ validationPercent: 20 }, 'run-2');

    // THEN every year is prepared again, in another dataset, and the first dataset is untouched
    expect(datasetOf(rerun)).not.toBe(datasetOf(first));
    expect((rerun.output!.data as Array<{ skipped: boolean }>).map((year) => year.skipped)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(new Map([...s3.objects].filter(([uri]) => uri.startsWith(datasetOf(first))))).toEqual(before);
  });

  // A failed variant stops the run and cleans up everything with `onVariantFailure: stop`; `continue` has its own tests.
  const STOP = { onVariantFailure: 'stop' };

  it("fails with SageMaker's reason when a training job fails, after cleaning up", async () => {
    // GIVEN the sharded job fails
    givenSageMaker({
      replicated: completingJob(900, 1.5),
      sharded: [{ TrainingJobStatus: 'Failed', FailureReason: 'ClientError: Unable to read data channel train' }],
    });

    // WHEN the experiment runs
    const run = await runWorkflow(STOP);

    // THEN it cleans up, then fails with the job and the reason in the cause
    expect(run.statesEntered).toEqual(expect.arrayContaining(['Training failed', 'Clean up after failure', 'Experiment failed']));
    expect(run.error?.name).toBe('TrainingJobFailed');
    expect(run.error?.message).toMatch(/Training job linear-sharded-\S+ failed: ClientError: Unable to read data channel train/);
  });

  it('fails when a training job is stopped', async () => {
    givenSageMaker({ replicated: [{ TrainingJobStatus: 'Stopped' }], sharded: completingJob(300, 1.7) });

    const run = await runWorkflow(STOP);

    expect(run.statesEntered).toContain('Training failed');
    expect(run.error?.name).toBe('TrainingJobStopped');
    expect(run.error?.message).toMatch(/Training job linear-replicated-\S+ was stopped/);
  });

  it('deletes the endpoints it created when a later step fails, then fails with the original cause', async () => {
    // GIVEN both endpoints come up, but the test set cannot be scored: one endpoint errors on every request
    givenSageMaker(defaultJobs());
    runtime.reset();
    runtime.rejects(Object.assign(new Error('Received client error (400) from primary with message "bad input"'), { name: 'ModelError' }));

    // WHEN the experiment runs
    const run = await runWorkflow(STOP);

    // THEN both endpoints are deleted and the execution fails with the evaluation's error
    expect(run.statesEntered).toEqual(expect.arrayContaining(['Evaluate endpoint', 'Clean up after failure', 'Experiment failed']));
    expect(sagemaker).toHaveReceivedCommandTimes(DeleteEndpointCommand, 2);
    expect(run.error?.name).toBe('ModelError');
    expect(run.error?.message).toMatch(/bad input/);
  });

  it('waits for an endpoint still being created before deleting it, since SageMaker refuses to delete it earlier', async () => {
    // GIVEN the sharded endpoint is still Creating when its wait runs out, and settles two checks later
    const creating = { EndpointStatus: 'Creating' as const, CreationTime: new Date('2026-11-28T16:10:00Z') };
    givenSageMaker(defaultJobs(), { sharded: [creating, creating, creating, { ...creating, EndpointStatus: 'InService' as const }] });

    // WHEN the experiment runs with a poll bound of one check
    const run = await runWorkflow({ ...STOP, endpointPollSeconds: 3600 });

    // THEN the clean-up retried until the endpoint settled, deleted it, and the execution failed with the timeout
    expect(run.error?.name).toBe('EndpointTimedOut');
    expect(run.statesEntered.filter((state) => state === 'Wait for endpoints to settle').length).toBeGreaterThanOrEqual(1);
    const deleted = sagemaker.commandCalls(DeleteEndpointCommand).map((call) => call.args[0].input.EndpointName);
    expect(deleted.some((name) => name?.startsWith('linear-sharded-'))).toBe(true);
  });

  it('names the endpoints it could not delete when they never settle', async () => {
    // GIVEN the sharded endpoint stays Creating
    givenSageMaker(defaultJobs(), { sharded: [{ EndpointStatus: 'Creating', CreationTime: new Date('2026-11-28T16:10:00Z') }] });

    // WHEN the experiment runs with a poll bound of one check
    const run = await runWorkflow({ ...STOP, endpointPollSeconds: 3600 });

    // THEN after the bounded retries the failure keeps the original error and names the endpoint left running
    expect(run.error?.name).toBe('EndpointTimedOut');
    expect(run.error?.message).toMatch(/still Creating after 1 checks/);
    expect(run.error?.message).toMatch(/Clean-up could not delete these endpoints, still being created after 30 attempts.*linear-sharded-/);
    expect(run.statesEntered.filter((state) => state === 'Clean up after failure')).toHaveLength(30);
  });

  it('stops training jobs still running when another variant fails', async () => {
    // GIVEN the replicated job fails while the sharded job is still training
    givenSageMaker({
      replicated: [{ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: out of memory' }],
      sharded: [{ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' }],
    });

    // WHEN the experiment runs
    const run = await runWorkflow({ ...STOP, maxRuntimeInSeconds: 60, trainingPollSeconds: 3600 });

    // THEN the clean-up stopped the running sharded job
    expect(run.error?.name).toBe('TrainingJobFailed');
    const stopped = sagemaker.commandCalls(StopTrainingJobCommand).map((call) => call.args[0].input.TrainingJobName);
    expect(stopped.some((name) => name?.startsWith('linear-sharded-'))).toBe(true);
  });

  it('retries a throttled describe and carries on', async () => {
    givenSageMaker({ replicated: [throttled(), throttled(), ...completingJob(900, 1.5)], sharded: completingJob(300, 1.7) });

    const run = await runWorkflow({});

    const retries = run.events.filter((event) => event.type === 'StateRetried' && event.state.name === 'Describe training job');
    expect(retries).toHaveLength(2);
    expect(run.error).toBeUndefined();
  });

  it('rejects invalid execution input at the first state, before anything is read or created', async () => {
    givenSageMaker({});

    const run = await runWorkflow({ instanceCount: 0, epochs: 4 });

    expect(run.statesEntered).toEqual([
      'Start experiment',
      'Validate input and plan',
      'Cause from a Lambda? (input)',
      'Execution input rejected',
    ]);
    expect(run.error?.name).toBe('InvalidSettings');
    expect(run.error?.message).toMatch(/instanceCount: 0 must be an integer from 1 to 100/);
    expect(run.error?.message).toMatch(/epochs: unknown setting/);
    expect(sagemaker.calls()).toHaveLength(0);
    expect(s3.s3.calls()).toHaveLength(0);
  });

  it("shows only the message of a Lambda error, not Lambda's JSON envelope with the stack trace", async () => {
    // GIVEN the profile task fails the way a Lambda function does: the cause is Lambda's JSON error envelope
    givenSageMaker(defaultJobs());
    const envelope = JSON.stringify({
      errorType: 'SourceNotFound',
      errorMessage: 's3://gdelt-open-data/events/1979.csv does not exist',
      trace: ['SourceNotFound: s3://gdelt-open-data/events/1979.csv does not exist', '    at profileEventCodes (/var/task/index.js:1:1)'],
    });
    const failLikeLambda = async (): Promise<never> => {
      throw Object.assign(new Error(envelope), { name: 'SourceNotFound' });
    };

    // WHEN the experiment runs
    const run = await runWorkflow({}, 'run-1', { 'Profile event codes': failLikeLambda });

    // THEN the execution fails with the error name and just the message
    expect(run.statesEntered).toEqual(
      expect.arrayContaining(['Read the Lambda error', 'Keep its message', 'Clean up after failure', 'Experiment failed']),
    );
    expect(run.error).toEqual({ name: 'SourceNotFound', message: 's3://gdelt-open-data/events/1979.csv does not exist' });
  });

  it('runs any number of variants, each with its own overrides', async () => {
    givenSageMaker({
      'sharded-e2': completingJob(300, 1.7),
      'sharded-e4': completingJob(500, 1.6),
      'sharded-e8': completingJob(900, 1.55),
    });

    const run = await runWorkflow({
      variants: [2, 4, 8].map((epochs) => ({
        name: `sharded-e${epochs}`,
        trainDistribution: 'ShardedByS3Key',
        hyperparameters: { epochs },
      })),
    });

    expect(run.error).toBeUndefined();
    const requests = sagemaker.commandCalls(CreateTrainingJobCommand).map((call) => call.args[0].input);
    expect(requests.map((request) => request.HyperParameters?.epochs).sort()).toEqual(['2', '4', '8']);
    expect((run.output!.variants as unknown[]).length).toBe(3);
  });

  it('trains a Pipe variant on spot capacity and reports its input mode and spot saving', async () => {
    // GIVEN a spot job that trained 400 s and was billed 150 s
    const spotJob = completingJob(400, 1.6);
    givenSageMaker({ 'spot-pipe': [spotJob[0], { ...spotJob[1], BillableTimeInSeconds: 150 }] });
    // WHEN
    const run = await runWorkflow({
      variants: [{ name: 'spot-pipe', trainDistribution: 'ShardedByS3Key', inputMode: 'Pipe', spot: true }],
    });
    // THEN
    expect(run.error).toBeUndefined();
    const request = sagemaker.commandCalls(CreateTrainingJobCommand)[0].args[0].input;
    expect(request.AlgorithmSpecification?.TrainingInputMode).toBe('Pipe');
    expect(request.EnableManagedSpotTraining).toBe(true);
    const report = JSON.parse(s3.objects.get(`${DATA}/reports/run-1/report.json`)!.toString('utf8'));
    expect(report.variants[0]).toMatchObject({ name: 'spot-pipe', inputMode: 'Pipe', spot: true, spotSaving: 0.625 });
  });
});
