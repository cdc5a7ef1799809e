import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NAME_PREFIX } from '../lambda/core/experiment/naming';

/** Every SageMaker resource the workflow creates is named `linear-<variant>-<time>-<hash>` (lambda/core/experiment/naming.ts). */
export const RESOURCE_NAME_PATTERN = `${NAME_PREFIX}*`;

/** SageMaker's resource types in ARNs, for the kinds of resource the workflow creates. */
export type SageMakerResourceType = 'training-job' | 'endpoint' | 'endpoint-config' | 'model';

/** ARNs of the experiment's SageMaker resources of the given types, in the stack's account and region. */
export function sagemakerArns(scope: IConstruct, types: readonly SageMakerResourceType[]): string[] {
  const stack = Stack.of(scope);
  return types.map((type) =>
    stack.formatArn({
      service: 'sagemaker',
      resource: type,
      resourceName: RESOURCE_NAME_PATTERN,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  );
}
