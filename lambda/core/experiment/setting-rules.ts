/**
 * The rules a setting's value is checked by, each giving the problem in the words every settings message uses:
 * "<where>: <value> must be ...".
 */

/** Every problem with a value found at `path` (a setting's name, or a place inside one), each naming the path. */
export type Problems = (value: unknown, path: string) => string[];

/** What a single value must be ("must be ..."), or undefined when it is fine. */
export type Rule = (value: unknown) => string | undefined;

export const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A setting whose value is checked by one rule, and whose problem reads "<path>: <value> must be ...". */
export function single(rule: Rule): Problems {
  return (value, path) => {
    const unmet = rule(value);
    return unmet ? [`${path}: ${describe(value)} ${unmet}`] : [];
  };
}

export function integer(min: number, max: number): Rule {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
}

export function number(min: number, max: number): Rule {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
      ? undefined
      : `must be a number from ${min} to ${max}`;
}

export const trueOrFalse: Rule = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
export const instanceType: Rule = (value) =>
  typeof value === 'string' && INSTANCE_TYPE.test(value) ? undefined : 'must be a SageMaker instance type such as "ml.c5.2xlarge"';

// Characters S3 documents as safe in keys; the prefix also becomes part of s3:// URIs in SageMaker requests.
export const S3_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
export const s3Prefix: Rule = (value) =>
  typeof value === 'string' && value.length <= 200 && S3_PREFIX.test(value)
    ? undefined
    : "must be an S3 key prefix of up to 200 characters (letters, digits, !_.*'()- and / between parts), no leading or trailing slash";

// ECR image URIs: <registry>/<repository>[:tag|@digest]
const IMAGE_URI = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$/;
export const imageUri: Rule = (value) =>
  typeof value === 'string' && IMAGE_URI.test(value)
    ? undefined
    : 'must be a container image URI with a tag, such as "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"';

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
