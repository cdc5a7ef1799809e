import { readFile } from 'node:fs/promises';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  DescribeExecutionCommand,
  DescribeExecutionOutput,
  GetExecutionHistoryCommand,
  HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  INITIAL_PROGRESS,
  USAGE,
  UsageError,
  applyHistory,
  consoleUrl,
  executionArnFor,
  isExecutionArn,
  isFinished,
  outcomeLines,
  parseArguments,
  parseInputDocument,
  parseS3Uri,
  regionOfArn,
  reportMarkdownUri,
  unreachableMessage,
} from './experiment-core';
import { cleanUpCommand } from './clean-up-command';

/** `npm run experiment -- start|report|clean-up`: runs the deployed experiment, reads its report, cleans up after it. */

export interface ExperimentDeps {
  readonly sfn: SFNClient;
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly readFile: (path: string) => Promise<string>;
  readonly sleep: (ms: number) => Promise<void>;
  /** Time between two looks at a watched execution. */
  readonly pollIntervalMs: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs one command; returns the process exit code (0 success, 1 failure, 2 bad command line). */
export async function main(argv: readonly string[], deps: ExperimentDeps): Promise<number> {
  let stackName: string | undefined;
  try {
    const command = parseArguments(argv);
    if (command.name === 'help') {
      deps.out(USAGE);
      return 0;
    }
    stackName = command.stackName;
    if (command.name === 'start') return await start(deps, command);
    if (command.name === 'clean-up')
      return await cleanUpCommand(deps, await resolveExecutionArn(deps, command.stackName, command.execution));
    return await printReport(deps, command.stackName, command.execution);
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    deps.err(await explain(error, deps, stackName));
    return 1;
  }
}

async function start(
  deps: ExperimentDeps,
  command: { stackName: string; watch: boolean; inputFile?: string; executionName?: string },
): Promise<number> {
  // Read the input before calling AWS, so a bad file fails fast and on its own.
  const input = command.inputFile ? parseInputDocument(command.inputFile, await readInput(deps, command.inputFile)) : {};
  const { stateMachineArn } = await stackOutputs(deps, command.stackName);
  const started = await deps.sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify(input),
      ...(command.executionName && { name: command.executionName }),
    }),
  );
  const executionArn = started.executionArn!;
  deps.out(`Started execution ${executionArn.split(':').pop()}`);
  deps.out(`  ARN:     ${executionArn}`);
  deps.out(`  Console: ${consoleUrl(regionOfArn(executionArn), executionArn)}`);
  if (!command.watch) return 0;
  deps.out('');
  return watch(deps, executionArn);
}

async function readInput(deps: ExperimentDeps, fileName: string): Promise<string> {
  try {
    return await deps.readFile(fileName);
  } catch (error) {
    throw new Error(`Cannot read input file ${fileName}: ${(error as Error).message}`, { cause: error });
  }
}

/** Follows an execution until it ends; exit code 0 only if it succeeded. */
async function watch(deps: ExperimentDeps, executionArn: string): Promise<number> {
  let progress = INITIAL_PROGRESS;
  for (;;) {
    // Describe before reading the history: once the status says finished, the history read after it is complete.
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await historySince(deps.sfn, executionArn, progress.lastEventId);
    const update = applyHistory(progress, events, execution.startDate ?? new Date(0));
    update.lines.forEach((line) => deps.out(line));
    progress = update.state;
    if (isFinished(execution.status)) {
      deps.out('');
      outcomeLines(execution).forEach((line) => (execution.status === 'SUCCEEDED' ? deps.out(line) : deps.err(line)));
      return execution.status === 'SUCCEEDED' ? 0 : 1;
    }
    await deps.sleep(deps.pollIntervalMs);
  }
}

/** Events newer than `lastEventId`: pages newest first and stops at the first event already seen. */
async function historySince(sfn: SFNClient, executionArn: string, lastEventId: number): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100, includeExecutionData: false, nextToken }),
    );
    for (const event of page.events ?? []) {
      if (event.id! <= lastEventId) return fresh.reverse();
      fresh.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}

