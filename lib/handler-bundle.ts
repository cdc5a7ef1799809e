import { AssetHashType, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import * as path from 'node:path';

const PROJECT_ROOT = path.join(__dirname, '..');

export interface HandlerBundleProps {
  /** The handler's TypeScript file. */
  readonly entry: string;
  readonly runtime: lambda.Runtime;
  /** Modules left out of the bundle because the Lambda runtime provides them. */
  readonly externalModules: string[];
}

/**
 * The handler bundled into one minified index.js with the options NodejsFunction gives esbuild, but through esbuild's
 * API in this process: NodejsFunction starts `npx esbuild` once per function, about a second each. Synth without
 * bundling (`aws:cdk:bundling-stacks` empty, as in the template tests) skips it; the asset hash is the bundle's.
 */
export function handlerBundle(props: HandlerBundleProps): lambda.Code {
  const nodeMajor = /^nodejs(\d+)/.exec(props.runtime.name)?.[1];
  if (!nodeMajor) throw new Error(`A handler bundle needs a Node.js runtime, got ${props.runtime.name}`);
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // CDK falls back to this image only when local bundling declines, which EsbuildBundler never does.
      image: props.runtime.bundlingImage,
      local: new EsbuildBundler(props.entry, `node${nodeMajor}`, props.externalModules),
    },
  });
}

/**
 * Its options are fields, not closure variables: CDK caches staged assets by the JSON of the bundling options, so
 * two handlers with the same source folder must differ there.
 */
class EsbuildBundler implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly target: string,
    readonly externalModules: string[],
  ) {}

  tryBundle(outputDir: string): boolean {
    buildSync({
      entryPoints: [this.entry],
      absWorkingDir: PROJECT_ROOT,
      outfile: path.join(outputDir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: this.target,
      minify: true,
      sourcemap: false,
      external: this.externalModules,
      logLevel: 'warning',
    });
    return true;
  }
}
