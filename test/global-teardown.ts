import { rmSync } from 'node:fs';

/** Removes the run's temporary folder that global-setup.ts made, and gives the process its own TMPDIR back. */
export default function globalTeardown(): void {
  const runDir = process.env.EXPERIMENT_TESTS_TMPDIR;
  const outer = process.env.EXPERIMENT_TESTS_OUTER_TMPDIR;
  if (outer) process.env.TMPDIR = outer;
  else delete process.env.TMPDIR;
  if (runDir) rmSync(runDir, { recursive: true, force: true });
}
