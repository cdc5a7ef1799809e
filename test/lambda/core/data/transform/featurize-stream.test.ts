import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { featurizeStream, profileStream } from '../../../../../lambda/core/data/transform/featurize-stream';
import { decodeRecords } from '../recordio-decode';
import { FIXTURE_PATH, referenceTopCodes, referenceTransform } from './gdelt-reference';

const fixture = readFileSync(FIXTURE_PATH);
const codes = referenceTopCodes(fixture.toString('utf8'));
const keptLine = fixture
  .toString('utf8')
  .split('\n')
  .find((line) => line.startsWith('1553239\t'))!;

/** Independent FNV-1a 32 with BigInt arithmetic. */
function referenceIsValidation(id: string, percent: number): boolean {
  let hash = 0x811c9dc5n;
  for (const byte of Buffer.from(id)) hash = ((hash ^ BigInt(byte)) * 0x01000193n) & 0xffffffffn;
  return Number(hash % 100n) < percent;
}

function collect(stream: PassThrough): () => Buffer {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
}

async function runTrain(input: Buffer[] | Readable, validationPercent = 10) {
  const train = new PassThrough();
  const validation = new PassThrough();
  const trainBytes = collect(train);
  const validationBytes = collect(validation);
  const counts = await featurizeStream(
    Array.isArray(input) ? Readable.from(input) : input,
    { train, validation },
    { codes, kind: 'train', validationPercent },
  );
  return { counts, train: decodeRecords(trainBytes()), validation: decodeRecords(validationBytes()) };
}

describe('featurizeStream, kind train', () => {
  it('writes the reference rows, split by the FNV-1a hash of GLOBALEVENTID', async () => {
    // GIVEN the fixture and an independent reading of the transform
    const expected = referenceTransform(fixture.toString('utf8'), codes);
    const toRow = (row: { label: number; features: number[] }) => [row.label, ...row.features];
    // WHEN
    const result = await runTrain([fixture]);
    // THEN
    expect(result.train).toEqual(expected.kept.filter((row) => !referenceIsValidation(row.id, 10)).map(toRow));
    expect(result.validation).toEqual(expected.kept.filter((row) => referenceIsValidation(row.id, 10)).map(toRow));
    expect(result.counts).toEqual({
      read: 501,
      train: result.train.length,
      validation: result.validation.length,
      test: 0,
      dropped: expected.dropped,
    });
  });

  it('gives the same output whatever the input chunk size', async () => {
    const whole = await runTrain([fixture]);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < fixture.length; offset += 777) chunks.push(fixture.subarray(offset, offset + 777));
    expect(await runTrain(chunks)).toEqual(whole);
  });

  it('accepts CRLF line ends and a last line without newline', async () => {
    const text = `${keptLine}\r\n${keptLine.replace('1553239', '1553240')}`;
    const result = await runTrain([Buffer.from(text)], 0);
    expect(result.counts.read).toBe(2);
    expect(result.counts.train).toBe(2);
  });

  it.each([
    ['a short row', 'a\tb\tc', 'wrongColumnCount'],
    ['a blank line', '', 'wrongColumnCount'],
    ['stray bytes', '\u0000\u00ff\u00fe garbage', 'wrongColumnCount'],
    [
      'a blank AvgTone',
      keptLine
        .split('\t')
        .map((value, index) => (index === 34 ? '' : value))
        .join('\t'),
      'badNumber',
    ],
    [
      'a nan latitude',
      keptLine
        .split('\t')
        .map((value, index) => (index === 39 ? 'nan' : value))
        .join('\t'),
      'badNumber',
    ],
    [
      'a padded number',
      keptLine
        .split('\t')
        .map((value, index) => (index === 33 ? ' 1' : value))
        .join('\t'),
      'badNumber',
    ],
    [
      'bytes that are not UTF-8 in a number',
      keptLine
        .split('\t')
        .map((value, index) => (index === 40 ? '3\u00ff' : value))
        .join('\t'),
      'badNumber',
    ],
    [
      'Actor1 at 0,0',
      keptLine
        .split('\t')
        .map((value, index) => (index === 39 || index === 40 ? '0' : value))
        .join('\t'),
      'zeroCoordinates',
    ],
  ])('counts and skips %s as %s', async (_, line, reason) => {
    // GIVEN a good row, the malformed row, and another good row
    const input = Buffer.from(`${keptLine}\n${line}\n${keptLine}\n`, 'latin1');
    // WHEN
    const { counts } = await runTrain([input], 0);
    // THEN
    expect(counts.read).toBe(3);
    expect(counts.train).toBe(2);
    expect(counts.dropped).toEqual({
      wrongColumnCount: 0,
      eventCodeNotSelected: 0,
      badNumber: 0,
      zeroCoordinates: 0,
      [reason]: 1,
    });
  });
});

describe('featurizeStream, kind test', () => {
  it('writes every kept row as RecordIO and as CSV text that parses to the same float32 values', async () => {
    // GIVEN
    const test = new PassThrough();
    const testCsv = new PassThrough();
    const records = collect(test);
    const csv = collect(testCsv);
    // WHEN
    const counts = await featurizeStream(Readable.from([fixture]), { test, testCsv }, { codes, kind: 'test', validationPercent: 10 });
    // THEN
    const expected = referenceTransform(fixture.toString('utf8'), codes).kept.map((row) => [row.label, ...row.features]);
    const csvRows = csv().toString('utf8').split('\n');
    expect(csvRows.pop()).toBe('');
    expect(csvRows.map((line) => line.split(',').map((value) => Math.fround(Number(value))))).toEqual(expected);
    expect(decodeRecords(records())).toEqual(expected);
    expect(counts.test).toBe(expected.length);
  });

  it('prints the source decimal text and the one-hot as 0/1', async () => {
    const test = new PassThrough();
    const testCsv = new PassThrough();
    const csv = collect(testCsv);
    test.resume();
    await featurizeStream(Readable.from([Buffer.from(`${keptLine}\n`)]), { test, testCsv }, { codes, kind: 'test', validationPercent: 10 });
    // row 1553239: AvgTone 8.43989769820972, NumArticles 1, A1 30.05,31.25, A2 31.4167,34.3333, code 030 (5th code)
    expect(csv().toString()).toBe('8.43989769820972,1,30.05,31.25,31.4167,34.3333,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n');
  });
});

describe('profileStream', () => {
  it('counts codes of well-formed rows only', async () => {
    const text = `${keptLine}\nshort\trow\n${keptLine
      .split('\t')
      .map((value, index) => (index === 26 ? '' : value))
      .join('\t')}\n`;
    const { counts, codeCounts } = await profileStream(Readable.from([Buffer.from(text)]));
    expect(counts).toEqual({ read: 3, profiled: 1, wrongColumnCount: 1, emptyEventCode: 1, distinctEventCodes: 1 });
    expect([...codeCounts]).toEqual([['030', 1]]);
  });
});
