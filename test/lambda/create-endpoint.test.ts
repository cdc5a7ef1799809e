import { CreateEndpointCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/create-endpoint';
import { endpointArn, endpointExists, resourceLimitExceeded } from './sagemaker-errors';
import { EXECUTION, STACK_NAME, variantState } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);

beforeEach(() => {
  sagemakerMock.reset();
});

describe('create-endpoint handler', () => {
  it('creates the endpoint from the variant config and returns a creating endpoint', async () => {
    // GIVEN
    sagemakerMock.on(CreateEndpointCommand).resolves({ EndpointArn: 'arn' });
    const state = variantState('sharded');
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(CreateEndpointCommand, {
      EndpointName: state.variant.endpointName,
      EndpointConfigName: state.variant.endpointConfigName,
      Tags: [
        { Key: 'experiment:stack', Value: STACK_NAME },
        { Key: 'experiment:execution', Value: EXECUTION.executionArn },
        { Key: 'experiment:variant', Value: 'sharded' },
      ],
    });
    expect(endpoint).toEqual({ status: 'Creating', polls: 0, next: 'wait' });
  });

  it('continues when a retry finds the endpoint this execution already created', async () => {
    // GIVEN
    const state = variantState('sharded');
    sagemakerMock.on(CreateEndpointCommand).rejects(endpointExists(state.variant.endpointName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: EXECUTION.executionArn }] });
    // WHEN
    const endpoint = await handler(state);
    // THEN
    expect(endpoint).toEqual({ status: 'Creating', polls: 0, next: 'wait' });
    expect(sagemakerMock).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: endpointArn(state.variant.endpointName) });
  });

  it('fails with NameTaken when another execution owns an endpoint of the same name', async () => {
    // GIVEN
    const state = variantState('sharded');
    sagemakerMock.on(CreateEndpointCommand).rejects(endpointExists(state.variant.endpointName));
    sagemakerMock
      .on(ListTagsCommand)
      .resolves({ Tags: [{ Key: 'experiment:execution', Value: 'arn:aws:states:us-east-1:123456789012:execution:Other:run-9' }] });
    // WHEN / THEN
    await expect(handler(state)).rejects.toMatchObject({ name: 'NameTaken' });
  });

  it('explains an endpoint quota that is too small', async () => {
    // GIVEN
    sagemakerMock
      .on(CreateEndpointCommand)
      .rejects(resourceLimitExceeded("The account-level service limit 'ml.m4.xlarge for endpoint usage' is 0 Instances."));
    // WHEN / THEN
    await expect(handler(variantState('sharded'))).rejects.toThrow(
      /SageMaker refused 1 x ml.m4.xlarge for endpoint usage: .*Raise the Service Quotas value "ml.m4.xlarge for endpoint usage".*lower endpointInstanceCount/,
    );
  });
});
