#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeployConfig, loadDeployConfig } from '../lib/config';
import { DEFAULT_STACK_NAME } from '../lambda/core/experiment/naming';
import { ExperimentStack } from '../lib/experiment-stack';
import { SettingsError } from '../lambda/core/experiment/settings';

// CDK's built-in CloudFormation template validation costs a third of a synth; `npm test` runs it on this stack on
// every change (test/lib/experiment-stack.test.ts), and CloudFormation validates again at deploy.
const app = new App({ builtinCloudFormationValidation: false });
// The region picks the Linear Learner image at synth; without one, CloudFormation picks it at deploy.
const region = process.env.CDK_DEFAULT_REGION;
const config = configOrExit();
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
new ExperimentStack(app, stackName, {
  config,
  env: region ? { account: process.env.CDK_DEFAULT_ACCOUNT, region } : undefined,
  description: 'SageMaker Linear Learner distributed training experiment on GDELT (FullyReplicated vs ShardedByS3Key)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** A configuration mistake is the user's to fix, not a crash: the problems alone, without a stack trace. */
function configOrExit(): DeployConfig {
  try {
    return loadDeployConfig((key) => app.node.tryGetContext(key), region);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
