import {
  PreflightFailed,
  PreflightRequest,
  QuotaNeed,
  QuotaReading,
  QuotaValue,
  quotaFindings,
  quotaNeeds,
  sourceProblem,
} from '../../../../lambda/core/preflight/preflight';
import { preflightYear, workshopPreflight } from '../../preflight-fixture';

const year = preflightYear;
const WORKSHOP: PreflightRequest = workshopPreflight([year(1979), year(1984, 'test')]);

const amounts = (needs: QuotaNeed[]): Record<string, number> => Object.fromEntries(needs.map((need) => [need.quotaName, need.amount]));

describe('quotaNeeds', () => {
  it("sums the workshop's two variants, which train and serve at the same time", () => {
    // GIVEN / WHEN
    const needs = quotaNeeds(WORKSHOP);

    // THEN
    expect(amounts(needs)).toEqual({
      'ml.c4.2xlarge for training job usage': 10,
      'Maximum number of instances per training job': 5,
      'Number of instances across all training jobs': 10,
      'ml.m4.xlarge for endpoint usage': 2,
      'Number of instances across active endpoints': 2,
    });
  });

  it('counts a spot variant against the spot training quota of its type instead of the on-demand one', () => {
    // GIVEN
    const request: PreflightRequest = {
      ...WORKSHOP,
      variants: [
        { name: 'replicated', instanceType: 'ml.c4.2xlarge', instanceCount: 5 },
        { name: 'spot', instanceType: 'ml.c4.2xlarge', instanceCount: 3, spot: true },
      ],
    };
    // WHEN
    const needs = quotaNeeds(request);
    // THEN
    expect(amounts(needs)).toMatchObject({
      'ml.c4.2xlarge for training job usage': 5,
      'ml.c4.2xlarge for spot training job usage': 3,
      'Number of instances across all training jobs': 8,
    });
    expect(needs.find((need) => need.quotaName === 'ml.c4.2xlarge for spot training job usage')).toEqual({
      quotaName: 'ml.c4.2xlarge for spot training job usage',
      amount: 3,
      breakdown: '3 = 1 variant × 3 instances of ml.c4.2xlarge spot training at once',
      instanceType: { type: 'ml.c4.2xlarge', usage: 'spot training', setting: 'instanceType' },
    });
  });

  it('needs no on-demand training quota when every variant trains on spot', () => {
    // GIVEN
    const request: PreflightRequest = { ...WORKSHOP, variants: WORKSHOP.variants.map((variant) => ({ ...variant, spot: true })) };
    // WHEN
    const names = quotaNeeds(request).map((need) => need.quotaName);
    // THEN
    expect(names).toContain('ml.c4.2xlarge for spot training job usage');
    expect(names).not.toContain('ml.c4.2xlarge for training job usage');
  });

  it('explains each amount with its breakdown', () => {
    // GIVEN / WHEN
    const breakdowns = quotaNeeds(WORKSHOP).map((need) => need.breakdown);

    // THEN
    expect(breakdowns).toEqual([
      '10 = 2 variants × 5 instances of ml.c4.2xlarge training at once',
      '5 = the largest training job (variant replicated)',
      '10 = 2 variants × 5 instances training at once',
      '2 = 2 variants × 1 instance of ml.m4.xlarge for endpoints',
      '2 = 2 variants × 1 instance of ml.m4.xlarge in service at once',
    ]);
  });

  it('names each variant when their counts differ', () => {
    // GIVEN variants of 5 and 3 instances
    const request = { ...WORKSHOP, variants: [WORKSHOP.variants[0], { ...WORKSHOP.variants[1], instanceCount: 3 }] };

    // WHEN
    const needs = quotaNeeds(request);

    // THEN
    expect(needs[0]).toMatchObject({
      amount: 8,
      breakdown: '8 = 5 (replicated) + 3 (sharded) instances of ml.c4.2xlarge training at once',
    });
    expect(needs[1]).toMatchObject({ amount: 5, breakdown: '5 = the largest training job (variant replicated)' });
  });

  it('needs one per-type training quota for each instance type, with the setting that chose it', () => {
    // GIVEN a variant with its own instance type
    const request = { ...WORKSHOP, variants: [...WORKSHOP.variants, { name: 'big', instanceType: 'ml.c5.4xlarge', instanceCount: 2 }] };

    // WHEN
    const needs = quotaNeeds(request);

    // THEN each type has its own quota; the totals count all three variants
    expect(
      needs
        .filter((need) => need.instanceType?.usage === 'training')
        .map((need) => [need.quotaName, need.amount, need.instanceType!.setting]),
    ).toEqual([
      ['ml.c4.2xlarge for training job usage', 10, 'instanceType'],
      ['ml.c5.4xlarge for training job usage', 2, 'the instanceType of variant big'],
    ]);
    expect(amounts(needs)['Number of instances across all training jobs']).toBe(12);
    expect(amounts(needs)['ml.m4.xlarge for endpoint usage']).toBe(3);
  });

  it('multiplies endpoint instances by the number of variants', () => {
    // GIVEN two instances per endpoint
    const needs = quotaNeeds({ ...WORKSHOP, endpointInstanceCount: 2 });

    // THEN
    expect(needs[3]).toMatchObject({
      quotaName: 'ml.m4.xlarge for endpoint usage',
      amount: 4,
      breakdown: '4 = 2 variants × 2 instances of ml.m4.xlarge for endpoints',
    });
  });

  it('counts only the largest variants that can train together when parallelism is capped, and as many endpoints', () => {
    // GIVEN three variants of 5, 3 and 2 instances, at most two training at once
    const variants = [
      { name: 'a', instanceType: 'ml.c4.2xlarge', instanceCount: 3 },
      { name: 'b', instanceType: 'ml.c4.2xlarge', instanceCount: 5 },
      { name: 'c', instanceType: 'ml.c4.2xlarge', instanceCount: 2 },
    ];

    // WHEN
    const needs = quotaNeeds({ ...WORKSHOP, variants, maxParallelVariants: 2 });

    // THEN
    expect(needs[0]).toMatchObject({ amount: 8, breakdown: '8 = 5 (b) + 3 (a) instances of ml.c4.2xlarge training at once' });
    expect(amounts(needs)['Number of instances across all training jobs']).toBe(8);
    expect(amounts(needs)['Number of instances across active endpoints']).toBe(2);
    expect(needs.find((need) => need.quotaName === 'Number of instances across active endpoints')?.breakdown).toBe(
      '2 = 2 variants × 1 instance of ml.m4.xlarge in service at once',
    );
  });

  it('counts every endpoint when they are kept, since kept endpoints stay up together', () => {
    // GIVEN three variants, at most two at once, whose endpoints are kept
    const variants = ['a', 'b', 'c'].map((name) => ({ name, instanceType: 'ml.c4.2xlarge', instanceCount: 2 }));

    // WHEN
    const needs = quotaNeeds({ ...WORKSHOP, variants, maxParallelVariants: 2, keepEndpoints: true });

    // THEN
    expect(needs.find((need) => need.quotaName === 'Number of instances across active endpoints')?.breakdown).toBe(
      '3 = 3 variants (endpoints kept) × 1 instance of ml.m4.xlarge in service at once',
    );
  });

  it('speaks of a single variant in the singular', () => {
    // GIVEN / WHEN
    const needs = quotaNeeds({ ...WORKSHOP, variants: [{ name: 'solo', instanceType: 'ml.c4.2xlarge', instanceCount: 1 }] });

    // THEN
    expect(needs[0].breakdown).toBe('1 = 1 variant × 1 instance of ml.c4.2xlarge training at once');
  });
});

