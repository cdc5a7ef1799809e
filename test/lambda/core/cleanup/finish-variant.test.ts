import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import {
  MAX_VARIANT_CLEAN_UP_ATTEMPTS,
  failedSummary,
  finishVariant,
  readableFailure,
} from '../../../../lambda/core/cleanup/finish-variant';
import type { SucceededVariantSummary } from '../../../../lambda/core/workflow/execution-state';
import { planFor } from '../../variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'us-east-1' });
const options = { now: () => new Date('2026-11-28T16:30:00.000Z'), sleep: async () => undefined };

const variantPlan = (input: Record<string, unknown> = {}) => planFor(input).variants[0];

function evaluatedSummary(): SucceededVariantSummary {
  const variant = variantPlan();
  return {
    ...failedSummary(variant, { Error: 'x', Cause: 'y' }),
    status: 'succeeded',
    training: { status: 'Completed', trainingTimeInSeconds: 300, billableTimeInSeconds: 360, finalMetrics: {}, interruptions: 0 },
    hosting: { status: 'InService', createdAt: '2026-11-28T16:20:00.000Z' },
    evaluation: { rowsScored: 10, mse: 1.5, mae: 1 } as never,
  } as SucceededVariantSummary;
}

beforeEach(() => {
  sagemakerMock.reset();
  sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'Completed' });
  sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService' });
});

describe('finishVariant after its evaluation', () => {
  it("deletes the variant's endpoint, config and model and adds the deletion time to its summary", async () => {
    // GIVEN an evaluated variant whose endpoint is in service
    const variant = variantPlan();

    // WHEN
    const result = await finishVariant(client, { variant, summary: evaluatedSummary() }, options);

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: variant.endpointName });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: variant.endpointConfigName });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteModelCommand, { ModelName: variant.modelName });
    expect(result.next).toBe('continue');
    expect(result.summary).toMatchObject({
      status: 'succeeded',
      hosting: { createdAt: '2026-11-28T16:20:00.000Z', deletedAt: '2026-11-28T16:30:00.000Z' },
    });
  });

  it('keeps the endpoint with keepEndpoints, and its summary has no deletion time', async () => {
    // GIVEN
    const variant = variantPlan({ keepEndpoints: true });

    // WHEN
    const result = await finishVariant(client, { variant, summary: evaluatedSummary() }, options);

    // THEN
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(result.summary.status === 'succeeded' && result.summary.hosting.deletedAt).toBeUndefined();
  });

  it('keeps the model with keepModels but deletes the endpoint and its config', async () => {
    // GIVEN
    const variant = variantPlan({ keepModels: true });

    // WHEN
    await finishVariant(client, { variant, summary: evaluatedSummary() }, options);

    // THEN
    expect(sagemakerMock).toHaveReceivedCommand(DeleteEndpointCommand);
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteModelCommand);
  });

  it('fails when an endpoint that was in service cannot be deleted yet, so the failure path retries it', async () => {
    // GIVEN the endpoint is being updated
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Updating' });

    // WHEN / THEN
    await expect(finishVariant(client, { variant: variantPlan(), summary: evaluatedSummary() }, options)).rejects.toThrow(
      /was in service after its evaluation but SageMaker would not delete it yet/,
    );
  });
});

describe('finishVariant after a failure', () => {
  it('stops a job still running and deletes whatever exists, endpoints even with keepEndpoints', async () => {
    // GIVEN the job still runs (its describe task crashed) and the execution asked to keep endpoints
    sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    const variant = variantPlan({ keepEndpoints: true });

    // WHEN
    const result = await finishVariant(client, { variant, failure: { Error: 'Lambda.Unknown', Cause: 'crashed' } }, options);

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(StopTrainingJobCommand, { TrainingJobName: variant.jobName });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: variant.endpointName });
    expect(result.summary).toMatchObject({ name: variant.name, status: 'failed', failure: { error: 'Lambda.Unknown', cause: 'crashed' } });
  });

  it('asks to wait while its endpoint is still being created, and counts the attempts', async () => {
    // GIVEN
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });

    // WHEN
    const result = await finishVariant(client, { variant: variantPlan(), failure: { Error: 'E', Cause: 'c' }, attempt: 2 }, options);

    // THEN
    expect(result).toMatchObject({ next: 'wait', attempt: 3, pendingEndpoints: [variantPlan().endpointName] });
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it('goes on after its last attempt, naming the endpoint left for the execution clean-up in the cause', async () => {
    // GIVEN the endpoint never settles
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });

    // WHEN the last attempt runs
    const result = await finishVariant(
      client,
      {
        variant: variantPlan(),
        failure: { Error: 'EndpointTimedOut', Cause: 'still Creating' },
        attempt: MAX_VARIANT_CLEAN_UP_ATTEMPTS - 1,
      },
      options,
    );

    // THEN
    expect(result.next).toBe('continue');
    expect(result.summary.status === 'failed' && result.summary.failure.cause).toMatch(
      new RegExp(`^still Creating \\(endpoint ${variantPlan().endpointName} was still being created after 10 clean-up attempts`),
    );
  });

  it('rejects a request with both a summary and a failure, or neither', async () => {
    await expect(finishVariant(client, { variant: variantPlan() }, options)).rejects.toThrow(/not neither/);
    await expect(
      finishVariant(client, { variant: variantPlan(), summary: evaluatedSummary(), failure: { Error: 'E', Cause: 'c' } }, options),
    ).rejects.toThrow(/not both/);
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  it('rejects a request without the variant plan, naming what it needs', async () => {
    await expect(finishVariant(client, { variant: undefined as never, failure: { Error: 'E', Cause: 'c' } }, options)).rejects.toThrow(
      /variant must be the variant's plan/,
    );
  });
});

describe('readableFailure', () => {
  it("keeps only the message of Lambda's JSON error envelope", () => {
    const envelope = JSON.stringify({ errorType: 'ModelError', errorMessage: 'bad input', trace: ['at x'] });
    expect(readableFailure({ Error: 'ModelError', Cause: envelope })).toEqual({ error: 'ModelError', cause: 'bad input' });
  });

  it("passes a Fail state's or SageMaker's sentence as it is", () => {
    expect(readableFailure({ Error: 'TrainingJobFailed', Cause: 'Training job j failed: AlgorithmError' })).toEqual({
      error: 'TrainingJobFailed',
      cause: 'Training job j failed: AlgorithmError',
    });
  });

  it('names an unknown error rather than leaving it blank', () => {
    expect(readableFailure({ Error: '', Cause: '{"not":"an envelope"}' })).toEqual({
      error: 'UnknownError',
      cause: '{"not":"an envelope"}',
    });
  });
});
