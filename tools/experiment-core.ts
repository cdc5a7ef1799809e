import type { DescribeExecutionOutput, HistoryEvent } from '@aws-sdk/client-sfn';

/** The pure part of `npm run experiment`: arguments, ARNs, progress lines and outcome text. No AWS calls here. */

import { DEFAULT_STACK_NAME } from '../lambda/core/experiment/naming';
import { lambdaErrorEnvelope } from '../lambda/core/common/errors';
import { SAGEMAKER_TAG_TEXT } from '../lambda/core/sagemaker/limits';

export { DEFAULT_STACK_NAME };

export const USAGE = `Usage: npm run experiment -- <command> [options]

Commands:
  start [--input file.json] [--watch] [--stack <name>] [--name <execution name>]
      Start the experiment's workflow. --watch follows it until it ends and prints the report summary.
  report <execution name or ARN> [--stack <name>]
      Print the Markdown report of a finished execution.
  clean-up <execution name or ARN> [--stack <name>]
      Delete everything an ended execution created, including endpoints and models it was asked to keep,
      and stop its training jobs. Waits for endpoints still being created (up to 30 minutes).

Options:
  --stack <name>   CloudFormation stack of the experiment (default ${DEFAULT_STACK_NAME})
  --help           Show this help`;

export type Command =
  | {
      readonly name: 'start';
      readonly stackName: string;
      readonly watch: boolean;
      readonly inputFile?: string;
      readonly executionName?: string;
    }
  | { readonly name: 'report' | 'clean-up'; readonly stackName: string; readonly execution: string }
  | { readonly name: 'help' };

