import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs bin/app.ts as `cdk synth` does: context and region come in through the environment. */
function runApp(context: Record<string, string>, region: string) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'app-out-'));
  try {
    // An output directory of its own, so that an app that did synthesize would not write into cdk.out.
    return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_DEFAULT_REGION: region, CDK_OUTDIR: outdir },
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('bin/app.ts', () => {
  it('exits 1 with every configuration problem and no stack trace', () => {
    // GIVEN a missing config file, an invalid setting, a rule across settings and a region without an image
    const context = { configFile: 'missing.json', experiment: '{"instanceCount": 0, "testYear": 1979}' };

    // WHEN
    const { status, stdout, stderr } = runApp(context, 'xx-nowhere-1');

    // THEN
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      'Invalid deploy-time settings:',
      `- Config file missing.json (context "configFile") cannot be read: ENOENT: no such file or directory, open 'missing.json'`,
      '- instanceCount: 0 must be an integer from 1 to 100',
      '- testYear: 1979 is also a training year; the test year must be held out',
      expect.stringMatching(
        /^- No Linear Learner image is known for region "xx-nowhere-1"\. Known regions: .*Give the image with the imageUri setting/,
      ),
    ]);
  });
});
