import { variantsFailedCause } from '../../../../lambda/core/report/failure-summary';

const URI = 's3://data-bucket/prefix/reports/run-1/report.md';
const failed = (name: string, cause = 'Training job failed: ClientError: bad data') => ({
  name,
  failure: { error: 'TrainingJobFailed', cause },
});

describe('variantsFailedCause', () => {
  it('names each failed variant with its error and cause, then where the report is', () => {
    // GIVEN / WHEN
    const cause = variantsFailedCause([failed('a'), failed('b', 'Endpoint failed')], 8, URI);
    // THEN
    expect(cause).toBe(
      '2 of 8 variants failed: a: TrainingJobFailed: Training job failed: ClientError: bad data; b: TrainingJobFailed: Endpoint failed. ' +
        `Report: ${URI}`,
    );
  });

  it('cuts the list with "and k more" to stay within the length', () => {
    // GIVEN ten failures of about 60 characters each, and room for about three
    const many = Array.from({ length: 10 }, (_, i) => failed(`variant-${i}`));
    // WHEN
    const cause = variantsFailedCause(many, 10, URI, 300);
    // THEN
    expect(cause.length).toBeLessThanOrEqual(300);
    expect(cause).toMatch(/^10 of 10 variants failed: variant-0: TrainingJobFailed: .*; variant-1: .*; and \d more\. Report: s3:\/\//);
    const listed = (cause.match(/variant-\d:/g) ?? []).length;
    expect(cause).toContain(`and ${10 - listed} more.`);
  });

  it('keeps the start of a single cause too long to fit, marked as cut', () => {
    // GIVEN
    const long = failed('a', 'x'.repeat(5000));
    // WHEN
    const cause = variantsFailedCause([long], 3, URI);
    // THEN
    expect(cause.length).toBeLessThanOrEqual(1000);
    expect(cause).toMatch(/^1 of 3 variants failed: a: TrainingJobFailed: x+\.\.\.\. Report: s3:\/\/data-bucket\//);
  });

  it('stays under the default limit of 1,000 characters for a large sweep', () => {
    // GIVEN
    const many = Array.from({ length: 60 }, (_, i) => failed(`sweep-variant-${i}`));
    // WHEN / THEN
    expect(variantsFailedCause(many, 60, URI).length).toBeLessThanOrEqual(1000);
  });
});
