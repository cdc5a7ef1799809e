import { GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/profile-event-codes';
import { FIXTURE_CODES, FIXTURE_TEXT, s3Body } from './s3-test-helpers';

const s3 = mockClient(S3Client);
const SOURCE = { bucket: 'gdelt-open-data', key: 'events/1979.csv' };
const EVENT = { source: SOURCE, year: 1979, dataPrefix: 'prefix', maxMalformedShare: 0.5 };

function givenSource(text: string): void {
  s3.on(HeadObjectCommand, { Bucket: SOURCE.bucket }).resolves({ ETag: '"etag-1979"' });
  s3.on(GetObjectCommand, { Bucket: SOURCE.bucket }).callsFake(() => ({ Body: s3Body(text) }));
}

beforeEach(() => {
  s3.reset();
  process.env.DATA_BUCKET = 'data-bucket';
  s3.on(GetObjectCommand, { Bucket: 'data-bucket' }).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));
  s3.on(PutObjectCommand).resolves({});
});

describe('profile-event-codes handler', () => {
  it('returns the 20 most frequent codes ascending and records them in a manifest', async () => {
    // GIVEN
    givenSource(FIXTURE_TEXT);
    // WHEN
    const result = await handler(EVENT);
    // THEN
    expect(result).toEqual({
      year: 1979,
      codes: FIXTURE_CODES,
      sourceETag: '"etag-1979"',
      skipped: false,
      counts: { read: 501, profiled: 501, wrongColumnCount: 0, emptyEventCode: 0, distinctEventCodes: 86 },
    });
    const manifest = s3.commandCalls(PutObjectCommand, { Bucket: 'data-bucket', Key: 'prefix/profiles/1979.json' });
    expect(JSON.parse(manifest[0].args[0].input.Body as string)).toMatchObject({ codes: FIXTURE_CODES, source: { eTag: '"etag-1979"' } });
  });

  it('skips the pass when the manifest has the same source ETag', async () => {
    // GIVEN a manifest from an earlier run
    givenSource(FIXTURE_TEXT);
    await handler(EVENT);
    const manifest = s3.commandCalls(PutObjectCommand)[0].args[0].input.Body as string;
    s3.reset();
    s3.on(HeadObjectCommand, { Bucket: SOURCE.bucket }).resolves({ ETag: '"etag-1979"' });
    s3.on(GetObjectCommand, { Bucket: 'data-bucket' }).callsFake(() => ({ Body: s3Body(manifest) }));
    // WHEN
    const result = await handler(EVENT);
    // THEN
    expect(result.skipped).toBe(true);
    expect(result.codes).toEqual(FIXTURE_CODES);
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Bucket: SOURCE.bucket });
  });

  it('fails with TooFewEventCodes when the first year has fewer than 20 codes', async () => {
    const fewCodes = FIXTURE_TEXT.split('\n')
      .filter((line) => /^([^\t]*\t){26}0(10|42)\t/.test(line))
      .join('\n');
    givenSource(fewCodes);
    await expect(handler(EVENT)).rejects.toMatchObject({
      name: 'TooFewEventCodes',
      message: expect.stringMatching(/events\/1979.csv \(year 1979\): the first year has only 2 distinct event codes/),
    });
  });

  it('fails with NotGdeltData when most rows are not GDELT', async () => {
    givenSource(`${FIXTURE_TEXT.split('\n')[0]}\n<html>\n<body>\n</html>\n`);
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'NotGdeltData' });
  });

  it('fails with SourceNotFound naming the step, s3://bucket/key and the status', async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE.bucket }).rejects(
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    await expect(handler(EVENT)).rejects.toMatchObject({
      name: 'SourceNotFound',
      message:
        'Profile event codes: S3 HeadObject s3://gdelt-open-data/events/1979.csv failed with HTTP 404 NotFound: ' +
        'the source object does not exist; check the year and the source bucket; S3 sends no error details in reply to a HEAD request',
    });
  });

  it('rejects a maxMalformedShare outside 0..1', async () => {
    await expect(handler({ ...EVENT, maxMalformedShare: 2 })).rejects.toThrow(/maxMalformedShare must be a number from 0 to 1, got 2/);
  });
});
