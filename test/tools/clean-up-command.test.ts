import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ExperimentDeps, main } from '../../tools/experiment';
import { MAX_PASSES, SETTLE_WAIT_MS } from '../../tools/clean-up-command';
import { statefulSageMaker } from '../helpers/stateful-sagemaker';

const sfnMock = mockClient(SFNClient);
const cloudFormationMock = mockClient(CloudFormationClient);
const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:ExperimentWorkflow';
const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1';
const START = new Date('2026-11-28T15:53:28.123Z');
const NAME = 'linear-sharded-20261128-155328-0a1b2c3d';
const KEPT = [
  { Key: 'experiment:stack', Value: 'DistributedTrainingExperiment' },
  { Key: 'experiment:execution', Value: executionArn },
  { Key: 'experiment:keep-endpoints', Value: 'true' },
  { Key: 'experiment:keep-models', Value: 'true' },
];
let sagemaker: ReturnType<typeof statefulSageMaker>;

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const deps: ExperimentDeps = {
    sfn: new SFNClient({ region: 'us-east-1', credentials }),
    cloudFormation: new CloudFormationClient({ region: 'us-east-1', credentials }),
    s3: new S3Client({ region: 'us-east-1', credentials }),
    sagemaker: new SageMakerClient({ region: 'us-east-1', credentials }),
    readFile: async () => '',
    sleep: async (ms) => void sleeps.push(ms),
    pollIntervalMs: 4000,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { deps, out, err, sleeps };
}

function givenExecution(status: 'SUCCEEDED' | 'RUNNING' | 'ABORTED') {
  sfnMock.on(DescribeExecutionCommand, { executionArn }).resolves({ executionArn, stateMachineArn, status, startDate: START });
}

beforeEach(() => {
  sfnMock.reset();
  cloudFormationMock.reset();
  cloudFormationMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'DistributedTrainingExperiment',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: [{ OutputKey: 'StateMachineArn', OutputValue: stateMachineArn }],
      },
    ],
  });
  sagemaker = statefulSageMaker();
});
afterEach(() => sagemaker.sagemaker.restore());

describe('experiment clean-up', () => {
  it('deletes the endpoint, config and model a succeeded execution kept, and says so', async () => {
    // GIVEN a succeeded execution that kept its endpoint
    givenExecution('SUCCEEDED');
    sagemaker.add('endpoint', NAME, KEPT, 'InService');
    sagemaker.add('endpointConfig', NAME, KEPT);
    sagemaker.add('model', NAME, KEPT);
    const { deps, out } = harness();

    // WHEN
    const code = await main(['clean-up', 'run-1'], deps);

    // THEN
    expect(code).toBe(0);
    expect(sagemaker.names()).toEqual([]);
    expect(out).toEqual([
      `Deleted endpoint ${NAME}`,
      `Deleted endpoint config ${NAME}`,
      `Deleted model ${NAME}`,
      'Nothing of execution run-1 is left running or billing.',
    ]);
  });

  it('waits a minute and tries again while an endpoint is still being created', async () => {
    // GIVEN an aborted execution whose endpoint finishes creating during the first wait
    givenExecution('ABORTED');
    sagemaker.add('endpoint', NAME, KEPT, 'Creating');
    const { deps: given, out, sleeps } = harness();
    const deps: ExperimentDeps = {
      ...given,
      sleep: async (ms) => {
        sleeps.push(ms);
        sagemaker.setStatus('endpoint', NAME, 'InService');
      },
    };

    // WHEN
    const code = await main(['clean-up', executionArn], deps);

    // THEN
    expect(code).toBe(0);
    expect(sleeps).toEqual([SETTLE_WAIT_MS]);
    expect(out[0]).toMatch(`Waiting for endpoints still being created, which SageMaker cannot delete yet: ${NAME} (check 1 of 30)`);
    expect(sagemaker.billing()).toEqual([]);
  });

  it('gives up after a bounded number of checks and says what is left', async () => {
    // GIVEN an endpoint that never settles
    givenExecution('ABORTED');
    sagemaker.add('endpoint', NAME, KEPT, 'Creating');
    const { deps, err, sleeps } = harness();

    // WHEN
    const code = await main(['clean-up', 'run-1'], deps);

    // THEN
    expect(code).toBe(1);
    expect(sleeps).toHaveLength(MAX_PASSES - 1);
    expect(err).toEqual([`Endpoints of execution run-1 were still being created after ${MAX_PASSES} checks; run clean-up again later.`]);
  });

  it('refuses while the execution runs, and says to stop it first', async () => {
    // GIVEN
    givenExecution('RUNNING');
    sagemaker.add('endpoint', NAME, KEPT, 'InService');
    const { deps, err } = harness();

    // WHEN
    const code = await main(['clean-up', 'run-1'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(
      /Execution run-1 is still running.*Stop it first.*aws stepfunctions stop-execution --execution-arn arn:aws:states:us-east-1:123456789012:execution:ExperimentWorkflow:run-1/,
    );
    expect(sagemaker.sagemaker.calls()).toHaveLength(0);
  });

  it('needs exactly one execution', async () => {
    // GIVEN
    const { deps, err } = harness();
    // WHEN
    const code = await main(['clean-up'], deps);
    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^"clean-up" needs exactly one execution name or ARN, got 0\./);
  });
});
