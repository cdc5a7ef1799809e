import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { sagemakerArns, SageMakerResourceType } from './sagemaker-arns';
import { TaskDeclaration, WORKFLOW_TASKS, WorkflowTaskName } from './task-declarations';
import { TaskFunction } from './task-function';
import { TaskGrants } from './task-grants';

export interface WorkflowTasksProps {
  readonly bucket: s3.IBucket;
  /** The SageMaker execution role that training jobs and models run as. */
  readonly sagemakerRole: iam.IRole;
  /** Key prefix of the experiment in the bucket. */
  readonly prefix: string;
}

// The functions are fields named as in WORKFLOW_TASKS (`tasks.planExecution`), so a new declaration is a new field
// without a second list to keep in step: the interface adds them to the class's type, the constructor assigns them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface WorkflowTasks extends Readonly<Record<WorkflowTaskName, TaskFunction>> {}

/** The workflow's Lambda tasks, as lib/task-declarations.ts declares them, each with only the permissions it needs. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WorkflowTasks extends Construct {
  /** Every task function, for grants that apply to all of them. */
  public readonly all: lambda.IFunction[] = [];

  constructor(scope: Construct, id: string, props: WorkflowTasksProps) {
    super(scope, id);
    const { bucket, sagemakerRole } = props;
    const environment = { DATA_BUCKET: bucket.bucketName, SAGEMAKER_ROLE_ARN: sagemakerRole.roleArn, STACK_NAME: Stack.of(this).stackName };
    const declarations: Readonly<Record<WorkflowTaskName, TaskDeclaration>> = WORKFLOW_TASKS;
    for (const name of Object.keys(declarations) as WorkflowTaskName[]) {
      const { handler, description, sizing, grant } = declarations[name];
      const fn = new TaskFunction(this, handler, { handler, description, environment, ...sizing });
      grant?.(new TaskGrants(fn, props));
      Object.assign(this, { [name]: fn });
      this.all.push(fn);
    }
  }

  /** SageMaker ARNs of the experiment's resources of the given kinds, in this stack's account and region. */
  sagemakerArns(kinds: SageMakerResourceType[]): string[] {
    return sagemakerArns(this, kinds);
  }
}
