import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, InvokeEndpointCommandInput, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import type { VariantPlan } from '../../lambda/core/experiment/plan';
import { combineEvaluations, EvaluateEndpointResult, RetryOptions } from '../../lambda/core/evaluation/endpoint-scoring';
import { createEndpointScorer, EvaluateEndpointEvent, handler } from '../../lambda/evaluate-endpoint';
import { variantState } from './variant-fixture';

const s3 = mockClient(S3Client);
const runtime = mockClient(SageMakerRuntimeClient);

// Labels 2, 4, -1. The fake model scores each row with its first feature (1, 3, 0): errors -1, -1, +1.
const TEST_CSV = '2,1,0\n4,3,0\n-1,0,0\n';

function objectBody(text: string): never {
  return Readable.from([Buffer.from(text)]) as never;
}

/** Answers like Linear Learner: one `{score}` per row, in order; the score is the row's first feature. */
function scoreFirstFeature(input: InvokeEndpointCommandInput): { Body: never } {
  const rows = Buffer.from(input.Body as Uint8Array)
    .toString('utf8')
    .split('\n');
  const predictions = rows.map((row) => ({ score: Number(row.split(',')[0]) }));
  return { Body: Buffer.from(JSON.stringify({ predictions })) as never };
}

const throttled = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

const TEST_KEY = 'sagemaker/data_distribution_types/test/1984.csv';

/** The sharded variant's branch once its endpoint is in service, with the variant's evaluation settings overridable. */
function evaluationOf(variant: Partial<VariantPlan> = {}, range?: { start: number; end: number }): EvaluateEndpointEvent {
  const state = variantState('sharded');
  return {
    variant: {
      ...state.variant,
      endpointName: 'distributed-sharded',
      evaluationBatchBytes: 5_000_000,
      evaluationConcurrency: 4,
      ...variant,
    },
    dataset: { ...state.dataset, testKey: TEST_KEY },
    ...(range && { range }),
  };
}

const EVENT = evaluationOf();

beforeEach(() => {
  s3.reset();
  runtime.reset();
  process.env.DATA_BUCKET = 'data-bucket';
});

describe('evaluate-endpoint handler', () => {
  it('names the step, the test CSV and the status when the read fails', async () => {
    // GIVEN the dataset's test CSV has expired from the bucket
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );
    // WHEN / THEN
    await expect(handler(EVENT)).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: `Evaluate endpoint: S3 GetObject s3://data-bucket/${TEST_KEY} failed with HTTP 404 NoSuchKey: The specified key does not exist.`,
    });
  });

  it('sends the features only, as text/csv asking for JSON, to the named endpoint', async () => {
    // GIVEN
    s3.on(GetObjectCommand).resolves({ Body: objectBody(TEST_CSV) });
    runtime.on(InvokeEndpointCommand).callsFake(scoreFirstFeature);
    // WHEN
    await handler(EVENT);
    // THEN
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'data-bucket', Key: TEST_KEY });
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
    const input = runtime.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(input).toMatchObject({ EndpointName: 'distributed-sharded', ContentType: 'text/csv', Accept: 'application/json' });
    expect(Buffer.from(input.Body as Uint8Array).toString('utf8')).toBe('1,0\n3,0\n0,0');
  });

  it('returns the error sums and the metrics over all rows', async () => {
    // GIVEN errors -1, -1, +1: squared sum 3, absolute sum 3, MSE 1, MAE 1
    s3.on(GetObjectCommand).resolves({ Body: objectBody(TEST_CSV) });
    runtime.on(InvokeEndpointCommand).callsFake(scoreFirstFeature);
    // WHEN
    const result = await handler(EVENT);
    // THEN
    expect(result).toEqual({
      variantName: 'sharded',
      endpointName: 'distributed-sharded',
      rowsScored: 3,
      sumSquaredError: 3,
      sumAbsoluteError: 3,
      mse: 1,
      mae: 1,
      batches: 1,
    });
  });

  it('splits the rows into requests no bigger than maxBatchBytes, in file order', async () => {
    // GIVEN 3-byte feature rows and a 6-byte limit: two rows would take 7 bytes
    s3.on(GetObjectCommand).resolves({ Body: objectBody(TEST_CSV) });
    runtime.on(InvokeEndpointCommand).callsFake(scoreFirstFeature);
    // WHEN
    const result = await handler(evaluationOf({ evaluationBatchBytes: 6, evaluationConcurrency: 1 }));
    // THEN
    const bodies = runtime
      .commandCalls(InvokeEndpointCommand)
      .map((call) => Buffer.from(call.args[0].input.Body as Uint8Array).toString('utf8'));
    expect(bodies).toEqual(['1,0', '3,0', '0,0']);
    expect(result.batches).toBe(3);
    expect(result.mse).toBe(1);
  });

  it('reads a byte range from one byte before its start and scores only the lines starting inside it', async () => {
    // GIVEN lines start at bytes 0, 6 and 12; the range [6, 12) owns the second line only
    s3.on(GetObjectCommand).resolves({ Body: objectBody(TEST_CSV.slice(5)) });
    runtime.on(InvokeEndpointCommand).callsFake(scoreFirstFeature);
    // WHEN
    const result = await handler(evaluationOf({}, { start: 6, end: 12 }));
    // THEN
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Range: 'bytes=5-' });
    expect(result).toMatchObject({ rowsScored: 1, sumSquaredError: 1, mse: 1 });
  });

  it('fails, naming the endpoint and the counts, when the endpoint returns the wrong number of predictions', async () => {
    // GIVEN
    s3.on(GetObjectCommand).resolves({ Body: objectBody(TEST_CSV) });
    runtime.on(InvokeEndpointCommand).resolves({ Body: Buffer.from('{"predictions":[{"score":1}]}') as never });
    // WHEN / THEN
    await expect(handler(EVENT)).rejects.toThrow('endpoint distributed-sharded returned 1 predictions for 3 rows in batch 0');
  });

  it('refuses a batch limit above 6 MiB before reading anything', async () => {
    // GIVEN / WHEN / THEN
    await expect(handler(evaluationOf({ evaluationBatchBytes: 6_291_457 }))).rejects.toThrow(
      /maxBatchBytes must be an integer from 1 to 6291456/,
    );
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('fails when the whole test file has no rows', async () => {
    // GIVEN
    s3.on(GetObjectCommand).resolves({ Body: objectBody('') });
    // WHEN / THEN
    await expect(handler(EVENT)).rejects.toThrow(`s3://data-bucket/${TEST_KEY} has no test rows to score`);
  });

  it('needs DATA_BUCKET', async () => {
    // GIVEN
    delete process.env.DATA_BUCKET;
    // WHEN / THEN
    await expect(handler(EVENT)).rejects.toThrow(/Environment variable DATA_BUCKET is not set/);
  });
});

