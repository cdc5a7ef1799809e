import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  INITIAL_PROGRESS,
  UsageError,
  applyHistory,
  consoleUrl,
  executionArnFor,
  formatElapsed,
  outcomeLines,
  parseArguments,
  parseInputDocument,
  parseS3Uri,
  readableCause,
  unreachableMessage,
} from '../../tools/experiment-core';

const stateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:ExperimentWorkflow';
const startedAt = new Date('2025-03-04T10:00:00Z');
const at = (time: string) => new Date(`2025-03-04T${time}Z`);
const entered = (id: number, name: string, time: string): HistoryEvent => ({
  id,
  type: 'TaskStateEntered',
  timestamp: at(time),
  stateEnteredEventDetails: { name },
});
const exited = (id: number, name: string, time: string): HistoryEvent => ({
  id,
  type: 'TaskStateExited',
  timestamp: at(time),
  stateExitedEventDetails: { name },
});

describe('parseArguments', () => {
  it('reads start with every option', () => {
    // WHEN
    const command = parseArguments(['start', '--input', 'in.json', '--watch', '--stack=Other', '--name', 'run-1']);

    // THEN
    expect(command).toEqual({ name: 'start', stackName: 'Other', watch: true, inputFile: 'in.json', executionName: 'run-1' });
  });

  it('defaults the stack name and watch', () => {
    // WHEN / THEN
    expect(parseArguments(['start'])).toEqual({ name: 'start', stackName: 'DistributedTrainingExperiment', watch: false });
  });

  it('reads report with its execution', () => {
    // WHEN / THEN
    expect(parseArguments(['report', 'run-1'])).toEqual({ name: 'report', stackName: 'DistributedTrainingExperiment', execution: 'run-1' });
  });

  it('shows help without a command', () => {
    // WHEN / THEN
    expect(parseArguments([])).toEqual({ name: 'help' });
  });

  it('rejects an unknown command', () => {
    // WHEN / THEN
    expect(() => parseArguments(['run'])).toThrow(new UsageError('Unknown command "run". Commands: start, report, clean-up.'));
  });

  it('rejects an option the command does not have', () => {
    // WHEN / THEN
    expect(() => parseArguments(['report', 'x', '--watch'])).toThrow(/Unknown option --watch for "report"\. Allowed: --stack\./);
  });

  it('rejects an option without its value', () => {
    // WHEN / THEN
    expect(() => parseArguments(['start', '--input'])).toThrow(/Option --input needs a value/);
  });

  it('rejects report without an execution', () => {
    // WHEN / THEN
    expect(() => parseArguments(['report'])).toThrow(/needs exactly one execution name or ARN, got 0/);
  });

  it('rejects a report of an execution name Step Functions would refuse', () => {
    // WHEN / THEN
    expect(() => parseArguments(['report', 'my run'])).toThrow(/Execution name "my run" is not allowed/);
  });

  it('rejects a report of an ARN that is not an execution', () => {
    // WHEN / THEN
    expect(() => parseArguments(['report', stateMachineArn])).toThrow(/is not a Step Functions execution ARN/);
  });

  it('rejects an unknown option before the command', () => {
    // WHEN / THEN
    expect(() => parseArguments(['--watch', 'start'])).toThrow(UsageError);
  });

  it('rejects an execution name Step Functions would refuse', () => {
    // WHEN / THEN
    expect(() => parseArguments(['start', '--name', 'my run'])).toThrow(/Execution name "my run" is not allowed/);
  });

  it('rejects an execution name Step Functions takes but SageMaker refuses in the tags that carry it, before AWS is called', () => {
    // WHEN / THEN
    expect(() => parseArguments(['start', '--name', "run(2)!'"])).toThrow(
      /Execution name "run\(2\)!'" is not allowed: SageMaker refuses \( \) ! ' in the tags that carry it/,
    );
    expect(() => parseArguments(['start', '--name', 'epochs-4_v2.1@team'])).not.toThrow();
  });
});

describe('executionArnFor', () => {
  it('turns a name into the execution ARN of the state machine', () => {
    // WHEN / THEN
    expect(executionArnFor(stateMachineArn, 'run-1')).toBe('arn:aws:states:eu-west-1:111122223333:execution:ExperimentWorkflow:run-1');
  });

  it('keeps an execution ARN as it is', () => {
    // GIVEN
    const arn = 'arn:aws:states:us-east-1:111122223333:execution:Other:abc';

    // WHEN / THEN
    expect(executionArnFor(stateMachineArn, arn)).toBe(arn);
  });

  it('rejects an ARN that is not an execution', () => {
    // WHEN / THEN
    expect(() => executionArnFor(stateMachineArn, stateMachineArn)).toThrow(/is not a Step Functions execution ARN/);
  });
});

