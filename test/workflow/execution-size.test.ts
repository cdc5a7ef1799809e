import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { OTHER_EVENTS, pollBounds, worstCaseEventsPerVariant } from '../../lambda/core/experiment/execution-limits';
import { executionSize } from '../helpers/execution-history';
import { fakeEndpoints } from '../helpers/fake-endpoints';
import { fakeGdeltS3 } from '../helpers/fake-s3';
import { HANDLER_ENV, runWorkflow } from '../helpers/local-workflow';
import { statefulSageMaker } from '../helpers/stateful-sagemaker';

let sagemaker: ReturnType<typeof statefulSageMaker> | undefined;
let runtime: AwsClientStub<SageMakerRuntimeClient>;
let s3: ReturnType<typeof fakeGdeltS3>;

beforeAll(() => Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  s3 = fakeGdeltS3();
  runtime = fakeEndpoints(() => 0);
});
afterEach(() => {
  sagemaker?.sagemaker.restore();
  runtime.restore();
  s3.s3.restore();
});

/** Polling that keeps the worst case small enough to run: 13 training checks, 6 endpoint checks. */
const POLLING = { maxRuntimeInSeconds: 600, trainingPollSeconds: 600, endpointPollSeconds: 600 };

/**
 * Every variant takes the longest path there is: its job completes on the last check the bound allows, its endpoint
 * never leaves Creating, so it times out and its own clean-up retries the endpoint to its limit.
 */
async function worstCaseRun(variants: number) {
  const { maxTrainingPolls } = pollBounds(POLLING);
  sagemaker = statefulSageMaker({ trainingCompletesOnDescribe: maxTrainingPolls });
  const run = await runWorkflow({
    ...POLLING,
    variants: Array.from({ length: variants }, (_, index) => ({ name: `v${index + 1}`, trainDistribution: 'FullyReplicated' })),
  });
  sagemaker.sagemaker.restore();
  return run;
}

describe("an execution's history", () => {
  it('grows per variant by no more than the variant limit counts, and by most of it', async () => {
    // GIVEN / WHEN one and then two variants take the longest path
    const one = await worstCaseRun(1);
    const two = await worstCaseRun(2);

    // THEN both ended as the worst case does, and the second variant added what the limit allows for, or a little less
    expect(one.error?.name).toBe('VariantsFailed');
    expect(two.error?.message).toMatch(
      /^2 of 2 variants failed: v1: EndpointTimedOut: .*was still being created after 10 clean-up attempts/,
    );
    const perVariant = executionSize(two.events).historyEvents - executionSize(one.events).historyEvents;
    const bound = worstCaseEventsPerVariant(POLLING);
    expect(perVariant).toBeLessThanOrEqual(bound);
    expect(perVariant).toBeGreaterThan(0.9 * bound);
  });

  it('keeps everything that is not per variant within what the limit reserves for it', async () => {
    // GIVEN / WHEN
    const run = await worstCaseRun(1);

    // THEN
    expect(executionSize(run.events).historyEvents - worstCaseEventsPerVariant(POLLING)).toBeLessThanOrEqual(OTHER_EVENTS);
  });
});
