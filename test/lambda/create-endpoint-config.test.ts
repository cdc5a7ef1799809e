import { CreateEndpointConfigCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/create-endpoint-config';
import { endpointConfigArn, endpointConfigExists } from './sagemaker-errors';
import { EXECUTION, STACK_NAME, variantState } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);

beforeEach(() => {
  sagemakerMock.reset();
});

describe('create-endpoint-config handler', () => {
  it('creates a config with one ml.m4.xlarge at weight 1 for the variant model', async () => {
    // GIVEN
    sagemakerMock.on(CreateEndpointConfigCommand).resolves({});
    const state = variantState('replicated');
    // WHEN
    const result = await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(CreateEndpointConfigCommand, {
      EndpointConfigName: state.variant.endpointConfigName,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: state.variant.modelName,
          InitialInstanceCount: 1,
          InstanceType: 'ml.m4.xlarge',
          InitialVariantWeight: 1,
        },
      ],
      Tags: [
        { Key: 'experiment:stack', Value: STACK_NAME },
        { Key: 'experiment:execution', Value: EXECUTION.executionArn },
        { Key: 'experiment:variant', Value: 'replicated' },
      ],
    });
    expect(result).toEqual({ endpointConfigName: state.variant.endpointConfigName, created: true });
  });

  it('continues when a retry finds the config this execution already created', async () => {
    // GIVEN
    const state = variantState('replicated');
    sagemakerMock.on(CreateEndpointConfigCommand).rejects(endpointConfigExists(state.variant.endpointConfigName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: EXECUTION.executionArn }] });
    // WHEN
    const result = await handler(state);
    // THEN
    expect(result).toEqual({ endpointConfigName: state.variant.endpointConfigName, created: false });
    expect(sagemakerMock).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: endpointConfigArn(state.variant.endpointConfigName) });
  });

  it('fails with NameTaken when another execution owns a config of the same name', async () => {
    // GIVEN
    const state = variantState('replicated');
    sagemakerMock.on(CreateEndpointConfigCommand).rejects(endpointConfigExists(state.variant.endpointConfigName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [] });
    // WHEN / THEN
    await expect(handler(state)).rejects.toThrow(
      /endpoint-config\/linear-replicated-.* already exists and was not created by this execution/,
    );
  });
});