async function resolveExecutionArn(deps: ExperimentDeps, stackName: string, nameOrArn: string): Promise<string> {
  return isExecutionArn(nameOrArn)
    ? executionArnFor('', nameOrArn)
    : executionArnFor((await stackOutputs(deps, stackName)).stateMachineArn, nameOrArn);
}

async function printReport(deps: ExperimentDeps, stackName: string, nameOrArn: string): Promise<number> {
  const executionArn = await resolveExecutionArn(deps, stackName, nameOrArn);
  const execution = await describeExecution(deps, executionArn);
  const markdownUri = reportMarkdownUri(execution);
  if (!markdownUri) throw new Error(noReportMessage(execution));
  const { bucket, key } = parseS3Uri(markdownUri);
  const object = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  deps.out(await object.Body!.transformToString('utf-8'));
  return 0;
}

async function describeExecution(deps: ExperimentDeps, executionArn: string): Promise<DescribeExecutionOutput> {
  try {
    return await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') throw new Error(`There is no execution ${executionArn}.`, { cause: error });
    throw error;
  }
}

function noReportMessage(execution: DescribeExecutionOutput): string {
  const name = execution.name ?? execution.executionArn;
  if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') {
    return `Execution ${name} has no report yet: it is still running. Watch it in the console or try again when it has finished.`;
  }
  if (execution.status !== 'SUCCEEDED') {
    return `Execution ${name} has no report: it ended ${execution.status} (${execution.error ?? 'no error given'}).`;
  }
  return `Execution ${name} succeeded but its output has no report.uris.markdown.`;
}

async function stackOutputs(deps: ExperimentDeps, stackName: string): Promise<{ stateMachineArn: string; dataBucketName?: string }> {
  const described = await deps.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = described.Stacks?.[0];
  const outputs = new Map((stack?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const stateMachineArn = outputs.get('StateMachineArn');
  if (!stateMachineArn) {
    const region = await regionOf(deps);
    throw new Error(
      `Stack ${stackName} in ${region} (status ${stack?.StackStatus ?? 'unknown'}) has no output StateMachineArn. ` +
        'Is it the experiment stack? Run `npx cdk deploy` to deploy it, or pass --stack.',
    );
  }
  const dataBucketName = outputs.get('DataBucketName');
  return { stateMachineArn, ...(dataBucketName && { dataBucketName }) };
}

/** Turns the errors people meet first (no stack, no credentials, no region) into what to do about them. */
async function explain(error: unknown, deps: ExperimentDeps, stackName: string | undefined): Promise<string> {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return (
      'No AWS credentials found. Configure them with `aws configure` (or `aws sso login` and AWS_PROFILE=<profile>), ' +
      'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    );
  }
  const unreachable = unreachableMessage(error, await regionOf(deps));
  if (unreachable) return unreachable;
  if (/Region is missing/i.test(message)) {
    return 'No AWS region configured. Set AWS_REGION (e.g. AWS_REGION=us-east-1) or a region in your AWS profile.';
  }
  if ((name === 'ValidationError' || name === 'ValidationException') && /Stack with id .* does not exist/.test(message)) {
    return `Stack ${stackName} is not deployed in ${await regionOf(deps)}. Run \`npx cdk deploy\` first, or pass --stack.`;
  }
  if (name === 'ExecutionAlreadyExists') return `An execution with this name already exists; choose another --name. (${message})`;
  return name === 'Error' ? message : `${name}: ${message}`;
}

async function regionOf(deps: ExperimentDeps): Promise<string> {
  try {
    return await deps.cloudFormation.config.region();
  } catch {
    return 'the configured region';
  }
}

function defaultDeps(): ExperimentDeps {
  return {
    sfn: new SFNClient({}),
    cloudFormation: new CloudFormationClient({}),
    s3: new S3Client({}),
    sagemaker: new SageMakerClient({}),
    readFile: (path) => readFile(path, 'utf-8'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollIntervalMs: 5_000,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
}

if (require.main === module) {
  main(process.argv.slice(2), defaultDeps()).then((code) => {
    process.exitCode = code;
  });
}
