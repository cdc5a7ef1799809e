/**
 * Makes SageMaker create calls safe to retry: a create that finds its own name already taken by an earlier
 * attempt of the same execution continues; one that finds someone else's resource fails loudly.
 */
import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { TAG_EXECUTION } from '../experiment/naming';

// SageMaker names the existing resource in its message:
//   ResourceInUse: ... a training job with this name already exists (arn:aws:sagemaker:...:training-job/name)
//   ValidationException: Cannot create already existing model "arn:aws:sagemaker:...:model/name".
const ALREADY_EXISTS = /(already exists|Cannot create already existing)/;
const SAGEMAKER_ARN = /arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:[a-z-]+\/[A-Za-z0-9-]+/;

/** The ARN of the resource whose name an "already exists" error names, or undefined for any other error. */
export function existingResourceArn(error: unknown): string | undefined {
  if (!(error instanceof Error) || !['ResourceInUse', 'ValidationException'].includes(error.name)) return undefined;
  if (!ALREADY_EXISTS.test(error.message)) return undefined;
  return SAGEMAKER_ARN.exec(error.message)?.[0];
}

export class NameTakenError extends Error {
  constructor(arn: string) {
    super(`${arn} already exists and was not created by this execution; SageMaker names must be unique, so this run cannot continue`);
    this.name = 'NameTaken';
  }
}

/** Sends a create call; returns 'existed' when an earlier attempt of this execution already created the resource. */
export async function createOnce(
  client: SageMakerClient,
  create: () => Promise<unknown>,
  executionArn: string,
): Promise<'created' | 'existed'> {
  try {
    await create();
    return 'created';
  } catch (error) {
    const arn = existingResourceArn(error);
    if (!arn) throw error;
    const { Tags = [] } = await client.send(new ListTagsCommand({ ResourceArn: arn }));
    if (Tags.some((tag) => tag.Key === TAG_EXECUTION && tag.Value === executionArn)) return 'existed';
    throw new NameTakenError(arn);
  }
}

/** Turns SageMaker's ResourceLimitExceeded into a message that says which quota to raise or what to lower. */
export function explainResourceLimit(
  error: unknown,
  usage: 'training job' | 'endpoint',
  instanceType: string,
  instanceCount: number,
  setting: string,
): unknown {
  if (!(error instanceof Error) || error.name !== 'ResourceLimitExceeded') return error;
  const explained = new Error(
    `SageMaker refused ${instanceCount} x ${instanceType} for ${usage} usage: ${error.message} ` +
      `Raise the Service Quotas value "${instanceType} for ${usage} usage" (service: Amazon SageMaker) to cover every variant ` +
      `running at once, or lower ${setting} or choose another instance type in the settings.`,
  );
  explained.name = 'ResourceLimitExceeded';
  return explained;
}
