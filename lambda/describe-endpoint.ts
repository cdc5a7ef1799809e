import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { EndpointStatus, summarizeEndpoint } from './core/sagemaker/variant-state';
import type { VariantState } from './core/workflow/execution-state';

const sagemaker = new SageMakerClient({});

export async function handler(state: VariantState): Promise<EndpointStatus> {
  const { variant, endpoint } = state;
  const response = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: variant.endpointName }));
  return summarizeEndpoint(variant.endpointName, response, (endpoint?.polls ?? 0) + 1, variant.maxEndpointPolls);
}
