import { DeleteEndpointCommand } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DEADLINE_MARGIN_MS, handler } from '../../lambda/sweep-ended-executions';
import { WORKFLOW_ARN } from '../helpers/local-cleanup';
import { statefulSageMaker } from '../helpers/stateful-sagemaker';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:Workflow:run-1';
const NAME = 'linear-sharded-20261128-155328-0a1b2c3d';
const OURS = [
  { Key: 'experiment:stack', Value: 'MyExperiment' },
  { Key: 'experiment:execution', Value: EXECUTION },
];
const sfn = mockClient(SFNClient);
const context = { getRemainingTimeInMillis: () => 5 * 60_000 };
let sagemaker: ReturnType<typeof statefulSageMaker>;
let logged: string[];
const savedEnv = process.env;

beforeEach(() => {
  process.env = { ...savedEnv, STACK_NAME: 'MyExperiment', WORKFLOW_STATE_MACHINE_ARN: WORKFLOW_ARN, AWS_REGION: 'us-east-1' };
  sfn.reset();
  sfn
    .on(DescribeExecutionCommand)
    .resolves({ executionArn: EXECUTION, stateMachineArn: WORKFLOW_ARN, status: 'TIMED_OUT', startDate: new Date() });
  sagemaker = statefulSageMaker();
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
});
afterEach(() => {
  sagemaker.sagemaker.restore();
  jest.restoreAllMocks();
});
afterAll(() => {
  process.env = savedEnv;
});

describe('sweep-ended-executions handler', () => {
  it('sweeps the stack named in its environment and logs the counts as one JSON line', async () => {
    // GIVEN an endpoint a timed-out execution left
    sagemaker.add('endpoint', NAME, OURS, 'InService');
    // WHEN
    await handler({}, context);
    // THEN
    expect(sagemaker.sagemaker).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: NAME });
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0])).toMatchObject({ complete: true, executions: { ended: 1 }, counts: { deleted: 1, failed: 0 } });
  });

  it('fails after logging when a resource could not be removed, so the error shows', async () => {
    // GIVEN SageMaker refuses the delete
    sagemaker.add('endpoint', NAME, OURS, 'InService');
    sagemaker.sagemaker
      .on(DeleteEndpointCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    // WHEN / THEN
    await expect(handler({}, context)).rejects.toMatchObject({
      name: 'CleanUpFailed',
      message: expect.stringContaining(`endpoint ${NAME} (AccessDeniedException`),
    });
    expect(JSON.parse(logged[0]).counts.failed).toBe(1);
  });

  it('keeps a margin before the Lambda timeout to log what is left', async () => {
    // GIVEN less time left than the margin
    sagemaker.add('endpoint', NAME, OURS, 'InService');
    // WHEN
    const result = await handler({}, { getRemainingTimeInMillis: () => DEADLINE_MARGIN_MS - 1 });
    // THEN
    expect(result.complete).toBe(false);
    expect(sagemaker.billing()).toEqual([`endpoint/${NAME}`]);
  });
});
