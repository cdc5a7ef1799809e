import { bytesPerInstance, shardBalance, validateTrainObjects } from '../../../../lambda/core/report/shard-balance';

const objects = (...sizes: number[]) => sizes.map((bytes, i) => ({ key: `train/part-${String(i).padStart(3, '0')}.csv`, bytes }));

describe('bytesPerInstance', () => {
  it('deals the objects round-robin in key order: object i to instance i mod n', () => {
    // GIVEN five objects over two instances: 0, 2, 4 to the first; 1, 3 to the second
    // WHEN / THEN
    expect(bytesPerInstance(objects(10, 20, 30, 40, 50), 2)).toEqual([90, 60]);
  });

  it('leaves the instances beyond the object count with nothing to read', () => {
    // GIVEN / WHEN / THEN
    expect(bytesPerInstance(objects(10, 20), 3)).toEqual([10, 20, 0]);
  });
});

describe('shardBalance', () => {
  it('estimates the busiest and the least busy instance of a sharded variant, and their ratio', () => {
    // GIVEN per-year objects of unequal size over 2 instances: 90 vs 60 bytes
    // WHEN
    const balance = shardBalance(objects(10, 20, 30, 40, 50), 'ShardedByS3Key', 2);
    // THEN
    expect(balance).toEqual({ estimated: true, objects: 5, instances: 2, largestBytes: 90, smallestBytes: 60, ratio: 1.5 });
  });

  it('gives every FullyReplicated instance all the bytes, a ratio of 1, not estimated', () => {
    // GIVEN / WHEN
    const balance = shardBalance(objects(10, 20, 30), 'FullyReplicated', 5);
    // THEN
    expect(balance).toEqual({ estimated: false, objects: 3, instances: 5, largestBytes: 60, smallestBytes: 60, ratio: 1 });
  });

  it('has no ratio when an instance gets no object', () => {
    // GIVEN / WHEN
    const balance = shardBalance(objects(10, 20), 'ShardedByS3Key', 3);
    // THEN
    expect(balance).toMatchObject({ largestBytes: 20, smallestBytes: 0, ratio: null });
  });
});

describe('validateTrainObjects', () => {
  it('puts the objects in key order, as S3 lists them', () => {
    // GIVEN keys given out of order; byte order puts "B" before "a"
    const given = [
      { key: 'train/b.csv', bytes: 2 },
      { key: 'train/B.csv', bytes: 3 },
      { key: 'train/a.csv', bytes: 1 },
    ];
    // WHEN / THEN
    expect(validateTrainObjects(given).map((o) => o.key)).toEqual(['train/B.csv', 'train/a.csv', 'train/b.csv']);
  });

  it('rejects a key listed twice', () => {
    // GIVEN / WHEN / THEN
    expect(() => validateTrainObjects([...objects(1), ...objects(2)])).toThrow(
      /trainObjects\[1\]\.key "train\/part-000\.csv" is listed twice/,
    );
  });

  it('rejects a size that is not a whole number of bytes', () => {
    // GIVEN / WHEN / THEN
    expect(() => validateTrainObjects([{ key: 'train/a.csv', bytes: -1 }])).toThrow(
      /trainObjects\[0\]\.bytes must be a whole number of bytes >= 0; got -1/,
    );
  });

  it('rejects something that is not a list', () => {
    // GIVEN / WHEN / THEN
    expect(() => validateTrainObjects({ key: 'train/a.csv' })).toThrow(/trainObjects must be a list of \{key, bytes\}/);
  });
});
