import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import images from './linear-learner-images.json';

/** The regions this project knows a Linear Learner image for (the registry account differs per region). */
export const LINEAR_LEARNER_ACCOUNTS: Readonly<Record<string, string>> = images.accounts;

// ECR's DNS suffix outside the aws and aws-us-gov partitions (the same value Aws.URL_SUFFIX resolves to at deploy).
const PARTITION_DOMAINS: readonly (readonly [regionPrefix: string, domain: string])[] = [
  ['cn-', 'amazonaws.com.cn'],
  ['us-iso-', 'c2s.ic.gov'],
  ['us-isob-', 'sc2s.sgov.gov'],
  ['us-isof-', 'csp.hci.ic.gov'],
];

/** Why synth cannot pick an image for `region`, or undefined when it can. */
export function unknownRegionProblem(region: string): string | undefined {
  if (LINEAR_LEARNER_ACCOUNTS[region]) return undefined;
  return (
    `No Linear Learner image is known for region "${region}". Known regions: ${Object.keys(LINEAR_LEARNER_ACCOUNTS).join(', ')}. ` +
    'Give the image with the imageUri setting (e.g. -c experiment=\'{"imageUri":"<account>.dkr.ecr.<region>.amazonaws.com/linear-learner:1"}\').'
  );
}

export function linearLearnerImageForRegion(region: string): string {
  const problem = unknownRegionProblem(region);
  if (problem) throw new Error(problem);
  const account = LINEAR_LEARNER_ACCOUNTS[region];
  const domain = PARTITION_DOMAINS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/${images.repository}:${images.tag}`;
}

/**
 * The image for the stack's region: resolved at synth when the region is known there (an unknown region is then
 * a synth error), otherwise from a region map that CloudFormation resolves at deploy time.
 */
export function linearLearnerImage(stack: Stack): string {
  if (!Token.isUnresolved(stack.region)) return linearLearnerImageForRegion(stack.region);
  const mapping = new CfnMapping(stack, 'LinearLearnerImageAccounts', {
    mapping: Object.fromEntries(Object.entries(LINEAR_LEARNER_ACCOUNTS).map(([region, account]) => [region, { account }])),
  });
  const account = mapping.findInMap(Aws.REGION, 'account');
  return Fn.join('', [account, '.dkr.ecr.', Aws.REGION, '.', Aws.URL_SUFFIX, `/${images.repository}:${images.tag}`]);
}
