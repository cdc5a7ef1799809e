/** Helpers for handler tests: S3 bodies and synthetic GDELT input. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

export const FIXTURE_TEXT = readFileSync(`${__dirname}/../fixtures/events-sample.tsv`, 'utf8');
/** The fixture's 20 codes, ascending, worked out by hand: ranks 1-19 clear, then 090 and 111 tie at 7 rows: 090 wins. */
export const FIXTURE_CODES = [
  '010',
  '012',
  '013',
  '020',
  '030',
  '036',
  '040',
  '042',
  '043',
  '046',
  '051',
  '084',
  '090',
  '110',
  '112',
  '120',
  '130',
  '173',
  '190',
  '193',
];

/** A GetObject body as the SDK returns it: a Readable that can also be read as a string. */
export function s3Body(content: string | Buffer | Readable): Readable & { transformToString: () => Promise<string> } {
  const stream = content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
  return Object.assign(stream, {
    transformToString: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  });
}

/** `count` copies of a kept fixture row (code 030, all numbers present) with ids from 1 upwards, in chunks of 1000. */
export function keptRows(count: number): Buffer[] {
  const columns = FIXTURE_TEXT.split('\n')
    .find((line) => line.startsWith('1553239\t'))!
    .split('\t');
  const chunks: Buffer[] = [];
  for (let first = 1; first <= count; first += 1000) {
    const lines: string[] = [];
    for (let id = first; id < Math.min(first + 1000, count + 1); id++) {
      columns[0] = String(id);
      columns[33] = String(id % 50);
      lines.push(columns.join('\t'));
    }
    chunks.push(Buffer.from(`${lines.join('\n')}\n`));
  }
  return chunks;
}

/** A readable that yields `chunks` and then fails, like a connection reset mid-download. */
export function failingAfter(chunks: Buffer[], error: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* chunks;
      throw error;
    })(),
  );
}
