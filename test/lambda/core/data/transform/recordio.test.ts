import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { encodeRecord, RecordTemplate } from '../../../../../lambda/core/data/transform/recordio';

const recordType = protobuf
  .loadSync(path.join(__dirname, '../../../../../lambda/core/data/transform/record.proto'))
  .lookupType('aialgs.data.Record');

interface DecodedRecord {
  features: Record<string, { float32Tensor: { values: number[] } }>;
  label: Record<string, { float32Tensor: { values: number[] } }>;
}

/** Reads RecordIO frames independently of the writer: magic, length, payload, padding to 4. */
function readFrames(bytes: Buffer): Buffer[] {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    expect(bytes.readUInt32LE(offset)).toBe(0xced7230a);
    const length = bytes.readUInt32LE(offset + 4) & 0x1fffffff;
    payloads.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length + ((4 - (length % 4)) % 4);
  }
  return payloads;
}

function decode(payload: Buffer): DecodedRecord {
  return recordType.toObject(recordType.decode(payload)) as unknown as DecodedRecord;
}

describe('encodeRecord', () => {
  it('produces the golden vector byte for byte', () => {
    // GIVEN features [1, 2, -0.5] and label 4.5
    const expected =
      '0a23d7ce 30000000 0a1a0a0676616c7565731210120e0a0c0000803f00000040000000bf 12120a0676616c756573120812060a0400009040'.replace(
        / /g,
        '',
      );
    // WHEN
    const record = encodeRecord([1, 2, -0.5], 4.5);
    // THEN
    expect(record.toString('hex')).toBe(expected);
  });

  it('makes a 25-feature record 144 bytes: 8 header + 136 payload, no padding', () => {
    const record = encodeRecord(new Array<number>(25).fill(1), 0);
    expect(record.length).toBe(144);
    expect(record.readUInt32LE(4)).toBe(136);
  });

  it('writes records that protobufjs decodes to the same float32 values', () => {
    // GIVEN 25 features that are not exact in float32
    const features = Array.from({ length: 25 }, (_, index) => index * 1.1 - 7.3);
    // WHEN
    const [payload] = readFrames(encodeRecord(features, -3.40034628703348));
    const decoded = decode(payload);
    // THEN
    expect(decoded.features.values.float32Tensor.values).toEqual(features.map((value) => Math.fround(value)));
    expect(decoded.label.values.float32Tensor.values).toEqual([Math.fround(-3.40034628703348)]);
  });

  it('pads a payload to a multiple of 4 when its length needs it', () => {
    // GIVEN 31 features: tensor 126 bytes, value 128, so the entry length takes a 2-byte varint: payload 162 bytes
    const features = Array.from({ length: 31 }, (_, index) => index);
    // WHEN
    const record = encodeRecord(features, 1);
    // THEN
    expect(record.readUInt32LE(4)).toBe(162);
    expect(record.length).toBe(8 + 162 + 2);
    expect(record.subarray(170)).toEqual(Buffer.from([0, 0]));
    expect(decode(readFrames(record)[0]).features.values.float32Tensor.values).toEqual(features);
  });

  it('writes consecutive records into one buffer with a reused template', () => {
    // GIVEN
    const template = new RecordTemplate(3);
    const target = Buffer.alloc(3 * template.recordSize);
    // WHEN
    let offset = 0;
    for (let index = 0; index < 3; index++) offset = template.write(target, offset, [index, index, index], index / 2);
    // THEN
    const labels = readFrames(target).map((payload) => decode(payload).label.values.float32Tensor.values[0]);
    expect(labels).toEqual([0, 0.5, 1]);
  });

  it('writes into zeroed words the same bytes as write(), given only the non-zero floats', () => {
    // GIVEN 25 features of which only 6 are non-zero, as in a one-hot row
    const template = new RecordTemplate(25);
    const features = [3, 38.5, -77.0083, 0, 12.25, ...Array.from({ length: 20 }, (_, index) => (index === 7 ? 1 : 0))];
    const expected = Buffer.alloc(2 * template.recordSize);
    template.write(expected, template.recordSize, features, -2.5);
    // WHEN the second record of a zeroed buffer gets the frame words and the non-zero floats
    const target = new ArrayBuffer(2 * template.recordSize);
    const words = new Uint32Array(target);
    const floats = new Float32Array(target);
    const first = template.recordSize / 4;
    const next = template.writeFrameWords(words, first);
    features.forEach((value, index) => {
      if (value !== 0) floats[first + template.featuresWord + index] = value;
    });
    floats[first + template.labelWord] = -2.5;
    // THEN the bytes are those of write(), and the next record starts after it
    expect(template.supportsWordWrites).toBe(true);
    expect(Buffer.from(target)).toEqual(expected);
    expect(next).toBe(2 * first);
  });

  it('rejects a feature count that does not match the template', () => {
    expect(() => new RecordTemplate(25).write(Buffer.alloc(200), 0, [1, 2], 0)).toThrow(/expected 25 features, got 2/);
  });
});
