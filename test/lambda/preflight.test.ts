import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import {
  AccessDeniedException,
  GetServiceQuotaCommand,
  ListAWSDefaultServiceQuotasCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/preflight';
import type { PreflightRequest } from '../../lambda/core/preflight/preflight';
import { FakeQuota, QUOTA_CODES, SUFFICIENT_QUOTAS, fakeServiceQuotas } from '../helpers/fake-service-quotas';
import { preflightYear, workshopPreflight } from './preflight-fixture';

const year = preflightYear;
const REQUEST: PreflightRequest = workshopPreflight([year(1979), year(1980), year(1984, 'test')]);

const NEEDED = [
  'ml.c4.2xlarge for training job usage',
  'Maximum number of instances per training job',
  'Number of instances across all training jobs',
  'ml.m4.xlarge for endpoint usage',
  'Number of instances across active endpoints',
];

let quotas: AwsClientStub<ServiceQuotasClient>;
let s3: AwsClientStub<S3Client>;

/** The quotas a new account has: the AWS defaults only, with the given values. */
function givenDefaults(values: Record<string, number>): void {
  quotas = fakeServiceQuotas(
    Object.entries(values).map(([name, value]): FakeQuota => ({ name, code: QUOTA_CODES[name], defaultValue: value })),
  );
}

beforeAll(() => {
  process.env.AWS_REGION = 'eu-west-1';
});

beforeEach(() => {
  quotas = fakeServiceQuotas();
  s3 = mockClient(S3Client);
  s3.on(HeadObjectCommand).resolves({ ETag: '"abc"', ContentLength: 1 });
});

afterEach(() => {
  quotas.restore();
  s3.restore();
});

describe('preflight handler', () => {
  it('passes with no warnings when the quotas cover the execution and every source object exists', async () => {
    // GIVEN / WHEN
    const result = await handler(REQUEST);

    // THEN
    expect(result).toEqual({ checked: true, warnings: [] });
  });

  it('lists the AWS default quotas of SageMaker page by page until it has found every quota it needs', async () => {
    // GIVEN / WHEN
    await handler(REQUEST);

    // THEN: the needed quotas are on the first two of three pages
    expect(quotas.commandCalls(ListAWSDefaultServiceQuotasCommand).map((call) => call.args[0].input)).toEqual([
      { ServiceCode: 'sagemaker', MaxResults: 100, NextToken: undefined },
      { ServiceCode: 'sagemaker', MaxResults: 100, NextToken: '100' },
    ]);
  });

  it('asks for the applied value of each needed quota by its code', async () => {
    // GIVEN / WHEN
    await handler(REQUEST);

    // THEN
    const asked = quotas.commandCalls(GetServiceQuotaCommand).map((call) => call.args[0].input);
    expect(asked).toEqual(expect.arrayContaining(NEEDED.map((name) => ({ ServiceCode: 'sagemaker', QuotaCode: QUOTA_CODES[name] }))));
    expect(asked).toHaveLength(NEEDED.length);
  });

  it('checks every GDELT object the plan reads with HeadObject, without reading it', async () => {
    // GIVEN / WHEN
    await handler(REQUEST);

    // THEN
    expect(s3.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['HeadObjectCommand', { Bucket: 'gdelt-open-data', Key: 'events/1979.csv' }],
      ['HeadObjectCommand', { Bucket: 'gdelt-open-data', Key: 'events/1980.csv' }],
      ['HeadObjectCommand', { Bucket: 'gdelt-open-data', Key: 'events/1984.csv' }],
    ]);
  });

  it('uses the AWS default where no value is applied to the account', async () => {
    // GIVEN a new account: defaults only, and the per-type quotas at 0
    quotas.restore();
    givenDefaults({ ...Object.fromEntries(NEEDED.map((name) => [name, 20])), 'ml.c4.2xlarge for training job usage': 0 });

    // WHEN
    const failure = handler(REQUEST);

    // THEN the default of 0 is what the check compares with
    await expect(failure).rejects.toThrow(
      /Quota "ml.c4.2xlarge for training job usage" \(L-C4X2TRAIN\) is 0 in eu-west-1 \(the AWS default; no other value is applied to this account\), but this execution needs 10 = 2 variants × 5 instances of ml.c4.2xlarge training at once\. Ask for at least 10 in the Service Quotas console: https:\/\/eu-west-1\.console\.aws\.amazon\.com\/servicequotas\/home\/services\/sagemaker\/quotas\/L-C4X2TRAIN/,
    );
  });

  it('uses the applied value over the default', async () => {
    // GIVEN a default of 100 lowered to 4 for this account
    quotas.restore();
    quotas = fakeServiceQuotas(
      SUFFICIENT_QUOTAS.map((quota) => (quota.name === 'Number of instances across all training jobs' ? { ...quota, applied: 4 } : quota)),
    );

    // WHEN / THEN
    await expect(handler(REQUEST)).rejects.toThrow(
      /"Number of instances across all training jobs" \(L-00C91CB5\) is 4 in eu-west-1 \(applied to this account\)/,
    );
  });

  it('fails with PreflightFailed listing every problem: each short quota, each type not offered, each missing year', async () => {
    // GIVEN an account where the training quotas are short, the endpoint type does not exist, and 1980 is missing
    quotas.restore();
    givenDefaults({
      'ml.c4.2xlarge for training job usage': 2,
      'Maximum number of instances per training job': 20,
      'Number of instances across all training jobs': 4,
      'Number of instances across active endpoints': 20,
    });
    s3.on(HeadObjectCommand, { Key: 'events/1980.csv' }).rejects(
      new S3ServiceException({ name: 'NotFound', $fault: 'client', message: 'UnknownError', $metadata: { httpStatusCode: 404 } }),
    );

    // WHEN
    const error = await handler(REQUEST).catch((caught: Error) => caught);

    // THEN
    expect(error).toMatchObject({ name: 'PreflightFailed' });
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('Preflight found 4 problems before any data was read or anything created:');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^- Quota "ml.c4.2xlarge for training job usage" \(L-C4X2TRAIN\) is 2 in eu-west-1/),
      expect.stringMatching(/^- Quota "Number of instances across all training jobs" \(L-00C91CB5\) is 4 in eu-west-1/),
      '- ml.m4.xlarge is not offered for endpoints in eu-west-1 (Service Quotas has no quota "ml.m4.xlarge for endpoint usage" there); set endpointInstanceType to an instance type the region offers.',
      '- GDELT year 1980 is missing: s3://gdelt-open-data/events/1980.csv does not exist; choose another year in trainingYears.',
    ]);
  });

  it('reads to the end of the list before it says an instance type is not offered', async () => {
    // GIVEN a region without the endpoint type
    quotas.restore();
    givenDefaults(Object.fromEntries(NEEDED.filter((name) => !name.includes('endpoint usage')).map((name) => [name, 20])));

    // WHEN
    await handler(REQUEST).catch(() => undefined);

    // THEN
    const tokens = quotas.commandCalls(ListAWSDefaultServiceQuotasCommand).map((call) => call.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, '100', '200']);
  });

  it('fails when S3 denies access to a source object', async () => {
    // GIVEN
    s3.on(HeadObjectCommand, { Key: 'events/1984.csv' }).rejects(
      new S3ServiceException({ name: 'Forbidden', $fault: 'client', message: 'UnknownError', $metadata: { httpStatusCode: 403 } }),
    );

    // WHEN / THEN
    await expect(handler(REQUEST)).rejects.toThrow(
      'GDELT year 1984 cannot be read: HeadObject on s3://gdelt-open-data/events/1984.csv failed with access denied (HTTP 403).',
    );
  });

  it('goes on with a warning when Service Quotas denies access', async () => {
    // GIVEN a role or SCP that denies Service Quotas
    quotas.reset();
    quotas.on(ListAWSDefaultServiceQuotasCommand).rejects(
      new AccessDeniedException({
        message: 'User is not authorized to perform: servicequotas:ListAWSDefaultServiceQuotas',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // WHEN
    const result = await handler(REQUEST);

    // THEN
    expect(result).toEqual({
      checked: true,
      warnings: [
        'Service Quotas could not be read (AccessDeniedException: User is not authorized to perform: servicequotas:ListAWSDefaultServiceQuotas), ' +
          'so the SageMaker quotas were not checked; a quota that is too low will stop the run at CreateTrainingJob or CreateEndpoint with ResourceLimitExceeded.',
      ],
    });
  });

  it('goes on with a warning when only the applied values are denied', async () => {
    // GIVEN the list answers but GetServiceQuota is denied
    quotas.on(GetServiceQuotaCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } }));

    // WHEN
    const result = await handler(REQUEST);

    // THEN
    expect(result.warnings).toEqual([expect.stringMatching(/^Service Quotas could not be read \(AccessDeniedException: denied\)/)]);
  });

  it('still fails on a missing year when Service Quotas is denied', async () => {
    // GIVEN
    quotas.reset();
    quotas
      .on(ListAWSDefaultServiceQuotasCommand)
      .rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } }));
    s3.on(HeadObjectCommand, { Key: 'events/1979.csv' }).rejects(
      new S3ServiceException({ name: 'NotFound', $fault: 'client', message: 'UnknownError', $metadata: { httpStatusCode: 404 } }),
    );

    // WHEN / THEN
    await expect(handler(REQUEST)).rejects.toThrow(/GDELT year 1979 is missing/);
  });

  it('makes no call at all when the preflight setting is off', async () => {
    // GIVEN / WHEN
    const result = await handler({ ...REQUEST, enabled: false });

    // THEN
    expect(result).toEqual({ checked: false, warnings: [] });
    expect(quotas.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});
