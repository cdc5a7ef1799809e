import { datasetId, DatasetInputs, identifyDataset } from '../../../../lambda/core/data/dataset';
import type { SourceIdentity, SourceRef } from '../../../../lambda/core/data/data-manifest';
import type { SourceReader } from '../../../../lambda/core/data/data-preparation';
import { FIXTURE_CODES } from '../../s3-test-helpers';

const source = (year: number, eTag = `"etag-${year}"`): SourceIdentity => ({ bucket: 'gdelt-open-data', key: `events/${year}.csv`, eTag });

const INPUTS: DatasetInputs = {
  transformVersion: 1,
  codes: FIXTURE_CODES,
  validationPercent: 10,
  years: [
    { year: 1979, kind: 'train', source: source(1979) },
    { year: 1980, kind: 'train', source: source(1980) },
    { year: 1984, kind: 'test', source: source(1984) },
  ],
};

describe('datasetId', () => {
  it('is 16 hex digits, the same for the same inputs', () => {
    // GIVEN / WHEN
    const id = datasetId(INPUTS);
    // THEN
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(datasetId({ ...INPUTS, years: INPUTS.years.map((year) => ({ ...year, source: { ...year.source } })) })).toBe(id);
  });

  it.each<[string, DatasetInputs]>([
    ['the transform version', { ...INPUTS, transformVersion: 2 }],
    ['one event code', { ...INPUTS, codes: [...FIXTURE_CODES.slice(1), '999'] }],
    ['the validation share', { ...INPUTS, validationPercent: 20 }],
    ['a source ETag', { ...INPUTS, years: [INPUTS.years[0], { ...INPUTS.years[1], source: source(1980, '"changed"') }, INPUTS.years[2]] }],
    [
      'a source bucket',
      { ...INPUTS, years: [INPUTS.years[0], { ...INPUTS.years[1], source: { ...source(1980), bucket: 'mirror' } }, INPUTS.years[2]] },
    ],
    [
      'a source key',
      { ...INPUTS, years: [INPUTS.years[0], { ...INPUTS.years[1], source: { ...source(1980), key: 'events/1980.tsv' } }, INPUTS.years[2]] },
    ],
    ["a year's kind", { ...INPUTS, years: [INPUTS.years[0], { ...INPUTS.years[1], kind: 'test' }, INPUTS.years[2]] }],
    ['one more training year', { ...INPUTS, years: [...INPUTS.years, { year: 1981, kind: 'train', source: source(1981) }] }],
    ['one training year fewer', { ...INPUTS, years: [INPUTS.years[0], INPUTS.years[2]] }],
  ])('changes with %s', (_, changed) => {
    // GIVEN / WHEN / THEN
    expect(datasetId(changed)).not.toBe(datasetId(INPUTS));
  });

  it('does not depend on the order of the years or of the codes, which change nothing in the data', () => {
    // GIVEN / WHEN / THEN
    expect(datasetId({ ...INPUTS, years: [...INPUTS.years].reverse(), codes: [...FIXTURE_CODES].reverse() })).toBe(datasetId(INPUTS));
  });

  it('rejects codes that are not 20 distinct strings', () => {
    // GIVEN / WHEN / THEN
    expect(() => datasetId({ ...INPUTS, codes: FIXTURE_CODES.slice(1) })).toThrow(/codes must be 20 distinct non-empty strings/);
  });
});

/** A source reader over a table of ETags, as HEAD would answer them. */
function readerOf(eTags: Record<string, string>): SourceReader & { heads: string[] } {
  const heads: string[] = [];
  return {
    heads,
    describe: (ref: SourceRef) => `s3://${ref.bucket}/${ref.key}`,
    identify: async (ref: SourceRef) => {
      heads.push(ref.key);
      return { ...ref, eTag: eTags[ref.key] };
    },
    open: async () => {
      throw new Error('identifying reads no bytes');
    },
  };
}

const REQUEST = {
  dataPrefix: 'sagemaker/data_distribution_types',
  validationPercent: 10,
  maxMalformedShare: 0.5,
  retentionDays: 30,
  years: INPUTS.years.map(({ year, kind, source: { bucket, key } }) => ({ year, kind, source: { bucket, key } })),
  profile: { year: 1979, codes: FIXTURE_CODES, sourceETag: '"etag-1979"' },
};
const ETAGS = { 'events/1979.csv': '"etag-1979"', 'events/1980.csv': '"etag-1980"', 'events/1984.csv': '"etag-1984"' };

describe('identifyDataset', () => {
  it('HEADs every source and names the dataset from their ETags', async () => {
    // GIVEN
    const reader = readerOf(ETAGS);
    // WHEN
    const dataset = await identifyDataset(reader, REQUEST);
    // THEN
    expect(reader.heads.sort()).toEqual(['events/1979.csv', 'events/1980.csv', 'events/1984.csv']);
    expect(dataset.id).toBe(datasetId(INPUTS));
  });

  it('returns the channel prefixes, the test key and the work items below the dataset prefix', async () => {
    // GIVEN / WHEN
    const dataset = await identifyDataset(readerOf(ETAGS), REQUEST);
    // THEN
    const prefix = `sagemaker/data_distribution_types/datasets/${dataset.id}`;
    expect(dataset).toMatchObject({
      prefix,
      channels: { train: `${prefix}/train/`, validation: `${prefix}/validation/` },
      testKey: `${prefix}/test/1984.csv`,
    });
    expect(dataset.years[1]).toEqual({
      source: { bucket: 'gdelt-open-data', key: 'events/1980.csv', eTag: '"etag-1980"' },
      year: 1980,
      kind: 'train',
      codes: FIXTURE_CODES,
      validationPercent: 10,
      maxMalformedShare: 0.5,
      dataPrefix: prefix,
      retentionDays: 30,
    });
  });

  it('fails with SourceChanged when the profiled year has another ETag than the one its codes were counted from', async () => {
    // GIVEN GDELT replaced 1979 between "Profile event codes" and now
    const reader = readerOf({ ...ETAGS, 'events/1979.csv': '"etag-new"' });
    // WHEN / THEN
    await expect(identifyDataset(reader, REQUEST)).rejects.toMatchObject({
      name: 'SourceChanged',
      message: expect.stringMatching(/^s3:\/\/gdelt-open-data\/events\/1979.csv changed after its event codes were counted/),
    });
  });
});
