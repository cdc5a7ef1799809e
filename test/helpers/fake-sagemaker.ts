import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  DescribeTrainingJobCommand,
  DescribeTrainingJobCommandOutput,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';

export type TrainingScript = Array<Partial<DescribeTrainingJobCommandOutput> | Error>;
export type EndpointScript = Array<Partial<DescribeEndpointCommandOutput> | Error>;

/** The variant a workflow-made name belongs to: `linear-<variant>-<yyyymmdd>-<hhmmss>-<hash>`. */
export const variantOf = (name: string | undefined): string => /^linear-(.+)-\d{8}-\d{6}-[0-9a-f]{8}$/.exec(name ?? '')?.[1] ?? 'unknown';

/** A training job that completes on the second describe, as a real one would after a few polls. */
export function completingJob(trainingTimeInSeconds: number, mse: number): TrainingScript {
  return [
    { TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' },
    {
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      TrainingTimeInSeconds: trainingTimeInSeconds,
      BillableTimeInSeconds: trainingTimeInSeconds + 60,
      FinalMetricDataList: [{ MetricName: 'validation:mse', Value: mse, Timestamp: new Date('2026-11-28T16:00:00Z') }],
    },
  ];
}

export const endpointInServiceAfterOnePoll: EndpointScript = [
  { EndpointStatus: 'Creating', CreationTime: new Date('2026-11-28T16:10:00Z') },
  { EndpointStatus: 'InService', CreationTime: new Date('2026-11-28T16:10:00Z') },
];

export const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/**
 * SageMaker mocked for a whole workflow run: creates succeed, describes follow a script per variant
 * (chosen by the `linear-<variant>-` name prefix); the last scripted answer repeats.
 */
export function fakeSageMaker(training: Record<string, TrainingScript>, endpoints: Record<string, EndpointScript> = {}) {
  const sagemaker = mockClient(SageMakerClient);
  const next = <T>(script: T[] | undefined, calls: Map<string, number>, variant: string): T => {
    if (!script) throw new Error(`No script for variant ${variant}`);
    const call = calls.get(variant) ?? 0;
    calls.set(variant, call + 1);
    return script[Math.min(call, script.length - 1)];
  };
  const trainingCalls = new Map<string, number>();
  const endpointCalls = new Map<string, number>();

  sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/x' });
  sagemaker.on(CreateModelCommand).resolves({ ModelArn: 'arn:aws:sagemaker:us-east-1:123456789012:model/x' });
  sagemaker.on(CreateEndpointConfigCommand).resolves({ EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x' });
  sagemaker.on(CreateEndpointCommand).resolves({ EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/x' });
  sagemaker.on(DeleteEndpointCommand).resolves({});
  sagemaker.on(DeleteEndpointConfigCommand).resolves({});
  sagemaker.on(DeleteModelCommand).resolves({});
  sagemaker.on(StopTrainingJobCommand).resolves({});
  sagemaker.on(DescribeTrainingJobCommand).callsFake(async (input: { TrainingJobName: string }) => {
    const variant = variantOf(input.TrainingJobName);
    const answer = next(training[variant], trainingCalls, variant);
    if (answer instanceof Error) throw answer;
    return {
      TrainingJobName: input.TrainingJobName,
      ModelArtifacts: { S3ModelArtifacts: `s3://bucket/sagemaker/data_distribution_types/${input.TrainingJobName}/output/model.tar.gz` },
      ...answer,
    };
  });
  sagemaker.on(DescribeEndpointCommand).callsFake(async (input: { EndpointName: string }) => {
    const variant = variantOf(input.EndpointName);
    const answer = next(endpoints[variant] ?? endpointInServiceAfterOnePoll, endpointCalls, variant);
    if (answer instanceof Error) throw answer;
    return { EndpointName: input.EndpointName, ...answer };
  });
  return sagemaker;
}
