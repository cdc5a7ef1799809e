import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Points the temporary directory of the whole run at one folder that global-teardown.ts removes: every App
 * synthesized without an outdir makes a `cdk.out*` folder there, and nothing of a run outlives it.
 */
export default function globalSetup(): void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'experiment-tests-'));
  process.env.EXPERIMENT_TESTS_TMPDIR = runDir;
  process.env.EXPERIMENT_TESTS_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  process.env.TMPDIR = runDir;
}
