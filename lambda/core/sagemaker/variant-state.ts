/**
 * The training job's and the endpoint's state in one variant's branch of the workflow: pure summaries of SageMaker's
 * describe responses, which the branch's Choice states test.
 */
import type { DescribeEndpointCommandOutput, DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';

export interface TrainingStatus {
  /** SageMaker's TrainingJobStatus: InProgress, Completed, Failed, Stopping, Stopped. */
  readonly status: string;
  readonly secondaryStatus?: string;
  readonly polls: number;
  /** Set when the branch must stop: why, in words a person reads in the console. */
  readonly message?: string;
  readonly trainingTimeInSeconds?: number;
  readonly billableTimeInSeconds?: number;
  readonly finalMetrics: Record<string, number>;
  readonly modelArtifact?: string;
}

export interface EndpointStatus {
  /** SageMaker's EndpointStatus: Creating, InService, Failed, ... */
  readonly status: string;
  readonly polls: number;
  readonly message?: string;
  readonly createdAt?: string;
}

/** What a new training job or endpoint looks like before its first describe. */
export const STARTED_TRAINING: TrainingStatus = { status: 'InProgress', polls: 0, finalMetrics: {} };
export const STARTED_ENDPOINT: EndpointStatus = { status: 'Creating', polls: 0 };

export function summarizeTraining(
  jobName: string,
  response: Partial<
    Pick<
      DescribeTrainingJobCommandOutput,
      'TrainingJobStatus' | 'SecondaryStatus' | 'FailureReason' | 'TrainingTimeInSeconds' | 'BillableTimeInSeconds' | 'FinalMetricDataList' | 'ModelArtifacts'
    >
  >,
  polls: number,
  maxPolls: number,
): TrainingStatus {
  const status = response.TrainingJobStatus ?? 'Unknown';
  const finalMetrics = Object.fromEntries(
    (response.FinalMetricDataList ?? []).filter((metric) => metric.MetricName && metric.Value !== undefined).map((metric) => [metric.MetricName!, metric.Value!]),
  );
  let message: string | undefined;
  if (status === 'Failed') message = `Training job ${jobName} failed: ${response.FailureReason ?? 'SageMaker gave no reason'}`;
  else if (status === 'Stopped') message = `Training job ${jobName} was stopped${response.FailureReason ? `: ${response.FailureReason}` : ' before it completed'}`;
  else if (status !== 'Completed' && polls >= maxPolls) {
    message = `Training job ${jobName} is still ${status} after ${polls} checks; stopped waiting (raise maxRuntimeInSeconds if the job needs longer)`;
  }
  return {
    status,
    polls,
    finalMetrics,
    ...(response.SecondaryStatus && { secondaryStatus: response.SecondaryStatus }),
    ...(message && { message }),
    ...(response.TrainingTimeInSeconds !== undefined && { trainingTimeInSeconds: response.TrainingTimeInSeconds }),
    ...(response.BillableTimeInSeconds !== undefined && { billableTimeInSeconds: response.BillableTimeInSeconds }),
    ...(response.ModelArtifacts?.S3ModelArtifacts && { modelArtifact: response.ModelArtifacts.S3ModelArtifacts }),
  };
}

export function summarizeEndpoint(
  endpointName: string,
  response: Partial<Pick<DescribeEndpointCommandOutput, 'EndpointStatus' | 'FailureReason' | 'CreationTime'>>,
  polls: number,
  maxPolls: number,
): EndpointStatus {
  const status = response.EndpointStatus ?? 'Unknown';
  let message: string | undefined;
  if (status === 'Failed') message = `Endpoint ${endpointName} failed: ${response.FailureReason ?? 'SageMaker gave no reason'}`;
  else if (status !== 'InService' && polls >= maxPolls) message = `Endpoint ${endpointName} is still ${status} after ${polls} checks; stopped waiting`;
  return {
    status,
    polls,
    ...(message && { message }),
    ...(response.CreationTime && { createdAt: response.CreationTime.toISOString() }),
  };
}
