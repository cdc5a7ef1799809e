import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseOptions, prepareData } from '../../tools/prepare-data';

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
    expect(results.map((result) => [result.year, result.kind])).toEqual([[1979, 'train'], [1984, 'test']]);
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
      inputs: ['a/1979.csv', 'a/1980.csv'], out: 'o', testYear: undefined, validationPercent: 10, maxMalformedShare: 0.5, prefix: '',
    });
  });

  it('returns undefined for --help', () => {
    expect(parseOptions(['--help'])).toBeUndefined();
  });

  it('requires --out', () => {
    expect(() => parseOptions(['--input', 'x'])).toThrow(/--out is required/);
  });
});
