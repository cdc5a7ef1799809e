import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ExecutionCleanUpResult, VariantResources, cleanUpExecution, parseExecutionCleanUpRequest } from './core/cleanup';

const sagemaker = new SageMakerClient({});

export interface CleanUpExecutionEvent {
  readonly resources: VariantResources[];
  readonly keepEndpoints: boolean;
  readonly keepModels: boolean;
}

/** Last step of every execution, on success and on failure: removes what the execution created unless asked to keep it. */
export const handler = async (event: CleanUpExecutionEvent): Promise<ExecutionCleanUpResult> =>
  cleanUpExecution(sagemaker, parseExecutionCleanUpRequest(event));
