import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { AccessDeniedException, ListAWSDefaultServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { completingJob, fakeSageMaker } from '../helpers/fake-sagemaker';
import { FakeQuota, SUFFICIENT_QUOTAS, fakeServiceQuotas } from '../helpers/fake-service-quotas';
import { HANDLER_ENV, WorkflowRun, runWorkflow } from '../helpers/local-workflow';

const REPORT = `s3://${HANDLER_ENV.DATA_BUCKET}/sagemaker/data_distribution_types/reports/run-1/report.json`;
const FAILED_AT_PREFLIGHT = [
  'Start experiment',
  'Validate input and plan',
  'Preflight',
  'Cause from a Lambda? (preflight)',
  'Preflight failed',
];

let s3: ReturnType<typeof fakeGdeltS3>;
let sagemaker: AwsClientStub<SageMakerClient>;
let runtime: AwsClientStub<SageMakerRuntimeClient> | undefined;
let quotas: AwsClientStub<ServiceQuotasClient> | undefined;

function givenGdelt(years?: readonly number[]): void {
  s3 = fakeGdeltS3(years);
}

/** SageMaker that trains and hosts both variants, for runs that get past the preflight. */
function givenSageMakerWorks(): void {
  sagemaker = fakeSageMaker({ replicated: completingJob(900, 1.5), sharded: completingJob(300, 1.7) });
  runtime = fakeEndpoints(() => 0);
}

/** The sufficient account, with one quota changed (a value) or left out of the region (undefined). */
function givenQuotas(name: string, value: number | undefined): void {
  const changed = SUFFICIENT_QUOTAS.flatMap((quota): FakeQuota[] => {
    if (quota.name !== name) return [quota];
    return value === undefined ? [] : [{ name, code: quota.code, defaultValue: value }];
  });
  quotas = fakeServiceQuotas(changed);
}

/** Nothing but HeadObject reached S3 and nothing reached SageMaker: no data read, nothing created. */
function expectNothingReadOrCreated(): void {
  expect(sagemaker.calls()).toHaveLength(0);
  expect(s3.s3.calls().every((call) => call.args[0] instanceof HeadObjectCommand)).toBe(true);
}

const failureLines = (run: WorkflowRun): string[] => run.error!.message.split('\n').slice(1);

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  givenGdelt();
  sagemaker = mockClient(SageMakerClient);
});
afterEach(() => {
  s3.s3.restore();
  sagemaker.restore();
  runtime?.restore();
  quotas?.restore();
  runtime = undefined;
  quotas = undefined;
});