describe('createEndpointScorer retries', () => {
  const batch = { index: 0, labels: [2], body: Buffer.from('1,0') };
  const retry = (maxAttempts: number): RetryOptions & { sleep: jest.Mock } => ({
    maxAttempts,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    sleep: jest.fn(() => Promise.resolve()),
  });

  it('retries a throttled request after a backoff and returns the scores', async () => {
    // GIVEN
    runtime.on(InvokeEndpointCommand).rejectsOnce(throttled()).callsFake(scoreFirstFeature);
    const options = retry(5);
    // WHEN
    const scores = await createEndpointScorer('distributed-sharded', options)(batch);
    // THEN
    expect(scores).toEqual([1]);
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 2);
    expect(options.sleep).toHaveBeenCalledTimes(1);
    const delay = options.sleep.mock.calls[0][0] as number;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(100);
  });

  it('gives up after maxAttempts throttled requests', async () => {
    // GIVEN
    runtime.on(InvokeEndpointCommand).rejects(throttled());
    // WHEN / THEN
    await expect(createEndpointScorer('distributed-sharded', retry(3))(batch)).rejects.toThrow('Rate exceeded');
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 3);
  });

  it('retries a ServiceUnavailable response', async () => {
    // GIVEN
    const unavailable = Object.assign(new Error('busy'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    runtime.on(InvokeEndpointCommand).rejectsOnce(unavailable).callsFake(scoreFirstFeature);
    // WHEN
    const scores = await createEndpointScorer('distributed-sharded', retry(3))(batch);
    // THEN
    expect(scores).toEqual([1]);
  });

  it('does not retry a model error, since the same body would fail again', async () => {
    // GIVEN
    runtime.on(InvokeEndpointCommand).rejects(new ModelError({ message: 'cannot parse row', $metadata: { httpStatusCode: 424 } }));
    // WHEN / THEN
    await expect(createEndpointScorer('distributed-sharded', retry(5))(batch)).rejects.toThrow('cannot parse row');
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
  });
});

describe('combineEvaluations', () => {
  const part = (rows: number, squared: number, absolute: number): EvaluateEndpointResult => ({
    variantName: 'sharded',
    endpointName: 'distributed-sharded',
    rowsScored: rows,
    sumSquaredError: squared,
    sumAbsoluteError: absolute,
    mse: null,
    mae: null,
    batches: 1,
  });

  it('adds up the parts and works out MSE and MAE over all their rows', () => {
    // GIVEN 4 rows with squared sum 10 and absolute sum 6, plus 6 rows with 5 and 4: 10 rows, 15 and 10
    // WHEN
    const combined = combineEvaluations([part(4, 10, 6), part(6, 5, 4)]);
    // THEN
    expect(combined).toEqual({
      variantName: 'sharded',
      endpointName: 'distributed-sharded',
      rowsScored: 10,
      sumSquaredError: 15,
      sumAbsoluteError: 10,
      mse: 1.5,
      mae: 1,
      batches: 2,
    });
  });

  it('refuses to mix parts of different variants', () => {
    // GIVEN / WHEN / THEN
    expect(() => combineEvaluations([part(1, 1, 1), { ...part(1, 1, 1), variantName: 'replicated' }])).toThrow(
      /cannot combine parts of different evaluations: sharded\/distributed-sharded and replicated\/distributed-sharded/,
    );
  });
});
