import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main, parseOptions, prepareData } from '../../tools/prepare-data';

const FIXTURE = path.join(__dirname, '../fixtures/events-sample.tsv');
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'prepare-data-'));
  copyFileSync(FIXTURE, path.join(work, '1979.tsv'));
  copyFileSync(FIXTURE, path.join(work, '1984.csv'));
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

function options(extra: Partial<ReturnType<typeof parseOptions>> = {}) {
  return { inputs: [work], out: path.join(work, 'out'), validationPercent: 10, maxMalformedShare: 0.5, prefix: '', ...extra };
}

describe('prepare-data tool', () => {
  it('writes the bucket layout locally: one dataset, train/validation for the first year, test for the highest', async () => {
    // WHEN
    const results = await prepareData(options(), () => undefined);
    // THEN
    const out = path.join(work, 'out');
    expect(results.map((result) => [result.year, result.kind])).toEqual([
      [1979, 'train'],
      [1984, 'test'],
    ]);
    expect(readdirSync(out).sort()).toEqual(['datasets', 'profiles']);
    const [id] = readdirSync(path.join(out, 'datasets'));
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const dataset = path.join(out, 'datasets', id);
    expect(readdirSync(dataset).sort()).toEqual(['manifests', 'test', 'train', 'validation']);
    expect(readFileSync(path.join(dataset, 'train/1979.data')).length).toBe(144 * results[0].counts.train);
    expect(readFileSync(path.join(dataset, 'test/1984.csv'), 'utf8').split('\n')).toHaveLength(results[1].counts.test + 1);
    expect(readdirSync(path.join(dataset, 'manifests')).sort()).toEqual(['1979.json', '1984.json']);
    expect(readdirSync(path.join(out, 'profiles'))).toEqual(['1979.json']);
  });

  it('writes --train-shards near-equal shards of the training rows in their own folder', async () => {
    // GIVEN two training years and a test year
    copyFileSync(FIXTURE, path.join(work, '1980.tsv'));
    const lines: string[] = [];
    // WHEN
    const results = await prepareData(options({ trainShards: 3 }), (line) => lines.push(line));
    // THEN the shards hold every training record, at most one record apart in size
    const [id] = readdirSync(path.join(work, 'out', 'datasets'));
    const shards = path.join(work, 'out', 'datasets', id, 'train-shards-3');
    expect(readdirSync(shards).sort()).toEqual(['part-00000.data', 'part-00001.data', 'part-00002.data']);
    const sizes = readdirSync(shards).map((name) => readFileSync(path.join(shards, name)).length);
    const records = results[0].counts.train + results[1].counts.train;
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(144 * records);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(144);
    expect(lines[lines.length - 1]).toBe(`train shards: 3 of ${Math.min(...sizes)} to ${Math.max(...sizes)} bytes in ${shards}/`);
  });

  it('skips every step on a rerun with the same files and settings', async () => {
    await prepareData(options(), () => undefined);
    const lines: string[] = [];
    const results = await prepareData(options(), (line) => lines.push(line));
    expect(results.every((result) => result.skipped)).toBe(true);
    expect(lines[0]).toMatch(/unchanged, skipped/);
  });

  it('rebuilds when a setting changes', async () => {
    await prepareData(options(), () => undefined);
    const results = await prepareData(options({ validationPercent: 50 }), () => undefined);
    expect(results[0].skipped).toBe(false);
    expect(results[0].counts.validation).toBeGreaterThan(50);
  });

  it('leaves no output under the real name when a file is not GDELT', async () => {
    writeFileSync(path.join(work, '1984.csv'), 'a,b\nc,d\n');
    await expect(prepareData(options(), () => undefined)).rejects.toMatchObject({ name: 'NotGdeltData' });
    const [id] = readdirSync(path.join(work, 'out/datasets'));
    expect(existsSync(path.join(work, 'out/datasets', id, 'test/1984.data'))).toBe(false);
    expect(readdirSync(path.join(work, 'out/datasets', id, 'test'))).toEqual([]);
  });

  it('rejects a file whose name is not <year>.csv', async () => {
    await expect(prepareData(options({ inputs: [FIXTURE] }), () => undefined)).rejects.toThrow(/must be <year>.csv or <year>.tsv/);
  });
});

