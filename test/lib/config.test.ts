import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeployConfig } from '../../lib/config';
import { WORKSHOP_HYPERPARAMETERS } from '../lambda/variant-fixture';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-config-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A CDK context with the given values, as `app.node.tryGetContext` reads it. */
const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadDeployConfig', () => {
  it('gives the workshop settings and keeps no data when nothing is configured', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({}));
    // THEN
    expect(config.options).toEqual({ retainData: false });
    expect(config.settings).toMatchObject({
      instanceCount: 5,
      instanceType: 'ml.c4.2xlarge',
      volumeSizeInGB: 10,
      maxRuntimeInSeconds: 1800,
      endpointInstanceType: 'ml.m4.xlarge',
      endpointInstanceCount: 1,
      s3Prefix: 'sagemaker/data_distribution_types',
      hyperparameters: WORKSHOP_HYPERPARAMETERS,
    });
    expect(config.settings.pricesPerHour['ml.c4.2xlarge']).toBeGreaterThan(0);
  });

  it('leaves imageUri out when it is not given, so the stack picks the region image', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({}));
    // THEN
    expect(config.settings).not.toHaveProperty('imageUri');
  });

  it('keeps imageUri when it is given', () => {
    // GIVEN
    const imageUri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-linear-learner:2';
    // WHEN
    const config = loadDeployConfig(contextOf({ experiment: { imageUri } }));
    // THEN
    expect(config.settings.imageUri).toBe(imageUri);
  });

  it('takes settings from a context object (cdk.json)', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({ experiment: { instanceType: 'ml.c5.2xlarge', hyperparameters: { epochs: 4 } } }));
    // THEN
    expect(config.settings.instanceType).toBe('ml.c5.2xlarge');
    expect(config.settings.hyperparameters.epochs).toBe('4');
    expect(config.settings.hyperparameters.num_models).toBe('32');
  });

  it('takes settings from a context JSON string (-c experiment=...)', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({ experiment: '{"endpointInstanceType":"ml.m5.xlarge","keepModels":true}' }));
    // THEN
    expect(config.settings).toMatchObject({ endpointInstanceType: 'ml.m5.xlarge', keepModels: true });
  });

  it('takes settings from the config file named by context "configFile"', () => {
    // GIVEN
    const path = configFile('file-only.json', JSON.stringify({ volumeSizeInGB: 20, trainingYears: [1990, 1991, 1992, 1993, 1994] }));
    // WHEN
    const config = loadDeployConfig(contextOf({ configFile: path }));
    // THEN
    expect(config.settings.volumeSizeInGB).toBe(20);
    expect(config.settings.trainingYears).toEqual([1990, 1991, 1992, 1993, 1994]);
  });

  it('lets context override the config file, setting by setting', () => {
    // GIVEN
    const path = configFile('both.json', JSON.stringify({ instanceCount: 3, volumeSizeInGB: 20 }));
    // WHEN
    const config = loadDeployConfig(contextOf({ configFile: path, experiment: '{"instanceCount":4}' }));
    // THEN
    expect(config.settings.instanceCount).toBe(4);
    expect(config.settings.volumeSizeInGB).toBe(20);
  });

  it('fails clearly when the config file cannot be read', () => {
    // GIVEN
    const path = join(dir, 'missing.json');
    // WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: path }))).toThrow(
      /Config file .*missing\.json \(context "configFile"\) cannot be read: ENOENT/,
    );
  });

  it('fails clearly when the config file is not valid JSON', () => {
    // GIVEN
    const path = configFile('broken.json', '{ "instanceCount": 5, }');
    // WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: path }))).toThrow(/Config file .*broken\.json is not valid JSON/);
  });

  it('fails clearly when the config file holds something other than an object', () => {
    // GIVEN
    const path = configFile('list.json', '[1, 2]');
    // WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: path }))).toThrow(
      /Config file .*list\.json must be a JSON object of settings, got \[1,2\]/,
    );
  });

  it('rejects a configFile context value that is not a path', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: 42 }))).toThrow(/Context "configFile" must be a path to a JSON file/);
  });

  it('fails clearly when the context string is not valid JSON', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: '{instanceCount: 4}' }))).toThrow(/Context "experiment" is not valid JSON/);
  });

  it('rejects a context value that is not an object', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: '"replicated"' }))).toThrow(
      /Context "experiment" must be a JSON object of settings, got "replicated"/,
    );
  });

  it('rejects an invalid setting with the validator message', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: { instanceCount: 0 } }))).toThrow(
      /Invalid deploy-time settings:\n- instanceCount: 0 must be an integer from 1 to 100/,
    );
  });

  it('rejects an invalid setting from the config file', () => {
    // GIVEN
    const path = configFile('invalid-setting.json', JSON.stringify({ endpointInstanceCount: 0 }));
    // WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: path }))).toThrow(/endpointInstanceCount: 0 must be an integer from 1 to 10/);
  });

  it('rejects a hyperparameter Linear Learner would refuse, at synth rather than minutes into a training job', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: { hyperparameters: { epochs: 'abc' } } }))).toThrow(
      /Invalid deploy-time settings:\n- hyperparameters.epochs: "abc" must be a positive integer/,
    );
  });

  it('rejects an unknown setting', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: { bucketName: 'mine' } }))).toThrow(/bucketName: unknown setting/);
  });

  it('takes retainData as a stack option, not a setting', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({ experiment: { retainData: true } }));
    // THEN
    expect(config.options).toEqual({ retainData: true });
    expect(config.settings).not.toHaveProperty('retainData');
  });

  it('takes retainData from the config file', () => {
    // GIVEN
    const path = configFile('retain.json', JSON.stringify({ retainData: true }));
    // WHEN / THEN
    expect(loadDeployConfig(contextOf({ configFile: path })).options.retainData).toBe(true);
  });

  it('rejects a retainData that is not a boolean', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: { retainData: 'yes' } }))).toThrow(/retainData: "yes" must be true or false/);
  });

  it('lists every problem at once: unreadable file, bad JSON in context', () => {
    // GIVEN
    const context = contextOf({ configFile: join(dir, 'missing.json'), experiment: '{instanceCount: 4}' });
    // WHEN / THEN
    expect(() => loadDeployConfig(context)).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^Config file .*missing\.json \(context "configFile"\) cannot be read: ENOENT/),
          expect.stringMatching(/^Context "experiment" is not valid JSON/),
        ],
      }),
    );
  });

  it('lists the problems of single settings and the rules across settings together', () => {
    // GIVEN an invalid count, and a test year that is also a training year (a rule across two settings)
    const context = contextOf({ experiment: { instanceCount: 0, testYear: 1979, retainData: 'yes' } });
    // WHEN / THEN
    expect(() => loadDeployConfig(context)).toThrow(
      expect.objectContaining({
        problems: [
          'retainData: "yes" must be true or false',
          'instanceCount: 0 must be an integer from 1 to 100',
          'testYear: 1979 is also a training year; the test year must be held out',
        ],
      }),
    );
  });

  it('lists a bad setting of the config file with a bad setting of the context', () => {
    // GIVEN
    const path = configFile('bad-count.json', JSON.stringify({ endpointInstanceCount: 0 }));
    // WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ configFile: path, experiment: { bucketName: 'mine' } }))).toThrow(
      /endpointInstanceCount: 0 must be an integer from 1 to 10\n- bucketName: unknown setting/,
    );
  });

  it('rejects a region without a known image, with the other problems', () => {
    // GIVEN / WHEN / THEN
    expect(() => loadDeployConfig(contextOf({ experiment: { instanceCount: 0 } }), 'xx-nowhere-1')).toThrow(
      /instanceCount: 0 must be an integer from 1 to 100\n- No Linear Learner image is known for region "xx-nowhere-1"/,
    );
  });

  it('accepts a region without a known image when imageUri is given', () => {
    // GIVEN
    const imageUri = '123456789012.dkr.ecr.xx-nowhere-1.amazonaws.com/linear-learner:1';
    // WHEN
    const config = loadDeployConfig(contextOf({ experiment: { imageUri } }), 'xx-nowhere-1');
    // THEN
    expect(config.settings.imageUri).toBe(imageUri);
  });

  it('accepts a region with a known image', () => {
    // GIVEN / WHEN / THEN
    expect(loadDeployConfig(contextOf({}), 'eu-north-1').settings).not.toHaveProperty('imageUri');
  });

  it('accepts s3Prefix at deploy time', () => {
    // GIVEN / WHEN
    const config = loadDeployConfig(contextOf({ experiment: { s3Prefix: 'experiments/linear-learner' } }));
    // THEN
    expect(config.settings.s3Prefix).toBe('experiments/linear-learner');
  });
});
