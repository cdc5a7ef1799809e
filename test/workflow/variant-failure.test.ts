import { CreateEndpointCommand, DeleteEndpointCommand } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { HANDLER_ENV, runWorkflow } from '../helpers/local-workflow';
import { StatefulSageMakerOptions, statefulSageMaker } from '../helpers/stateful-sagemaker';

const REPORT = 's3://experiment-data-bucket/sagemaker/data_distribution_types/reports/run-1';

let sagemaker: ReturnType<typeof statefulSageMaker>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  s3 = fakeGdeltS3();
  runtime = fakeEndpoints(() => 0);
});
afterEach(() => {
  sagemaker.sagemaker.restore();
  runtime.restore();
  s3.s3.restore();
});

const THREE_VARIANTS = {
  variants: [
    { name: 'replicated', trainDistribution: 'FullyReplicated' },
    { name: 'sharded', trainDistribution: 'ShardedByS3Key' },
    { name: 'sharded-e4', trainDistribution: 'ShardedByS3Key', hyperparameters: { epochs: 4 } },
  ],
};

/** SageMaker as state, where the `sharded` variant's job fails with an algorithm error. */
function givenShardedTrainingFails(options: StatefulSageMakerOptions = {}): void {
  sagemaker = statefulSageMaker({
    trainingCompletesOnDescribe: 2,
    endpointInServiceOnDescribe: 1,
    trainingFailure: (job) => (job.startsWith('linear-sharded-2') ? 'AlgorithmError: out of memory' : undefined),
    ...options,
  });
}

function reportJson(): {
  variants: Array<{ name: string; status: string; testMse: number | null; failure?: unknown; endpointLifetimeSeconds: number | null }>;
} {
  return JSON.parse(s3.objects.get(`${REPORT}/report.json`)!.toString('utf8'));
}

describe('a variant that fails, with onVariantFailure: continue (the default)', () => {
  it('ends the execution failed with VariantsFailed, naming the variant and its reason', async () => {
    // GIVEN one of three variants fails to train
    givenShardedTrainingFails();

    // WHEN the experiment runs
    const run = await runWorkflow(THREE_VARIANTS);

    // THEN the console shows the failure, which variant and why, and where the report is
    expect(run.error?.name).toBe('VariantsFailed');
    expect(run.error?.message).toMatch(
      /^1 of 3 variants failed: sharded: TrainingJobFailed: Training job linear-sharded-\S+ failed: AlgorithmError: out of memory/,
    );
    expect(run.error?.message).toContain(`Report: ${REPORT}/report.md`);
  });

  it('trains, hosts and evaluates the other variants, and the report lists all three', async () => {
    // GIVEN one of three variants fails to train
    givenShardedTrainingFails();

    // WHEN the experiment runs
    await runWorkflow(THREE_VARIANTS);

    // THEN the report has the two evaluated variants and the failed one with its reason
    const variants = reportJson().variants;
    expect(variants.map(({ name, status }) => [name, status])).toEqual([
      ['replicated', 'succeeded'],
      ['sharded', 'failed'],
      ['sharded-e4', 'succeeded'],
    ]);
    expect(variants.filter((variant) => variant.status === 'succeeded').every((variant) => typeof variant.testMse === 'number')).toBe(true);
    expect(variants[1]).toMatchObject({
      testMse: null,
      failure: { error: 'TrainingJobFailed', cause: expect.stringMatching(/AlgorithmError: out of memory/) },
    });
  });

  it('leaves nothing billing: every endpoint deleted, no job running', async () => {
    // GIVEN one of three variants fails to train
    givenShardedTrainingFails();

    // WHEN the experiment runs
    const run = await runWorkflow(THREE_VARIANTS);

    // THEN
    expect(run.error?.name).toBe('VariantsFailed');
    expect(sagemaker.billing()).toEqual([]);
    expect(sagemaker.names('endpoint')).toEqual([]);
  });

  it('cleans up a variant that fails after its endpoint exists, and goes on with the others', async () => {
    // GIVEN every endpoint refuses to score: each variant fails in its evaluation, with an endpoint in service
    sagemaker = statefulSageMaker({ trainingCompletesOnDescribe: 1, endpointInServiceOnDescribe: 1 });
    runtime.reset();
    runtime.rejects(Object.assign(new Error('Received client error (400) from primary with message "bad input"'), { name: 'ModelError' }));

    // WHEN the experiment runs
    const run = await runWorkflow({});

    // THEN both variants were cleaned up by their own pipelines, and the run names both failures
    expect(run.error?.name).toBe('VariantsFailed');
    expect(run.error?.message).toMatch(/^2 of 2 variants failed: replicated: ModelError: .*bad input.*; sharded: ModelError: /);
    expect(run.statesEntered.filter((state) => state === 'Clean up failed variant')).toHaveLength(2);
    expect(run.statesEntered).not.toContain('Clean up after failure');
    expect(sagemaker.billing()).toEqual([]);
  });
});

describe('a variant that fails, with onVariantFailure: stop', () => {
  it('stops the run and cleans up everything as before, without writing a report', async () => {
    // GIVEN one of three variants fails to train while the others still train
    givenShardedTrainingFails({ trainingCompletesOnDescribe: 100 });

    // WHEN the experiment runs, with a poll bound that lets the others keep training
    const run = await runWorkflow({ ...THREE_VARIANTS, onVariantFailure: 'stop', trainingPollSeconds: 3600 });

    // THEN it fails with the job's own error, after the execution's clean-up stopped the other jobs
    expect(run.error?.name).toBe('TrainingJobFailed');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['Variant failed', 'Clean up after failure', 'Experiment failed']));
    expect(run.statesEntered).not.toContain('Write report');
    expect(sagemaker.billing()).toEqual([]);
  });
});

describe('each variant a pipeline of its own', () => {
  it("deletes a fast variant's endpoint before a slow variant's training finishes", async () => {
    // GIVEN the replicated job completes on its first describe; the sharded job only once the replicated endpoint
    // has been created and deleted again (were endpoints kept until every variant is trained, it would never complete)
    const isReplicated = (name: string | undefined): boolean => name?.startsWith('linear-replicated-') ?? false;
    const replicatedEndpointGone = (): boolean =>
      sagemaker.sagemaker.commandCalls(CreateEndpointCommand).some((call) => isReplicated(call.args[0].input.EndpointName)) &&
      !sagemaker.names('endpoint').some((name) => isReplicated(name.replace('endpoint/', '')));
    sagemaker = statefulSageMaker({
      trainingCompletesOnDescribe: (job) => (!job.startsWith('linear-sharded-') || replicatedEndpointGone() ? 1 : undefined),
      endpointInServiceOnDescribe: 1,
    });

    // WHEN the experiment runs, polling training often enough for the sharded job to wait that long
    const run = await runWorkflow({ trainingPollSeconds: 10 });

    // THEN both variants succeeded: the replicated endpoint was gone while the sharded job still trained
    expect(run.error).toBeUndefined();
    expect(sagemaker.sagemaker.commandCalls(DeleteEndpointCommand)).toHaveLength(2);
    // AND the report gives each endpoint's billed lifetime, from its creation to its deletion: here, well under a minute
    const lifetimes = reportJson().variants.map((variant) => variant.endpointLifetimeSeconds);
    expect(lifetimes).toEqual([expect.any(Number), expect.any(Number)]);
    expect(lifetimes.every((seconds) => seconds! >= 0 && seconds! < 60)).toBe(true);
    expect(sagemaker.billing()).toEqual([]);
  });
});