/** A mistake in the command line: printed with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const OPTIONS_WITH_VALUE: Record<string, readonly string[]> = {
  start: ['--input', '--stack', '--name'],
  report: ['--stack'],
  'clean-up': ['--stack'],
};
const FLAGS: Record<string, readonly string[]> = { start: ['--watch'], report: [], 'clean-up': [] };

export function parseArguments(argv: readonly string[]): Command {
  const [commandName, ...rest] = argv;
  if (commandName === undefined || commandName === '--help' || commandName === '-h' || commandName === 'help') return { name: 'help' };
  if (commandName !== 'start' && commandName !== 'report' && commandName !== 'clean-up') {
    throw new UsageError(`Unknown command "${commandName}". Commands: start, report, clean-up.`);
  }

  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--help' || argument === '-h') return { name: 'help' };
    if (!argument.startsWith('-')) {
      positionals.push(argument);
      continue;
    }
    const [option, inlineValue] = splitOption(argument);
    if (FLAGS[commandName].includes(option)) {
      if (inlineValue !== undefined) throw new UsageError(`Option ${option} takes no value, got "${inlineValue}".`);
      flags.add(option);
    } else if (OPTIONS_WITH_VALUE[commandName].includes(option)) {
      const value = inlineValue ?? rest[++index];
      if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('--'))) {
        throw new UsageError(`Option ${option} needs a value.`);
      }
      values[option] = value;
    } else {
      const allowed = [...FLAGS[commandName], ...OPTIONS_WITH_VALUE[commandName]].join(', ');
      throw new UsageError(`Unknown option ${option} for "${commandName}". Allowed: ${allowed}.`);
    }
  }

  const stackName = values['--stack'] ?? DEFAULT_STACK_NAME;
  if (commandName === 'start') {
    if (positionals.length > 0) throw new UsageError(`"start" takes no arguments, got "${positionals.join(' ')}". Did you mean --input?`);
    const executionName = values['--name'];
    if (executionName !== undefined) validateExecutionName(executionName);
    return {
      name: 'start',
      stackName,
      watch: flags.has('--watch'),
      ...(values['--input'] !== undefined && { inputFile: values['--input'] }),
      ...(executionName !== undefined && { executionName }),
    };
  }
  if (positionals.length !== 1) {
    throw new UsageError(`"${commandName}" needs exactly one execution name or ARN, got ${positionals.length}.`);
  }
  validateExecutionReference(positionals[0]);
  return { name: commandName, stackName, execution: positionals[0] };
}

function splitOption(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals < 0 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
}

/** Step Functions names: 1 to 80 characters, no whitespace, brackets, wildcards or the characters below. */
export function validateExecutionName(name: string): void {
  const hasControlCharacter = [...name].some((character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
  if (name.length < 1 || name.length > 80 || hasControlCharacter || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name)) {
    throw new UsageError(
      `Execution name "${name}" is not allowed: use 1 to 80 characters without spaces, brackets, wildcards or any of " # % \\ ^ | ~ \` $ & , ; : /.`,
    );
  }
  // Every resource the run creates is tagged with the execution ARN, and SageMaker refuses some characters in tags.
  const refused = [...new Set([...name].filter((character) => !SAGEMAKER_TAG_TEXT.test(character)))];
  if (refused.length > 0) {
    throw new UsageError(
      `Execution name "${name}" is not allowed: SageMaker refuses ${refused.join(' ')} in the tags that carry it; use letters, digits and _ . = + - @.`,
    );
  }
}

/** An execution name or execution ARN Step Functions could hold, checked before any AWS call. */
export function validateExecutionReference(nameOrArn: string): void {
  if (isExecutionArn(nameOrArn)) validateExecutionArn(nameOrArn);
  else validateExecutionName(nameOrArn);
}

function validateExecutionArn(arn: string): void {
  if (!/^arn:[^:]+:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
    throw new UsageError(
      `"${arn}" is not a Step Functions execution ARN (arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>).`,
    );
  }
}

/** Resolves an execution name to its ARN: the state machine ARN with `:stateMachine:` turned into `:execution:`. */
export function executionArnFor(stateMachineArn: string, nameOrArn: string): string {
  validateExecutionReference(nameOrArn);
  if (isExecutionArn(nameOrArn)) return nameOrArn;
  if (!stateMachineArn.includes(':stateMachine:')) {
    throw new Error(`"${stateMachineArn}" is not a state machine ARN (it has no ":stateMachine:").`);
  }
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${nameOrArn}`;
}

export function isExecutionArn(value: string): boolean {
  return value.startsWith('arn:');
}

export function consoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** `mm:ss`; minutes keep counting past 59 so long runs still read at a glance. */
export function formatElapsed(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.floor(milliseconds / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** The execution input: a JSON object, or a clear error naming the file. */
export function parseInputDocument(fileName: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Input file ${fileName} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw new Error(`Input file ${fileName} must contain a JSON object (the execution input), got ${got}.`);
  }
  return parsed as Record<string, unknown>;
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`"${uri}" is not an s3://bucket/key URI.`);
  return { bucket: match[1], key: match[2] };
}

// Node's codes for a request that never reached a server or got no answer (DNS, refused, reset, timed out).
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * For an error that means the request never got an answer from AWS: what to tell the user, naming the endpoint when
 * the error carries it, else the region. The SDK has already retried such errors by then.
 */
export function unreachableMessage(error: unknown, region: string): string | undefined {
  const { name, code, hostname, address, port } = (error ?? {}) as {
    name?: string;
    code?: string;
    hostname?: string;
    address?: string;
    port?: number;
  };
  if (name !== 'TimeoutError' && !(code !== undefined && UNREACHABLE_CODES.has(code))) return undefined;
  const endpoint = hostname ?? (address !== undefined ? `${address}${port !== undefined ? `:${port}` : ''}` : undefined);
  const where = endpoint !== undefined ? `${endpoint} (region ${region})` : `the endpoints of region ${region}`;
  return (
    `AWS could not be reached at ${where}: ${code ?? name}. ` +
    'Check the network connection, a proxy (HTTPS_PROXY) or VPN, and the region (AWS_REGION or your profile).'
  );
}

/** What is running now, and the id of the last event seen, so the next poll asks only for newer events. */
export interface ProgressState {
  readonly lastEventId: number;
  readonly running: readonly string[];
}

export const INITIAL_PROGRESS: ProgressState = { lastEventId: 0, running: [] };

/**
 * Turns new history events into progress lines: one per state entered (elapsed time since the start, state name),
 * then what runs now whenever that changed. States of parallel branches can share a name, so `running` is a multiset.
 */
export function applyHistory(
  state: ProgressState,
  events: readonly HistoryEvent[],
  startedAt: Date,
): { state: ProgressState; lines: string[] } {
  const lines: string[] = [];
  const running = [...state.running];
  let lastEventId = state.lastEventId;
  for (const event of [...events].sort((a, b) => a.id! - b.id!)) {
    if (event.id! <= lastEventId) continue;
    lastEventId = event.id!;
    const entered = event.stateEnteredEventDetails?.name;
    const exited = event.stateExitedEventDetails?.name;
    if (entered !== undefined) {
      running.push(entered);
      lines.push(`[${formatElapsed(event.timestamp!.getTime() - startedAt.getTime())}] ${entered}`);
    } else if (exited !== undefined) {
      const index = running.indexOf(exited);
      if (index >= 0) running.splice(index, 1);
    }
  }
  if (!sameMembers(running, state.running) && running.length > 0) lines.push(`        running now: ${describeRunning(running)}`);
  return { state: { lastEventId, running }, lines };
}

function describeRunning(running: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of running) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => (count > 1 ? `${name} (x${count})` : name)).join(', ');
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

