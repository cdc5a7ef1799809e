/**
 * RecordIO-protobuf writer for SageMaker's built-in algorithms (message `aialgs.data.Record`, see record.proto).
 *
 * Every record this project writes has the same shape (N float32 features, one float32 label), so all bytes except
 * the float values are identical from record to record. A RecordTemplate builds those bytes once and then only
 * copies the template and writes the floats: no protobuf library in the hot loop. Into zeroed memory it writes even
 * less (writeFrameWords): the template's non-zero words, then the caller's non-zero floats.
 */

/** uint32 little-endian magic number that starts every RecordIO frame. */
export const RECORDIO_MAGIC = 0xced7230a;

const TAG_MAP_ENTRY_KEY = 0x0a; // field 1 (key), length-delimited
const TAG_MAP_ENTRY_VALUE = 0x12; // field 2 (value), length-delimited
const TAG_RECORD_FEATURES = 0x0a; // Record.features = 1
const TAG_RECORD_LABEL = 0x12; // Record.label = 2
const TAG_VALUE_FLOAT32_TENSOR = 0x12; // Value.float32_tensor = 2
const TAG_TENSOR_VALUES = 0x0a; // Float32Tensor.values = 1, packed
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TENSOR_KEY = Buffer.from('values', 'utf8');
/** The frame length field keeps its top 3 bits for a continuation flag. */
const MAX_PAYLOAD_LENGTH = 2 ** 29 - 1;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function lengthDelimited(tag: number, body: number[]): number[] {
  return [tag, ...varint(body.length), ...body];
}

/** One map entry `"values" -> Value{float32_tensor{values: [count floats]}}`, floats left as zeros. */
function float32MapEntry(recordField: number, count: number): { bytes: number[]; valuesOffset: number } {
  const tensor = lengthDelimited(TAG_TENSOR_VALUES, new Array<number>(4 * count).fill(0));
  const value = lengthDelimited(TAG_VALUE_FLOAT32_TENSOR, tensor);
  const entry = [...lengthDelimited(TAG_MAP_ENTRY_KEY, [...TENSOR_KEY]), ...lengthDelimited(TAG_MAP_ENTRY_VALUE, value)];
  const bytes = lengthDelimited(recordField, entry);
  // The floats are the last 4*count bytes of the entry.
  return { bytes, valuesOffset: bytes.length - 4 * count };
}

/** Pre-built bytes of a framed record with `featureCount` features and one label; floats are filled per record. */
export class RecordTemplate {
  /** Bytes of one framed record including padding; every record of this template has this size. */
  public readonly recordSize: number;
  private readonly template: Buffer;
  private readonly templateWords: Uint32Array;
  private readonly featuresOffset: number;
  private readonly labelOffset: number;
  /** Word index of the first feature float, relative to the record's first word (for writeFrameWords). */
  public readonly featuresWord: number;
  /** Word index of the label float, relative to the record's first word (for writeFrameWords). */
  public readonly labelWord: number;
  constructor(public readonly featureCount: number) {
    if (!Number.isInteger(featureCount) || featureCount < 1) {
      throw new Error(`featureCount must be a positive integer, got ${featureCount}`);
    }
    const features = float32MapEntry(TAG_RECORD_FEATURES, featureCount);
    const label = float32MapEntry(TAG_RECORD_LABEL, 1);
    const payloadLength = features.bytes.length + label.bytes.length;
    if (payloadLength > MAX_PAYLOAD_LENGTH) {
      throw new Error(`featureCount ${featureCount} gives a record larger than RecordIO allows`);
    }
    const padding = (4 - (payloadLength % 4)) % 4;
    this.recordSize = 8 + payloadLength + padding;
    this.template = Buffer.alloc(this.recordSize);
    this.template.writeUInt32LE(RECORDIO_MAGIC, 0);
    this.template.writeUInt32LE(payloadLength, 4);
    Buffer.from(features.bytes).copy(this.template, 8);
    Buffer.from(label.bytes).copy(this.template, 8 + features.bytes.length);
    this.featuresOffset = 8 + features.valuesOffset;
    this.labelOffset = 8 + features.bytes.length + label.valuesOffset;
    this.templateWords = new Uint32Array(this.template.buffer, this.template.byteOffset, this.recordSize / 4);
    this.featuresWord = this.featuresOffset >> 2;
    this.labelWord = this.labelOffset >> 2;
  }

  /**
   * Writes the frame and protobuf bytes of one record (every word but the floats: 10 of the 36 for 25 features) into
   * words that are all zero, as in a fresh ArrayBuffer. The caller then writes the non-zero floats at
   * `wordOffset + featuresWord + i` and `wordOffset + labelWord`; floats left untouched are 0.0. Needs
   * supportsWordWrites. Returns the word after the record.
   */
  writeFrameWords(zeroedWords: Uint32Array, wordOffset: number): number {
    const template = this.templateWords;
    // The words before the features, then those between the features and the label; the label is the last word.
    const featuresWord = this.featuresWord;
    for (let index = 0; index < featuresWord; index++) zeroedWords[wordOffset + index] = template[index];
    const labelWord = this.labelWord;
    for (let index = featuresWord + this.featureCount; index < labelWord; index++) zeroedWords[wordOffset + index] = template[index];
    return wordOffset + template.length;
  }

  /** True when `writeFrameWords` can be used: floats aligned to 4 in the record and a little-endian platform. */
  get supportsWordWrites(): boolean {
    return this.featuresOffset % 4 === 0 && this.labelOffset % 4 === 0 && this.recordSize % 4 === 0 && IS_LITTLE_ENDIAN;
  }

  /** Writes one record at `offset` of `target` (which must have `recordSize` bytes free); returns the next offset. */
  write(target: Buffer, offset: number, features: ArrayLike<number>, label: number): number {
    if (features.length !== this.featureCount) {
      throw new Error(`expected ${this.featureCount} features, got ${features.length}`);
    }
    this.template.copy(target, offset);
    let position = offset + this.featuresOffset;
    for (let index = 0; index < this.featureCount; index++) {
      target.writeFloatLE(features[index], position);
      position += 4;
    }
    target.writeFloatLE(label, offset + this.labelOffset);
    return offset + this.recordSize;
  }
}

/** Encodes one framed record; convenient for tests and small outputs (the streaming path reuses a template). */
export function encodeRecord(features: ArrayLike<number>, label: number): Buffer {
  const template = new RecordTemplate(features.length);
  const record = Buffer.alloc(template.recordSize);
  template.write(record, 0, features, label);
  return record;
}
