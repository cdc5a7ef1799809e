import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { ExperimentDeps, main } from '../../tools/experiment';

const sfnMock = mockClient(SFNClient);
const cloudFormationMock = mockClient(CloudFormationClient);
const s3Mock = mockClient(S3Client);

const stateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:ExperimentWorkflow';
const executionArn = 'arn:aws:states:eu-west-1:111122223333:execution:ExperimentWorkflow:run-1';
const at = (time: string) => new Date(`2025-03-04T${time}Z`);
const event = (id: number, type: string, time: string, name?: string): HistoryEvent => ({
  id,
  type: type as HistoryEvent['type'],
  timestamp: at(time),
  ...(type.endsWith('Entered') && { stateEnteredEventDetails: { name } }),
  ...(type.endsWith('Exited') && { stateExitedEventDetails: { name } }),
});

interface Harness {
  deps: ExperimentDeps;
  out: string[];
  err: string[];
  sleeps: number[];
  files: Record<string, string>;
}

function harness(): Harness {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const files: Record<string, string> = {};
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const deps: ExperimentDeps = {
    sfn: new SFNClient({ region: 'eu-west-1', credentials }),
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1', credentials }),
    s3: new S3Client({ region: 'eu-west-1', credentials }),
    sagemaker: new SageMakerClient({ region: 'eu-west-1', credentials }),
    readFile: async (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return files[path];
    },
    sleep: async (ms) => void sleeps.push(ms),
    pollIntervalMs: 4000,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { deps, out, err, sleeps, files };
}

function givenDeployedStack() {
  cloudFormationMock.on(DescribeStacksCommand, { StackName: 'DistributedTrainingExperiment' }).resolves({
    Stacks: [
      {
        StackName: 'DistributedTrainingExperiment',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: [
          { OutputKey: 'StateMachineArn', OutputValue: stateMachineArn },
          { OutputKey: 'DataBucketName', OutputValue: 'experiment-data-bucket' },
        ],
      },
    ],
  });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn, startDate: at('10:00:00') });
}

const succeededOutput = JSON.stringify({
  report: {
    summary: 'ShardedByS3Key trained 3.4x faster; FullyReplicated MSE 9.1 vs 9.8.',
    uris: {
      json: 's3://experiment-data-bucket/reports/run-1/report.json',
      markdown: 's3://experiment-data-bucket/reports/run-1/report.md',
    },
  },
});

beforeEach(() => {
  sfnMock.reset();
  cloudFormationMock.reset();
  s3Mock.reset();
});

