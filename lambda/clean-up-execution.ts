import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ExecutionCleanUpResult, cleanUpExecution, parseExecutionCleanUpRequest } from './core/cleanup/cleanup';
import { VariantResources } from './core/experiment/naming';

const sagemaker = new SageMakerClient({});

export interface CleanUpExecutionEvent {
  readonly resources: VariantResources[];
  readonly keepEndpoints: boolean;
  readonly keepModels: boolean;
  /** How many passes ran before this one; the workflow bounds its retry loop with it. */
  readonly attempt?: number;
}

/**
 * Runs after a failure that ends the run: removes what the execution created
 * unless asked to keep it. Endpoints still being created are returned as pending, for another pass once they settle.
 */
export const handler = async (event: CleanUpExecutionEvent): Promise<ExecutionCleanUpResult & { attempt: number }> => ({
  ...(await cleanUpExecution(sagemaker, parseExecutionCleanUpRequest(event))),
  attempt: (event.attempt ?? 0) + 1,
});