describe('formatting', () => {
  it('formats elapsed time as mm:ss, minutes past an hour included', () => {
    // WHEN / THEN
    expect([formatElapsed(0), formatElapsed(61_999), formatElapsed(75 * 60_000 + 3_000)]).toEqual(['00:00', '01:01', '75:03']);
  });

  it('builds the console URL of an execution', () => {
    // WHEN / THEN
    expect(consoleUrl('eu-west-1', 'arn:aws:states:eu-west-1:111122223333:execution:W:r')).toBe(
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:eu-west-1:111122223333:execution:W:r',
    );
  });

  it('splits an s3 URI into bucket and key', () => {
    // WHEN / THEN
    expect(parseS3Uri('s3://my-bucket/reports/run 1/report.md')).toEqual({ bucket: 'my-bucket', key: 'reports/run 1/report.md' });
  });

  it('shows the type and message of a Lambda error cause', () => {
    // WHEN / THEN
    expect(readableCause('{"errorType":"CleanUpFailed","errorMessage":"endpoint e left","trace":["at x"]}')).toBe(
      'CleanUpFailed: endpoint e left',
    );
  });

  it('shows a plain cause as it is', () => {
    // WHEN / THEN
    expect(readableCause('States.Timeout')).toBe('States.Timeout');
  });
});

describe('unreachableMessage', () => {
  it('names the host that did not resolve and the region', () => {
    // GIVEN the error Node gives when DNS has no answer
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com'), {
      code: 'ENOTFOUND',
      hostname: 'states.eu-west-1.amazonaws.com',
    });

    // WHEN / THEN
    expect(unreachableMessage(error, 'eu-west-1')).toBe(
      'AWS could not be reached at states.eu-west-1.amazonaws.com (region eu-west-1): ENOTFOUND. ' +
        'Check the network connection, a proxy (HTTPS_PROXY) or VPN, and the region (AWS_REGION or your profile).',
    );
  });

  it('names the address and port of a refused connection', () => {
    // GIVEN
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', address: '10.0.0.1', port: 443 });

    // WHEN / THEN
    expect(unreachableMessage(error, 'us-east-1')).toMatch(
      /^AWS could not be reached at 10\.0\.0\.1:443 \(region us-east-1\): ECONNREFUSED\./,
    );
  });

  it("names the region for the SDK's timeout, which carries no endpoint", () => {
    // GIVEN
    const error = Object.assign(new Error('the request socket did not establish a connection within 1000 ms'), { name: 'TimeoutError' });

    // WHEN / THEN
    expect(unreachableMessage(error, 'us-east-1')).toMatch(
      /^AWS could not be reached at the endpoints of region us-east-1: TimeoutError\./,
    );
  });

  it('leaves other errors alone', () => {
    // GIVEN
    const error = Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' });

    // WHEN / THEN
    expect(unreachableMessage(error, 'us-east-1')).toBeUndefined();
  });
});

describe('parseInputDocument', () => {
  it('accepts a JSON object', () => {
    // WHEN / THEN
    expect(parseInputDocument('in.json', '{"epochs": 4}')).toEqual({ epochs: 4 });
  });

  it('names the file when it is not JSON', () => {
    // WHEN / THEN
    expect(() => parseInputDocument('in.json', '{epochs: 4}')).toThrow(/^Input file in\.json is not valid JSON: /);
  });

  it('names the file when it is JSON but not an object', () => {
    // WHEN / THEN
    expect(() => parseInputDocument('in.json', '[1, 2]')).toThrow(
      'Input file in.json must contain a JSON object (the execution input), got an array.',
    );
  });
});

describe('applyHistory', () => {
  it('prints each state entered with the time since the start, then what runs now', () => {
    // GIVEN
    const events = [entered(2, 'Prepare data', '10:00:01'), exited(3, 'Prepare data', '10:02:05'), entered(4, 'Train', '10:02:05')];

    // WHEN
    const { lines, state } = applyHistory(INITIAL_PROGRESS, events, startedAt);

    // THEN
    expect(lines).toEqual(['[00:01] Prepare data', '[02:05] Train', '        running now: Train']);
    expect(state).toEqual({ lastEventId: 4, running: ['Train'] });
  });

  it('counts parallel states of the same name', () => {
    // WHEN
    const { lines } = applyHistory(
      INITIAL_PROGRESS,
      [entered(1, 'Wait for training', '10:01:00'), entered(2, 'Wait for training', '10:01:00')],
      startedAt,
    );

    // THEN
    expect(lines[2]).toBe('        running now: Wait for training (x2)');
  });

  it('skips events already seen and says nothing when what runs did not change', () => {
    // GIVEN
    const state = { lastEventId: 4, running: ['Train'] };

    // WHEN
    const update = applyHistory(state, [entered(4, 'Train', '10:02:05')], startedAt);

    // THEN
    expect(update.lines).toEqual([]);
    expect(update.state).toEqual(state);
  });
});

describe('outcomeLines', () => {
  it('prints the summary and report URIs of a successful execution', () => {
    // GIVEN
    const output = JSON.stringify({ report: { summary: 'Sharded trained 2.1x faster.', uris: { markdown: 's3://b/r.md' } } });

    // WHEN
    const lines = outcomeLines({ status: 'SUCCEEDED', startDate: startedAt, stopDate: at('10:30:00'), output } as never);

    // THEN
    expect(lines).toEqual([
      'Execution SUCCEEDED after 30:00.',
      '',
      'Sharded trained 2.1x faster.',
      '',
      'Report:',
      '  markdown: s3://b/r.md',
    ]);
  });

  it('prints error and cause of a failed execution', () => {
    // WHEN
    const lines = outcomeLines({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'took too long' } as never);

    // THEN
    expect(lines).toEqual(['Execution TIMED_OUT.', 'Error: States.Timeout', 'Cause: took too long']);
  });
});
