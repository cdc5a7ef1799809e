import { hostingCost, trainingCost, validatePrices } from '../../../../lambda/core/report/cost';
import { DEFAULT_PRICES_PER_HOUR, PRICES_SOURCE } from '../../../../lambda/core/experiment/prices';

const PRICES = { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 };

describe('trainingCost', () => {
  it('multiplies the per-instance billable time by the instance count and the hourly price', () => {
    // GIVEN 5 instances billed 600 s each: 3000 instance-seconds x $0.557 / 3600 = $0.4641666...
    // WHEN
    const cost = trainingCost({ instanceType: 'ml.c4.2xlarge', instanceCount: 5, billableTimeInSeconds: 600 }, PRICES);
    // THEN
    expect(cost.instanceSeconds).toBe(3000);
    expect(cost.pricePerHour).toBe(0.557);
    expect(cost.usd).toBeCloseTo(0.46416667, 8);
  });

  it('gives no cost, with a note, for an instance type missing from the price table', () => {
    // GIVEN / WHEN
    const cost = trainingCost({ instanceType: 'ml.c6i.4xlarge', instanceCount: 2, billableTimeInSeconds: 100 }, PRICES);
    // THEN
    expect(cost.usd).toBeNull();
    expect(cost.instanceSeconds).toBe(200);
    expect(cost.note).toMatch(/no price for ml.c6i.4xlarge/);
  });

  it('rejects an instance count below one', () => {
    // GIVEN / WHEN / THEN
    expect(() => trainingCost({ instanceType: 'ml.c4.2xlarge', instanceCount: 0, billableTimeInSeconds: 1 }, PRICES)).toThrow(
      /instanceCount must be an integer >= 1; got 0/,
    );
  });
});

describe('hostingCost', () => {
  it('charges the endpoint instances from creation to deletion', () => {
    // GIVEN 30 minutes on one ml.m4.xlarge: 1800 s x $0.28 / 3600 = $0.14
    // WHEN
    const cost = hostingCost(
      { instanceType: 'ml.m4.xlarge', instanceCount: 1, createdAt: '2024-05-01T10:00:00Z', deletedAt: '2024-05-01T10:30:00Z' },
      new Date('2024-05-01T12:00:00Z'),
      PRICES,
    );
    // THEN
    expect(cost.seconds).toBe(1800);
    expect(cost.usd).toBeCloseTo(0.14, 10);
    expect(cost.stillRunning).toBe(false);
    expect(cost.note).toBeUndefined();
  });

  it('charges a kept endpoint up to the report time and says it is still running', () => {
    // GIVEN two instances kept for one hour: 7200 instance-seconds x $0.28 / 3600 = $0.56
    // WHEN
    const cost = hostingCost(
      { instanceType: 'ml.m4.xlarge', instanceCount: 2, createdAt: '2024-05-01T10:00:00Z' },
      new Date('2024-05-01T11:00:00Z'),
      PRICES,
    );
    // THEN
    expect(cost.usd).toBeCloseTo(0.56, 10);
    expect(cost.stillRunning).toBe(true);
    expect(cost.note).toMatch(/still running at 2024-05-01T11:00:00.000Z/);
  });

  it('rejects a deletion before the creation', () => {
    // GIVEN / WHEN / THEN
    expect(() =>
      hostingCost(
        { instanceType: 'ml.m4.xlarge', instanceCount: 1, createdAt: '2024-05-01T10:00:00Z', deletedAt: '2024-05-01T09:00:00Z' },
        new Date(),
        PRICES,
      ),
    ).toThrow(/hosting ends .* before it starts/);
  });

  it('rejects a creation time that is not an ISO date-time', () => {
    // GIVEN / WHEN / THEN
    expect(() => hostingCost({ instanceType: 'ml.m4.xlarge', instanceCount: 1, createdAt: 'yesterday' }, new Date(), PRICES)).toThrow(
      /hosting.createdAt must be an ISO date-time; got "yesterday"/,
    );
  });
});

describe('price table', () => {
  it('has default prices for the workshop training and hosting types and says where they come from', () => {
    // GIVEN / WHEN / THEN
    expect(DEFAULT_PRICES_PER_HOUR['ml.c4.2xlarge']).toBeGreaterThan(0);
    expect(DEFAULT_PRICES_PER_HOUR['ml.m4.xlarge']).toBeGreaterThan(0);
    expect(PRICES_SOURCE).toMatch(/us-east-1/);
    expect(PRICES_SOURCE).toMatch(/unverified/);
  });

  it('rejects a negative price, naming the instance type', () => {
    // GIVEN / WHEN / THEN
    expect(() => validatePrices({ 'ml.m4.xlarge': -1 })).toThrow(/pricesPerHour\["ml.m4.xlarge"\] must be a finite number >= 0/);
  });
});
