import { resourceNames, resourceTags } from '../../../../lambda/core/experiment/naming';

// SageMaker's rule for job, model, endpoint config and endpoint names, the pattern of their Name fields in the SageMaker API reference.
const SAGEMAKER_NAME_RULE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const EXECUTION = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run_with_underscores',
  startTime: '2026-11-28T15:53:28.123Z',
};

describe('resourceNames', () => {
  it('names the variant and the start time, then a short hash', () => {
    // GIVEN / WHEN
    const names = resourceNames(EXECUTION, 'replicated');
    // THEN
    expect(names.jobName).toMatch(/^linear-replicated-20261128-155328-[0-9a-f]{8}$/);
  });

  it('gives the job, model, endpoint config and endpoint one name, so a run is found by it', () => {
    // GIVEN / WHEN
    const { jobName, modelName, endpointConfigName, endpointName } = resourceNames(EXECUTION, 'sharded');
    // THEN
    expect(new Set([jobName, modelName, endpointConfigName, endpointName]).size).toBe(1);
  });

  it('makes names SageMaker accepts', () => {
    // GIVEN / WHEN
    const names = resourceNames(EXECUTION, 'sharded');
    // THEN
    for (const name of Object.values(names)) expect(name).toMatch(SAGEMAKER_NAME_RULE);
  });

  it('stays within 63 characters for the longest variant name (20 characters)', () => {
    // GIVEN
    const longest = 'abcdefghij-klmnopqrs';
    expect(longest).toHaveLength(20);
    // WHEN
    const { jobName } = resourceNames(EXECUTION, longest);
    // THEN
    expect(jobName.length).toBeLessThanOrEqual(63);
    expect(jobName).toMatch(SAGEMAKER_NAME_RULE);
  });

  it('keeps underscores of the execution name out of the resource names', () => {
    // GIVEN an execution ARN with underscores (allowed in execution names, not in SageMaker names)
    // WHEN
    const { jobName } = resourceNames(EXECUTION, 'sharded');
    // THEN
    expect(jobName).not.toContain('_');
  });

  it('gives a retry of the same execution the same names', () => {
    // GIVEN / WHEN
    const first = resourceNames(EXECUTION, 'sharded');
    const retry = resourceNames({ ...EXECUTION }, 'sharded');
    // THEN
    expect(retry).toEqual(first);
  });

  it('gives another execution started in the same second different names', () => {
    // GIVEN
    const other = { ...EXECUTION, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:OtherStackWorkflow:run_with_underscores' };
    // WHEN / THEN
    expect(resourceNames(other, 'sharded').jobName).not.toBe(resourceNames(EXECUTION, 'sharded').jobName);
  });

  it('gives the same execution ARN with another start time different names', () => {
    // GIVEN
    const later = { ...EXECUTION, startTime: '2026-11-28T15:53:28.999Z' };
    // WHEN / THEN
    expect(resourceNames(later, 'sharded').jobName).not.toBe(resourceNames(EXECUTION, 'sharded').jobName);
  });

  it('rejects a start time that is not ISO 8601', () => {
    // GIVEN / WHEN / THEN
    expect(() => resourceNames({ ...EXECUTION, startTime: 'Sat Nov 28 2026' }, 'sharded')).toThrow(
      /Execution start time "Sat Nov 28 2026" is not an ISO 8601 timestamp/,
    );
  });

  it('rejects a variant name that would make an invalid SageMaker name', () => {
    // GIVEN / WHEN / THEN
    expect(() => resourceNames(EXECUTION, 'my_variant')).toThrow(
      /Variant name "my_variant" makes the SageMaker name ".*", which is not valid/,
    );
  });

  it('rejects a variant name that would make a name over 63 characters', () => {
    // GIVEN 'linear-' (7) + 32 + '-20261128-155328-' (17) + 8 hash characters = 64
    const name = 'x'.repeat(32);
    // WHEN / THEN
    expect(() => resourceNames(EXECUTION, name)).toThrow(/which is not valid/);
  });
});

describe('resourceTags', () => {
  it('tags with the stack, the execution and the variant', () => {
    // GIVEN / WHEN
    const tags = resourceTags('DistributedTrainingExperiment', EXECUTION.executionArn, 'sharded');
    // THEN
    expect(tags).toEqual([
      { Key: 'experiment:stack', Value: 'DistributedTrainingExperiment' },
      { Key: 'experiment:execution', Value: EXECUTION.executionArn },
      { Key: 'experiment:variant', Value: 'sharded' },
    ]);
  });

  it('records keepEndpoints and keepModels as tags, only when true', () => {
    // GIVEN / WHEN
    const both = resourceTags('DistributedTrainingExperiment', EXECUTION.executionArn, 'sharded', {
      keepEndpoints: true,
      keepModels: true,
    });
    const neither = resourceTags('DistributedTrainingExperiment', EXECUTION.executionArn, 'sharded', {
      keepEndpoints: false,
      keepModels: false,
    });
    // THEN
    expect(both.slice(3)).toEqual([
      { Key: 'experiment:keep-endpoints', Value: 'true' },
      { Key: 'experiment:keep-models', Value: 'true' },
    ]);
    expect(neither).toHaveLength(3);
  });
});
