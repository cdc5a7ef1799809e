/**
 * Runs only the featurizer over one file and prints the time (for profiling: npx tsx --cpu-prof bench/featurize-only.ts).
 * Usage: npx tsx bench/featurize-only.ts [file] (default .bench/gdelt-1000000000.tsv, made by bench/featurize.ts).
 */
import { createReadStream, statSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { featurizeStream, profileStream } from '../lambda/core/data/transform/featurize-stream';
import { selectTopEventCodes } from '../lambda/core/data/transform/gdelt-transform';

const FIXTURE = path.join(__dirname, '..', 'test', 'fixtures', 'events-sample.tsv');

function discard(): Writable {
  return new Writable({ highWaterMark: 1024 * 1024, write: (_chunk, _encoding, callback) => callback() });
}

async function main(file: string): Promise<void> {
  const codes = selectTopEventCodes((await profileStream(createReadStream(FIXTURE))).codeCounts);
  const started = process.hrtime.bigint();
  const counts = await featurizeStream(
    createReadStream(file, { highWaterMark: 1024 * 1024 }),
    { train: discard(), validation: discard() },
    { codes, kind: 'train', validationPercent: 10 },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const megabytes = statSync(file).size / 1e6;
  console.log(
    `${megabytes.toFixed(0)} MB in ${seconds.toFixed(2)} s: ${(megabytes / seconds).toFixed(0)} MB/s, ` +
      `${(counts.read / seconds / 1e6).toFixed(2)} M rows/s, ${((1e6 * seconds) / counts.read).toFixed(3)} µs/row, ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  console.log(JSON.stringify(counts));
}

main(process.argv[2] ?? path.join(__dirname, '..', '.bench', 'gdelt-1000000000.tsv')).catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
