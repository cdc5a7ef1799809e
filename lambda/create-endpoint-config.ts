import { CreateEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce } from './core/sagemaker/create-once';
import { endpointConfigRequest } from './core/sagemaker/requests';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler({ variant }: VariantState): Promise<{ endpointConfigName: string; created: boolean }> {
  const outcome = await createOnce(
    sagemaker,
    () => sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest(variant))),
    variant.executionArn,
  );
  return { endpointConfigName: variant.endpointConfigName, created: outcome === 'created' };
}
