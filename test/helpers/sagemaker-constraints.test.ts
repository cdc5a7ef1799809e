import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  CreateTrainingJobCommandInput,
} from '@aws-sdk/client-sagemaker';
import {
  ConstraintProblem,
  createEndpointConfigProblems,
  createEndpointProblems,
  createModelProblems,
  createTrainingJobProblems,
} from './sagemaker-constraints';

const NAME = 'linear-sharded-20261128-155328-0a1b2c3d';
const ROLE = 'arn:aws:iam::123456789012:role/experiment-sagemaker-role';
const IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1';
const PREFIX = 's3://experiment-data-bucket/sagemaker/data_distribution_types';
const TAGS = [
  { Key: 'experiment:stack', Value: 'DistributedTrainingExperiment' },
  { Key: 'experiment:execution', Value: 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1' },
];

/** A spot training job within every documented constraint; each test breaks one. */
function trainingJob(): CreateTrainingJobCommandInput {
  const channel = (name: string) => ({
    ChannelName: name,
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: `${PREFIX}/datasets/0123/${name}/`,
        S3DataDistributionType: 'ShardedByS3Key' as const,
      },
    },
    CompressionType: 'None' as const,
    RecordWrapperType: 'None' as const,
  });
  return {
    TrainingJobName: NAME,
    AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'Pipe' },
    RoleArn: ROLE,
    InputDataConfig: [channel('train'), channel('validation')],
    OutputDataConfig: { S3OutputPath: PREFIX },
    ResourceConfig: { InstanceCount: 10, InstanceType: 'ml.c4.2xlarge', VolumeSizeInGB: 10 },
    HyperParameters: { feature_dim: '25', epochs: '2' },
    StoppingCondition: { MaxRuntimeInSeconds: 1800, MaxWaitTimeInSeconds: 3600 },
    EnableManagedSpotTraining: true,
    CheckpointConfig: { S3Uri: `${PREFIX}/checkpoints/${NAME}/` },
    Tags: [...TAGS],
  };
}

const model = (): CreateModelCommandInput => ({
  ModelName: NAME,
  ExecutionRoleArn: ROLE,
  PrimaryContainer: { Image: IMAGE, ModelDataUrl: `${PREFIX}/${NAME}/output/model.tar.gz` },
  Tags: [...TAGS],
});

const endpointConfig = (): CreateEndpointConfigCommandInput => ({
  EndpointConfigName: NAME,
  ProductionVariants: [
    { VariantName: 'AllTraffic', ModelName: NAME, InitialInstanceCount: 1, InstanceType: 'ml.m4.xlarge', InitialVariantWeight: 1 },
  ],
  Tags: [...TAGS],
});

const endpoint = (): CreateEndpointCommandInput => ({ EndpointName: NAME, EndpointConfigName: NAME, Tags: [...TAGS] });

const fields = (problems: readonly ConstraintProblem[]) => problems.map((problem) => problem.field);

/** Every problem is of `field`, and one of them states `rule` (a 64-character name breaks both length and pattern). */
function expectOnlyFieldBreaking(problems: readonly ConstraintProblem[], field: string, rule: RegExp): void {
  expect(new Set(fields(problems))).toEqual(new Set([field]));
  expect(problems).toContainEqual({ field, rule: expect.stringMatching(rule) });
}

