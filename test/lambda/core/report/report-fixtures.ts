import { ReportInput, VariantInput } from '../../../../lambda/core/report/report';

/** A variant whose training failed before it was ever described. */
export function failedVariant(
  name: string,
  error = 'TrainingJobFailed',
  cause = `Training job linear-${name} failed: ClientError: bad data`,
  extra: Partial<VariantInput> = {},
): VariantInput {
  const base = without(variant(name, 0, null), 'training', 'hosting', 'evaluation');
  return { ...base, status: 'failed', failure: { error, cause }, ...extra };
}

/** A copy of a variant without the given fields, as the workflow sends one that never got them. */
export function without(v: VariantInput, ...fields: (keyof VariantInput)[]): VariantInput {
  return Object.fromEntries(
    Object.entries(v).filter(([field]) => !fields.includes(field as keyof VariantInput)),
  ) as unknown as VariantInput;
}

/** A variant as the workflow passes it, with the numbers that matter overridable. */
export function variant(name: string, trainingTimeInSeconds: number, mse: number | null, extra: Partial<VariantInput> = {}): VariantInput {
  return {
    name,
    trainDistribution: name === 'sharded' ? 'ShardedByS3Key' : 'FullyReplicated',
    instanceCount: 5,
    instanceType: 'ml.c4.2xlarge',
    inputMode: 'File',
    spot: false,
    endpointInstanceType: 'ml.m4.xlarge',
    endpointInstanceCount: 1,
    jobName: `linear-${name}-20240501T100000`,
    endpointName: `distributed-${name}`,
    hyperparameters: { epochs: '2' },
    training: {
      trainingTimeInSeconds,
      billableTimeInSeconds: trainingTimeInSeconds,
      finalMetrics: { 'validation:objective_loss': 1.25, 'train:objective_loss:final': 1.5 },
      interruptions: 0,
    },
    evaluation: { rowsScored: mse === null ? 0 : 1000, mse, mae: mse === null ? null : mse / 2 },
    hosting: { createdAt: '2024-05-01T11:00:00Z', deletedAt: '2024-05-01T11:30:00Z' },
    ...extra,
  };
}

export function reportInput(variants: VariantInput[], extra: Partial<ReportInput> = {}): ReportInput {
  return {
    executionName: 'run-1',
    generatedAt: new Date('2024-05-01T12:00:00Z'),
    pricesPerHour: { 'ml.c4.2xlarge': 0.557, 'ml.m4.xlarge': 0.28 },
    pricesSource: 'test prices',
    variants,
    ...extra,
  };
}
