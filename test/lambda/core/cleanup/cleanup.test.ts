import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  SageMakerServiceException,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { cleanUpExecution, parseExecutionCleanUpRequest } from '../../../../lambda/core/cleanup/cleanup';
import { CleanUpError } from '../../../../lambda/core/cleanup/cleanup-errors';

const sagemakerMock = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'eu-west-1' });
const noWait = async () => undefined;
const fixedNow = () => new Date('2025-03-04T05:06:07.000Z');

const replicated = {
  variantName: 'replicated',
  jobName: 'linear-replicated-20250304',
  modelName: 'distributed-replicated-20250304',
  endpointConfigName: 'distributed-replicated-20250304',
  endpointName: 'distributed-replicated-20250304',
};
const sharded = {
  variantName: 'sharded',
  jobName: 'linear-sharded-20250304',
  modelName: 'distributed-sharded-20250304',
  endpointConfigName: 'distributed-sharded-20250304',
  endpointName: 'distributed-sharded-20250304',
};

function serviceError(name: string, message: string): SageMakerServiceException {
  return new SageMakerServiceException({ name, message, $fault: 'client', $metadata: {} });
}

beforeEach(() => {
  sagemakerMock.reset();
  sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'Completed' });
  sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService' });
});

describe('cleanUpExecution', () => {
  it('leaves an endpoint that is still being created, with its config and model, and reports it as pending', async () => {
    // GIVEN the sharded endpoint is still Creating (SageMaker refuses DeleteEndpoint then)
    sagemakerMock.on(DescribeEndpointCommand, { EndpointName: sharded.endpointName }).resolves({ EndpointStatus: 'Creating' });

    // WHEN
    const result = await cleanUpExecution(client, {
      resources: [replicated, sharded],
      keepEndpoints: false,
      keepModels: false,
      now: fixedNow,
    });

    // THEN the replicated resources are deleted, the sharded ones wait for the next pass
    expect(result.pendingEndpoints).toEqual([sharded.endpointName]);
    expect(sagemakerMock).not.toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: sharded.endpointName });
    expect(sagemakerMock).not.toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: sharded.endpointConfigName });
    expect(sagemakerMock).not.toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: sharded.modelName });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: replicated.endpointName });
    expect(result.variants[1]).toMatchObject({ variantName: 'sharded', deleted: [], kept: [] });
  });

  it('treats an endpoint already being deleted as gone and deletes its config and model', async () => {
    // GIVEN
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Deleting' });

    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false, now: fixedNow });

    // THEN
    expect(result.pendingEndpoints).toEqual([]);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: replicated.endpointConfigName });
    expect(result.variants[0]).toMatchObject({ deleted: ['endpointConfig', 'model'] });
  });

  it('deletes endpoint, endpoint config and model of every variant and reports when', async () => {
    // GIVEN all resources exist
    // WHEN
    const result = await cleanUpExecution(client, {
      resources: [replicated, sharded],
      keepEndpoints: false,
      keepModels: false,
      now: fixedNow,
    });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'distributed-replicated-20250304' });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'distributed-sharded-20250304' });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: 'distributed-sharded-20250304' });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: 'distributed-replicated-20250304' });
    expect(result.variants[1]).toEqual({
      variantName: 'sharded',
      deleted: ['endpoint', 'endpointConfig', 'model'],
      alreadyGone: [],
      kept: [],
      endpointDeletedAt: '2025-03-04T05:06:07.000Z',
      endpointConfigDeletedAt: '2025-03-04T05:06:07.000Z',
      modelDeletedAt: '2025-03-04T05:06:07.000Z',
      trainingJobStatus: 'Completed',
    });
  });

  it('deletes the endpoint before its config and model', async () => {
    // GIVEN
    const order: string[] = [];
    sagemakerMock.on(DeleteEndpointCommand).callsFake(async () => order.push('endpoint'));
    sagemakerMock.on(DeleteEndpointConfigCommand).callsFake(async () => order.push('endpointConfig'));
    sagemakerMock.on(DeleteModelCommand).callsFake(async () => order.push('model'));

    // WHEN
    await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false });

    // THEN
    expect(order).toEqual(['endpoint', 'endpointConfig', 'model']);
  });

  it('keeps endpoints, their configs and models with keepEndpoints', async () => {
    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: true, keepModels: false });

    // THEN
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointConfigCommand);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteModelCommand);
    expect(result.variants[0].kept).toEqual(['endpoint', 'endpointConfig', 'model']);
  });

  it('keeps only models with keepModels, deleting endpoints and configs', async () => {
    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: true });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointConfigCommand, 1);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteModelCommand);
    expect(result.variants[0].kept).toEqual(['model']);
  });

  it('reports resources that were never created as already gone', async () => {
    // GIVEN SageMaker's real answers for missing resources
    sagemakerMock
      .on(DeleteEndpointCommand)
      .rejects(
        serviceError(
          'ValidationException',
          'Could not find endpoint "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/distributed-replicated-20250304".',
        ),
      );
    sagemakerMock
      .on(DeleteEndpointConfigCommand)
      .rejects(
        serviceError(
          'ValidationException',
          'Could not find endpoint configuration "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/x".',
        ),
      );
    sagemakerMock
      .on(DeleteModelCommand)
      .rejects(serviceError('ValidationException', 'Could not find model "arn:aws:sagemaker:eu-west-1:111122223333:model/x".'));
    sagemakerMock.on(DescribeTrainingJobCommand).rejects(serviceError('ValidationException', 'Requested resource not found.'));

    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false });

    // THEN
    expect(result.variants[0]).toEqual({
      variantName: 'replicated',
      deleted: [],
      alreadyGone: ['endpoint', 'endpointConfig', 'model', 'trainingJob'],
      kept: [],
      trainingJobStatus: 'NotFound',
    });
  });

  it('does not take another kind of validation error for a missing resource', async () => {
    // GIVEN a model message on the endpoint call: not what DeleteEndpoint says for a missing endpoint
    sagemakerMock.on(DeleteEndpointCommand).rejects(serviceError('ValidationException', 'Could not find model "x".'));

    // WHEN / THEN
    await expect(cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false })).rejects.toThrow(
      /endpoint distributed-replicated-20250304 \(ValidationException: Could not find model "x"\.\)/,
    );
  });

  it('stops a training job that is still in progress', async () => {
    // GIVEN
    sagemakerMock
      .on(DescribeTrainingJobCommand, { TrainingJobName: 'linear-sharded-20250304' })
      .resolves({ TrainingJobStatus: 'InProgress' });

    // WHEN
    const result = await cleanUpExecution(client, {
      resources: [replicated, sharded],
      keepEndpoints: false,
      keepModels: false,
      now: fixedNow,
    });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandTimes(StopTrainingJobCommand, 1);
    expect(sagemakerMock).toHaveReceivedCommandWith(StopTrainingJobCommand, { TrainingJobName: 'linear-sharded-20250304' });
    expect(result.variants[1].trainingJobStoppedAt).toBe('2025-03-04T05:06:07.000Z');
    expect(result.variants[1].trainingJobStatus).toBe('Stopping');
  });

  it('leaves a job alone when it ended between Describe and Stop', async () => {
    // GIVEN
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    sagemakerMock
      .on(StopTrainingJobCommand)
      .rejects(serviceError('ValidationException', 'The request was rejected because the training job is in status Completed.'));

    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false });

    // THEN
    expect(result.variants[0].trainingJobStatus).toBe('Completed');
    expect(result.variants[0].trainingJobStoppedAt).toBeUndefined();
  });

  it('keeps going past a failed delete and names every failure at the end', async () => {
    // GIVEN the replicated endpoint cannot be deleted and the sharded job cannot be described
    sagemakerMock
      .on(DeleteEndpointCommand, { EndpointName: 'distributed-replicated-20250304' })
      .rejects(serviceError('AccessDeniedException', 'not authorized to perform sagemaker:DeleteEndpoint'));
    sagemakerMock
      .on(DescribeTrainingJobCommand, { TrainingJobName: 'linear-sharded-20250304' })
      .rejects(serviceError('InternalFailure', 'try again'));

    // WHEN
    const cleanUp = cleanUpExecution(client, { resources: [replicated, sharded], keepEndpoints: false, keepModels: false });

    // THEN everything else was still deleted, and both failures are reported
    await expect(cleanUp).rejects.toThrow(CleanUpError);
    await expect(cleanUp).rejects.toThrow(
      'Clean-up failed for 2 resource(s) that may still be billing: ' +
        'endpoint distributed-replicated-20250304 (AccessDeniedException: not authorized to perform sagemaker:DeleteEndpoint); ' +
        'training job linear-sharded-20250304 (InternalFailure: try again)',
    );
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointCommand, 2);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointConfigCommand, 2);
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteModelCommand, 2);
  });

  it('names its error CleanUpFailed so the workflow can catch it', async () => {
    // GIVEN
    sagemakerMock.on(DeleteModelCommand).rejects(serviceError('AccessDeniedException', 'denied'));

    // WHEN / THEN
    await expect(cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false })).rejects.toMatchObject({
      name: 'CleanUpFailed',
      failures: [{ kind: 'model', name: 'distributed-replicated-20250304', error: 'AccessDeniedException: denied' }],
    });
  });

  it('retries a throttled delete', async () => {
    // GIVEN
    sagemakerMock.on(DeleteEndpointCommand).rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded')).resolves({});

    // WHEN
    const result = await cleanUpExecution(client, { resources: [replicated], keepEndpoints: false, keepModels: false, sleep: noWait });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandTimes(DeleteEndpointCommand, 2);
    expect(result.variants[0].deleted).toContain('endpoint');
  });
});

describe('parseExecutionCleanUpRequest', () => {
  it('accepts a well-formed event', () => {
    // WHEN
    const request = parseExecutionCleanUpRequest({ resources: [replicated], keepEndpoints: false, keepModels: true });

    // THEN
    expect(request).toEqual({ resources: [replicated], keepEndpoints: false, keepModels: true });
  });

  it('rejects a missing resource name, naming the field', () => {
    // GIVEN
    const event = { resources: [{ ...replicated, endpointName: '' }], keepEndpoints: false, keepModels: false };

    // WHEN / THEN
    expect(() => parseExecutionCleanUpRequest(event)).toThrow(/"resources\[0\]\.endpointName" must be a non-empty string, got ""/);
  });

  it('rejects a flag that is not a boolean', () => {
    // WHEN / THEN
    expect(() => parseExecutionCleanUpRequest({ resources: [], keepEndpoints: 'no', keepModels: false })).toThrow(
      /"keepEndpoints" must be true or false, got "no"/,
    );
  });
});
