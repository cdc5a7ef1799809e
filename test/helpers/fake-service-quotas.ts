import {
  GetServiceQuotaCommand,
  ListAWSDefaultServiceQuotasCommand,
  NoSuchResourceException,
  ServiceQuotasClient,
  TooManyRequestsException,
} from '@aws-sdk/client-service-quotas';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** One SageMaker quota as Service Quotas holds it: the AWS default, and the value applied to the account if any. */
export interface FakeQuota {
  readonly name: string;
  readonly code: string;
  readonly defaultValue: number;
  readonly applied?: number;
}

// The preflight looks quotas up by name, so codes only need to be consistent here: the account-wide ones are those
// public listings of SageMaker quotas show, the per-type ones are stand-ins.
export const QUOTA_CODES: Record<string, string> = {
  'Maximum number of instances per training job': 'L-622CFD70',
  'Number of instances across all training jobs': 'L-00C91CB5',
  'Number of instances across active endpoints': 'L-7A3DF611',
  'ml.c4.2xlarge for training job usage': 'L-C4X2TRAIN',
  'ml.c5.2xlarge for training job usage': 'L-C5X2TRAIN',
  'ml.c5.4xlarge for training job usage': 'L-C5X4TRAIN',
  'ml.m4.xlarge for endpoint usage': 'L-M4X1ENDPT',
  'ml.m5.large for endpoint usage': 'L-M5LGENDPT',
  'ml.c4.2xlarge for spot training job usage': 'L-C4X2SPOT',
};

/** An account whose quotas cover any experiment the tests run: applied values for some, defaults for the rest. */
export const SUFFICIENT_QUOTAS: readonly FakeQuota[] = Object.entries(QUOTA_CODES).map(([name, code], i) => ({
  name,
  code,
  defaultValue: 100,
  ...(i % 2 === 0 ? { applied: 200 } : {}),
}));

/** Quotas the preflight does not need: the list takes three pages of 100, the given quotas straddling the first two. */
const UNRELATED: readonly FakeQuota[] = Array.from({ length: 250 }, (_, i) => ({
  name: `ml.unrelated${i}.xlarge for processing job usage`,
  code: `L-UNREL${String(i).padStart(4, '0')}`,
  defaultValue: 0,
}));

/**
 * A mocked Service Quotas that lists the given quotas (among unrelated ones) page by page; the first
 * `throttledLists` list calls answer TooManyRequestsException, as Service Quotas does under load.
 */
export function fakeServiceQuotas(
  quotas: readonly FakeQuota[] = SUFFICIENT_QUOTAS,
  throttledLists = 0,
): AwsClientStub<ServiceQuotasClient> {
  const stub = mockClient(ServiceQuotasClient);
  const all = [...UNRELATED.slice(0, 97), ...quotas, ...UNRELATED.slice(97)];
  let lists = 0;
  stub.on(ListAWSDefaultServiceQuotasCommand).callsFake(async (input) => {
    if (++lists <= throttledLists) throw new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const end = start + (input.MaxResults ?? 100);
    return {
      Quotas: all.slice(start, end).map((quota) => ({
        ServiceCode: 'sagemaker',
        QuotaCode: quota.code,
        QuotaName: quota.name,
        Value: quota.defaultValue,
        Unit: 'None',
      })),
      ...(end < all.length ? { NextToken: String(end) } : {}),
    };
  });
  stub.on(GetServiceQuotaCommand).callsFake(async (input) => {
    const quota = all.find((entry) => entry.code === input.QuotaCode);
    if (quota?.applied === undefined) {
      throw new NoSuchResourceException({
        message: `The request failed because the specified service quota ${input.QuotaCode} does not exist.`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    return { Quota: { ServiceCode: 'sagemaker', QuotaCode: quota.code, QuotaName: quota.name, Value: quota.applied } };
  });
  return stub;
}

/** True while a test has replaced the Service Quotas client's send with a stub. */
export function serviceQuotasMocked(): boolean {
  return (ServiceQuotasClient.prototype.send as { isSinonProxy?: boolean }).isSinonProxy === true;
}
