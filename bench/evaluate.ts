/**
 * Local measurement of the evaluation pipeline at the real test set's size: generates a test CSV
 * like the 1984 one (about 1.5M rows of ~100 bytes), streams it through batching, a fake endpoint
 * that answers instantly in the real response format, and the metrics; reports time and peak RSS.
 * Then scores the same file as four byte ranges and checks the combined result matches.
 *
 * Usage: npx tsx bench/evaluate.ts [--rows 1500000] [--max-batch-bytes 5000000] [--concurrency 4]
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { csvBatches, readStartFor } from '../lambda/core/evaluation/csv-batches';
import { WORKSHOP_DEFAULTS } from '../lambda/core/experiment/settings';
import { combineSums, ErrorSums, ScorableBatch, scoreInOrder, toMetrics } from '../lambda/core/evaluation/metrics';
import { parsePredictions } from '../lambda/core/evaluation/endpoint-scoring';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** Deterministic pseudo-random numbers, so every run measures the same file. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Rows shaped like the transform's output: AvgTone label, NumArticles, four coordinates, 20 one-hot codes. */
async function writeTestCsv(path: string, rows: number): Promise<void> {
  const random = generator(1984);
  const out = createWriteStream(path);
  const coordinate = (range: number): string => ((random() * 2 - 1) * range).toFixed(4);
  let buffered: string[] = [];
  for (let i = 0; i < rows; i++) {
    const oneHot = Array.from({ length: 20 }, () => '0');
    oneHot[Math.floor(random() * 20)] = '1';
    const fields = [
      (random() * 20 - 10).toFixed(6),
      String(1 + Math.floor(random() * 40)),
      coordinate(90),
      coordinate(180),
      coordinate(90),
      coordinate(180),
      ...oneHot,
    ];
    buffered.push(fields.join(','));
    if (buffered.length === 10_000 || i === rows - 1) {
      if (!out.write(`${buffered.join('\n')}\n`)) await once(out, 'drain');
      buffered = [];
    }
  }
  out.end();
  await once(out, 'finish');
}

/** Answers like Linear Learner (`{"predictions":[{"score":x},...]}`), instantly; the client still parses the JSON. */
async function fakeEndpoint(batch: ScorableBatch): Promise<number[]> {
  // The score depends on the row only (0.1 x NumArticles), so any batching gives the same metrics.
  const scores = batch.body
    .toString('latin1')
    .split('\n')
    .map((row) => 0.1 * parseInt(row, 10));
  const response = `{"predictions":[${scores.map((score) => `{"score":${score}}`).join(',')}]}`;
  await new Promise<void>((resolve) => setImmediate(resolve));
  return parsePredictions('fake-endpoint', batch, Buffer.from(response));
}

async function evaluate(
  path: string,
  maxBatchBytes: number,
  concurrency: number,
  range?: { start: number; end: number },
): Promise<ErrorSums> {
  const readStart = readStartFor(range);
  // 64 KiB chunks, about what an S3 GetObject stream delivers.
  const chunks = createReadStream(path, { start: readStart, highWaterMark: 64 * 1024 });
  try {
    return await scoreInOrder(csvBatches(chunks, { maxBatchBytes, range, firstByteOffset: readStart }), fakeEndpoint, concurrency);
  } finally {
    chunks.destroy();
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const rows = argument('rows', 1_500_000);
  const maxBatchBytes = argument('max-batch-bytes', WORKSHOP_DEFAULTS.evaluationBatchBytes);
  const concurrency = argument('concurrency', 4);
  const generateAt = process.argv.indexOf('--generate');
  if (generateAt !== -1) return writeTestCsv(process.argv[generateAt + 1], rows);

  const dir = mkdtempSync(join(tmpdir(), 'evaluate-bench-'));
  const path = join(dir, 'test.csv');
  try {
    // Generated in a child process, so the peak RSS below is the evaluation's alone.
    execFileSync(process.execPath, [...process.execArgv, __filename, '--generate', path, '--rows', String(rows)], { stdio: 'inherit' });
    const size = statSync(path).size;
    const rssBefore = process.memoryUsage().rss;

    const started = process.hrtime.bigint();
    const whole = toMetrics(await evaluate(path, maxBatchBytes, concurrency));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // maxRSS is this process's peak, in KiB.
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const parts = 4;
    const cuts = Array.from({ length: parts + 1 }, (_, i) => Math.round((size * i) / parts));
    const partSums = [];
    for (let i = 0; i < parts; i++) partSums.push(await evaluate(path, maxBatchBytes, concurrency, { start: cuts[i], end: cuts[i + 1] }));
    const combined = toMetrics(combineSums(partSums));

    console.log(
      JSON.stringify(
        {
          file: { rows, bytes: size, size: mib(size), bytesPerRow: Number((size / rows).toFixed(1)) },
          settings: { maxBatchBytes, concurrency },
          wholeFile: {
            seconds: Number(seconds.toFixed(2)),
            rowsScored: whole.rowsScored,
            batches: whole.batches,
            mse: whole.mse,
            mae: whole.mae,
          },
          memory: { rssBeforeEvaluation: mib(rssBefore), peakRss: mib(peakRss) },
          fourRanges: {
            rowsScored: combined.rowsScored,
            batches: combined.batches,
            sameRows: combined.rowsScored === whole.rowsScored,
            mseDifference: Math.abs((combined.mse ?? 0) - (whole.mse ?? 0)),
          },
        },
        null,
        2,
      ),
    );
    if (combined.rowsScored !== rows || whole.rowsScored !== rows)
      throw new Error(`expected ${rows} rows scored, got ${whole.rowsScored} and ${combined.rowsScored}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