describe('createTrainingJobProblems', () => {
  it('finds no problem in a request within every constraint', () => {
    // GIVEN / WHEN / THEN
    expect(createTrainingJobProblems(trainingJob())).toEqual([]);
  });

  it.each([
    ['a name of 64 characters', { TrainingJobName: 'a'.repeat(64) }, 'TrainingJobName', /1 to 63 characters/],
    ['a name with an underscore', { TrainingJobName: 'linear_sharded' }, 'TrainingJobName', /must match/],
    ['a name starting with a hyphen', { TrainingJobName: '-linear' }, 'TrainingJobName', /must match/],
    ['a role ARN of a user', { RoleArn: 'arn:aws:iam::123456789012:user/someone' }, 'RoleArn', /must match/],
    ['a role ARN without an account', { RoleArn: 'arn:aws:iam:::role/r' }, 'RoleArn', /must match/],
    [
      'an output path that is no URI',
      { OutputDataConfig: { S3OutputPath: 'experiment-data-bucket/x' } },
      'OutputDataConfig.S3OutputPath',
      /must match/,
    ],
    [
      'an output path of 1025 characters',
      { OutputDataConfig: { S3OutputPath: `s3://b/${'k'.repeat(1018)}` } },
      'OutputDataConfig.S3OutputPath',
      /0 to 1024/,
    ],
  ])('names the field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = { ...trainingJob(), ...change } as CreateTrainingJobCommandInput;
    // WHEN
    const problems = createTrainingJobProblems(request);
    // THEN
    expectOnlyFieldBreaking(problems, field, rule);
  });

  it('rejects a training image of 256 characters', () => {
    // GIVEN
    const request = trainingJob();
    request.AlgorithmSpecification = { TrainingInputMode: 'Pipe', TrainingImage: `${IMAGE}${'x'.repeat(256 - IMAGE.length)}` };
    // WHEN / THEN
    expect(fields(createTrainingJobProblems(request))).toEqual(['AlgorithmSpecification.TrainingImage']);
  });

  it('rejects an input mode the SDK does not know', () => {
    // GIVEN
    const request = trainingJob();
    request.AlgorithmSpecification = { ...request.AlgorithmSpecification, TrainingInputMode: 'Stream' as never };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([
      { field: 'AlgorithmSpecification.TrainingInputMode', rule: expect.stringContaining('"Stream" must be a training input mode') },
    ]);
  });

  it('rejects 101 hyperparameters', () => {
    // GIVEN
    const request = { ...trainingJob(), HyperParameters: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '1'])) };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field: 'HyperParameters', rule: '101 hyperparameters must be at most 100' }]);
  });

  it('accepts a hyperparameter value of 2500 characters and rejects one of 2501', () => {
    // GIVEN
    const longest = { ...trainingJob(), HyperParameters: { epochs: '1'.repeat(2500) } };
    const tooLong = { ...trainingJob(), HyperParameters: { epochs: '1'.repeat(2501) } };
    // WHEN / THEN
    expect(createTrainingJobProblems(longest)).toEqual([]);
    expect(createTrainingJobProblems(tooLong)).toEqual([{ field: 'HyperParameters.epochs', rule: expect.stringContaining('0 to 2500') }]);
  });

  it('rejects a hyperparameter key of 257 characters', () => {
    // GIVEN
    const request = { ...trainingJob(), HyperParameters: { ['k'.repeat(257)]: '1' } };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([
      { field: `HyperParameters.${'k'.repeat(40)}… (key)`, rule: expect.stringContaining('0 to 256') },
    ]);
  });

  it.each([
    ['a name with a slash', { ChannelName: 'train/2' }, 'InputDataConfig[0].ChannelName', /must match/],
    ['a name of 65 characters', { ChannelName: 'c'.repeat(65) }, 'InputDataConfig[0].ChannelName', /1 to 64 characters/],
    ['a compression SageMaker does not know', { CompressionType: 'Zip' }, 'InputDataConfig[0].CompressionType', /must be a compression/],
    [
      'a record wrapper SageMaker does not know',
      { RecordWrapperType: 'Protobuf' },
      'InputDataConfig[0].RecordWrapperType',
      /must be a record wrapper/,
    ],
  ])('names the channel field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = trainingJob();
    request.InputDataConfig = [{ ...request.InputDataConfig![0], ...change } as never, request.InputDataConfig![1]];
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field, rule: expect.stringMatching(rule) }]);
  });

  it.each([
    ['an S3 URI without a scheme', { S3Uri: 'experiment-data-bucket/train/' }, 'S3Uri', /must match/],
    ['an S3 URI of 1025 characters', { S3Uri: `s3://b/${'k'.repeat(1018)}` }, 'S3Uri', /0 to 1024/],
    ['a data type SageMaker does not know', { S3DataType: 'S3Folder' }, 'S3DataType', /must be a S3 data type/],
    ['a distribution SageMaker does not know', { S3DataDistributionType: 'Sharded' }, 'S3DataDistributionType', /must be a distribution/],
  ])('names the S3 data source field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = trainingJob();
    const [train, validation] = request.InputDataConfig!;
    const source = { ...train.DataSource!.S3DataSource!, ...change } as never;
    request.InputDataConfig = [validation, { ...train, DataSource: { S3DataSource: source } }];
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([
      { field: `InputDataConfig[1].DataSource.S3DataSource.${field}`, rule: expect.stringMatching(rule) },
    ]);
  });

  it('rejects two channels of one name', () => {
    // GIVEN
    const request = trainingJob();
    request.InputDataConfig = [request.InputDataConfig![0], request.InputDataConfig![0]];
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field: 'InputDataConfig[1].ChannelName', rule: '"train" must be unique' }]);
  });

  it('rejects 21 channels', () => {
    // GIVEN
    const request = trainingJob();
    const [train] = request.InputDataConfig!;
    request.InputDataConfig = Array.from({ length: 21 }, (_, i) => ({ ...train, ChannelName: `c${i}` }));
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field: 'InputDataConfig', rule: '21 channels must be 1 to 20' }]);
  });

  it.each([
    [
      'an instance type the SDK does not know',
      { InstanceType: 'ml.c4.3xlarge' },
      'ResourceConfig.InstanceType',
      /must be a training instance type/,
    ],
    ['a hosting-only instance type', { InstanceType: 'ml.t2.medium' }, 'ResourceConfig.InstanceType', /must be a training instance type/],
    ['no instances', { InstanceCount: 0 }, 'ResourceConfig.InstanceCount', /integer at least 1/],
    ['a volume of 0 GB', { VolumeSizeInGB: 0 }, 'ResourceConfig.VolumeSizeInGB', /integer at least 1/],
    ['a fractional volume', { VolumeSizeInGB: 1.5 }, 'ResourceConfig.VolumeSizeInGB', /integer at least 1/],
  ])('names the resource field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = trainingJob();
    request.ResourceConfig = { ...request.ResourceConfig, ...change } as never;
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field, rule: expect.stringMatching(rule) }]);
  });

  it('rejects a runtime of 0 seconds', () => {
    // GIVEN
    const request = { ...trainingJob(), StoppingCondition: { MaxRuntimeInSeconds: 0, MaxWaitTimeInSeconds: 3600 } };
    // WHEN / THEN
    expect(fields(createTrainingJobProblems(request))).toEqual(['StoppingCondition.MaxRuntimeInSeconds']);
  });

  it('rejects a spot wait shorter than the runtime', () => {
    // GIVEN
    const request = { ...trainingJob(), StoppingCondition: { MaxRuntimeInSeconds: 1800, MaxWaitTimeInSeconds: 1799 } };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([
      {
        field: 'StoppingCondition.MaxWaitTimeInSeconds',
        rule: '1799 must be at least MaxRuntimeInSeconds (1800) for managed spot training',
      },
    ]);
  });

  it('rejects a spot job without a wait bound', () => {
    // GIVEN
    const request = { ...trainingJob(), StoppingCondition: { MaxRuntimeInSeconds: 1800 } };
    // WHEN / THEN
    expect(fields(createTrainingJobProblems(request))).toEqual(['StoppingCondition.MaxWaitTimeInSeconds']);
  });

  it('rejects a wait bound on an on-demand job', () => {
    // GIVEN
    const request = { ...trainingJob(), EnableManagedSpotTraining: false, CheckpointConfig: undefined };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([
      { field: 'StoppingCondition.MaxWaitTimeInSeconds', rule: 'is only for managed spot training (EnableManagedSpotTraining true)' },
    ]);
  });

  it('rejects a spot job without checkpoints', () => {
    // GIVEN
    const request = { ...trainingJob(), CheckpointConfig: undefined };
    // WHEN / THEN
    expect(fields(createTrainingJobProblems(request))).toEqual(['CheckpointConfig']);
  });

  it.each([
    ['that is no URI', 'experiment-data-bucket/checkpoints/', /must match/],
    ['of 1025 characters', `s3://b/${'k'.repeat(1018)}`, /0 to 1024/],
  ])('rejects a checkpoint S3 URI %s', (_, uri, rule) => {
    // GIVEN
    const request = { ...trainingJob(), CheckpointConfig: { S3Uri: uri } };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field: 'CheckpointConfig.S3Uri', rule: expect.stringMatching(rule) }]);
  });

  it.each([
    ['an empty key', { Key: '', Value: 'x' }, 'Tags[2].Key', /1 to 128 characters/],
    ['a key of 129 characters', { Key: 'k'.repeat(129), Value: 'x' }, 'Tags[2].Key', /1 to 128 characters/],
    ['a value of 257 characters', { Key: 'k', Value: 'v'.repeat(257) }, 'Tags[2].Value', /0 to 256 characters/],
    ['a value with a parenthesis', { Key: 'k', Value: 'run(1)' }, 'Tags[2].Value', /must match/],
    ['a key with an exclamation mark', { Key: 'keep!', Value: 'true' }, 'Tags[2].Key', /must match/],
    ['a key with the reserved prefix', { Key: 'aws:cloudformation:stack-name', Value: 'x' }, 'Tags[2].Key', /reserved prefix "aws:"/],
    ['a repeated key', { Key: 'experiment:stack', Value: 'x' }, 'Tags[2].Key', /must be unique/],
  ])('names the tag field of %s', (_, tag, field, rule) => {
    // GIVEN
    const request = { ...trainingJob(), Tags: [...TAGS, tag] };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field, rule: expect.stringMatching(rule) }]);
  });

  it('accepts letters of any script, spaces and _ . : / = + - @ in tags', () => {
    // GIVEN
    const request = { ...trainingJob(), Tags: [{ Key: 'équipe données', Value: 'a_b.c:d/e=f+g-h@i 1' }] };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([]);
  });

  it('rejects 51 tags', () => {
    // GIVEN
    const request = { ...trainingJob(), Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) };
    // WHEN / THEN
    expect(createTrainingJobProblems(request)).toEqual([{ field: 'Tags', rule: '51 tags must be at most 50' }]);
  });
});

