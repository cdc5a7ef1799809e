import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/remove-stale-data';

const s3Mock = mockClient(S3Client);
const BUCKET = 'experiment-data';
const PREFIX = 'sagemaker/data_distribution_types';
const TRAIN = 'sagemaker/data_distribution_types/train/';
const VALIDATION = 'sagemaker/data_distribution_types/validation/';

const objects = (keys: string[]) => keys.map((Key) => ({ Key, Size: 1 }));

beforeEach(() => {
  s3Mock.reset();
  process.env.DATA_BUCKET = BUCKET;
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3Mock.on(DeleteObjectsCommand).resolves({});
});

describe('remove-stale-data handler', () => {
  it('deletes the old years from both channels and returns their keys', async () => {
    // GIVEN
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({
      Contents: objects([`${TRAIN}1979.data`, `${TRAIN}1982.data`]),
    });
    s3Mock.on(ListObjectsV2Command, { Prefix: VALIDATION }).resolves({
      Contents: objects([`${VALIDATION}1979.data`, `${VALIDATION}1982.data`]),
    });

    // WHEN
    const result = await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    expect(result).toEqual({ removed: [`${TRAIN}1982.data`, `${VALIDATION}1982.data`] });
    expect(s3Mock).toHaveReceivedCommandTimes(DeleteObjectsCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: BUCKET,
      Delete: { Objects: [{ Key: `${TRAIN}1982.data` }, { Key: `${VALIDATION}1982.data` }], Quiet: true },
    });
  });

  it('lists only the two channel prefixes, with their trailing slash', async () => {
    // WHEN
    await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: TRAIN });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: VALIDATION });
  });

  it('follows the continuation token through every page of a listing', async () => {
    // GIVEN the train listing comes in two pages, with a stale key on the second
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({
      Contents: objects([`${TRAIN}1979.data`]),
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN, ContinuationToken: 'page-2' }).resolves({
      Contents: objects([`${TRAIN}1983.data`]),
      IsTruncated: false,
    });

    // WHEN
    const result = await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: TRAIN, ContinuationToken: 'page-2' });
    expect(result.removed).toEqual([`${TRAIN}1983.data`]);
  });

  it('deletes more than 1000 stale keys in batches of at most 1000', async () => {
    // GIVEN 2500 stray objects under train/
    const stray = Array.from({ length: 2500 }, (_, i) => `${TRAIN}part-${i}`);
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({ Contents: objects(stray) });

    // WHEN
    const result = await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    const batches = s3Mock.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete!.Objects!.map((o) => o.Key));
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(batches[0][0]).toBe(`${TRAIN}part-0`);
    expect(batches[1][0]).toBe(`${TRAIN}part-1000`);
    expect(batches[2][499]).toBe(`${TRAIN}part-2499`);
    expect(result.removed).toHaveLength(2500);
  });

  it('fails naming every key S3 could not delete, after trying every batch', async () => {
    // GIVEN
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({
      Contents: objects([`${TRAIN}1982.data`, `${TRAIN}1983.data`]),
    });
    s3Mock.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: `${TRAIN}1983.data`, Code: 'AccessDenied', Message: 'Access Denied' }],
    });

    // WHEN / THEN
    await expect(handler({ dataPrefix: PREFIX, trainingYears: [1979] })).rejects.toThrow(
      'Could not delete 1 stale object(s) from s3://experiment-data, so training could read old data: ' +
        'sagemaker/data_distribution_types/train/1983.data (AccessDenied: Access Denied)',
    );
  });

  it('reports delete errors from every batch, not only the first', async () => {
    // GIVEN 1001 stale keys (two batches), each batch failing on one key
    const stray = Array.from({ length: 1001 }, (_, i) => `${TRAIN}part-${i}`);
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({ Contents: objects(stray) });
    s3Mock
      .on(DeleteObjectsCommand)
      .resolvesOnce({ Errors: [{ Key: `${TRAIN}part-0`, Code: 'InternalError', Message: 'try again' }] })
      .resolvesOnce({ Errors: [{ Key: `${TRAIN}part-1000`, Code: 'InternalError', Message: 'try again' }] });

    // WHEN / THEN
    await expect(handler({ dataPrefix: PREFIX, trainingYears: [1979] })).rejects.toThrow(
      /Could not delete 2 stale object\(s\).*part-0 \(InternalError: try again\), .*part-1000 \(InternalError: try again\)$/,
    );
    expect(s3Mock).toHaveReceivedCommandTimes(DeleteObjectsCommand, 2);
  });

  it('sends no DeleteObjects request when nothing is stale', async () => {
    // GIVEN
    s3Mock.on(ListObjectsV2Command, { Prefix: TRAIN }).resolves({ Contents: objects([`${TRAIN}1979.data`]) });
    s3Mock.on(ListObjectsV2Command, { Prefix: VALIDATION }).resolves({ Contents: objects([`${VALIDATION}1979.data`]) });

    // WHEN
    const result = await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    expect(result).toEqual({ removed: [] });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it('handles an empty bucket, whose listing has no Contents at all', async () => {
    // GIVEN
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });

    // WHEN
    const result = await handler({ dataPrefix: PREFIX, trainingYears: [1979] });

    // THEN
    expect(result).toEqual({ removed: [] });
  });

  it('rejects an invalid event before calling S3', async () => {
    // WHEN / THEN
    await expect(handler({ dataPrefix: PREFIX, trainingYears: [] })).rejects.toThrow(/"trainingYears" must be a non-empty list of years/);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('fails clearly when DATA_BUCKET is not set, before calling S3', async () => {
    // GIVEN
    delete process.env.DATA_BUCKET;

    // WHEN / THEN
    await expect(handler({ dataPrefix: PREFIX, trainingYears: [1979] })).rejects.toThrow(/Environment variable DATA_BUCKET is not set/);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
