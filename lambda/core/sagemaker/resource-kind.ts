/** The kinds of SageMaker resource the workflow creates, as the clean-up steps and messages name them. */
export type ResourceKind = 'endpoint' | 'endpointConfig' | 'model' | 'trainingJob';

export function describeKind(kind: ResourceKind): string {
  return { endpoint: 'endpoint', endpointConfig: 'endpoint config', model: 'model', trainingJob: 'training job' }[kind];
}
