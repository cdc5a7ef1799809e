import { CreateModelCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/create-model';
import { modelArn, modelExists } from './sagemaker-errors';
import { BUCKET, EXECUTION, ROLE_ARN, STACK_NAME, variantState } from './variant-fixture';

const sagemakerMock = mockClient(SageMakerClient);
const savedEnv = process.env;
const ARTIFACT = 's3://experiment-data-bucket/sagemaker/data_distribution_types/linear-sharded/output/model.tar.gz';
const COMPLETED = { status: 'Completed', polls: 6, finalMetrics: {}, interruptions: 0, modelArtifact: ARTIFACT, next: 'continue' as const };

beforeEach(() => {
  sagemakerMock.reset();
  process.env = { ...savedEnv, DATA_BUCKET: BUCKET, SAGEMAKER_ROLE_ARN: ROLE_ARN, STACK_NAME };
});

afterAll(() => {
  process.env = savedEnv;
});

describe('create-model handler', () => {
  it('creates the model from the training artifact with the same image and the SageMaker role', async () => {
    // GIVEN
    sagemakerMock.on(CreateModelCommand).resolves({});
    const state = variantState('sharded', { training: COMPLETED });
    // WHEN
    const result = await handler(state);
    // THEN
    expect(sagemakerMock).toHaveReceivedCommandWith(CreateModelCommand, {
      ModelName: state.variant.modelName,
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/experiment-sagemaker-role',
      PrimaryContainer: { Image: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1', ModelDataUrl: ARTIFACT },
      Tags: [
        { Key: 'experiment:stack', Value: STACK_NAME },
        { Key: 'experiment:execution', Value: EXECUTION.executionArn },
        { Key: 'experiment:variant', Value: 'sharded' },
      ],
    });
    expect(result).toEqual({ modelName: state.variant.modelName, created: true });
  });

  it('continues when a retry finds the model this execution already created', async () => {
    // GIVEN
    const state = variantState('sharded', { training: COMPLETED });
    sagemakerMock.on(CreateModelCommand).rejects(modelExists(state.variant.modelName));
    sagemakerMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'experiment:execution', Value: EXECUTION.executionArn }] });
    // WHEN
    const result = await handler(state);
    // THEN
    expect(result).toEqual({ modelName: state.variant.modelName, created: false });
    expect(sagemakerMock).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: modelArn(state.variant.modelName) });
  });

  it('fails with NameTaken when another execution owns a model of the same name', async () => {
    // GIVEN
    const state = variantState('sharded', { training: COMPLETED });
    sagemakerMock.on(CreateModelCommand).rejects(modelExists(state.variant.modelName));
    sagemakerMock
      .on(ListTagsCommand)
      .resolves({ Tags: [{ Key: 'experiment:execution', Value: 'arn:aws:states:us-east-1:123456789012:execution:Other:run-9' }] });
    // WHEN / THEN
    await expect(handler(state)).rejects.toMatchObject({ name: 'NameTaken' });
  });

  it('fails clearly, before calling SageMaker, when training reported no artifact', async () => {
    // GIVEN
    const state = variantState('sharded', {
      training: { status: 'Completed', polls: 6, finalMetrics: {}, interruptions: 0, next: 'continue' },
    });
    // WHEN / THEN
    await expect(handler(state)).rejects.toThrow(
      new RegExp(`^Training job ${state.variant.jobName} reported no model artifact; cannot create model ${state.variant.modelName}$`),
    );
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  it('fails clearly when the state has no training result at all', async () => {
    // GIVEN / WHEN / THEN
    await expect(handler(variantState('sharded'))).rejects.toThrow(/reported no model artifact/);
  });
});
