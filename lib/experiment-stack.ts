import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';
import { checkpointsPrefix, datasetsPrefix } from '../lambda/core/common/bucket-layout';
import { CleanUpOnDestroy } from './clean-up-on-destroy';
import { DataBucket } from './data-bucket';
import { EndedExecutionCleanUp } from './ended-execution-cleanup';
import { ExperimentWorkflow } from './experiment-workflow';
import { linearLearnerImage } from './linear-learner-image';
import { SageMakerRole } from './sagemaker-role';
import { WorkflowTasks } from './workflow-tasks';

export interface ExperimentStackProps extends StackProps {
  readonly config: DeployConfig;
}

/** The whole experiment: data bucket, SageMaker role, and the workflow that runs it. */
export class ExperimentStack extends Stack {
  constructor(scope: Construct, id: string, props: ExperimentStackProps) {
    super(scope, id, props);
    const { settings: given, options } = props.config;
    const settings = { ...given, imageUri: given.imageUri ?? linearLearnerImage(this) };

    const { bucket } = new DataBucket(this, 'Data', {
      retainData: options.retainData,
      datasetsPrefix: datasetsPrefix(settings.s3Prefix),
      datasetRetentionDays: settings.datasetRetentionDays,
      checkpointsPrefix: checkpointsPrefix(settings.s3Prefix),
    });
    const { role } = new SageMakerRole(this, 'SageMakerRole', { bucket, prefix: settings.s3Prefix });
    const tasks = new WorkflowTasks(this, 'Tasks', { bucket, sagemakerRole: role, prefix: settings.s3Prefix });
    const { stateMachine } = new ExperimentWorkflow(this, 'Workflow', { tasks, settings });
    const afterEnd = new EndedExecutionCleanUp(this, 'CleanUpAfterEnd', { workflow: stateMachine, tasks });
    // Depending on them makes CloudFormation run the clean-up before it deletes the bucket, the role and the workflow.
    const onDestroy = new CleanUpOnDestroy(this, 'CleanUpOnDestroy', {
      stateMachine,
      cleanUpStateMachine: afterEnd.stateMachine,
      dependents: [bucket, role],
    });
    // The rules go first on destroy: stopping the executions must not start new clean-ups while the stack goes.
    for (const rule of afterEnd.rules) rule.node.addDependency(onDestroy.resource);

    new CfnOutput(this, 'StateMachineArn', {
      value: stateMachine.stateMachineArn,
      description: 'Start an execution of this state machine to run the experiment',
    });
    new CfnOutput(this, 'DataBucketName', { value: bucket.bucketName, description: 'Prepared data, model artifacts and reports' });
    new CfnOutput(this, 'StateMachineConsoleUrl', {
      value: `https://${this.region}.console.aws.amazon.com/states/home?region=${this.region}#/statemachines/view/${stateMachine.stateMachineArn}`,
      description: 'Open this and choose "Start execution"',
    });
  }
}
