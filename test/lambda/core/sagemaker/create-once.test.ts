import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { NameTakenError, createOnce, existingResourceArn, explainResourceLimit } from '../../../../lambda/core/sagemaker/create-once';
import {
  endpointConfigArn,
  endpointConfigExists,
  endpointArn,
  endpointExists,
  modelArn,
  modelExists,
  resourceLimitExceeded,
  trainingJobArn,
  trainingJobExists,
  validationException,
} from '../../sagemaker-errors';

const NAME = 'linear-sharded-20261128-155328-0a1b2c3d';
const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1';
const OTHER_EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-2';

const sagemakerMock = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'us-east-1' });

beforeEach(() => {
  sagemakerMock.reset();
});

describe('existingResourceArn', () => {
  it.each([
    ['training job (ResourceInUse)', trainingJobExists(NAME), trainingJobArn(NAME)],
    ['model (ValidationException)', modelExists(NAME), modelArn(NAME)],
    ['endpoint configuration (ValidationException)', endpointConfigExists(NAME), endpointConfigArn(NAME)],
    ['endpoint (ValidationException)', endpointExists(NAME), endpointArn(NAME)],
  ])('finds the ARN in the "already exists" error for a %s', (_, error, arn) => {
    // GIVEN / WHEN / THEN
    expect(existingResourceArn(error)).toBe(arn);
  });

  it('finds ARNs of other partitions', () => {
    // GIVEN
    const error = validationException(`Cannot create already existing model "arn:aws-cn:sagemaker:cn-north-1:123456789012:model/${NAME}".`);
    // WHEN / THEN
    expect(existingResourceArn(error)).toBe(`arn:aws-cn:sagemaker:cn-north-1:123456789012:model/${NAME}`);
  });

  it('ignores a validation error about something else', () => {
    // GIVEN
    const error = validationException(`Could not find model "${modelArn(NAME)}".`);
    // WHEN / THEN
    expect(existingResourceArn(error)).toBeUndefined();
  });

  it('ignores other error names even with an "already exists" message', () => {
    // GIVEN
    const error = Object.assign(new Error(`Resource ${modelArn(NAME)} already exists`), { name: 'ThrottlingException' });
    // WHEN / THEN
    expect(existingResourceArn(error)).toBeUndefined();
  });

  it('ignores values that are not errors', () => {
    // GIVEN / WHEN / THEN
    expect(existingResourceArn('already exists')).toBeUndefined();
  });
});

describe('createOnce', () => {
  it('reports a successful create as created, without looking at tags', async () => {
    // GIVEN
    const create = jest.fn().mockResolvedValue({});
    // WHEN
    const outcome = await createOnce(client, create, EXECUTION_ARN);
    // THEN
    expect(outcome).toBe('created');
    expect(create).toHaveBeenCalledTimes(1);
    expect(sagemakerMock).not.toHaveReceivedCommand(ListTagsCommand);
  });

  it('continues when the existing resource was created by the same execution', async () => {
    // GIVEN
    sagemakerMock.on(ListTagsCommand).resolves({
      Tags: [
        { Key: 'experiment:stack', Value: 'S' },
        { Key: 'experiment:execution', Value: EXECUTION_ARN },
      ],
    });
    // WHEN
    const outcome = await createOnce(client, () => Promise.reject(modelExists(NAME)), EXECUTION_ARN);
    // THEN
    expect(outcome).toBe('existed');
    expect(sagemakerMock).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: modelArn(NAME) });
  });

  it('fails with NameTaken when the existing resource belongs to another execution', async () => {
    // GIVEN
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: OTHER_EXECUTION_ARN }] });
    // WHEN
    const attempt = createOnce(client, () => Promise.reject(trainingJobExists(NAME)), EXECUTION_ARN);
    // THEN
    await expect(attempt).rejects.toBeInstanceOf(NameTakenError);
  });

  it('names the taken resource in the NameTaken message', async () => {
    // GIVEN
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [] });
    // WHEN
    const attempt = createOnce(client, () => Promise.reject(trainingJobExists(NAME)), EXECUTION_ARN);
    // THEN
    await expect(attempt).rejects.toThrow(
      new RegExp(`^${trainingJobArn(NAME)} already exists and was not created by this execution; SageMaker names must be unique`),
    );
  });

  it('treats a resource without tags as taken', async () => {
    // GIVEN
    sagemakerMock.on(ListTagsCommand).resolves({});
    // WHEN
    const attempt = createOnce(client, () => Promise.reject(endpointExists(NAME)), EXECUTION_ARN);
    // THEN
    await expect(attempt).rejects.toMatchObject({ name: 'NameTaken' });
  });

  it('passes any other error through unchanged', async () => {
    // GIVEN
    const throttled = validationException('Rate exceeded');
    // WHEN
    const attempt = createOnce(client, () => Promise.reject(throttled), EXECUTION_ARN);
    // THEN
    await expect(attempt).rejects.toBe(throttled);
    expect(sagemakerMock).not.toHaveReceivedCommand(ListTagsCommand);
  });
});

describe('explainResourceLimit', () => {
  it('names the quota to raise and the setting to lower', () => {
    // GIVEN
    const error = resourceLimitExceeded("The account-level service limit 'ml.c4.2xlarge for training job usage' is 5 Instances.");
    // WHEN
    const explained = explainResourceLimit(error, 'training job', 'ml.c4.2xlarge', 5, 'instanceCount (variant "sharded")') as Error;
    // THEN
    expect(explained.name).toBe('ResourceLimitExceeded');
    expect(explained.message).toMatch(/^SageMaker refused 5 x ml.c4.2xlarge for training job usage: The account-level service limit/);
    expect(explained.message).toMatch(
      /Raise the Service Quotas value "ml.c4.2xlarge for training job usage" \(service: Amazon SageMaker\)/,
    );
    expect(explained.message).toMatch(/lower instanceCount \(variant "sharded"\) or choose another instance type/);
  });

  it('names the endpoint quota for endpoints', () => {
    // GIVEN
    const error = resourceLimitExceeded('limit');
    // WHEN
    const explained = explainResourceLimit(error, 'endpoint', 'ml.m4.xlarge', 1, 'endpointInstanceCount') as Error;
    // THEN
    expect(explained.message).toMatch(/Raise the Service Quotas value "ml.m4.xlarge for endpoint usage"/);
  });

  it('returns any other error unchanged', () => {
    // GIVEN
    const error = trainingJobExists(NAME);
    // WHEN / THEN
    expect(explainResourceLimit(error, 'training job', 'ml.c4.2xlarge', 5, 'instanceCount')).toBe(error);
  });
});