export interface ExecutionReport {
  readonly summary?: unknown;
  readonly uris?: Record<string, string>;
}

/** `output.report` of a finished execution, if the output has one. */
export function reportOf(output: string | undefined): ExecutionReport | undefined {
  if (!output) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return undefined;
  }
  const report = (parsed as { report?: unknown } | null)?.report;
  return typeof report === 'object' && report !== null ? (report as ExecutionReport) : undefined;
}

/**
 * Where the report of a finished execution is: in its output when it succeeded, and at the end of the cause when it
 * failed because some variants did (`VariantsFailed`), since the report of the others was written first.
 */
export function reportMarkdownUri(execution: Pick<DescribeExecutionOutput, 'status' | 'output' | 'error' | 'cause'>): string | undefined {
  const fromOutput = reportOf(execution.output)?.uris?.markdown;
  if (fromOutput) return fromOutput;
  if (execution.status !== 'FAILED' || execution.error !== 'VariantsFailed') return undefined;
  return /Report: (s3:\/\/\S+\.md)$/.exec(execution.cause ?? '')?.[1];
}

const FINISHED_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

export function isFinished(status: string | undefined): boolean {
  return FINISHED_STATUSES.has(status ?? '');
}

/** The end of a watch: the report summary on success, the error and cause otherwise. */
export function outcomeLines(execution: DescribeExecutionOutput): string[] {
  const took =
    execution.stopDate && execution.startDate
      ? ` after ${formatElapsed(execution.stopDate.getTime() - execution.startDate.getTime())}`
      : '';
  if (execution.status !== 'SUCCEEDED') {
    return [
      `Execution ${execution.status}${took}.`,
      `Error: ${execution.error ?? '(none given)'}`,
      `Cause: ${readableCause(execution.cause)}`,
    ];
  }
  const lines = [`Execution SUCCEEDED${took}.`];
  const report = reportOf(execution.output);
  if (!report) return [...lines, 'The execution output has no report.'];
  if (report.summary !== undefined) {
    lines.push('', typeof report.summary === 'string' ? report.summary : JSON.stringify(report.summary, null, 2));
  }
  const uris = Object.entries(report.uris ?? {});
  if (uris.length > 0) lines.push('', 'Report:', ...uris.map(([kind, uri]) => `  ${kind}: ${uri}`));
  return lines;
}

/** A Lambda failure's cause is JSON ({errorType, errorMessage, trace}); its first two fields are what a person needs. */
export function readableCause(cause: string | undefined): string {
  if (!cause) return '(none given)';
  const envelope = lambdaErrorEnvelope(cause);
  if (!envelope) return cause;
  return envelope.type ? `${envelope.type}: ${envelope.message}` : envelope.message;
}
