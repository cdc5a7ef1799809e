import {
  channelPrefix,
  checkpointPrefix,
  datasetPrefix,
  datasetsPrefix,
  joinKey,
  modelOutputPrefix,
  outputKeysFor,
  prepareManifestKey,
  profileManifestKey,
  reportKeys,
  reportPrefix,
  reportsPrefix,
} from '../../../../lambda/core/common/bucket-layout';

const PREFIX = 'sagemaker/data_distribution_types';

describe('bucket layout', () => {
  it('puts a dataset, its channels, test files and manifests below datasets/<id>/', () => {
    // GIVEN the default experiment prefix and a dataset id
    const dataset = datasetPrefix(PREFIX, '0123456789abcdef');

    // WHEN / THEN
    expect(datasetsPrefix(PREFIX)).toBe(`${PREFIX}/datasets/`);
    expect(dataset).toBe(`${PREFIX}/datasets/0123456789abcdef`);
    expect(channelPrefix(dataset, 'train')).toBe(`${dataset}/train/`);
    expect(channelPrefix(dataset, 'validation')).toBe(`${dataset}/validation/`);
    expect(outputKeysFor(dataset, 1979, 'train')).toEqual({
      train: `${dataset}/train/1979.data`,
      validation: `${dataset}/validation/1979.data`,
    });
    expect(outputKeysFor(dataset, 1984, 'test')).toEqual({ test: `${dataset}/test/1984.data`, testCsv: `${dataset}/test/1984.csv` });
    expect(prepareManifestKey(dataset, 1984)).toBe(`${dataset}/manifests/1984.json`);
  });

  it("puts each spot job's checkpoints in a folder of its own below the experiment prefix, where the SageMaker role writes", () => {
    // GIVEN / WHEN
    const folder = checkpointPrefix(PREFIX, 'linear-spot-20261128-160000-0a1b2c3d');
    // THEN
    expect(folder).toBe(`${PREFIX}/checkpoints/linear-spot-20261128-160000-0a1b2c3d/`);
    expect(folder.startsWith(datasetsPrefix(PREFIX))).toBe(false);
  });

  it('keeps profiles, model output and reports outside the datasets, which the bucket expires', () => {
    // GIVEN / WHEN / THEN
    expect(profileManifestKey(PREFIX, 1979)).toBe(`${PREFIX}/profiles/1979.json`);
    expect(modelOutputPrefix(PREFIX)).toBe(PREFIX);
    expect(reportsPrefix(PREFIX)).toBe(`${PREFIX}/reports`);
    expect(reportPrefix(PREFIX, 'run-1')).toBe(`${PREFIX}/reports/run-1`);
    expect(reportKeys(reportPrefix(PREFIX, 'run-1'))).toEqual({
      json: `${PREFIX}/reports/run-1/report.json`,
      markdown: `${PREFIX}/reports/run-1/report.md`,
      svg: `${PREFIX}/reports/run-1/report.svg`,
      costSvg: `${PREFIX}/reports/run-1/report-cost.svg`,
    });
  });

  it('writes at the top of the store when the prefix is empty, as the local tool allows', () => {
    // GIVEN / WHEN / THEN
    expect(datasetsPrefix('')).toBe('datasets/');
    expect(profileManifestKey('', 1979)).toBe('profiles/1979.json');
  });

  it('joins key parts without doubled or stray slashes', () => {
    // GIVEN / WHEN / THEN
    expect(joinKey('a/', '/b/', '', 'c')).toBe('a/b/c');
  });
});
