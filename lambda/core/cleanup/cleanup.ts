import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import { CleanUpError, CleanUpFailure, endedJobStatus, isAlreadyGone, withThrottlingRetry } from './cleanup-errors';
import { defaultSleep } from '../common/backoff';
import { VariantResources } from '../experiment/naming';
import { ResourceKind } from '../sagemaker/resource-kind';
import { describeError } from '../common/errors';
import { SETTLING_ENDPOINT_STATES } from '../sagemaker/sagemaker-discovery';

/**
 * "Leave nothing billing": removes what the workflow created in SageMaker.
 * Every step tolerates resources that are already gone or were never created, keeps going past a failed step,
 * and reports every failure at the end, so a problem with one resource never hides another that is still running.
 */

export interface ExecutionCleanUpRequest {
  readonly resources: readonly VariantResources[];
  /** Keep endpoints (and the configs and models they run on) for later use. */
  readonly keepEndpoints: boolean;
  /** Keep models; endpoints and their configs are still deleted unless `keepEndpoints`. */
  readonly keepModels: boolean;
  /** Clock for the reported timestamps. @default () => new Date() */
  readonly now?: () => Date;
  /** Wait between throttled retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface VariantCleanUpResult {
  readonly variantName: string;
  /** Deleted by this call. */
  readonly deleted: ResourceKind[];
  /** Not found: deleted earlier, or never created because the workflow stopped before. */
  readonly alreadyGone: ResourceKind[];
  /** Left in place on purpose (keepEndpoints / keepModels). */
  readonly kept: ResourceKind[];
  readonly endpointDeletedAt?: string;
  readonly endpointConfigDeletedAt?: string;
  readonly modelDeletedAt?: string;
  /** Set when the training job was still running and this call stopped it. */
  readonly trainingJobStoppedAt?: string;
  /** The job's status when checked, or `NotFound`. */
  readonly trainingJobStatus?: string;
}

export interface ExecutionCleanUpResult {
  readonly variants: VariantCleanUpResult[];
  /**
   * Endpoints SageMaker cannot delete yet because they are still being created or updated (DeleteEndpoint is refused
   * then). Their configs and models were left too; run the clean-up again once they settle.
   */
  readonly pendingEndpoints: string[];
}

/** 'settling' (delete refused until it settles), 'gone', or 'present' (deletable now). */
async function endpointState(
  client: SageMakerClient,
  endpointName: string,
  sleep: (ms: number) => Promise<void>,
): Promise<'settling' | 'gone' | 'present'> {
  try {
    const { EndpointStatus: status } = await withThrottlingRetry(
      () => client.send(new DescribeEndpointCommand({ EndpointName: endpointName })),
      sleep,
    );
    if (status === 'Deleting') return 'gone';
    return status && SETTLING_ENDPOINT_STATES.has(status) ? 'settling' : 'present';
  } catch (error) {
    if (isAlreadyGone('endpoint', error)) return 'gone';
    throw error;
  }
}

type DeleteOutcome = 'deleted' | 'alreadyGone' | 'failed';