const without = (name: string): Record<string, QuotaValue> => Object.fromEntries(Object.entries(ENOUGH).filter(([key]) => key !== name));

/** Each needed quota with a value, keyed by name. */
function reading(values: Record<string, QuotaValue>): QuotaReading {
  return { readable: true, values: new Map(Object.entries(values)) };
}

const ENOUGH: Record<string, QuotaValue> = {
  'ml.c4.2xlarge for training job usage': { code: 'L-C4TRAIN', value: 10, applied: true },
  'Maximum number of instances per training job': { code: 'L-622CFD70', value: 20, applied: false },
  'Number of instances across all training jobs': { code: 'L-00C91CB5', value: 10, applied: true },
  'ml.m4.xlarge for endpoint usage': { code: 'L-M4ENDPT', value: 2, applied: false },
  'Number of instances across active endpoints': { code: 'L-7A3DF611', value: 20, applied: false },
};

describe('quotaFindings', () => {
  const needs = quotaNeeds(WORKSHOP);

  it('finds nothing when every quota covers the need exactly', () => {
    // GIVEN / WHEN / THEN
    expect(quotaFindings(needs, reading(ENOUGH), 'us-east-1')).toEqual({ problems: [], warnings: [] });
  });

  it('names the quota, its code, what is needed and why, what the account has, and where to ask for more', () => {
    // GIVEN a new account: the per-type training quota is 0
    const values = { ...ENOUGH, 'ml.c4.2xlarge for training job usage': { code: 'L-C4TRAIN', value: 0, applied: false } };

    // WHEN
    const { problems } = quotaFindings(needs, reading(values), 'eu-west-1');

    // THEN
    expect(problems).toEqual([
      'Quota "ml.c4.2xlarge for training job usage" (L-C4TRAIN) is 0 in eu-west-1 (the AWS default; no other value is applied to this account), ' +
        'but this execution needs 10 = 2 variants × 5 instances of ml.c4.2xlarge training at once. ' +
        'Ask for at least 10 in the Service Quotas console: https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/sagemaker/quotas/L-C4TRAIN',
    ]);
  });

  it('says when the value is the one applied to the account', () => {
    // GIVEN an applied value below the need
    const values = { ...ENOUGH, 'Number of instances across all training jobs': { code: 'L-00C91CB5', value: 4, applied: true } };

    // WHEN
    const { problems } = quotaFindings(needs, reading(values), 'us-east-1');

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^Quota "Number of instances across all training jobs" \(L-00C91CB5\) is 4 in us-east-1 \(applied to this account\), but this execution needs 10 = /,
    );
  });

  it('lists every insufficient quota', () => {
    // GIVEN each quota one below the need
    const short = Object.fromEntries(needs.map((need) => [need.quotaName, { ...ENOUGH[need.quotaName], value: need.amount - 1 }]));

    // WHEN
    const { problems } = quotaFindings(needs, reading(short), 'us-east-1');

    // THEN
    expect(problems.map((problem) => /^Quota "([^"]+)"/.exec(problem)![1])).toEqual(needs.map((need) => need.quotaName));
  });

  it('says a training instance type is not offered when the region has no quota for it, and names the setting', () => {
    // GIVEN a region without the ml.c4.2xlarge training quota
    const rest = without('ml.c4.2xlarge for training job usage');

    // WHEN
    const { problems } = quotaFindings(needs, reading(rest), 'eu-north-1');

    // THEN
    expect(problems).toEqual([
      'ml.c4.2xlarge is not offered for training in eu-north-1 (Service Quotas has no quota "ml.c4.2xlarge for training job usage" there); set instanceType to an instance type the region offers.',
    ]);
  });

  it('says an endpoint instance type is not offered, naming endpointInstanceType', () => {
    // GIVEN a region without the ml.m4.xlarge endpoint quota
    const rest = without('ml.m4.xlarge for endpoint usage');

    // WHEN
    const { problems } = quotaFindings(needs, reading(rest), 'eu-north-1');

    // THEN
    expect(problems).toEqual([
      'ml.m4.xlarge is not offered for endpoints in eu-north-1 (Service Quotas has no quota "ml.m4.xlarge for endpoint usage" there); set endpointInstanceType to an instance type the region offers.',
    ]);
  });

  it('warns, without failing, when an account-wide quota is not listed', () => {
    // GIVEN the list lacks the per-job maximum
    const rest = without('Maximum number of instances per training job');

    // WHEN
    const findings = quotaFindings(needs, reading(rest), 'us-east-1');

    // THEN
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([
      'Quota "Maximum number of instances per training job" is not listed for SageMaker in us-east-1, so it was not checked (this execution needs 5 = the largest training job (variant replicated)).',
    ]);
  });

  it('warns, without failing, when Service Quotas could not be read', () => {
    // GIVEN / WHEN
    const findings = quotaFindings(needs, { readable: false, reason: 'AccessDeniedException: not authorized' }, 'us-east-1');

    // THEN
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([
      'Service Quotas could not be read (AccessDeniedException: not authorized), so the SageMaker quotas were not checked; ' +
        'a quota that is too low will stop the run at CreateTrainingJob or CreateEndpoint with ResourceLimitExceeded.',
    ]);
  });
});

describe('sourceProblem', () => {
  it('names a missing training year with its key and the setting to change', () => {
    expect(sourceProblem({ year: year(1979), missing: true })).toBe(
      'GDELT year 1979 is missing: s3://gdelt-open-data/events/1979.csv does not exist; choose another year in trainingYears.',
    );
  });

  it('names testYear for a missing test year', () => {
    expect(sourceProblem({ year: year(1984, 'test'), missing: true })).toMatch(
      /GDELT year 1984 is missing: .* choose another year in testYear\.$/,
    );
  });

  it('names an object that cannot be read, with the error', () => {
    expect(sourceProblem({ year: year(1980), missing: false, error: 'access denied (HTTP 403)' })).toBe(
      'GDELT year 1980 cannot be read: HeadObject on s3://gdelt-open-data/events/1980.csv failed with access denied (HTTP 403).',
    );
  });
});

describe('PreflightFailed', () => {
  it('lists every problem under one error name the workflow routes', () => {
    // GIVEN / WHEN
    const error = new PreflightFailed(['first', 'second']);

    // THEN
    expect(error.name).toBe('PreflightFailed');
    expect(error.message).toBe('Preflight found 2 problems before any data was read or anything created:\n- first\n- second');
  });
});
