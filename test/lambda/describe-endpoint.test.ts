import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/describe-endpoint';
import { variantState } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);

beforeEach(() => {
  sagemakerMock.reset();
});

describe('describe-endpoint handler', () => {
  it('describes the variant endpoint and counts the first check as poll 1', async () => {
    // GIVEN
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });
    const state = variantState('sharded');
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DescribeEndpointCommand, { EndpointName: state.variant.endpointName });
    expect(endpoint).toEqual({ status: 'Creating', polls: 1, next: 'wait' });
  });

  it('reports an endpoint in service with its creation time', async () => {
    // GIVEN
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', CreationTime: new Date('2026-11-28T16:20:00.000Z') });
    const state = variantState('sharded', { endpoint: { status: 'Creating', polls: 9, next: 'wait' } });
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(endpoint).toEqual({ status: 'InService', polls: 10, createdAt: '2026-11-28T16:20:00.000Z', next: 'continue' });
  });

  it('fails with EndpointFailed and the failure reason as the cause', async () => {
    // GIVEN
    sagemakerMock
      .on(DescribeEndpointCommand)
      .resolves({ EndpointStatus: 'Failed', FailureReason: 'Insufficient capacity for ml.m4.xlarge' });
    const state = variantState('replicated', { endpoint: { status: 'Creating', polls: 3, next: 'wait' } });
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(endpoint).toMatchObject({
      next: 'fail',
      error: 'EndpointFailed',
      cause: `Endpoint ${state.variant.endpointName} failed: Insufficient capacity for ml.m4.xlarge`,
    });
  });

  it('fails with EndpointTimedOut when the endpoint is still creating at the poll bound', async () => {
    // GIVEN the plan allows 3600 / 30 = 120 checks; this is the 120th
    sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });
    const state = variantState('replicated', { endpoint: { status: 'Creating', polls: 119, next: 'wait' } });
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(endpoint).toEqual({
      status: 'Creating',
      polls: 120,
      next: 'fail',
      error: 'EndpointTimedOut',
      cause: `Endpoint ${state.variant.endpointName} is still Creating after 120 checks; stopped waiting`,
    });
  });
});
