import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildStack } from '../helpers/stack';

function withoutStderr<T>(run: () => T): T {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return run();
  } finally {
    stderr.mockRestore();
  }
}

describe('Lambda bundles', () => {
  it("bundle every task with esbuild, leaving the runtime's AWS SDK out", () => {
    // GIVEN the stack built with bundling, as `cdk deploy` does (CDK's "Bundling asset" line per function, written
    // while the stack is built, kept out of the test output)
    const { app, stack } = withoutStderr(() => buildStack({ bundle: true }));

    // WHEN the app is synthesized
    const assembly = app.synth();

    // THEN each task function's asset is one index.js; only data preparation carries its own S3 client and lib-storage
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const tasks = Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties.Handler === 'index.handler' &&
        resource.Properties.Runtime === 'nodejs24.x',
    );
    const bundles = tasks.map((fn) => {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      return path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
    });
    const sizes = bundles.map((bundle) => statSync(bundle).size);
    expect(sizes.length).toBeGreaterThanOrEqual(14);
    expect(sizes.filter((size) => size >= 40_000)).toHaveLength(3);
    for (const size of sizes) expect(size).toBeLessThan(1_000_000);

    // AND no bundle loads lib-storage from the runtime, which does not ship it
    expect(bundles.filter((bundle) => readFileSync(bundle, 'utf8').includes('require("@aws-sdk/lib-storage")'))).toEqual([]);
  });
});
