import { deleteBatches, parseRemoveStaleDataRequest, staleKeys } from '../../../lambda/core/stale-data';

const PREFIX = 'sagemaker/data_distribution_types';

describe('staleKeys', () => {
  it('keeps the train and validation objects of every current training year', () => {
    // GIVEN
    const listed = [
      'sagemaker/data_distribution_types/train/1979.data',
      'sagemaker/data_distribution_types/train/1980.data',
      'sagemaker/data_distribution_types/validation/1979.data',
      'sagemaker/data_distribution_types/validation/1980.data',
    ];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979, 1980]);

    // THEN
    expect(stale).toEqual([]);
  });

  it('returns the objects of years no longer trained on, in both channels', () => {
    // GIVEN an earlier run prepared 1979-1983 and this one trains on 1979-1981
    const listed = [1979, 1980, 1981, 1982, 1983].flatMap((year) => [
      `sagemaker/data_distribution_types/train/${year}.data`,
      `sagemaker/data_distribution_types/validation/${year}.data`,
    ]);

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979, 1980, 1981]);

    // THEN
    expect(stale).toEqual([
      'sagemaker/data_distribution_types/train/1982.data',
      'sagemaker/data_distribution_types/validation/1982.data',
      'sagemaker/data_distribution_types/train/1983.data',
      'sagemaker/data_distribution_types/validation/1983.data',
    ]);
  });

  it('returns stray and partial files in the channels, since SageMaker reads every object under the prefix', () => {
    // GIVEN
    const listed = [
      'sagemaker/data_distribution_types/train/notes.txt',
      'sagemaker/data_distribution_types/train/1979.data.partial',
      'sagemaker/data_distribution_types/validation/1979.csv',
      'sagemaker/data_distribution_types/train/',
    ];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979]);

    // THEN
    expect(stale).toEqual(listed);
  });

  it('returns nested keys under a channel, even when they look like a current year', () => {
    // GIVEN
    const listed = [
      'sagemaker/data_distribution_types/train/old/1979.data',
      'sagemaker/data_distribution_types/validation/backup/1979.data',
    ];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979]);

    // THEN
    expect(stale).toEqual(listed);
  });

  it('never returns keys outside the train and validation channels', () => {
    // GIVEN test data, manifests, model artifacts and reports of an earlier run
    const listed = [
      'sagemaker/data_distribution_types/test/1984.data',
      'sagemaker/data_distribution_types/test/1983.csv',
      'sagemaker/data_distribution_types/manifests/1982.json',
      'sagemaker/data_distribution_types/manifests/profile-1979.json',
      'sagemaker/data_distribution_types/linear-sharded-20261128-155328-abcd1234/output/model.tar.gz',
      'other/train/1982.data',
      'train/1982.data',
    ];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979]);

    // THEN
    expect(stale).toEqual([]);
  });

  it('does not confuse a channel with a sibling prefix that starts with the same letters', () => {
    // GIVEN `training/` and `validations/` begin with `train` and `validation` but are not the channels
    const listed = [
      'sagemaker/data_distribution_types/training/1982.data',
      'sagemaker/data_distribution_types/validations/1982.data',
      'sagemaker/data_distribution_types/train.data',
      'sagemaker/data_distribution_types/train/1982.data',
    ];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979]);

    // THEN
    expect(stale).toEqual(['sagemaker/data_distribution_types/train/1982.data']);
  });

  it('does not confuse the data prefix with a longer prefix that starts with it', () => {
    // GIVEN
    const listed = ['sagemaker/data_distribution_types_old/train/1982.data'];

    // WHEN
    const stale = staleKeys(listed, PREFIX, [1979]);

    // THEN
    expect(stale).toEqual([]);
  });
});

describe('deleteBatches', () => {
  it('splits 2001 keys into batches of 1000, 1000 and 1, in order', () => {
    // GIVEN
    const keys = Array.from({ length: 2001 }, (_, i) => `k${i}`);

    // WHEN
    const batches = deleteBatches(keys);

    // THEN
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 1]);
    expect(batches[1][0]).toBe('k1000');
    expect(batches[2]).toEqual(['k2000']);
  });

  it('makes no batch for no keys', () => {
    // WHEN / THEN
    expect(deleteBatches([])).toEqual([]);
  });
});

describe('parseRemoveStaleDataRequest', () => {
  it('accepts a prefix and a list of years', () => {
    // WHEN
    const request = parseRemoveStaleDataRequest({ dataPrefix: PREFIX, trainingYears: [1979, 1980] });

    // THEN
    expect(request).toEqual({ dataPrefix: PREFIX, trainingYears: [1979, 1980] });
  });

  it('rejects an event that is not an object', () => {
    // WHEN / THEN
    expect(() => parseRemoveStaleDataRequest(null)).toThrow(/event must be an object with "dataPrefix" and "trainingYears", got null/);
  });

  it('rejects a missing data prefix', () => {
    // WHEN / THEN
    expect(() => parseRemoveStaleDataRequest({ trainingYears: [1979] })).toThrow(/"dataPrefix" must be an S3 key prefix .*got undefined/);
  });

  it('rejects a data prefix with a trailing slash', () => {
    // WHEN / THEN
    expect(() => parseRemoveStaleDataRequest({ dataPrefix: 'data/', trainingYears: [1979] })).toThrow(
      /"dataPrefix" must be an S3 key prefix without leading or trailing slash.*got "data\/"/,
    );
  });

  it('rejects an empty year list, which would make all prepared training data stale', () => {
    // WHEN / THEN
    expect(() => parseRemoveStaleDataRequest({ dataPrefix: PREFIX, trainingYears: [] })).toThrow(
      /"trainingYears" must be a non-empty list of years, got \[\]/,
    );
  });

  it('rejects a year that is not a whole number, naming its position', () => {
    // WHEN / THEN
    expect(() => parseRemoveStaleDataRequest({ dataPrefix: PREFIX, trainingYears: [1979, '1980'] })).toThrow(
      /"trainingYears\[1\]" must be a year \(a whole number\), got "1980"/,
    );
  });
});
