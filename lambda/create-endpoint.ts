import { CreateEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce, explainResourceLimit } from './core/sagemaker/create-once';
import { endpointRequest } from './core/sagemaker/requests';
import { EndpointStatus, STARTED_ENDPOINT } from './core/sagemaker/variant-state';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler({ variant }: VariantState): Promise<EndpointStatus> {
  try {
    await createOnce(sagemaker, () => sagemaker.send(new CreateEndpointCommand(endpointRequest(variant))), variant.executionArn);
  } catch (error) {
    throw explainResourceLimit(error, 'endpoint', variant.endpointInstanceType, variant.endpointInstanceCount, 'endpointInstanceCount');
  }
  return STARTED_ENDPOINT;
}
