/**
 * Reads SageMaker quotas from Service Quotas by name: the AWS defaults list gives each name its code and default
 * value, GetServiceQuota the value applied to this account where there is one.
 */
import { GetServiceQuotaCommand, ListAWSDefaultServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { BackoffOptions, defaultSleep, withBackoff } from '../common/backoff';
import { QuotaReading, QuotaValue, SERVICE_CODE } from './preflight';

// Service Quotas answers TooManyRequestsException; the SDK retries it a few times, this keeps trying a little longer.
const THROTTLING = ['TooManyRequestsException', 'ThrottlingException'];
const isThrottled = (error: unknown): boolean => THROTTLING.includes((error as Error).name);

export const QUOTA_BACKOFF: BackoffOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 5000, sleep: defaultSleep, jitter: true };

interface DefaultQuota {
  readonly code: string;
  readonly value: number;
}

/** Pages through the AWS default quotas until every wanted name is found or the list ends. */
async function defaultQuotas(
  client: ServiceQuotasClient,
  names: ReadonlySet<string>,
  backoff: BackoffOptions,
): Promise<Map<string, DefaultQuota>> {
  const found = new Map<string, DefaultQuota>();
  let nextToken: string | undefined;
  do {
    const page = await withBackoff(
      () => client.send(new ListAWSDefaultServiceQuotasCommand({ ServiceCode: SERVICE_CODE, MaxResults: 100, NextToken: nextToken })),
      isThrottled,
      backoff,
    );
    for (const quota of page.Quotas ?? []) {
      if (quota.QuotaName && names.has(quota.QuotaName) && quota.QuotaCode && quota.Value !== undefined) {
        found.set(quota.QuotaName, { code: quota.QuotaCode, value: quota.Value });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken && found.size < names.size);
  return found;
}

async function appliedOrDefault(client: ServiceQuotasClient, quota: DefaultQuota, backoff: BackoffOptions): Promise<QuotaValue> {
  try {
    const { Quota } = await withBackoff(
      () => client.send(new GetServiceQuotaCommand({ ServiceCode: SERVICE_CODE, QuotaCode: quota.code })),
      isThrottled,
      backoff,
    );
    if (Quota?.Value === undefined) return { ...quota, applied: false };
    return { code: quota.code, value: Quota.Value, applied: true };
  } catch (error) {
    // No applied value exists for quotas nobody changed (and for some that cannot be changed).
    if ((error as Error).name === 'NoSuchResourceException') return { ...quota, applied: false };
    throw error;
  }
}

/**
 * The account's value of each named quota that exists in the region; names the region does not list are left out.
 * Any failure other than a missing applied value (typically AccessDeniedException from a restrictive role or SCP)
 * makes the reading unreadable, with the reason: the quota check is advisory and must not block a run.
 */
export async function readQuotas(
  client: ServiceQuotasClient,
  names: readonly string[],
  backoff: BackoffOptions = QUOTA_BACKOFF,
): Promise<QuotaReading> {
  try {
    const defaults = await defaultQuotas(client, new Set(names), backoff);
    const values = new Map<string, QuotaValue>();
    for (const [name, quota] of defaults) values.set(name, await appliedOrDefault(client, quota, backoff));
    return { readable: true, values };
  } catch (error) {
    return { readable: false, reason: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