describe('experiment start', () => {
  it('starts the state machine from the stack outputs with the input file, and prints ARN and console URL', async () => {
    // GIVEN
    givenDeployedStack();
    const { deps, out, files } = harness();
    files['in.json'] = '{ "epochs": 4 }';

    // WHEN
    const code = await main(['start', '--input', 'in.json', '--name', 'run-1'], deps);

    // THEN
    expect(code).toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn, name: 'run-1', input: '{"epochs":4}' });
    expect(out).toEqual([
      'Started execution run-1',
      `  ARN:     ${executionArn}`,
      `  Console: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`,
    ]);
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('starts with an empty object when no input file is given', async () => {
    // GIVEN
    givenDeployedStack();
    const { deps } = harness();

    // WHEN
    await main(['start'], deps);

    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn, input: '{}' });
  });

  it('watches to success: prints states as they are entered, what runs, then the report summary', async () => {
    // GIVEN a first look with two pages of history, then a second look after the end
    givenDeployedStack();
    const running = { executionArn, status: 'RUNNING' as const, startDate: at('10:00:00'), stateMachineArn };
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce(running)
      .resolves({ ...running, status: 'SUCCEEDED', stopDate: at('10:12:31'), output: succeededOutput });
    sfnMock
      .on(GetExecutionHistoryCommand, { nextToken: undefined })
      .resolvesOnce({
        events: [
          event(6, 'TaskStateEntered', '10:02:06', 'Start training job'),
          event(5, 'TaskStateEntered', '10:02:06', 'Start training job'),
          event(4, 'ParallelStateEntered', '10:02:05', 'Train variants'),
        ],
        nextToken: 'older',
      })
      .resolves({
        events: [
          event(12, 'ExecutionSucceeded', '10:12:31'),
          event(11, 'TaskStateExited', '10:12:31', 'Write report'),
          event(10, 'TaskStateEntered', '10:12:30', 'Write report'),
          event(9, 'ParallelStateExited', '10:10:00', 'Train variants'),
          event(8, 'TaskStateExited', '10:02:07', 'Start training job'),
          event(7, 'TaskStateExited', '10:02:07', 'Start training job'),
          event(6, 'TaskStateEntered', '10:02:06', 'Start training job'),
        ],
        nextToken: 'older-again',
      });
    sfnMock.on(GetExecutionHistoryCommand, { nextToken: 'older' }).resolves({
      events: [
        event(3, 'TaskStateExited', '10:02:05', 'Prepare data'),
        event(2, 'TaskStateEntered', '10:00:01', 'Prepare data'),
        event(1, 'ExecutionStarted', '10:00:00'),
      ],
    });
    const { deps, out, sleeps } = harness();

    // WHEN
    const code = await main(['start', '--watch'], deps);

    // THEN
    expect(code).toBe(0);
    expect(out.slice(4)).toEqual([
      '[00:01] Prepare data',
      '[02:05] Train variants',
      '[02:06] Start training job',
      '[02:06] Start training job',
      '        running now: Train variants, Start training job (x2)',
      '[12:30] Write report',
      '',
      'Execution SUCCEEDED after 12:31.',
      '',
      'ShardedByS3Key trained 3.4x faster; FullyReplicated MSE 9.1 vs 9.8.',
      '',
      'Report:',
      '  json: s3://experiment-data-bucket/reports/run-1/report.json',
      '  markdown: s3://experiment-data-bucket/reports/run-1/report.md',
    ]);
    expect(sleeps).toEqual([4000]);
    expect(sfnMock).not.toHaveReceivedCommandWith(GetExecutionHistoryCommand, { nextToken: 'older-again' });
    expect(sfnMock).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { executionArn, reverseOrder: true });
  });

  it('watches to failure: prints the error and cause, exit code 1', async () => {
    // GIVEN
    givenDeployedStack();
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn,
      stateMachineArn,
      status: 'FAILED',
      startDate: at('10:00:00'),
      stopDate: at('10:05:00'),
      error: 'ResourceLimitExceeded',
      cause: JSON.stringify({
        errorType: 'ResourceLimitExceeded',
        errorMessage: 'The account-level service limit for ml.c4.2xlarge is 5 Instances',
      }),
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [event(2, 'TaskStateEntered', '10:00:02', 'Start training job')] });
    const { deps, out, err } = harness();

    // WHEN
    const code = await main(['start', '--watch'], deps);

    // THEN
    expect(code).toBe(1);
    expect(out).toContain('[00:02] Start training job');
    expect(err).toEqual([
      'Execution FAILED after 05:00.',
      'Error: ResourceLimitExceeded',
      'Cause: ResourceLimitExceeded: The account-level service limit for ml.c4.2xlarge is 5 Instances',
    ]);
  });

  it('refuses an input file that is not JSON, naming it, before calling AWS', async () => {
    // GIVEN
    givenDeployedStack();
    const { deps, err, files } = harness();
    files['settings.json'] = 'epochs = 4';

    // WHEN
    const code = await main(['start', '--input', 'settings.json'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^Input file settings\.json is not valid JSON: /);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(cloudFormationMock.calls()).toHaveLength(0);
  });

  it('refuses an input file that is JSON but not an object', async () => {
    // GIVEN
    givenDeployedStack();
    const { deps, err, files } = harness();
    files['settings.json'] = '"epochs"';

    // WHEN
    const code = await main(['start', '--input', 'settings.json'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err).toEqual(['Input file settings.json must contain a JSON object (the execution input), got a string.']);
  });

  it('says which input file cannot be read', async () => {
    // GIVEN
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start', '--input', 'missing.json'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^Cannot read input file missing\.json: ENOENT/);
  });
});

