#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STACK_NAME, loadDeployConfig } from '../lib/config';
import { ExperimentStack } from '../lib/experiment-stack';

const app = new App();
const config = loadDeployConfig((key) => app.node.tryGetContext(key));
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
// The region picks the Linear Learner image at synth; without one (offline synth), CloudFormation picks it at deploy.
const region = process.env.CDK_DEFAULT_REGION;
new ExperimentStack(app, stackName, {
  config,
  env: region ? { account: process.env.CDK_DEFAULT_ACCOUNT, region } : undefined,
  description: 'SageMaker Linear Learner distributed training experiment on GDELT (FullyReplicated vs ShardedByS3Key)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