describe('parseOptions', () => {
  it('takes several inputs after --input and defaults the settings', () => {
    expect(parseOptions(['--input', 'a/1979.csv', 'a/1980.csv', '--out', 'o'])).toEqual({
      inputs: ['a/1979.csv', 'a/1980.csv'],
      out: 'o',
      testYear: undefined,
      validationPercent: 10,
      maxMalformedShare: 0.5,
      prefix: '',
      trainShards: 'year',
    });
  });

  it.each([
    ['4', 4],
    ['year', 'year'],
  ])('takes --train-shards %s as the trainShards setting does', (text, expected) => {
    // WHEN
    const options = parseOptions(['--input', 'x', '--out', 'o', '--train-shards', text]);
    // THEN
    expect(options?.trainShards).toBe(expected);
  });

  it.each(['1', '101', '2.5', 'all'])('rejects --train-shards %s, as the trainShards setting does', (text) => {
    // WHEN / THEN
    expect(() => parseOptions(['--input', 'x', '--out', 'o', '--train-shards', text])).toThrow(
      /^--train-shards .* must be "year" or an integer from 2 to 100/,
    );
  });

  it('returns undefined for --help', () => {
    expect(parseOptions(['--help'])).toBeUndefined();
  });

  it('requires --out', () => {
    expect(() => parseOptions(['--input', 'x'])).toThrow(/--out is required/);
  });

  it.each(['1', '50'])('accepts --validation-percent %s, a bound of the workflow setting', (percent) => {
    // WHEN
    const options = parseOptions(['--input', 'x', '--out', 'o', '--validation-percent', percent]);

    // THEN
    expect(options?.validationPercent).toBe(Number(percent));
  });

  it.each(['0', '51', '10.5'])('rejects --validation-percent %s, as the workflow setting does', (percent) => {
    // WHEN / THEN
    expect(() => parseOptions(['--input', 'x', '--out', 'o', '--validation-percent', percent])).toThrow(
      `--validation-percent ${percent} must be an integer from 1 to 50`,
    );
  });

  it('rejects a --max-malformed-share outside 0 to 1', () => {
    // WHEN / THEN
    expect(() => parseOptions(['--input', 'x', '--out', 'o', '--max-malformed-share', '2'])).toThrow(
      '--max-malformed-share 2 must be a number from 0 to 1',
    );
  });

  it('rejects a --prefix the s3Prefix setting would refuse', () => {
    // WHEN / THEN
    expect(() => parseOptions(['--input', 'x', '--out', 'o', '--prefix', '/data/'])).toThrow(
      /^--prefix "\/data\/" must be an S3 key prefix/,
    );
  });

  it('writes below the --prefix inside --out', async () => {
    // GIVEN
    const options = parseOptions(['--input', work, '--out', path.join(work, 'out'), '--prefix', 'experiments/a'])!;

    // WHEN
    await prepareData(options, () => undefined);

    // THEN
    expect(readdirSync(path.join(work, 'out'))).toEqual(['experiments']);
    const [dataset] = readdirSync(path.join(work, 'out/experiments/a/datasets'));
    expect(existsSync(path.join(work, 'out/experiments/a/datasets', dataset, 'train/1979.data'))).toBe(true);
  });
});

describe('prepare-data command line', () => {
  function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    return main(
      argv,
      (line) => out.push(line),
      (line) => err.push(line),
    ).then((code) => ({ code, out, err }));
  }

  it('prints the usage for an unknown option, exit code 2', async () => {
    // WHEN
    const { code, err } = await run(['--input', work, '--out', path.join(work, 'out'), '--percent', '20']);

    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^Unknown option '--percent'.*\n\nUsage: npm run prepare-data/s);
  });

  it('rejects --validation-percent 80 before reading any file', async () => {
    // GIVEN an input that does not exist, so that any work would fail differently
    const input = path.join(work, 'missing');

    // WHEN
    const { code, err } = await run(['--input', input, '--out', path.join(work, 'out'), '--validation-percent', '80']);

    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^--validation-percent 80 must be an integer from 1 to 50\n\nUsage:/);
    expect(existsSync(path.join(work, 'out'))).toBe(false);
  });

  it('prints one line per year and exits 0', async () => {
    // WHEN
    const { code, out } = await run(['--input', work, '--out', path.join(work, 'out')]);

    // THEN
    expect(code).toBe(0);
    // The dataset id hashes the local files' sizes and modification times, so only its shape is fixed.
    expect(out.map((line) => line.split(':')[0].replace(/^dataset [0-9a-f]{16}$/, 'dataset <id>'))).toEqual([
      'event codes of 1979',
      'dataset <id>',
      '1979 train',
      '1984 test',
    ]);
  });
});
