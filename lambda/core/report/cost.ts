/**
 * Cost estimates: instance-seconds times an hourly on-demand price. The price table is a setting;
 * these defaults are a starting point, not a quote. Check https://aws.amazon.com/sagemaker/pricing/
 * for your region and date and pass your own table.
 */

export function validatePrices(prices: Record<string, number>): void {
  if (typeof prices !== 'object' || prices === null || Array.isArray(prices)) {
    throw new Error(`pricesPerHour must be an object of instance type to USD per hour; got ${JSON.stringify(prices)}`);
  }
  for (const [instanceType, price] of Object.entries(prices)) {
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw new Error(`pricesPerHour["${instanceType}"] must be a finite number >= 0 (USD per hour); got ${JSON.stringify(price)}`);
    }
  }
}

export interface CostEstimate {
  readonly instanceType: string;
  readonly instanceCount: number;
  /** Seconds per instance that the estimate covers. */
  readonly seconds: number;
  /** `seconds` times `instanceCount`. */
  readonly instanceSeconds: number;
  readonly pricePerHour: number | null;
  /** Null when the price table has no entry for the instance type. */
  readonly usd: number | null;
  readonly note?: string;
}

function estimate(instanceType: string, instanceCount: number, seconds: number, prices: Record<string, number>): CostEstimate {
  const instanceSeconds = seconds * instanceCount;
  const pricePerHour = Object.prototype.hasOwnProperty.call(prices, instanceType) ? prices[instanceType] : null;
  if (pricePerHour === null) {
    return {
      instanceType,
      instanceCount,
      seconds,
      instanceSeconds,
      pricePerHour,
      usd: null,
      note: `no price for ${instanceType} in the price table; add it to pricesPerHour`,
    };
  }
  return { instanceType, instanceCount, seconds, instanceSeconds, pricePerHour, usd: (instanceSeconds * pricePerHour) / 3600 };
}

function requireCount(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${field} must be an integer >= 1; got ${value}`);
}

function requireSeconds(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${field} must be a number of seconds >= 0; got ${value}`);
  }
}

export interface TrainingUsage {
  readonly instanceType: string;
  readonly instanceCount: number;
  /** DescribeTrainingJob's BillableTimeInSeconds: wall-clock seconds, per instance. */
  readonly billableTimeInSeconds: number;
}

/**
 * BillableTimeInSeconds is wall-clock time for the job, not summed over instances: the
 * DescribeTrainingJob reference says to multiply it by InstanceCount for the compute time billed
 * in distributed training (AWS SDK reference, DescribeTrainingJobResponse.billableTimeInSeconds).
 */
export function trainingCost(usage: TrainingUsage, prices: Record<string, number>): CostEstimate {
  requireCount('instanceCount', usage.instanceCount);
  requireSeconds('billableTimeInSeconds', usage.billableTimeInSeconds);
  return estimate(usage.instanceType, usage.instanceCount, usage.billableTimeInSeconds, prices);
}

export interface HostingUsage {
  readonly instanceType: string;
  readonly instanceCount: number;
  /** ISO time the endpoint was created. */
  readonly createdAt: string;
  /** ISO time the endpoint was deleted; absent if it was kept. */
  readonly deletedAt?: string;
}

export interface HostingCostEstimate extends CostEstimate {
  /** True when the endpoint was kept: the cost runs to the report time and keeps growing. */
  readonly stillRunning: boolean;
}

export function parseIsoTime(field: string, value: string): number {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new Error(`${field} must be an ISO date-time; got ${JSON.stringify(value)}`);
  return time;
}

/** Endpoint instances are billed while the endpoint exists: from creation to deletion (or to now). */
export function hostingCost(usage: HostingUsage, reportTime: Date, prices: Record<string, number>): HostingCostEstimate {
  requireCount('endpointInstanceCount', usage.instanceCount);
  const created = parseIsoTime('hosting.createdAt', usage.createdAt);
  const stillRunning = usage.deletedAt === undefined;
  const ended = stillRunning ? reportTime.getTime() : parseIsoTime('hosting.deletedAt', usage.deletedAt!);
  if (ended < created) {
    throw new Error(`hosting ends (${new Date(ended).toISOString()}) before it starts (${usage.createdAt})`);
  }
  const cost = estimate(usage.instanceType, usage.instanceCount, (ended - created) / 1000, prices);
  const runningNote = stillRunning
    ? `still running at ${reportTime.toISOString()}; cost keeps growing until the endpoint is deleted`
    : undefined;
  const note = [cost.note, runningNote].filter((text) => text !== undefined).join('; ') || undefined;
  return { ...cost, ...(note ? { note } : {}), stillRunning };
}