describe('the Preflight state', () => {
  it('lets the run go on, right after the plan, when the quotas cover it and the data exists', async () => {
    // GIVEN quotas that cover the run and every GDELT year
    givenSageMakerWorks();

    // WHEN
    const run = await runWorkflow({});

    // THEN the preflight ran between the plan and the data preparation, and the run succeeded without warnings
    expect(run.error).toBeUndefined();
    expect(run.statesEntered.slice(0, 4)).toEqual(['Start experiment', 'Validate input and plan', 'Preflight', 'Profile event codes']);
    expect(run.output!.warnings).toEqual([]);
  });

  it.each([
    [
      'ml.c4.2xlarge for training job usage',
      9,
      /is 9 in us-east-1 .* needs 10 = 2 variants × 5 instances of ml.c4.2xlarge training at once/,
    ],
    ['Maximum number of instances per training job', 4, /is 4 in us-east-1 .* needs 5 = the largest training job \(variant replicated\)/],
    ['Number of instances across all training jobs', 4, /is 4 in us-east-1 .* needs 10 = 2 variants × 5 instances training at once/],
    ['ml.m4.xlarge for endpoint usage', 0, /is 0 in us-east-1 .* needs 2 = 2 variants × 1 instance of ml.m4.xlarge for endpoints/],
    [
      'Number of instances across active endpoints',
      1,
      /is 1 in us-east-1 .* needs 2 = 2 variants × 1 instance of ml.m4.xlarge in service at once/,
    ],
  ])('fails at "Preflight failed" when %s is too low, before any data is read or any job created', async (name, value, message) => {
    // GIVEN one quota below what the run needs
    givenQuotas(name, value);

    // WHEN
    const run = await runWorkflow({});

    // THEN
    expect(run.statesEntered).toEqual(FAILED_AT_PREFLIGHT);
    expect(run.error?.name).toBe('PreflightFailed');
    expect(failureLines(run)).toEqual([expect.stringMatching(new RegExp(`^- Quota "${name}" \\(L-[A-Z0-9]+\\) ${message.source}`))]);
    expectNothingReadOrCreated();
  });

  it.each([
    ['ml.c4.2xlarge for training job usage', 'ml.c4.2xlarge is not offered for training in us-east-1', 'set instanceType'],
    ['ml.m4.xlarge for endpoint usage', 'ml.m4.xlarge is not offered for endpoints in us-east-1', 'set endpointInstanceType'],
  ])('fails at "Preflight failed" when the region has no quota %s, naming the setting to change', async (name, notOffered, setting) => {
    // GIVEN a region that does not list the quota
    givenQuotas(name, undefined);

    // WHEN
    const run = await runWorkflow({});

    // THEN
    expect(run.statesEntered).toEqual(FAILED_AT_PREFLIGHT);
    expect(failureLines(run)).toEqual([expect.stringContaining(notOffered)]);
    expect(failureLines(run)[0]).toContain(setting);
    expectNothingReadOrCreated();
  });

  it('lists every problem at once: quotas, instance types and missing years', async () => {
    // GIVEN a training quota of 0, an endpoint type the region lacks, and no 1981 file
    quotas = fakeServiceQuotas(
      SUFFICIENT_QUOTAS.flatMap((quota): FakeQuota[] => {
        if (quota.name === 'ml.m4.xlarge for endpoint usage') return [];
        return quota.name === 'ml.c4.2xlarge for training job usage' ? [{ ...quota, applied: 0 }] : [quota];
      }),
    );
    givenGdelt([1979, 1980, 1982, 1983, 1984]);

    // WHEN
    const run = await runWorkflow({});

    // THEN
    expect(run.error?.message.split('\n')[0]).toBe('Preflight found 3 problems before any data was read or anything created:');
    expect(failureLines(run)).toEqual([
      expect.stringMatching(
        /^- Quota "ml.c4.2xlarge for training job usage" \(L-C4X2TRAIN\) is 0 in us-east-1 \(applied to this account\)/,
      ),
      expect.stringMatching(/^- ml.m4.xlarge is not offered for endpoints in us-east-1/),
      '- GDELT year 1981 is missing: s3://gdelt-open-data/events/1981.csv does not exist; choose another year in trainingYears.',
    ]);
    expectNothingReadOrCreated();
  });

  it('names a missing GDELT year with its key', async () => {
    // GIVEN the test year's file is missing
    givenGdelt([1979, 1980, 1981, 1982, 1983]);

    // WHEN
    const run = await runWorkflow({});

    // THEN
    expect(run.statesEntered).toEqual(FAILED_AT_PREFLIGHT);
    expect(run.error?.message).toMatch(
      /GDELT year 1984 is missing: s3:\/\/gdelt-open-data\/events\/1984\.csv does not exist; choose another year in testYear/,
    );
    expectNothingReadOrCreated();
  });

  it('goes on with a warning in the output and in report.json when Service Quotas is denied', async () => {
    // GIVEN a role or SCP that denies Service Quotas
    quotas = mockClient(ServiceQuotasClient);
    quotas
      .on(ListAWSDefaultServiceQuotasCommand)
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 400 } }));
    givenSageMakerWorks();

    // WHEN
    const run = await runWorkflow({});

    // THEN
    expect(run.error).toBeUndefined();
    const warning = expect.stringMatching(
      /^Service Quotas could not be read \(AccessDeniedException: not authorized\), so the SageMaker quotas were not checked/,
    );
    expect(run.output!.warnings).toEqual([warning]);
    expect(JSON.parse(s3.objects.get(REPORT)!.toString('utf8')).warnings).toEqual([warning]);
  });

  it("shows the problems as the cause, not Lambda's JSON envelope", async () => {
    // GIVEN the preflight fails the way a Lambda function does: the cause is Lambda's JSON error envelope
    const message = 'Preflight found 1 problem before any data was read or anything created:\n- GDELT year 1984 is missing';
    const envelope = JSON.stringify({
      errorType: 'PreflightFailed',
      errorMessage: message,
      trace: ['PreflightFailed: ...', '    at handler (/var/task/index.js:1:1)'],
    });
    const failLikeLambda = async (): Promise<never> => {
      throw Object.assign(new Error(envelope), { name: 'PreflightFailed' });
    };

    // WHEN
    const run = await runWorkflow({}, 'run-1', { Preflight: failLikeLambda });

    // THEN
    expect(run.statesEntered).toEqual([
      'Start experiment',
      'Validate input and plan',
      'Preflight',
      'Cause from a Lambda? (preflight)',
      'Read the Lambda error (preflight)',
      'Keep its message (preflight)',
      'Preflight failed',
    ]);
    expect(run.error).toEqual({ name: 'PreflightFailed', message });
  });

  it('checks nothing when the preflight setting is off, and the state still shows in the run', async () => {
    // GIVEN quotas that would fail the run
    givenQuotas('ml.c4.2xlarge for training job usage', 0);
    givenSageMakerWorks();

    // WHEN
    const run = await runWorkflow({ preflight: false });

    // THEN
    expect(run.error).toBeUndefined();
    expect(run.statesEntered).toContain('Preflight');
    expect(quotas!.calls()).toHaveLength(0);
  });
});
