/** Reads RecordIO-protobuf back with protobufjs, independently of the code that writes it. */
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

const recordType = protobuf
  .loadSync(path.join(__dirname, '../../../../lambda/core/data/transform/record.proto'))
  .lookupType('aialgs.data.Record');

/** One framed record: where it starts and how many bytes it takes with its frame and padding. */
export interface Frame {
  readonly offset: number;
  readonly size: number;
  readonly payload: Buffer;
}

/** Walks the frames by their length fields; a magic number out of place fails. */
export function frames(bytes: Buffer): Frame[] {
  const found: Frame[] = [];
  for (let offset = 0; offset < bytes.length;) {
    if (bytes.readUInt32LE(offset) !== 0xced7230a) throw new Error(`no RecordIO magic number at byte ${offset}`);
    const length = bytes.readUInt32LE(offset + 4);
    const size = 8 + length + ((4 - (length % 4)) % 4);
    found.push({ offset, size, payload: bytes.subarray(offset + 8, offset + 8 + length) });
    offset += size;
  }
  return found;
}

/** Each record as [label, ...features]. */
export function decodeRecords(bytes: Buffer): number[][] {
  return frames(bytes).map(({ payload }) => {
    const record = recordType.toObject(recordType.decode(payload)) as {
      features: { values: { float32Tensor: { values: number[] } } };
      label: { values: { float32Tensor: { values: number[] } } };
    };
    return [...record.label.values.float32Tensor.values, ...record.features.values.float32Tensor.values];
  });
}
