import { summarizeEndpoint, summarizeTraining } from '../../../../lambda/core/sagemaker/variant-state';

type TrainingResponse = Parameters<typeof summarizeTraining>[1];
type EndpointResponse = Parameters<typeof summarizeEndpoint>[1];

/** A DescribeTrainingJob answer; the SDK declares these keys present even when SageMaker leaves them out. */
const training = (fields: Partial<TrainingResponse>): TrainingResponse => ({
  TrainingJobStatus: undefined,
  SecondaryStatus: undefined,
  ModelArtifacts: undefined,
  ...fields,
});
const endpoint = (fields: Partial<EndpointResponse>): EndpointResponse => ({
  EndpointStatus: undefined,
  CreationTime: undefined,
  ...fields,
});

const JOB = 'linear-sharded-20261128-155328-0a1b2c3d';
const ARTIFACT = `s3://bucket/sagemaker/data_distribution_types/${JOB}/output/model.tar.gz`;

describe('summarizeTraining', () => {
  it('keeps the times, final metrics and artifact of a completed job, and goes on', () => {
    // GIVEN
    const response = {
      TrainingJobStatus: 'Completed' as const,
      SecondaryStatus: 'Completed' as const,
      TrainingTimeInSeconds: 412,
      BillableTimeInSeconds: 398,
      FinalMetricDataList: [
        { MetricName: 'validation:mse', Value: 12.5, Timestamp: new Date('2026-11-28T16:00:00Z') },
        { MetricName: 'train:objective_loss:final', Value: 2.25 },
      ],
      ModelArtifacts: { S3ModelArtifacts: ARTIFACT },
    };
    // WHEN
    const summary = summarizeTraining(JOB, training(response), 7, 150);
    // THEN
    expect(summary).toEqual({
      status: 'Completed',
      secondaryStatus: 'Completed',
      polls: 7,
      trainingTimeInSeconds: 412,
      billableTimeInSeconds: 398,
      finalMetrics: { 'validation:mse': 12.5, 'train:objective_loss:final': 2.25 },
      interruptions: 0,
      modelArtifact: ARTIFACT,
      next: 'continue',
    });
  });

  it('counts each transition into Interrupted as one spot interruption', () => {
    // GIVEN a spot job that was interrupted twice and resumed from its checkpoint each time
    const at = (minute: number): Date => new Date(`2026-11-28T16:${String(minute).padStart(2, '0')}:00Z`);
    const response = {
      TrainingJobStatus: 'Completed' as const,
      SecondaryStatusTransitions: [
        { Status: 'Starting' as const, StartTime: at(0) },
        { Status: 'Training' as const, StartTime: at(2) },
        { Status: 'Interrupted' as const, StartTime: at(5) },
        { Status: 'Starting' as const, StartTime: at(6) },
        { Status: 'Training' as const, StartTime: at(8) },
        { Status: 'Interrupted' as const, StartTime: at(9) },
        { Status: 'Training' as const, StartTime: at(11) },
        { Status: 'Completed' as const, StartTime: at(15) },
      ],
    };
    // WHEN
    const summary = summarizeTraining(JOB, training(response), 9, 150);
    // THEN
    expect(summary.interruptions).toBe(2);
  });

  it('counts no interruptions when SageMaker lists no status transitions yet', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'InProgress' }), 1, 150);
    // THEN
    expect(summary.interruptions).toBe(0);
  });

  it('skips metrics without a name or value', () => {
    // GIVEN
    const response = { TrainingJobStatus: 'Completed' as const, FinalMetricDataList: [{ MetricName: 'validation:mse' }, { Value: 1 }] };
    // WHEN / THEN
    expect(summarizeTraining(JOB, training(response), 1, 150).finalMetrics).toEqual({});
  });

  it('fails a failed job with TrainingJobFailed, saying why', () => {
    // GIVEN
    const response = { TrainingJobStatus: 'Failed' as const, FailureReason: 'ClientError: Unable to read data channel train' };
    // WHEN
    const summary = summarizeTraining(JOB, training(response), 3, 150);
    // THEN
    expect(summary).toMatchObject({ next: 'fail', error: 'TrainingJobFailed' });
    expect(summary.cause).toBe(`Training job ${JOB} failed: ClientError: Unable to read data channel train`);
  });

  it('says SageMaker gave no reason when a failed job has none', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'Failed' }), 3, 150);
    // THEN
    expect(summary.cause).toBe(`Training job ${JOB} failed: SageMaker gave no reason`);
  });

  it('fails a stopped job with TrainingJobStopped, saying it was stopped', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'Stopped' }), 3, 150);
    // THEN
    expect(summary).toMatchObject({
      status: 'Stopped',
      next: 'fail',
      error: 'TrainingJobStopped',
      cause: `Training job ${JOB} was stopped before it completed`,
    });
  });

  it('gives the reason of a job stopped for running too long', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'Stopped', FailureReason: 'MaxRuntimeExceeded' }), 3, 150);
    // THEN
    expect(summary.cause).toBe(`Training job ${JOB} was stopped: MaxRuntimeExceeded`);
  });

  it('keeps waiting, without a cause, while a job runs within the poll bound', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' }), 149, 150);
    // THEN
    expect(summary).toEqual({
      status: 'InProgress',
      secondaryStatus: 'Training',
      polls: 149,
      finalMetrics: {},
      interruptions: 0,
      next: 'wait',
    });
  });

  it('fails with TrainingTimedOut once a running job reaches the poll bound', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'InProgress' }), 150, 150);
    // THEN
    expect(summary).toMatchObject({ next: 'fail', error: 'TrainingTimedOut' });
    expect(summary.cause).toBe(
      `Training job ${JOB} is still InProgress after 150 checks; stopped waiting (raise maxRuntimeInSeconds if the job needs longer)`,
    );
  });

  it('stops waiting for a job still stopping at the poll bound', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(JOB, training({ TrainingJobStatus: 'Stopping' }), 150, 150);
    // THEN
    expect(summary.cause).toMatch(/is still Stopping after 150 checks/);
  });

  it('goes on, without a cause, for a job that completes on the last allowed poll', () => {
    // GIVEN / WHEN
    const summary = summarizeTraining(
      JOB,
      training({ TrainingJobStatus: 'Completed', ModelArtifacts: { S3ModelArtifacts: ARTIFACT } }),
      150,
      150,
    );
    // THEN
    expect(summary.next).toBe('continue');
    expect(summary).not.toHaveProperty('cause');
  });

  it('reports an answer without a status as Unknown', () => {
    // GIVEN / WHEN / THEN
    expect(summarizeTraining(JOB, training({}), 1, 150).status).toBe('Unknown');
  });
});

