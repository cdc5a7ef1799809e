import { CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TRAIN_RECORD_BYTES } from '../../lambda/core/data/train-shards';
import type { ExecutionState } from '../../lambda/core/workflow/execution-state';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeS3 } from '../helpers/fake-s3';
import { completingJob, fakeSageMaker } from '../helpers/fake-sagemaker';
import { HANDLER_ENV, runWorkflow, WorkflowRun } from '../helpers/local-workflow';
import { decodeRecords } from '../lambda/core/data/recordio-decode';

const GDELT_ROWS = readFileSync(path.join(__dirname, '..', 'fixtures', 'events-sample.tsv'));
const BUCKET_URI = `s3://${HANDLER_ENV.DATA_BUCKET}/`;
const SHARDED_10 = { variants: [{ name: 'sharded10', trainDistribution: 'ShardedByS3Key', instanceCount: 10 }], trainShards: 10 };

let sagemaker: AwsClientStub<SageMakerClient>;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeS3>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  // Years of different sizes, as real GDELT years are: the first n lines of the fixture each.
  const lines = GDELT_ROWS.toString('utf8').split('\n');
  const sizes: Record<number, number> = { 1979: 501, 1980: 120, 1981: 300, 1982: 60, 1983: 200, 1984: 501 };
  s3 = fakeS3(
    Object.fromEntries(
      Object.entries(sizes).map(([year, count]) => [`s3://gdelt-open-data/events/${year}.csv`, `${lines.slice(0, count).join('\n')}\n`]),
    ),
  );
  sagemaker = fakeSageMaker({ sharded10: completingJob(300, 1.5), sharded: completingJob(300, 1.5), replicated: completingJob(600, 1.4) });
  runtime = fakeEndpoints(() => 0);
});
afterEach(() => {
  sagemaker.restore();
  runtime.restore();
  s3.s3.restore();
});

/** The execution's state as "Lay out training data" left it. */
function stateAfterLayout(run: WorkflowRun): ExecutionState {
  for (const event of run.events) {
    if (event.type === 'StateExited' && event.state.name === 'Lay out training data')
      return event.state.output as unknown as ExecutionState;
  }
  throw new Error('"Lay out training data" never ended');
}

/** The train channel of the first training job. */
const trainUri = (): string =>
  sagemaker.commandCalls(CreateTrainingJobCommand)[0].args[0].input.InputDataConfig![0].DataSource!.S3DataSource!.S3Uri!;

describe('trainShards, run locally from the synthesized definition', () => {
  it('trains a 10-instance sharded variant on 10 near-equal shards, listed in the state as prepared.trainObjects', async () => {
    // GIVEN GDELT years of different sizes
    // WHEN the experiment runs with 10 shards and a 10-instance ShardedByS3Key variant
    const run = await runWorkflow(SHARDED_10);

    // THEN it succeeds, and the state lists the 10 shards in key order, sizes at most one record apart
    expect(run.error).toBeUndefined();
    const { prepared, dataset } = stateAfterLayout(run);
    const objects = prepared!.trainObjects!;
    expect(objects.map((object) => object.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `${dataset!.prefix}/train-shards-10/part-0000${i}.data`),
    );
    const sizes = objects.map((object) => object.bytes);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(TRAIN_RECORD_BYTES);
    expect(objects.map((object) => s3.objects.get(`${BUCKET_URI}${object.key}`)!.length)).toEqual(sizes);

    // AND the job reads the shard prefix, which holds exactly those objects
    expect(trainUri()).toBe(`${BUCKET_URI}${dataset!.channels.train}`);
    const inChannel = [...s3.objects.keys()].filter((uri) => uri.startsWith(trainUri())).sort();
    expect(inChannel).toEqual(objects.map((object) => `${BUCKET_URI}${object.key}`));

    // AND the shards hold the per-year training rows, every one once
    const shardRows = inChannel.flatMap((uri) => decodeRecords(s3.objects.get(uri)!));
    const yearRows = [1979, 1980, 1981, 1982, 1983].flatMap((year) =>
      decodeRecords(s3.objects.get(`${BUCKET_URI}${dataset!.prefix}/train/${year}.data`)!),
    );
    expect(shardRows).toEqual(yearRows);
  });

  it('lists the per-year training objects as prepared.trainObjects by default, and the job reads train/', async () => {
    // GIVEN / WHEN the default settings
    const run = await runWorkflow({});

    // THEN
    expect(run.error).toBeUndefined();
    const { prepared, dataset } = stateAfterLayout(run);
    expect(prepared!.trainObjects).toEqual(
      [1979, 1980, 1981, 1982, 1983].map((year) => {
        const key = `${dataset!.prefix}/train/${year}.data`;
        return { key, bytes: s3.objects.get(`${BUCKET_URI}${key}`)!.length };
      }),
    );
    expect(trainUri()).toBe(`${BUCKET_URI}${dataset!.prefix}/train/`);
  });

  it('reuses the shards of an earlier execution with the same settings, writing none', async () => {
    // GIVEN a first run that wrote the shards
    await runWorkflow(SHARDED_10, 'run-1');
    s3.s3.resetHistory();
    sagemaker.restore();
    sagemaker = fakeSageMaker({ sharded10: completingJob(300, 1.5) });

    // WHEN a second run starts with the same settings
    const run = await runWorkflow(SHARDED_10, 'run-2');

    // THEN it succeeds on the same shards, none written again
    expect(run.error).toBeUndefined();
    expect(stateAfterLayout(run).prepared!.trainObjects).toHaveLength(10);
    const writes = [...s3.s3.commandCalls(PutObjectCommand), ...s3.s3.commandCalls(CreateMultipartUploadCommand)];
    expect(writes.map((call) => call.args[0].input.Key).filter((key) => key!.includes('/train-shards-'))).toEqual([]);
    expect(writes.length).toBeGreaterThan(0); // the report, at least, was written
  });

  it('rejects at the first state a sharded variant with more instances than shards, before anything is read', async () => {
    // GIVEN / WHEN
    const run = await runWorkflow({ ...SHARDED_10, trainShards: 8 });

    // THEN
    expect(run.error?.message).toContain(
      'variants[0] (sharded10): 10 instances with ShardedByS3Key need at least 10 training objects (one each), the train channel holds 8 (trainShards: 8); set trainShards to at least 10 or use at most 8 instances',
    );
    expect(run.statesEntered).not.toContain('Preflight');
    expect(s3.s3.calls()).toHaveLength(0);
  });
});
