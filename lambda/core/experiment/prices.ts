/** The default price table: a setting (`pricesPerHour`), read at synth and by the report's cost estimates. */

/**
 * USD per instance-hour, on-demand, us-east-1. One price per type, applied to both training and
 * real-time hosting (SageMaker lists them separately; for the types below they are close).
 */
export const DEFAULT_PRICES_PER_HOUR: Record<string, number> = {
  // Unverified: the workshop's training type; no dated AWS page found for it, best known figure.
  'ml.c4.2xlarge': 0.557,
  // Unverified: the workshop's hosting type; no dated AWS page found for it, best known figure.
  'ml.m4.xlarge': 0.28,
  // Real-time endpoint price given by zircon.tech, "The real cost of running AI models on AWS
  // SageMaker" ("us-east-1 as of October 2025").
  'ml.m5.xlarge': 0.269,
  // Unverified: best known training figure.
  'ml.c5.2xlarge': 0.408,
  // Unverified: best known training figure.
  'ml.m5.large': 0.115,
};

export const PRICES_SOURCE =
  'USD per instance-hour, on-demand, us-east-1. ml.m5.xlarge: zircon.tech blog on SageMaker inference cost, ' +
  'stated as us-east-1 as of October 2025. ml.c4.2xlarge, ml.m4.xlarge, ml.c5.2xlarge, ml.m5.large: unverified ' +
  'best known figures (no dated AWS pricing page available). Override with the pricesPerHour setting.';
