import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as protobuf from 'protobufjs';
import { FEATURE_COUNT } from '../../../../../lambda/core/data/transform/features';
import { featurizeStream } from '../../../../../lambda/core/data/transform/featurize-stream';
import { hyperparameterProblem } from '../../../../../lambda/core/experiment/linear-learner-hyperparameters';
import { WORKSHOP_DEFAULTS } from '../../../../../lambda/core/experiment/settings';
import { FIXTURE_PATH, referenceTopCodes } from './gdelt-reference';

// The feature count has one home; these tests tie what the transform writes to what training is told to expect.
const recordType = protobuf
  .loadSync(path.join(__dirname, '../../../../../lambda/core/data/transform/record.proto'))
  .lookupType('aialgs.data.Record');
const fixture = readFileSync(FIXTURE_PATH);
const codes = referenceTopCodes(fixture.toString('utf8'));
/** NumArticles and the four actor coordinates, then one one-hot column per selected code. */
const WRITTEN_WIDTH = 5 + codes.length;

function collect(stream: PassThrough): () => Buffer {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
}

/** The feature count of every RecordIO record, read with protobufjs rather than the writer's own layout. */
function recordWidths(bytes: Buffer): number[] {
  const widths: number[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const length = bytes.readUInt32LE(offset + 4);
    const record = recordType.toObject(recordType.decode(bytes.subarray(offset + 8, offset + 8 + length))) as {
      features: { values: { float32Tensor: { values: number[] } } };
    };
    widths.push(record.features.values.float32Tensor.values.length);
    offset += 8 + length + ((4 - (length % 4)) % 4);
  }
  return widths;
}

async function prepareTestYear(): Promise<{ records: Buffer; csv: string }> {
  const test = new PassThrough();
  const testCsv = new PassThrough();
  const records = collect(test);
  const csv = collect(testCsv);
  await featurizeStream(Readable.from([fixture]), { test, testCsv }, { codes, kind: 'test', validationPercent: 10 });
  return { records: records(), csv: csv().toString('utf8') };
}

describe('the feature count', () => {
  it('is the width of every RecordIO record the data preparation writes', async () => {
    // GIVEN / WHEN the fixture prepared as a test year
    const { records } = await prepareTestYear();

    // THEN
    const widths = recordWidths(records);
    expect(widths.length).toBeGreaterThan(0);
    expect(new Set(widths)).toEqual(new Set([WRITTEN_WIDTH]));
    expect(FEATURE_COUNT).toBe(WRITTEN_WIDTH);
  });

  it('is the width of every test CSV row after its label, which the endpoints receive', async () => {
    // GIVEN / WHEN
    const { csv } = await prepareTestYear();

    // THEN
    const widths = csv
      .trimEnd()
      .split('\n')
      .map((line) => line.split(',').length - 1);
    expect(new Set(widths)).toEqual(new Set([WRITTEN_WIDTH]));
    expect(FEATURE_COUNT).toBe(WRITTEN_WIDTH);
  });

  it('is the only feature_dim the hyperparameter check accepts', () => {
    // GIVEN / WHEN / THEN
    expect(hyperparameterProblem('hyperparameters', 'feature_dim', String(FEATURE_COUNT))).toBeUndefined();
    expect(hyperparameterProblem('hyperparameters', 'feature_dim', FEATURE_COUNT)).toBeUndefined();
    expect(hyperparameterProblem('hyperparameters', 'feature_dim', FEATURE_COUNT + 1)).toMatch(/must be/);
  });

  it('is the feature_dim the deployed settings send by default', () => {
    // GIVEN / WHEN / THEN
    expect(WORKSHOP_DEFAULTS.hyperparameters.feature_dim).toBe(String(FEATURE_COUNT));
  });
});
