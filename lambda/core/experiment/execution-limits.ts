/**
 * How many variants one Standard execution can hold. Step Functions ends an execution at 25,000 history events and
 * refuses a state larger than 256 KiB, and both grow with each variant:
 *
 * - Events: a Lambda task state writes 5 events (entered, scheduled, started, succeeded, exited), a Wait, Choice or
 *   Pass state 2, a Map iteration 2. A variant's pipeline is its Map iteration (2), start training (5), one poll per
 *   training check (Wait + Describe + Choice = 9), model, config and endpoint (15), one poll per endpoint check (9),
 *   then either its summary, evaluation and endpoint deletion (2 + 5 + 5) or, at worst, a failure: the endpoint timed
 *   out while still being created, so the failure's Pass and Choice and the clean-up's Pass (6), up to 10 clean-up
 *   passes (Task + Choice = 7 each) with a Wait between them (2 each), and the recorded failure (2): 96.
 *   The worst case is 118 + 9 × (training polls + endpoint polls), measured in test/workflow/execution-size.test.ts.
 *   The polls are bounded (plan.ts: `maxTrainingPolls`, `maxEndpointPolls`), so the worst case is known before
 *   anything starts. Everything that is not per variant (plan, preflight, up to 28 years prepared, the training
 *   layout, the report, and a failed run's clean-up retries) stays under `OTHER_EVENTS`.
 * - State: each variant adds its plan, its resource names and its summary to the state, about 4 KiB (its plan and
 *   resource names measure 1.6 KiB with the default settings; the summary is estimated at most as much again); 40
 *   variants keep the state under 160 KiB, well within 256 KiB with room for the preparation results, warnings and
 *   the report's answer.
 *
 * With the default polling (training every 60 s for up to 1800 s + 2 h, endpoints every 30 s for up to 1 h) a
 * variant may need 2,548 events, so 9 variants fit; polling less often fits more, up to `MAX_VARIANTS`.
 */

export const HISTORY_EVENT_LIMIT = 25_000;
export const OTHER_EVENTS = 1_000;
export const EVENTS_PER_VARIANT_OUTSIDE_POLLS = 118;
export const EVENTS_PER_POLL = 9;
/** What the 256 KiB state can hold, whatever the polling. */
export const MAX_VARIANTS = 40;

/** Training jobs wait for instances and upload the model after MaxRuntimeInSeconds stops counting. */
const TRAINING_SLACK_SECONDS = 2 * 3600;
/** Endpoint creation takes minutes, occasionally more than ten; an hour means something is wrong. */
const ENDPOINT_CREATION_BOUND_SECONDS = 3600;

export interface PollSettings {
  readonly maxRuntimeInSeconds: number;
  readonly trainingPollSeconds: number;
  readonly endpointPollSeconds: number;
  /** How long a spot job may wait for capacity and resume after interruptions (MaxWaitTimeInSeconds). */
  readonly maxWaitInSeconds?: number;
}

/** The most status checks a variant's loops make before the workflow gives up on the job or endpoint. */
export function pollBounds(settings: PollSettings, spot = false): { maxTrainingPolls: number; maxEndpointPolls: number } {
  // A spot job may wait for capacity and resume after interruptions until MaxWaitTimeInSeconds.
  const trainingBound = Math.max(settings.maxRuntimeInSeconds, spot ? (settings.maxWaitInSeconds ?? 0) : 0);
  return {
    maxTrainingPolls: Math.ceil((trainingBound + TRAINING_SLACK_SECONDS) / settings.trainingPollSeconds),
    maxEndpointPolls: Math.ceil(ENDPOINT_CREATION_BOUND_SECONDS / settings.endpointPollSeconds),
  };
}

export function worstCaseEventsPerVariant(settings: PollSettings, spot = false): number {
  const { maxTrainingPolls, maxEndpointPolls } = pollBounds(settings, spot);
  return EVENTS_PER_VARIANT_OUTSIDE_POLLS + EVENTS_PER_POLL * (maxTrainingPolls + maxEndpointPolls);
}

/** The most variants an execution with these polling settings can hold. */
export function maxVariants(settings: PollSettings, spot = false): number {
  return Math.min(MAX_VARIANTS, Math.floor((HISTORY_EVENT_LIMIT - OTHER_EVENTS) / worstCaseEventsPerVariant(settings, spot)));
}
