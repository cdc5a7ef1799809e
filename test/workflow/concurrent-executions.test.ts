import { CreateTrainingJobCommand, CreateTrainingJobCommandInput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { handler as identifyDataset } from '../../lambda/identify-dataset';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { completingJob, fakeSageMaker } from '../helpers/fake-sagemaker';
import { executionArn, HANDLER_ENV, runWorkflow, WorkflowRun } from '../helpers/local-workflow';

const BUCKET_URI = `s3://${HANDLER_ENV.DATA_BUCKET}/`;

let sagemaker: AwsClientStub<SageMakerClient>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  s3 = fakeGdeltS3();
  sagemaker = fakeSageMaker({ replicated: completingJob(900, 1.5), sharded: completingJob(300, 1.7) });
  runtime = fakeEndpoints(() => 1);
});
afterEach(() => {
  sagemaker.restore();
  runtime.restore();
  s3.s3.restore();
});

/** The training requests one execution sent, found by the execution tag SageMaker would store with each job. */
function trainingRequestsOf(executionName: string): CreateTrainingJobCommandInput[] {
  return sagemaker
    .commandCalls(CreateTrainingJobCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Tags?.some((tag) => tag.Key === 'experiment:execution' && tag.Value === executionArn(executionName)));
}

/** What SageMaker would read for a channel: every object whose key starts with the channel's S3 prefix. */
function objectsBelow(channelUri: string): string[] {
  return [...s3.objects.keys()]
    .filter((uri) => uri.startsWith(channelUri))
    .map((uri) => uri.slice(channelUri.length))
    .sort();
}

function channelObjects(request: CreateTrainingJobCommandInput): Record<string, string[]> {
  return Object.fromEntries(
    (request.InputDataConfig ?? []).map((channel) => [channel.ChannelName, objectsBelow(channel.DataSource!.S3DataSource!.S3Uri!)]),
  );
}

const yearFiles = (years: number[]): string[] => years.map((year) => `${year}.data`);

describe('two executions at the same time', () => {
  it('with different trainingYears: each training job reads exactly its own years', async () => {
    // GIVEN two settings that differ in their years
    const five = [1979, 1980, 1981, 1982, 1983];
    const three = [1980, 1981, 1982];

    // WHEN both start together on one bucket
    const runs = await Promise.all([
      runWorkflow({ trainingYears: five }, 'run-five'),
      runWorkflow({ trainingYears: three, instanceCount: 3 }, 'run-three'),
    ]);

    // THEN both succeed, and every job of each sees exactly its own years in both channels
    expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
    for (const [name, years] of [
      ['run-five', five],
      ['run-three', three],
    ] as const) {
      const requests = trainingRequestsOf(name);
      expect(requests).toHaveLength(2);
      for (const request of requests)
        expect(channelObjects(request)).toEqual({ train: yearFiles([...years]), validation: yearFiles([...years]) });
    }
    expect(runs[0].output!.dataset).not.toBe(runs[1].output!.dataset);
  });

  it('with the same settings: both succeed on one shared dataset', async () => {
    // WHEN the same settings start twice together, as a double click on Start execution would
    const runs = await Promise.all([runWorkflow({}, 'run-a'), runWorkflow({}, 'run-b')]);

    // THEN both succeed on the same dataset, complete, with one manifest per year
    expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
    const [dataset, other] = runs.map((run) => run.output!.dataset as string);
    expect(other).toBe(dataset);
    const requests = [...trainingRequestsOf('run-a'), ...trainingRequestsOf('run-b')];
    expect(requests).toHaveLength(4);
    const years = [1979, 1980, 1981, 1982, 1983];
    for (const request of requests) expect(channelObjects(request)).toEqual({ train: yearFiles(years), validation: yearFiles(years) });
    expect(objectsBelow(`${BUCKET_URI}${dataset}/manifests/`)).toEqual([...years, 1984].map((year) => `${year}.json`));
  });
});

describe('execution input that is not a JSON object', () => {
  it.each<[string, unknown]>([
    ['a list', [{ trainingYears: [1980] }]],
    ['a string', 'sharded'],
    ['a number', 42],
    ['true', true],
  ])('is rejected when it is %s, with a cause that says it must be an object', async (_, input) => {
    // WHEN
    const run = await runWorkflow(input);

    // THEN
    expect(run.statesEntered).toEqual([
      'Start experiment',
      'Validate input and plan',
      'Cause from a Lambda? (input)',
      'Execution input rejected',
    ]);
    expect(run.error?.name).toBe('InvalidSettings');
    expect(run.error?.message).toMatch(/the execution input must be a JSON object of settings to override/);
    expect(s3.s3.calls()).toHaveLength(0);
  });
});

describe('a task function that crashes or times out', () => {
  it.each(['Lambda.Unknown', 'Sandbox.Timedout'])('is retried once after %s, and the run carries on', async (errorName) => {
    // GIVEN "Identify dataset" dies once the way Step Functions reports it, then works
    let calls = 0;
    const diesOnce = async (event: never) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('RequestId: 1 Error: Task timed out after 60.00 seconds'), { name: errorName });
      return identifyDataset(event);
    };

    // WHEN
    const run: WorkflowRun = await runWorkflow({}, 'run-1', { 'Identify dataset': diesOnce });

    // THEN
    expect(run.error).toBeUndefined();
    expect(run.events.filter((event) => event.type === 'StateRetried' && event.state.name === 'Identify dataset')).toHaveLength(1);
  });

  it('fails the run when the function dies a second time', async () => {
    const diesAlways = async (): Promise<never> => {
      throw Object.assign(new Error('Runtime exited'), { name: 'Lambda.Unknown' });
    };

    const run = await runWorkflow({}, 'run-1', { 'Identify dataset': diesAlways });

    expect(run.error?.name).toBe('Lambda.Unknown');
    expect(run.events.filter((event) => event.type === 'StateRetried' && event.state.name === 'Identify dataset')).toHaveLength(1);
    expect(run.statesEntered).toContain('Clean up after failure');
  });
});