describe('summarizeEndpoint', () => {
  const ENDPOINT = JOB;

  it('reports an endpoint in service with its creation time, and goes on', () => {
    // GIVEN / WHEN
    const summary = summarizeEndpoint(
      ENDPOINT,
      endpoint({ EndpointStatus: 'InService', CreationTime: new Date('2026-11-28T16:10:00.000Z') }),
      12,
      120,
    );
    // THEN
    expect(summary).toEqual({ status: 'InService', polls: 12, createdAt: '2026-11-28T16:10:00.000Z', next: 'continue' });
  });

  it('keeps waiting, without a cause, while an endpoint is being created within the bound', () => {
    // GIVEN / WHEN
    const summary = summarizeEndpoint(ENDPOINT, endpoint({ EndpointStatus: 'Creating' }), 119, 120);
    // THEN
    expect(summary).toEqual({ status: 'Creating', polls: 119, next: 'wait' });
  });

  it('fails a failed endpoint with EndpointFailed, saying why', () => {
    // GIVEN / WHEN
    const summary = summarizeEndpoint(ENDPOINT, endpoint({ EndpointStatus: 'Failed', FailureReason: 'Image pull failed' }), 4, 120);
    // THEN
    expect(summary).toMatchObject({ next: 'fail', error: 'EndpointFailed', cause: `Endpoint ${ENDPOINT} failed: Image pull failed` });
  });

  it('says SageMaker gave no reason when a failed endpoint has none', () => {
    // GIVEN / WHEN / THEN
    expect(summarizeEndpoint(ENDPOINT, endpoint({ EndpointStatus: 'Failed' }), 4, 120).cause).toBe(
      `Endpoint ${ENDPOINT} failed: SageMaker gave no reason`,
    );
  });

  it('fails with EndpointTimedOut once a creating endpoint reaches the poll bound', () => {
    // GIVEN / WHEN
    const summary = summarizeEndpoint(ENDPOINT, endpoint({ EndpointStatus: 'Creating' }), 120, 120);
    // THEN
    expect(summary).toMatchObject({
      next: 'fail',
      error: 'EndpointTimedOut',
      cause: `Endpoint ${ENDPOINT} is still Creating after 120 checks; stopped waiting`,
    });
  });
});
