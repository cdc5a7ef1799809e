import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/clean-up-execution';

const sagemakerMock = mockClient(SageMakerClient);
const sharded = {
  variantName: 'sharded',
  jobName: 'linear-sharded-1',
  modelName: 'distributed-sharded-1',
  endpointConfigName: 'distributed-sharded-1',
  endpointName: 'distributed-sharded-1',
};

beforeEach(() => {
  sagemakerMock.reset();
  sagemakerMock.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'Completed' });
  sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService' });
});

describe('clean-up-execution handler', () => {
  it('deletes what the event names and returns what it did', async () => {
    // WHEN
    const result = await handler({ resources: [sharded], keepEndpoints: false, keepModels: true });

    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'distributed-sharded-1' });
    expect(sagemakerMock).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, { EndpointConfigName: 'distributed-sharded-1' });
    expect(sagemakerMock).not.toHaveReceivedCommand(DeleteModelCommand);
    expect(result.variants[0]).toMatchObject({ variantName: 'sharded', deleted: ['endpoint', 'endpointConfig'], kept: ['model'] });
    expect(result.variants[0].endpointDeletedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('rejects an event without flags before calling SageMaker', async () => {
    // WHEN / THEN
    await expect(handler({ resources: [sharded] } as never)).rejects.toThrow(/"keepEndpoints" must be true or false, got undefined/);
    expect(sagemakerMock.calls()).toHaveLength(0);
  });
});
