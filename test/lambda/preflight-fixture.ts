import type { PreflightRequest, PreflightYear } from '../../lambda/core/preflight/preflight';

export const preflightYear = (value: number, kind: 'train' | 'test' = 'train'): PreflightYear => ({
  source: { bucket: 'gdelt-open-data', key: `events/${value}.csv` },
  year: value,
  kind,
});

/** The workshop's execution: two 5-instance ml.c4.2xlarge jobs, then two 1-instance ml.m4.xlarge endpoints. */
export function workshopPreflight(years: readonly PreflightYear[]): PreflightRequest {
  return {
    enabled: true,
    instanceType: 'ml.c4.2xlarge',
    variants: [
      { name: 'replicated', instanceType: 'ml.c4.2xlarge', instanceCount: 5 },
      { name: 'sharded', instanceType: 'ml.c4.2xlarge', instanceCount: 5 },
    ],
    endpointInstanceType: 'ml.m4.xlarge',
    endpointInstanceCount: 1,
    years,
  };
}
