import {
  GetServiceQuotaCommand,
  ListAWSDefaultServiceQuotasCommand,
  ServiceQuotasClient,
  TooManyRequestsException,
} from '@aws-sdk/client-service-quotas';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { BackoffOptions } from '../../../../lambda/core/common/backoff';
import { readQuotas } from '../../../../lambda/core/preflight/service-quotas';
import { fakeServiceQuotas } from '../../../helpers/fake-service-quotas';

const NAMES = ['ml.c4.2xlarge for training job usage', 'Number of instances across all training jobs'];
const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

let quotas: AwsClientStub<ServiceQuotasClient>;
let waits: number[];
let backoff: BackoffOptions;

const ACCOUNT = [
  { name: NAMES[0], code: 'L-C4X2TRAIN', defaultValue: 0 },
  { name: NAMES[1], code: 'L-00C91CB5', defaultValue: 4, applied: 12 },
];

beforeEach(() => {
  quotas = fakeServiceQuotas(ACCOUNT);
  waits = [];
  backoff = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, jitter: false, sleep: async (ms) => void waits.push(ms) };
});

afterEach(() => quotas.restore());

describe('readQuotas', () => {
  it('gives the applied value where one exists and the default elsewhere, keyed by name', async () => {
    // GIVEN / WHEN
    const reading = await readQuotas(new ServiceQuotasClient({}), NAMES, backoff);

    // THEN
    expect(reading).toEqual({
      readable: true,
      values: new Map([
        [NAMES[0], { code: 'L-C4X2TRAIN', value: 0, applied: false }],
        [NAMES[1], { code: 'L-00C91CB5', value: 12, applied: true }],
      ]),
    });
  });

  it('leaves out a name the region does not list', async () => {
    // GIVEN / WHEN
    const reading = await readQuotas(new ServiceQuotasClient({}), [...NAMES, 'ml.c4.2xlarge for endpoint usage'], backoff);

    // THEN
    expect(reading.readable && [...reading.values.keys()]).toEqual(NAMES);
  });

  it('waits and retries a throttled call', async () => {
    // GIVEN the list is throttled twice, then answers
    quotas.restore();
    quotas = fakeServiceQuotas(ACCOUNT, 2);

    // WHEN
    const reading = await readQuotas(new ServiceQuotasClient({}), NAMES, backoff);

    // THEN
    expect(waits).toEqual([100, 200]);
    expect(quotas.commandCalls(ListAWSDefaultServiceQuotasCommand).map((call) => call.args[0].input.NextToken)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(reading.readable).toBe(true);
  });

  it('reports the quotas unreadable, with the reason, when throttling outlasts the retries', async () => {
    // GIVEN the applied values stay throttled
    quotas.on(GetServiceQuotaCommand).rejects(throttled());

    // WHEN
    const reading = await readQuotas(new ServiceQuotasClient({}), NAMES, backoff);

    // THEN
    expect(reading).toEqual({ readable: false, reason: 'TooManyRequestsException: Rate exceeded' });
    expect(quotas.commandCalls(GetServiceQuotaCommand)).toHaveLength(3);
  });
});
