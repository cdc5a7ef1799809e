import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/identify-dataset';
import { FIXTURE_CODES } from './s3-test-helpers';

const s3 = mockClient(S3Client);
const years = [1979, 1980, 1984];
const EVENT = {
  dataset: {
    dataPrefix: 'sagemaker/data_distribution_types',
    validationPercent: 10,
    maxMalformedShare: 0.5,
    retentionDays: 30,
    years: years.map((year) => ({
      year,
      kind: year === 1984 ? ('test' as const) : ('train' as const),
      source: { bucket: 'gdelt-open-data', key: `events/${year}.csv` },
    })),
  },
  profile: { year: 1979, codes: FIXTURE_CODES, sourceETag: '"etag-events/1979.csv"' },
};

beforeEach(() => {
  s3.reset();
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => ({ ETag: `"etag-${input.Key}"` }));
});

describe('identify-dataset handler', () => {
  it('sends one HEAD per source year to the GDELT bucket', async () => {
    // WHEN
    const dataset = await handler(EVENT);
    // THEN
    expect(s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input)).toEqual(
      years.map((year) => ({ Bucket: 'gdelt-open-data', Key: `events/${year}.csv` })),
    );
    expect(dataset.years.map((year) => year.source.eTag)).toEqual(years.map((year) => `"etag-events/${year}.csv"`));
  });

  it('names the step, the bucket, the key and the status when a HEAD is refused with no error body', async () => {
    // GIVEN S3 answers one HEAD 403; a HEAD response has no body, so the SDK can only call it Unknown
    s3.on(HeadObjectCommand, { Key: 'events/1980.csv' }).rejects(
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } }),
    );
    // WHEN / THEN
    await expect(handler(EVENT)).rejects.toMatchObject({
      name: 'AccessDenied',
      message:
        'Identify dataset: S3 HeadObject s3://gdelt-open-data/events/1980.csv failed with HTTP 403 AccessDenied: ' +
        'S3 sends no error details in reply to a HEAD request',
    });
  });
});