describe('createModelProblems', () => {
  it('finds no problem in a request within every constraint', () => {
    // GIVEN / WHEN / THEN
    expect(createModelProblems(model())).toEqual([]);
  });

  it.each([
    ['a name with a dot', { ModelName: 'linear.sharded' }, 'ModelName', /must match/],
    ['a role ARN of another service', { ExecutionRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s' }, 'ExecutionRoleArn', /must match/],
    [
      'an image with a space',
      { PrimaryContainer: { Image: 'linear learner:1', ModelDataUrl: `${PREFIX}/m.tar.gz` } },
      'PrimaryContainer.Image',
      /no whitespace/,
    ],
    [
      'an image of 256 characters',
      { PrimaryContainer: { Image: 'i'.repeat(256), ModelDataUrl: `${PREFIX}/m.tar.gz` } },
      'PrimaryContainer.Image',
      /0 to 255/,
    ],
    [
      'a model data URL that is no URI',
      { PrimaryContainer: { Image: IMAGE, ModelDataUrl: '/tmp/model.tar.gz' } },
      'PrimaryContainer.ModelDataUrl',
      /must match/,
    ],
    ['no model data URL', { PrimaryContainer: { Image: IMAGE } }, 'PrimaryContainer.ModelDataUrl', /is required/],
  ])('names the field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = { ...model(), ...change } as CreateModelCommandInput;
    // WHEN / THEN
    expect(createModelProblems(request)).toEqual([{ field, rule: expect.stringMatching(rule) }]);
  });

  it('checks the tags as every create request does', () => {
    // GIVEN
    const request = { ...model(), Tags: [{ Key: 'aws:created-by', Value: 'me' }] };
    // WHEN / THEN
    expect(fields(createModelProblems(request))).toEqual(['Tags[0].Key']);
  });
});

describe('createEndpointConfigProblems', () => {
  it('finds no problem in a request within every constraint', () => {
    // GIVEN / WHEN / THEN
    expect(createEndpointConfigProblems(endpointConfig())).toEqual([]);
  });

  it.each([
    ['a variant name with an underscore', { VariantName: 'All_Traffic' }, 'ProductionVariants[0].VariantName', /must match/],
    ['a model name of 64 characters', { ModelName: 'm'.repeat(64) }, 'ProductionVariants[0].ModelName', /1 to 63/],
    [
      'a training-only instance type',
      { InstanceType: 'ml.c5n.2xlarge' },
      'ProductionVariants[0].InstanceType',
      /must be a hosting instance type/,
    ],
    ['no instances', { InitialInstanceCount: 0 }, 'ProductionVariants[0].InitialInstanceCount', /integer at least 1/],
    ['a negative weight', { InitialVariantWeight: -1 }, 'ProductionVariants[0].InitialVariantWeight', /at least 0/],
  ])('names the field of %s', (_, change, field, rule) => {
    // GIVEN
    const request = endpointConfig();
    request.ProductionVariants = [{ ...request.ProductionVariants![0], ...change } as never];
    // WHEN / THEN
    expectOnlyFieldBreaking(createEndpointConfigProblems(request), field, rule);
  });

  it('accepts a weight of 0', () => {
    // GIVEN
    const request = endpointConfig();
    request.ProductionVariants = [{ ...request.ProductionVariants![0], InitialVariantWeight: 0 }];
    // WHEN / THEN
    expect(createEndpointConfigProblems(request)).toEqual([]);
  });

  it('rejects a config name of 64 characters', () => {
    // GIVEN
    const request = { ...endpointConfig(), EndpointConfigName: 'c'.repeat(64) };
    // WHEN / THEN
    expectOnlyFieldBreaking(createEndpointConfigProblems(request), 'EndpointConfigName', /1 to 63 characters/);
  });

  it('rejects a config without variants', () => {
    // GIVEN
    const request = { ...endpointConfig(), ProductionVariants: [] };
    // WHEN / THEN
    expect(createEndpointConfigProblems(request)).toEqual([{ field: 'ProductionVariants', rule: '0 variants must be 1 to 10' }]);
  });
});

describe('createEndpointProblems', () => {
  it('finds no problem in a request within every constraint', () => {
    // GIVEN / WHEN / THEN
    expect(createEndpointProblems(endpoint())).toEqual([]);
  });

  it.each([
    ['EndpointName', { EndpointName: 'linear-sharded-' }, /must match/],
    ['EndpointConfigName', { EndpointConfigName: 'e'.repeat(64) }, /1 to 63 characters/],
  ])('names %s when it breaks the name rule', (field, change, rule) => {
    // GIVEN
    const request = { ...endpoint(), ...change };
    // WHEN / THEN
    expectOnlyFieldBreaking(createEndpointProblems(request), field, rule);
  });

  it('checks the tags as every create request does', () => {
    // GIVEN
    const request = { ...endpoint(), Tags: [{ Key: 'k', Value: "it's" }] };
    // WHEN / THEN
    expect(fields(createEndpointProblems(request))).toEqual(['Tags[0].Value']);
  });
});
