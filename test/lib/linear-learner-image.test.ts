import { App, CfnOutput, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LINEAR_LEARNER_ACCOUNTS, linearLearnerImage, linearLearnerImageForRegion } from '../../lib/linear-learner-image';
import reference from '../fixtures/linear-learner-images.json';

const REGIONS = Object.entries(reference.accounts);
/** The isolated US partitions serve ECR under their own DNS suffixes, not amazonaws.com. */
const ISOLATED_DOMAINS: Record<string, string> = {
  'us-iso-east-1': 'c2s.ic.gov',
  'us-isob-east-1': 'sc2s.sgov.gov',
  'us-isof-east-1': 'csp.hci.ic.gov',
  'us-isof-south-1': 'csp.hci.ic.gov',
};

describe('linearLearnerImageForRegion', () => {
  it('knows the same 37 regions and accounts as the reference table', () => {
    // GIVEN / WHEN / THEN
    expect(REGIONS).toHaveLength(37);
    expect(LINEAR_LEARNER_ACCOUNTS).toEqual(reference.accounts);
  });

  it.each(REGIONS)('gives the linear-learner:1 image for %s', (region, account) => {
    // GIVEN
    const domain = ISOLATED_DOMAINS[region] ?? (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');
    // WHEN
    const image = linearLearnerImageForRegion(region);
    // THEN
    expect(image).toBe(`${account}.dkr.ecr.${region}.${domain}/linear-learner:1`);
  });

  it('gives the workshop region its image', () => {
    // GIVEN / WHEN / THEN
    expect(linearLearnerImageForRegion('us-east-1')).toBe('382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1');
  });

  it('uses the amazonaws.com.cn domain in the China regions', () => {
    // GIVEN / WHEN / THEN
    expect(linearLearnerImageForRegion('cn-north-1')).toBe('390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/linear-learner:1');
    expect(linearLearnerImageForRegion('cn-northwest-1')).toBe('387376663083.dkr.ecr.cn-northwest-1.amazonaws.com.cn/linear-learner:1');
  });

  it('uses the isolated partition domain in an isolated region', () => {
    // GIVEN / WHEN / THEN
    expect(linearLearnerImageForRegion('us-iso-east-1')).toBe('490574956308.dkr.ecr.us-iso-east-1.c2s.ic.gov/linear-learner:1');
  });

  it('uses amazonaws.com in the GovCloud regions', () => {
    // GIVEN / WHEN / THEN
    expect(linearLearnerImageForRegion('us-gov-west-1')).toBe('226302683700.dkr.ecr.us-gov-west-1.amazonaws.com/linear-learner:1');
  });

  it('rejects an unknown region, naming it and saying how to give the image', () => {
    // GIVEN / WHEN
    const attempt = () => linearLearnerImageForRegion('xx-nowhere-1');
    // THEN
    expect(attempt).toThrow(/No Linear Learner image is known for region "xx-nowhere-1"/);
    expect(attempt).toThrow(/Give the image with the imageUri setting \(e\.g\. -c experiment='\{"imageUri":/);
  });
});

describe('linearLearnerImage', () => {
  it('resolves the image at synth when the stack region is known', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Known', { env: { account: '123456789012', region: 'eu-west-1' } });
    // WHEN / THEN
    expect(linearLearnerImage(stack)).toBe('438346466558.dkr.ecr.eu-west-1.amazonaws.com/linear-learner:1');
  });

  it('fails at synth for a known but unsupported stack region', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Unsupported', { env: { account: '123456789012', region: 'xx-nowhere-1' } });
    // WHEN / THEN
    expect(() => linearLearnerImage(stack)).toThrow(/region "xx-nowhere-1"/);
  });

  it('leaves the choice to CloudFormation through a region map when the stack is region-agnostic', () => {
    // GIVEN (without CDK's template validation, seconds per App, which the stack's tests run once)
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Agnostic');
    // A template needs at least one resource to be valid.
    new CfnWaitConditionHandle(stack, 'Placeholder');
    // WHEN
    new CfnOutput(stack, 'Image', { value: linearLearnerImage(stack) });
    // THEN
    const template = Template.fromStack(stack);
    const mapping = Object.values(template.findMappings('LinearLearnerImageAccounts'))[0] as Record<string, { account: string }>;
    expect(Object.fromEntries(Object.entries(mapping).map(([region, { account }]) => [region, account]))).toEqual(reference.accounts);
    template.hasOutput('Image', {
      Value: {
        'Fn::Join': [
          '',
          [
            { 'Fn::FindInMap': ['LinearLearnerImageAccounts', { Ref: 'AWS::Region' }, 'account'] },
            '.dkr.ecr.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/linear-learner:1',
          ],
        ],
      },
    });
  });
});
