import { synthTemplate } from '../helpers/stack';

const template = synthTemplate();

/** The statements of the preflight function's role, found by the function's description. */
function preflightStatements(): unknown[] {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Description: 'Checks SageMaker quotas and the GDELT source objects before anything is read or created' },
  });
  const [fn] = Object.values(functions);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((entry) => entry.Ref === role),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('the preflight function', () => {
  it('reads SageMaker quotas only, lists the defaults on * (no resource types), and may only look at the GDELT objects', () => {
    // GIVEN / WHEN / THEN
    expect(preflightStatements()).toEqual([
      {
        Action: 'servicequotas:GetServiceQuota',
        Effect: 'Allow',
        // The partition is a literal once the stack's region is known (the tests synthesize for us-east-1).
        Resource: 'arn:aws:servicequotas:us-east-1:123456789012:sagemaker/*',
      },
      { Action: 'servicequotas:ListAWSDefaultServiceQuotas', Effect: 'Allow', Resource: '*' },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::gdelt-open-data/*', Sid: 'CheckGdelt' },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: 'arn:aws:s3:::gdelt-open-data' },
    ]);
  });
});
