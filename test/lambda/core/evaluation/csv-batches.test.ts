import { csvBatches, CsvBatch, readStartFor } from '../../../../lambda/core/evaluation/csv-batches';
import { INVOKE_ENDPOINT_MAX_BODY_BYTES } from '../../../../lambda/core/sagemaker/limits';

async function* chunksOf(text: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
}

async function collect(batches: AsyncIterable<CsvBatch>): Promise<CsvBatch[]> {
  const all: CsvBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

const bodies = (batches: CsvBatch[]): string[] => batches.map((b) => b.body.toString('utf8'));
const labels = (batches: CsvBatch[]): number[] => batches.flatMap((b) => Array.from(b.labels));

// Feature parts are 5, 3, 7, 4 and 9 bytes long.
const FILE = '1.5,11111\n-2,222\n3,3333333\n4e0,4444\n0.25,555555555\n';

describe('csvBatches', () => {
  it('sends features only, one row per line, and keeps every body within maxBatchBytes', async () => {
    // GIVEN a 10-byte limit: 5+1+3 = 9 fits, +1+7 would not; 7 alone; 4 alone (4+1+9 > 10); 9 alone
    // WHEN
    const batches = await collect(csvBatches(chunksOf(FILE, 64), { maxBatchBytes: 10 }));
    // THEN
    expect(bodies(batches)).toEqual(['11111\n222', '3333333', '4444', '555555555']);
    expect(batches.every((b) => b.body.length <= 10)).toBe(true);
  });

  it('keeps labels paired with their rows, in file order', async () => {
    // GIVEN / WHEN
    const batches = await collect(csvBatches(chunksOf(FILE, 64), { maxBatchBytes: 10 }));
    // THEN
    expect(batches.map((b) => b.labels.length)).toEqual([2, 1, 1, 1]);
    expect(labels(batches)).toEqual([1.5, -2, 3, 4, 0.25]);
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2, 3]);
  });

  it('gives the same batches whatever the chunk boundaries are', async () => {
    // GIVEN the file delivered one byte at a time
    // WHEN
    const batches = await collect(csvBatches(chunksOf(FILE, 1), { maxBatchBytes: 10 }));
    // THEN
    expect(bodies(batches)).toEqual(['11111\n222', '3333333', '4444', '555555555']);
  });

  it('reads a last line that has no trailing newline', async () => {
    // GIVEN / WHEN
    const batches = await collect(csvBatches(chunksOf('1,10\n2,20', 3), { maxBatchBytes: 100 }));
    // THEN
    expect(bodies(batches)).toEqual(['10\n20']);
    expect(labels(batches)).toEqual([1, 2]);
  });

  it('yields nothing for an empty file', async () => {
    // GIVEN / WHEN
    const batches = await collect(csvBatches(chunksOf('', 8), { maxBatchBytes: 100 }));
    // THEN
    expect(batches).toEqual([]);
  });

  it('rejects a batch limit above the 6 MiB InvokeEndpoint limit', async () => {
    // GIVEN / WHEN / THEN
    await expect(collect(csvBatches(chunksOf(FILE, 8), { maxBatchBytes: INVOKE_ENDPOINT_MAX_BODY_BYTES + 1 }))).rejects.toThrow(
      /maxBatchBytes must be an integer from 1 to 6291456/,
    );
  });

  it('rejects a row whose features alone exceed the batch limit, naming its byte offset', async () => {
    // GIVEN / WHEN / THEN: the 7-byte row starts at byte 17
    await expect(collect(csvBatches(chunksOf(FILE, 8), { maxBatchBytes: 6 }))).rejects.toThrow(
      /line at byte 17 has 7 feature bytes, more than maxBatchBytes=6/,
    );
  });

  it('rejects a row whose label is not a number', async () => {
    // GIVEN / WHEN / THEN
    await expect(collect(csvBatches(chunksOf('1,2\nabc,3\n', 8), { maxBatchBytes: 100 }))).rejects.toThrow(
      /line at byte 4 has a label that is not a finite number: "abc"/,
    );
  });

  it('rejects a line without features', async () => {
    // GIVEN / WHEN / THEN
    await expect(collect(csvBatches(chunksOf('1,2\n\n', 8), { maxBatchBytes: 100 }))).rejects.toThrow(
      /line at byte 4 is not "label,f1,\.\.\."/,
    );
  });
});

describe('csvBatches over a byte range', () => {
  // Lines start at bytes 0, 4 and 8.
  const SMALL = '1,a\n2,b\n3,c\n';

  async function rangeBodies(text: string, start: number, end: number, chunkSize = 3): Promise<string[]> {
    const readStart = readStartFor({ start, end });
    const chunks = chunksOf(text.slice(readStart), chunkSize);
    return bodies(await collect(csvBatches(chunks, { maxBatchBytes: 1000, range: { start, end }, firstByteOffset: readStart })));
  }

  it('owns a line that starts exactly at the range start', async () => {
    // GIVEN / WHEN / THEN
    expect(await rangeBodies(SMALL, 4, 8)).toEqual(['b']);
  });

  it('owns a line that starts inside the range and ends after it', async () => {
    // GIVEN / WHEN / THEN: bytes [5, 9) contain the start of line 3 only
    expect(await rangeBodies(SMALL, 5, 9)).toEqual(['c']);
  });

  it('owns nothing when no line starts inside the range', async () => {
    // GIVEN / WHEN / THEN
    expect(await rangeBodies(SMALL, 1, 4)).toEqual([]);
  });

  it('scores every line exactly once when three ranges tile the file, at every pair of cut points', async () => {
    // GIVEN a file with lines of different lengths
    const text = '1,aa\n22,b\n3,cccc\n4,d\n55,eeeee\n';
    const allFeatures = ['aa', 'b', 'cccc', 'd', 'eeeee'];
    for (let a = 1; a < text.length; a++) {
      for (let b = a + 1; b < text.length; b++) {
        // WHEN
        const parts = [await rangeBodies(text, 0, a), await rangeBodies(text, a, b), await rangeBodies(text, b, text.length)];
        // THEN
        expect(parts.flat().flatMap((body) => body.split('\n'))).toEqual(allFeatures);
      }
    }
  });

  it('stops reading once the range is done', async () => {
    // GIVEN a stream that fails if read past its first chunk
    async function* guarded(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('1,a\n2,b\n3,c\n');
      throw new Error('read past the range');
    }
    // WHEN
    const batches = await collect(csvBatches(guarded(), { maxBatchBytes: 100, range: { start: 0, end: 5 } }));
    // THEN
    expect(bodies(batches)).toEqual(['a\nb']);
  });

  it('rejects a range whose end is not after its start', async () => {
    // GIVEN / WHEN / THEN
    await expect(collect(csvBatches(chunksOf(SMALL, 3), { maxBatchBytes: 100, range: { start: 8, end: 8 } }))).rejects.toThrow(
      /range must have integers 0 <= start < end.*start=8, end=8/,
    );
  });

  it('reads one byte before the range start to see whether a line starts there', () => {
    // GIVEN / WHEN / THEN
    expect(readStartFor({ start: 100, end: 200 })).toBe(99);
    expect(readStartFor({ start: 0, end: 200 })).toBe(0);
    expect(readStartFor(undefined)).toBe(0);
  });
});
