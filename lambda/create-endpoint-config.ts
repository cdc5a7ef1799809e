import { CreateEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createOnce } from './core/sagemaker/create-once';
import { endpointConfigRequest } from './core/sagemaker/requests';
import { VariantState } from './core/sagemaker/variant-state';

const sagemaker = new SageMakerClient({});

export async function handler(state: VariantState): Promise<{ endpointConfigName: string; created: boolean }> {
  const { variant, settings } = state;
  const request = endpointConfigRequest(variant, settings);
  const outcome = await createOnce(sagemaker, () => sagemaker.send(new CreateEndpointConfigCommand(request)), variant.executionArn);
  return { endpointConfigName: variant.endpointConfigName, created: outcome === 'created' };
}