/** Removes what one workflow execution created, variant by variant. Throws CleanUpError after trying everything. */
export async function cleanUpExecution(client: SageMakerClient, request: ExecutionCleanUpRequest): Promise<ExecutionCleanUpResult> {
  const now = request.now ?? (() => new Date());
  const sleep = request.sleep ?? defaultSleep;
  const failures: CleanUpFailure[] = [];

  const attemptDelete = async (kind: ResourceKind, name: string, send: () => Promise<unknown>): Promise<DeleteOutcome> => {
    try {
      await withThrottlingRetry(send, sleep);
      return 'deleted';
    } catch (error) {
      if (isAlreadyGone(kind, error)) return 'alreadyGone';
      failures.push({ kind, name, error: describeError(error) });
      return 'failed';
    }
  };

  const variants: VariantCleanUpResult[] = [];
  const pendingEndpoints: string[] = [];
  for (const resources of request.resources) {
    const deleted: ResourceKind[] = [];
    const alreadyGone: ResourceKind[] = [];
    const kept: ResourceKind[] = [];
    const deletedAt: Partial<Record<ResourceKind, string>> = {};

    const remove = async (kind: ResourceKind, name: string, send: () => Promise<unknown>, keep: boolean) => {
      if (keep) {
        kept.push(kind);
        return;
      }
      const outcome = await attemptDelete(kind, name, send);
      if (outcome === 'deleted') {
        deleted.push(kind);
        deletedAt[kind] = now().toISOString();
      } else if (outcome === 'alreadyGone') {
        alreadyGone.push(kind);
      }
    };

    // The endpoint first: it is what bills, and it runs on the config and the model. A config is of no use without
    // its endpoint, so it goes with it; a model can be kept on its own to deploy again later.
    const { endpointName, endpointConfigName, modelName, jobName } = resources;
    let state: 'settling' | 'gone' | 'present' = 'present';
    if (!request.keepEndpoints) {
      try {
        state = await endpointState(client, endpointName, sleep);
      } catch (error) {
        failures.push({ kind: 'endpoint', name: endpointName, error: describeError(error) });
      }
    }
    if (state === 'settling') {
      // The endpoint still runs on its config and model: all three wait for the next pass.
      pendingEndpoints.push(endpointName);
      const job = await stopJobIfRunning(client, jobName, sleep, now, failures);
      variants.push({
        variantName: resources.variantName,
        deleted: [],
        alreadyGone: job.status === 'NotFound' ? ['trainingJob'] : [],
        kept: [],
        ...(job.stoppedAt && { trainingJobStoppedAt: job.stoppedAt }),
        ...(job.status && { trainingJobStatus: job.status }),
      });
      continue;
    }
    if (state === 'gone') alreadyGone.push('endpoint');
    else
      await remove(
        'endpoint',
        endpointName,
        () => client.send(new DeleteEndpointCommand({ EndpointName: endpointName })),
        request.keepEndpoints,
      );
    await remove(
      'endpointConfig',
      endpointConfigName,
      () => client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: endpointConfigName })),
      request.keepEndpoints,
    );
    await remove(
      'model',
      modelName,
      () => client.send(new DeleteModelCommand({ ModelName: modelName })),
      request.keepEndpoints || request.keepModels,
    );

    const job = await stopJobIfRunning(client, jobName, sleep, now, failures);
    if (job.status === 'NotFound') alreadyGone.push('trainingJob');

    variants.push({
      variantName: resources.variantName,
      deleted,
      alreadyGone,
      kept,
      ...(deletedAt.endpoint && { endpointDeletedAt: deletedAt.endpoint }),
      ...(deletedAt.endpointConfig && { endpointConfigDeletedAt: deletedAt.endpointConfig }),
      ...(deletedAt.model && { modelDeletedAt: deletedAt.model }),
      ...(job.stoppedAt && { trainingJobStoppedAt: job.stoppedAt }),
      ...(job.status && { trainingJobStatus: job.status }),
    });
  }

  if (failures.length > 0) throw new CleanUpError(failures);
  return { variants, pendingEndpoints };
}

/** Stops the job only if it still runs: StopTrainingJob on an ended job is an error, not a no-op. */
export async function stopJobIfRunning(
  client: SageMakerClient,
  jobName: string,
  sleep: (ms: number) => Promise<void>,
  now: () => Date,
  failures: CleanUpFailure[],
): Promise<{ status?: string; stoppedAt?: string }> {
  let status: string | undefined;
  try {
    const job = await withThrottlingRetry(() => client.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName })), sleep);
    status = job.TrainingJobStatus;
  } catch (error) {
    if (isAlreadyGone('trainingJob', error)) return { status: 'NotFound' };
    failures.push({ kind: 'trainingJob', name: jobName, error: describeError(error) });
    return {};
  }
  if (status !== TrainingJobStatus.IN_PROGRESS) return { status };

  try {
    await withThrottlingRetry(() => client.send(new StopTrainingJobCommand({ TrainingJobName: jobName })), sleep);
    return { status: TrainingJobStatus.STOPPING, stoppedAt: now().toISOString() };
  } catch (error) {
    const endedStatus = endedJobStatus(error);
    if (endedStatus) return { status: endedStatus };
    failures.push({ kind: 'trainingJob', name: jobName, error: describeError(error) });
    return { status };
  }
}

/** Validates the event of the clean-up task; names the field and the allowed values when something is wrong. */
export function parseExecutionCleanUpRequest(event: unknown): ExecutionCleanUpRequest {
  if (typeof event !== 'object' || event === null) {
    throw new Error(`Clean-up event must be an object with resources, keepEndpoints and keepModels, got ${JSON.stringify(event)}`);
  }
  const { resources, keepEndpoints, keepModels } = event as Record<string, unknown>;
  if (!Array.isArray(resources)) {
    throw new Error(`Clean-up event field "resources" must be an array of variants, got ${JSON.stringify(resources)}`);
  }
  for (const [field, value] of Object.entries({ keepEndpoints, keepModels })) {
    if (typeof value !== 'boolean') throw new Error(`Clean-up event field "${field}" must be true or false, got ${JSON.stringify(value)}`);
  }
  const fields = ['variantName', 'jobName', 'modelName', 'endpointConfigName', 'endpointName'] as const;
  const parsed = resources.map((item: unknown, index) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string' || value.length === 0) {
        throw new Error(`Clean-up event field "resources[${index}].${field}" must be a non-empty string, got ${JSON.stringify(value)}`);
      }
    }
    return Object.fromEntries(fields.map((field) => [field, record[field]])) as unknown as VariantResources;
  });
  return { resources: parsed, keepEndpoints: keepEndpoints as boolean, keepModels: keepModels as boolean };
}