describe('experiment report', () => {
  it('resolves a name to its execution and prints the Markdown report', async () => {
    // GIVEN
    givenDeployedStack();
    sfnMock
      .on(DescribeExecutionCommand, { executionArn })
      .resolves({ executionArn, stateMachineArn, status: 'SUCCEEDED', startDate: at('10:00:00'), output: succeededOutput });
    s3Mock
      .on(GetObjectCommand, { Bucket: 'experiment-data-bucket', Key: 'reports/run-1/report.md' })
      .resolves({ Body: { transformToString: async () => '# Distributed training report\n' } as never });
    const { deps, out } = harness();

    // WHEN
    const code = await main(['report', 'run-1'], deps);

    // THEN
    expect(code).toBe(0);
    expect(out).toEqual(['# Distributed training report\n']);
  });

  it('uses an execution ARN as it is, without looking up the stack', async () => {
    // GIVEN
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn, stateMachineArn, status: 'SUCCEEDED', startDate: at('10:00:00'), output: succeededOutput });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '# Report' } as never });
    const { deps } = harness();

    // WHEN
    const code = await main(['report', executionArn], deps);

    // THEN
    expect(code).toBe(0);
    expect(cloudFormationMock.calls()).toHaveLength(0);
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn });
  });

  it('prints the report of an execution that failed because some variants did, which the others still wrote', async () => {
    // GIVEN
    givenDeployedStack();
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn,
      name: 'run-1',
      stateMachineArn,
      status: 'FAILED',
      startDate: at('10:00:00'),
      error: 'VariantsFailed',
      cause: '1 of 2 variants failed: sharded: TrainingJobFailed: out of memory. Report: s3://data-bucket/prefix/reports/run-1/report.md',
    });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '# Partial report' } as never });
    const { deps, out } = harness();

    // WHEN
    const code = await main(['report', 'run-1'], deps);

    // THEN
    expect(code).toBe(0);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'data-bucket', Key: 'prefix/reports/run-1/report.md' });
    expect(out).toEqual(['# Partial report']);
  });

  it('explains that a failed execution has no report', async () => {
    // GIVEN
    givenDeployedStack();
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn, name: 'run-1', stateMachineArn, status: 'FAILED', startDate: at('10:00:00'), error: 'States.TaskFailed' });
    const { deps, err } = harness();

    // WHEN
    const code = await main(['report', 'run-1'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err).toEqual(['Execution run-1 has no report: it ended FAILED (States.TaskFailed).']);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('explains that a running execution has no report yet', async () => {
    // GIVEN
    givenDeployedStack();
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn, name: 'run-1', stateMachineArn, status: 'RUNNING', startDate: at('10:00:00') });
    const { deps, err } = harness();

    // WHEN
    await main(['report', 'run-1'], deps);

    // THEN
    expect(err[0]).toMatch(/^Execution run-1 has no report yet: it is still running/);
  });
});

describe('experiment errors', () => {
  it('says the stack is not deployed and how to deploy it', async () => {
    // GIVEN CloudFormation's answer for a stack that does not exist
    cloudFormationMock.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        message: 'Stack with id Mine does not exist',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start', '--stack', 'Mine'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err).toEqual(['Stack Mine is not deployed in eu-west-1. Run `npx cdk deploy` first, or pass --stack.']);
  });

  it('says the stack lacks the state machine output', async () => {
    // GIVEN
    cloudFormationMock.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'DistributedTrainingExperiment', StackStatus: 'ROLLBACK_COMPLETE', CreationTime: new Date(), Outputs: [] }],
    });
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err).toEqual([
      'Stack DistributedTrainingExperiment in eu-west-1 (status ROLLBACK_COMPLETE) has no output StateMachineArn. ' +
        'Is it the experiment stack? Run `npx cdk deploy` to deploy it, or pass --stack.',
    ]);
  });

  it('says how to configure credentials when there are none', async () => {
    // GIVEN the error the SDK's credential chain ends with
    cloudFormationMock
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^No AWS credentials found\. Configure them with `aws configure`/);
  });

  it('says AWS could not be reached, naming the endpoint and region, when the network fails', async () => {
    // GIVEN the error Node gives when DNS has no answer
    cloudFormationMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-1.amazonaws.com'), {
        code: 'ENOTFOUND',
        hostname: 'cloudformation.eu-west-1.amazonaws.com',
      }),
    );
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start'], deps);

    // THEN
    expect(code).toBe(1);
    expect(err).toEqual([
      'AWS could not be reached at cloudformation.eu-west-1.amazonaws.com (region eu-west-1): ENOTFOUND. ' +
        'Check the network connection, a proxy (HTTPS_PROXY) or VPN, and the region (AWS_REGION or your profile).',
    ]);
  });

  it('says a report name is invalid before any AWS call', async () => {
    // GIVEN
    const { deps, err } = harness();

    // WHEN
    const code = await main(['report', 'run 1'], deps);

    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^Execution name "run 1" is not allowed: .*\n\nUsage: npm run experiment/);
    expect([...cloudFormationMock.calls(), ...sfnMock.calls(), ...s3Mock.calls()]).toEqual([]);
  });

  it('prints the usage for an unknown option, exit code 2', async () => {
    // GIVEN
    const { deps, err } = harness();

    // WHEN
    const code = await main(['start', '--wait'], deps);

    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(
      /^Unknown option --wait for "start"\. Allowed: --watch, --input, --stack, --name\.\n\nUsage: npm run experiment/,
    );
  });

  it('prints the usage for a bad command line, exit code 2', async () => {
    // GIVEN
    const { deps, err } = harness();

    // WHEN
    const code = await main(['stat'], deps);

    // THEN
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^Unknown command "stat"\. Commands: start, report, clean-up\.\n\nUsage: npm run experiment/);
  });
});
