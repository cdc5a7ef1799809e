/**
 * The training job's and the endpoint's state in one variant's branch of the workflow: pure summaries of SageMaker's
 * describe responses, each with the decision the branch's one Choice state follows.
 */
import type { DescribeEndpointCommandOutput, DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';

/**
 * What a variant's branch does after a describe: poll again, go on, or fail with a named error (the one the console
 * shows) and a cause a person reads. The branch's Choice tests `next` alone.
 */
export interface Decision {
  readonly next: 'wait' | 'continue' | 'fail';
  /** With `fail`: the error the execution fails with. */
  readonly error?: VariantFailure;
  /** With `fail`: why, in words a person reads in the console. */
  readonly cause?: string;
}

export type VariantFailure = 'TrainingJobFailed' | 'TrainingJobStopped' | 'TrainingTimedOut' | 'EndpointFailed' | 'EndpointTimedOut';

export interface TrainingStatus extends Decision {
  /** SageMaker's TrainingJobStatus: InProgress, Completed, Failed, Stopping, Stopped. */
  readonly status: string;
  readonly secondaryStatus?: string;
  readonly polls: number;
  readonly trainingTimeInSeconds?: number;
  readonly billableTimeInSeconds?: number;
  readonly finalMetrics: Record<string, number>;
  /** How many times managed spot capacity was taken away mid-job (0 for on-demand jobs). */
  readonly interruptions: number;
  readonly modelArtifact?: string;
}

export interface EndpointStatus extends Decision {
  /** SageMaker's EndpointStatus: Creating, InService, Failed, ... */
  readonly status: string;
  readonly polls: number;
  readonly createdAt?: string;
}

/** What a new training job or endpoint looks like before its first describe. */
export const STARTED_TRAINING: TrainingStatus = { status: 'InProgress', polls: 0, finalMetrics: {}, interruptions: 0, next: 'wait' };
export const STARTED_ENDPOINT: EndpointStatus = { status: 'Creating', polls: 0, next: 'wait' };

const fail = (error: VariantFailure, cause: string): Decision => ({ next: 'fail', error, cause });

function trainingDecision(jobName: string, status: string, failureReason: string | undefined, polls: number, maxPolls: number): Decision {
  if (status === 'Completed') return { next: 'continue' };
  if (status === 'Failed')
    return fail('TrainingJobFailed', `Training job ${jobName} failed: ${failureReason ?? 'SageMaker gave no reason'}`);
  if (status === 'Stopped') {
    return fail(
      'TrainingJobStopped',
      `Training job ${jobName} was stopped${failureReason ? `: ${failureReason}` : ' before it completed'}`,
    );
  }
  if (polls >= maxPolls) {
    return fail(
      'TrainingTimedOut',
      `Training job ${jobName} is still ${status} after ${polls} checks; stopped waiting (raise maxRuntimeInSeconds if the job needs longer)`,
    );
  }
  return { next: 'wait' };
}

export function summarizeTraining(
  jobName: string,
  response: Partial<
    Pick<
      DescribeTrainingJobCommandOutput,
      | 'TrainingJobStatus'
      | 'SecondaryStatus'
      | 'FailureReason'
      | 'TrainingTimeInSeconds'
      | 'BillableTimeInSeconds'
      | 'FinalMetricDataList'
      | 'ModelArtifacts'
      | 'SecondaryStatusTransitions'
    >
  >,
  polls: number,
  maxPolls: number,
): TrainingStatus {
  const status = response.TrainingJobStatus ?? 'Unknown';
  const finalMetrics = Object.fromEntries(
    (response.FinalMetricDataList ?? [])
      .filter((metric) => metric.MetricName && metric.Value !== undefined)
      .map((metric) => [metric.MetricName!, metric.Value!]),
  );
  // Each spot interruption is one transition into Interrupted; the job then resumes from its checkpoint.
  const interruptions = (response.SecondaryStatusTransitions ?? []).filter((transition) => transition.Status === 'Interrupted').length;
  return {
    status,
    polls,
    finalMetrics,
    interruptions,
    ...trainingDecision(jobName, status, response.FailureReason, polls, maxPolls),
    ...(response.SecondaryStatus && { secondaryStatus: response.SecondaryStatus }),
    ...(response.TrainingTimeInSeconds !== undefined && { trainingTimeInSeconds: response.TrainingTimeInSeconds }),
    ...(response.BillableTimeInSeconds !== undefined && { billableTimeInSeconds: response.BillableTimeInSeconds }),
    ...(response.ModelArtifacts?.S3ModelArtifacts && { modelArtifact: response.ModelArtifacts.S3ModelArtifacts }),
  };
}

function endpointDecision(
  endpointName: string,
  status: string,
  failureReason: string | undefined,
  polls: number,
  maxPolls: number,
): Decision {
  if (status === 'InService') return { next: 'continue' };
  if (status === 'Failed') return fail('EndpointFailed', `Endpoint ${endpointName} failed: ${failureReason ?? 'SageMaker gave no reason'}`);
  if (polls >= maxPolls)
    return fail('EndpointTimedOut', `Endpoint ${endpointName} is still ${status} after ${polls} checks; stopped waiting`);
  return { next: 'wait' };
}

export function summarizeEndpoint(
  endpointName: string,
  response: Partial<Pick<DescribeEndpointCommandOutput, 'EndpointStatus' | 'FailureReason' | 'CreationTime'>>,
  polls: number,
  maxPolls: number,
): EndpointStatus {
  const status = response.EndpointStatus ?? 'Unknown';
  return {
    status,
    polls,
    ...endpointDecision(endpointName, status, response.FailureReason, polls, maxPolls),
    ...(response.CreationTime && { createdAt: response.CreationTime.toISOString() }),
  };
}
