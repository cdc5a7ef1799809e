/**
 * What a run costs in state transitions (Standard workflows bill per transition) and how close it comes to the
 * 25,000-event history limit, counted from runs of the synthesized state machine, in-process, against the same
 * offline fakes of SageMaker and S3 the workflow tests use.
 *
 * - The default run (2 variants) and the 8-variant sweep from the README, with every job done on its first check and
 *   every endpoint in service on its first: the fixed part; each further status check adds 3 transitions.
 * - The worst case at the variant limit with the default polling: 9 variants whose jobs finish on the last check the
 *   bound allows and whose endpoints never leave Creating, so each times out and cleans up to its limit.
 *
 * Usage: npx tsx bench/transitions.ts
 */
import { HISTORY_EVENT_LIMIT, pollBounds } from '../lambda/core/experiment/execution-limits';
import { WORKSHOP_DEFAULTS } from '../lambda/core/experiment/settings';
import { executionSize } from '../test/helpers/execution-history';
import { fakeEndpoints } from '../test/helpers/fake-endpoints';
import { fakeGdeltS3 } from '../test/helpers/fake-s3';
import { HANDLER_ENV, runWorkflow } from '../test/helpers/local-workflow';
import { StatefulSageMakerOptions, statefulSageMaker } from '../test/helpers/stateful-sagemaker';

const SWEEP = { trainDistribution: ['FullyReplicated', 'ShardedByS3Key'], instanceCount: [2, 5], 'hyperparameters.epochs': [2, 4] };

async function measure(label: string, input: Record<string, unknown>, sagemakerOptions: StatefulSageMakerOptions) {
  const s3 = fakeGdeltS3();
  const runtime = fakeEndpoints(() => 0);
  const sagemaker = statefulSageMaker(sagemakerOptions);
  const log = console.log;
  console.log = () => undefined;
  try {
    const run = await runWorkflow(input);
    const { transitions, historyEvents } = executionSize(run.events);
    const share = ((100 * historyEvents) / HISTORY_EVENT_LIMIT).toFixed(1);
    const outcome = run.error ? run.error.name : 'succeeded';
    log(`${label}: ${transitions} state transitions, ${historyEvents} history events (${share}% of ${HISTORY_EVENT_LIMIT}), ${outcome}`);
  } finally {
    console.log = log;
    sagemaker.sagemaker.restore();
    runtime.restore();
    s3.s3.restore();
  }
}

async function main(): Promise<void> {
  Object.assign(process.env, HANDLER_ENV, { AWS_REGION: 'us-east-1' });
  const quick = { trainingCompletesOnDescribe: 1, endpointInServiceOnDescribe: 1 };
  await measure('default run, 2 variants, one check each', {}, quick);
  await measure('sweep, 8 variants, one check each', { variants: [], sweep: SWEEP }, quick);
  await measure('sweep, 8 variants, maxParallelVariants 2, one check each', { variants: [], sweep: SWEEP, maxParallelVariants: 2 }, quick);
  const { maxTrainingPolls, maxEndpointPolls } = pollBounds(WORKSHOP_DEFAULTS);
  const nine = Array.from({ length: 9 }, (_, index) => ({ name: `v${index + 1}`, trainDistribution: 'FullyReplicated' }));
  await measure(
    `worst case, 9 variants (the limit), ${maxTrainingPolls} training + ${maxEndpointPolls} endpoint checks each, endpoints never in service`,
    { variants: nine, maxParallelVariants: 9 },
    { trainingCompletesOnDescribe: maxTrainingPolls },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
