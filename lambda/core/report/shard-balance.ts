/**
 * How many bytes each training instance reads. ShardedByS3Key hands every instance whole objects, about 1/n of
 * them each, so the slowest instance is the one with the most bytes; FullyReplicated gives every instance all of
 * them. SageMaker does not report the split, so it is estimated: object i (in key order) goes to instance i mod n.
 */
import { requireText } from '../common/input-checks';
import type { TrainObject } from '../data/train-shards';

export interface ShardBalance {
  /** True for ShardedByS3Key: the split is modelled, not reported by SageMaker. */
  readonly estimated: boolean;
  readonly objects: number;
  readonly instances: number;
  /** Bytes the busiest instance reads. */
  readonly largestBytes: number;
  /** Bytes the least busy instance reads (0 when there are more instances than objects). */
  readonly smallestBytes: number;
  /** largestBytes / smallestBytes; null when the smallest is 0. */
  readonly ratio: number | null;
}

/** The training channel's objects, checked and in key order (byte order, as S3 lists them). */
export function validateTrainObjects(objects: unknown): TrainObject[] {
  if (!Array.isArray(objects)) throw new Error(`trainObjects must be a list of {key, bytes}; got ${JSON.stringify(objects)}`);
  const seen = new Set<string>();
  objects.forEach((object: Partial<TrainObject> | null, i) => {
    const key = requireText(`trainObjects[${i}].key`, object?.key);
    if (seen.has(key)) throw new Error(`trainObjects[${i}].key "${key}" is listed twice`);
    seen.add(key);
    if (!Number.isSafeInteger(object?.bytes) || (object?.bytes as number) < 0) {
      throw new Error(`trainObjects[${i}].bytes must be a whole number of bytes >= 0; got ${JSON.stringify(object?.bytes)}`);
    }
  });
  return (objects as TrainObject[]).map(({ key, bytes }) => ({ key, bytes })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Bytes per instance, round-robin over the objects in key order. */
export function bytesPerInstance(objects: readonly TrainObject[], instances: number): number[] {
  const perInstance = new Array<number>(instances).fill(0);
  objects.forEach((object, i) => {
    perInstance[i % instances] += object.bytes;
  });
  return perInstance;
}

export function shardBalance(objects: readonly TrainObject[], trainDistribution: string, instances: number): ShardBalance {
  const sharded = trainDistribution === 'ShardedByS3Key';
  const total = objects.reduce((sum, object) => sum + object.bytes, 0);
  const perInstance = sharded ? bytesPerInstance(objects, instances) : [total];
  const largestBytes = Math.max(...perInstance);
  const smallestBytes = Math.min(...perInstance);
  return {
    estimated: sharded,
    objects: objects.length,
    instances,
    largestBytes,
    smallestBytes,
    ratio: smallestBytes === 0 ? null : largestBytes / smallestBytes,
  };
}
