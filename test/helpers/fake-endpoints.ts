import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';

/** Endpoints that predict a constant per endpoint, so each variant's test error is known in advance. */
export function fakeEndpoints(scoreFor: (endpointName: string) => number) {
  const runtime = mockClient(SageMakerRuntimeClient);
  runtime.on(InvokeEndpointCommand).callsFake(async (input) => {
    const rows = Buffer.from(input.Body as Uint8Array)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0);
    const score = scoreFor(input.EndpointName!);
    return { Body: Buffer.from(JSON.stringify({ predictions: rows.map(() => ({ score })) })) as never, ContentType: 'application/json' };
  });
  return runtime;
}
