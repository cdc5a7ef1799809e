import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadDeployConfig } from '../../lib/config';
import { ExperimentStack } from '../../lib/experiment-stack';

export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/** The context of cdk.json (the feature flags), which `cdk synth` and `cdk deploy` give the app. */
const CDK_JSON_CONTEXT = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context as Record<string, unknown>;

export interface SynthOptions {
  /** CDK context, as `-c key=value` or cdk.json would give it. */
  readonly context?: Record<string, unknown>;
  readonly env?: { account?: string; region?: string };
  /** Run cdk-nag's AwsSolutionsChecks during synth, as bin/app.ts does. */
  readonly nag?: boolean;
  /** Bundle the Lambda code with esbuild; off by default, since most tests look at the template only. */
  readonly bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation template validation, as every `cdk synth` does; off by default, since it
   * costs seconds per synth and the template-validation tests cover it.
   */
  readonly validate?: boolean;
}

/** Builds the stack exactly as bin/app.ts does, with a fixed account and region. */
export function buildStack(options: SynthOptions = {}): { app: App; stack: ExperimentStack } {
  // An empty bundling-stacks list makes the task functions skip esbuild: template tests need no code.
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
    builtinCloudFormationValidation: options.validate ?? false,
  });
  const config = loadDeployConfig((key) => app.node.tryGetContext(key));
  const stack = new ExperimentStack(app, 'DistributedTrainingExperiment', { config, env: options.env ?? TEST_ENV });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

export function synthTemplate(options: SynthOptions = {}): Template {
  return Template.fromStack(buildStack(options).stack);
}
