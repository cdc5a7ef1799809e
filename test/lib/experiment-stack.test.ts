import { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { stateMachineDefinition } from '../helpers/definition';
import { buildStack, synthTemplate } from '../helpers/stack';

type State = {
  Type: string;
  Retry?: unknown[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
};

/** Every state, including those inside Map states. */
function collectStates(definition: { States?: Record<string, State> } | Record<string, unknown>): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries((definition as { States: Record<string, State> }).States)) {
    found[name] = state;
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) Object.assign(found, collectStates(inner));
  }
  return found;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

const template = synthTemplate();

function statementsOf(t: Template): Array<Statement & { policy: string }> {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([policy, resource]) =>
    (resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ ...statement, policy })),
  );
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const sagemakerRoleLogicalId = Object.keys(
  template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] } },
  }),
)[0];

describe('data bucket', () => {
  it('is encrypted, blocks all public access and expires incomplete multipart uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })]),
      },
    });
  });

  it('expires prepared datasets after datasetRetentionDays, 30 by default', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          {
            Id: 'expire-prepared-datasets',
            Prefix: 'sagemaker/data_distribution_types/datasets/',
            ExpirationInDays: 30,
            Status: 'Enabled',
          },
        ]),
      },
    });
    const week = synthTemplate({ context: { experiment: { datasetRetentionDays: 7, s3Prefix: 'experiments/linear' } } });
    week.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'experiments/linear/datasets/', ExpirationInDays: 7 })]),
      },
    });
  });

  it('expires spot checkpoints after 29 days: longer than the 28 days a spot job may run and resume from them', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          {
            Id: 'expire-spot-checkpoints',
            Prefix: 'sagemaker/data_distribution_types/checkpoints/',
            ExpirationInDays: 29,
            Status: 'Enabled',
          },
        ]),
      },
    });
  });

  it('denies every request that does not use SSL', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is emptied and deleted with the stack by default, since its data can be rebuilt', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('is kept with its objects when retainData is set', () => {
    const retained = synthTemplate({ context: { experiment: { retainData: true } } });
    retained.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    retained.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('SageMaker execution role', () => {
  const roleStatements = statementsOf(template).filter((statement) =>
    JSON.stringify(template.findResources('AWS::IAM::Policy')[statement.policy].Properties.Roles).includes(sagemakerRoleLogicalId),
  );

  it('is trusted by SageMaker only and has no managed policies', () => {
    const role = template.findResources('AWS::IAM::Role')[sagemakerRoleLogicalId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('reads GDELT exactly as the workshop asks: ListBucket on the bucket, GetObject on its objects', () => {
    const gdelt = roleStatements.filter((statement) => JSON.stringify(statement.Resource).includes('gdelt-open-data'));
    expect(gdelt.map(({ Action, Resource, Effect }) => ({ Action, Resource, Effect }))).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::gdelt-open-data' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::gdelt-open-data/*' },
    ]);
  });

  it('reads and writes the data bucket only below the experiment prefix', () => {
    const bucketStatements = roleStatements.filter((statement) => JSON.stringify(statement.Resource).includes('DataBucket'));
    expect(bucketStatements).toHaveLength(2);
    const list = bucketStatements.find((statement) => actionsOf(statement).includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({
      StringLike: { 's3:prefix': ['sagemaker/data_distribution_types', 'sagemaker/data_distribution_types/*'] },
    });
    const objects = bucketStatements.find((statement) => actionsOf(statement).includes('s3:GetObject'))!;
    expect(JSON.stringify(objects.Resource)).toContain('/sagemaker/data_distribution_types/*');
    expect(actionsOf(objects).sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
  });

  it('writes training and endpoint logs and metrics, nothing broader', () => {
    const actions = roleStatements.flatMap(actionsOf).sort();
    expect(actions).toEqual([
      'cloudwatch:PutMetricData',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});

describe('task functions', () => {
  const taskFunctions = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }));

  it('run every workflow task on the latest Node.js runtime', () => {
    expect(taskFunctions.length).toBeGreaterThanOrEqual(7);
    for (const fn of taskFunctions) expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  it('pass only the SageMaker execution role, and only to SageMaker', () => {
    const passRole = statementsOf(template).filter((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole.length).toBeGreaterThanOrEqual(2);
    for (const statement of passRole) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [sagemakerRoleLogicalId, 'Arn'] });
      expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    }
  });

  it("change SageMaker resources only by the experiment's name prefix", () => {
    // Listing and reading tags is how the destroy clean-up finds this stack's resources among all others.
    const readOnly = new Set([
      'sagemaker:ListTags',
      'sagemaker:ListTrainingJobs',
      'sagemaker:ListEndpoints',
      'sagemaker:ListEndpointConfigs',
      'sagemaker:ListModels',
    ]);
    const sagemaker = statementsOf(template).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('sagemaker:') && !readOnly.has(action)),
    );
    expect(sagemaker.length).toBeGreaterThan(0);
    for (const statement of sagemaker) {
      for (const resource of [statement.Resource].flat())
        expect(JSON.stringify(resource)).toMatch(/:(training-job|model|endpoint-config|endpoint)\/linear-\*/);
    }
  });
});

describe('data preparation', () => {
  it('never deletes prepared data, which executions with the same settings share', () => {
    const deletes = statementsOf(template).filter(
      (statement) => actionsOf(statement).includes('s3:DeleteObject') && JSON.stringify(statement.Resource).includes('DataBucket'),
    );
    // Only the bucket's own auto-delete on destroy may delete objects.
    expect(deletes.every((statement) => statement.policy.includes('AutoDelete'))).toBe(true);
  });
});

describe('workflow tasks', () => {
  it('retry a function that crashed or timed out once, since every task is idempotent', () => {
    const taskStates = Object.values(collectStates(stateMachineDefinition(template))).filter((state) => state.Type === 'Task');
    expect(taskStates.length).toBeGreaterThanOrEqual(12);
    for (const state of taskStates) {
      expect(state.Retry).toEqual(
        expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout'], MaxAttempts: 1 })]),
      );
    }
  });

  it('start with a state that makes the state a JSON object, whatever the execution input', () => {
    const definition = stateMachineDefinition(template) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    expect(definition.StartAt).toBe('Start experiment');
    expect(definition.States['Start experiment']).toEqual({ Type: 'Pass', Result: {}, Next: 'Validate input and plan' });
  });
});

describe('wildcard resources', () => {
  // Resource "*" only where the API has no resource-level permissions.
  const ACTIONS_WITHOUT_RESOURCES = new Set([
    'cloudwatch:PutMetricData',
    'sagemaker:ListTrainingJobs',
    'sagemaker:ListEndpoints',
    'sagemaker:ListEndpointConfigs',
    'sagemaker:ListModels',
    'servicequotas:ListAWSDefaultServiceQuotas',
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ]);

  it('appear only for actions that have no resource-level permissions', () => {
    const starStatements = statementsOf(template).filter((statement) => [statement.Resource].flat().includes('*'));
    const starActions = starStatements.flatMap(actionsOf);
    expect(starActions.length).toBeGreaterThan(0);
    expect(starActions.filter((action) => !ACTIONS_WITHOUT_RESOURCES.has(action))).toEqual([]);
  });

  it('PutMetricData is limited to SageMaker namespaces', () => {
    const metrics = statementsOf(template).find((statement) => actionsOf(statement).includes('cloudwatch:PutMetricData'))!;
    expect(metrics.Condition).toEqual({ StringLike: { 'cloudwatch:namespace': ['aws/sagemaker/*', '/aws/sagemaker/*'] } });
  });
});

describe('cdk-nag AwsSolutions checks', () => {
  it('leave no finding unacknowledged', () => {
    const { app } = buildStack({ nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('still report a wildcard that nobody acknowledged', () => {
    const { app, stack } = buildStack({ nag: true });
    new iam.Policy(stack, 'Careless', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
      roles: [new iam.Role(stack, 'CarelessRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })],
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});

describe("CDK's built-in CloudFormation template validation", () => {
  it('finds nothing in the template', () => {
    // GIVEN the stack, validated as CDK's built-in validation would (the app leaves it to this test, for speed)
    const { app } = buildStack({ validate: true });

    // WHEN / THEN synth succeeds, since cdk.json makes validation findings errors
    expect(() => app.synth()).not.toThrow();
  });

  it('still fails synth on an invalid resource property', () => {
    // GIVEN a resource with a property CloudFormation does not know
    const { app, stack } = buildStack({ validate: true });
    new CfnResource(stack, 'Careless', { type: 'AWS::SQS::Queue', properties: { NoSuchProperty: true } });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/NoSuchProperty/);
  });
});

describe('region', () => {
  it("uses the deploy region's Linear Learner image in the workflow", () => {
    const frankfurt = synthTemplate({ env: { account: '123456789012', region: 'eu-central-1' } });
    const definition = JSON.stringify(frankfurt.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('664544806723.dkr.ecr.eu-central-1.amazonaws.com/linear-learner:1');
  });

  it('fails synth in a region without a known image unless one is given', () => {
    expect(() => synthTemplate({ env: { region: 'xx-nowhere-1' } })).toThrow(
      /No Linear Learner image is known for region "xx-nowhere-1".*imageUri/s,
    );
    const given = synthTemplate({
      env: { region: 'xx-nowhere-1' },
      context: { experiment: { imageUri: '111122223333.dkr.ecr.xx-nowhere-1.amazonaws.com/linear-learner:1' } },
    });
    expect(JSON.stringify(given.findResources('AWS::StepFunctions::StateMachine'))).toContain(
      '111122223333.dkr.ecr.xx-nowhere-1.amazonaws.com/linear-learner:1',
    );
  });

  it('resolves the image at deploy time from a region map when synth has no region', () => {
    const agnostic = synthTemplate({ env: {} });
    const mapping = agnostic.findMappings('*');
    expect(Object.values(mapping)[0]).toMatchObject({
      'eu-west-1': { account: '438346466558' },
      'cn-north-1': { account: '390948362332' },
    });
  });
});

describe('deploy-time settings', () => {
  it('reach the workflow as the defaults of every execution', () => {
    const custom = synthTemplate({
      context: { experiment: JSON.stringify({ instanceType: 'ml.c5.2xlarge', endpointInstanceType: 'ml.m5.large' }) },
    });
    const definition = JSON.stringify(custom.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('\\"instanceType\\":\\"ml.c5.2xlarge\\"');
    expect(definition).toContain('\\"endpointInstanceType\\":\\"ml.m5.large\\"');
  });

  it('are rejected at synth with the setting, the value and what is allowed', () => {
    expect(() => synthTemplate({ context: { experiment: { instanceCount: 0 } } })).toThrow(
      /instanceCount: 0 must be an integer from 1 to 100/,
    );
  });
});

describe('clean-up on destroy', () => {
  it('runs before the bucket, the SageMaker role and the workflow are deleted', () => {
    const resources = template.findResources('Custom::CleanUpExperimentResources');
    const [cleanUp] = Object.values(resources);
    expect(cleanUp.Properties.StackName).toBe('DistributedTrainingExperiment');
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    const stateMachine = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(cleanUp.DependsOn).toEqual(expect.arrayContaining([bucket, sagemakerRoleLogicalId, stateMachine]));
  });

  it('has a handler with a timeout below the custom resource limit', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'On stack deletion, removes the SageMaker resources tagged with this stack',
      Timeout: 14 * 60,
      Runtime: 'nodejs24.x',
    });
  });
});

describe('clean-up after an execution ends', () => {
  const workflow = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).find((id) =>
    id.startsWith('WorkflowStateMachine'),
  )!;
  const cleanUpMachine = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).find((id) =>
    id.startsWith('CleanUpAfterEndStateMachine'),
  )!;
  const rules = template.findResources('AWS::Events::Rule');
  const [onEnd] = Object.values(rules).filter((rule) => rule.Properties.EventPattern);
  const [schedule] = Object.values(rules).filter((rule) => rule.Properties.ScheduleExpression);

  it("starts on the ABORTED, TIMED_OUT and FAILED status changes of this stack's workflow only", () => {
    // GIVEN / WHEN / THEN
    expect(onEnd.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [{ Ref: workflow }] },
    });
    expect(onEnd.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: cleanUpMachine } })]);
  });

  it('sweeps every 30 minutes', () => {
    // GIVEN / WHEN / THEN
    expect(schedule.Properties.ScheduleExpression).toBe('rate(30 minutes)');
    const sweep = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) =>
      String(fn.Properties.Description).startsWith('Removes what ended executions'),
    )!;
    expect(schedule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [sweep[0], 'Arn'] } })]);
  });

  it("reads only the executions of this stack's workflow", () => {
    // GIVEN / WHEN
    const describe = statementsOf(template).filter((statement) => actionsOf(statement).includes('states:DescribeExecution'));
    // THEN
    expect(describe).toHaveLength(2);
    for (const statement of describe) {
      expect(JSON.stringify(statement.Resource)).toMatch(
        /:states:us-east-1:123456789012:execution:".*"Ref":"WorkflowStateMachine[0-9A-F]+".*":\*"/,
      );
    }
  });

  it('is stopped by the clean-up on destroy, after its rules are gone', () => {
    // GIVEN / WHEN
    const [logicalId, cleanUp] = Object.entries(template.findResources('Custom::CleanUpExperimentResources'))[0];
    // THEN
    expect(cleanUp.DependsOn).toContain(cleanUpMachine);
    for (const rule of Object.values(rules)) expect(rule.DependsOn).toContain(logicalId);
  });
});

describe('template', () => {
  it('matches the snapshot (asset hashes masked)', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
