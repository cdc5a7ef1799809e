/** Limits SageMaker sets, which more than one concern checks against. */

/** SageMaker rejects InvokeEndpoint bodies above 6 MiB. */
export const INVOKE_ENDPOINT_MAX_BODY_BYTES = 6 * 1024 * 1024;
