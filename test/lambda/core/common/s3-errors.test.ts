import { callS3, s3RequestError } from '../../../../lambda/core/common/s3-errors';

const REQUEST = { step: 'Prepare year', operation: 'GetObject', bucket: 'data-bucket', key: 'datasets/abc/train/1979.data' };
const sdkError = (name: string, message: string, status?: number): Error =>
  Object.assign(new Error(message), { name, ...(status !== undefined && { $metadata: { httpStatusCode: status } }) });

describe('s3RequestError', () => {
  it('keeps the name and message S3 sent, after the step, the object and the status', () => {
    // GIVEN / WHEN
    const error = s3RequestError(REQUEST, sdkError('SlowDown', 'Please reduce your request rate.', 503));
    // THEN
    expect(error.name).toBe('SlowDown');
    expect(error.message).toBe(
      'Prepare year: S3 GetObject s3://data-bucket/datasets/abc/train/1979.data failed with HTTP 503 SlowDown: Please reduce your request rate.',
    );
  });

  it.each([
    [400, 'BadRequest'],
    [403, 'AccessDenied'],
    [404, 'NotFound'],
    [500, 'InternalError'],
  ])('names an HTTP %i that came without an error code %s', (status, name) => {
    // GIVEN / WHEN
    const error = s3RequestError(REQUEST, sdkError('Unknown', 'UnknownError', status));
    // THEN
    expect(error.name).toBe(name);
    expect(error.message).toBe(
      `Prepare year: S3 GetObject s3://data-bucket/datasets/abc/train/1979.data failed with HTTP ${status} ${name}: S3 sent no error details`,
    );
  });

  it("uses the caller's meaning of a status, with its hint", () => {
    // GIVEN / WHEN
    const error = s3RequestError(REQUEST, sdkError('NoSuchKey', 'The specified key does not exist.', 404), {
      404: { name: 'SourceNotFound', hint: 'check the year' },
    });
    // THEN
    expect(error.name).toBe('SourceNotFound');
    expect(error.message).toMatch(/failed with HTTP 404 NoSuchKey: check the year; The specified key does not exist.$/);
  });

  it('says so when no HTTP response came at all', () => {
    // GIVEN / WHEN
    const error = s3RequestError(REQUEST, sdkError('TimeoutError', 'Connection timed out after 1000 ms'));
    // THEN
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe(
      'Prepare year: S3 GetObject s3://data-bucket/datasets/abc/train/1979.data failed without an HTTP response (TimeoutError): Connection timed out after 1000 ms',
    );
  });

  it('keeps the SDK error as the cause', () => {
    const original = sdkError('AccessDenied', 'Access Denied', 403);
    expect(s3RequestError(REQUEST, original).cause).toBe(original);
  });
});

describe('callS3', () => {
  it('returns what the call returns', async () => {
    await expect(callS3(REQUEST, async () => 'body')).resolves.toBe('body');
  });

  it('throws the described error when the call fails', async () => {
    await expect(
      callS3(REQUEST, async () => {
        throw sdkError('Unknown', 'UnknownError', 403);
      }),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('s3://data-bucket/datasets/abc/train/1979.data failed with HTTP 403'),
    });
  });
});
