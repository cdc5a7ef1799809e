/** Limits SageMaker sets, which more than one concern checks against. */

/** SageMaker rejects InvokeEndpoint bodies above 6 MiB. */
export const INVOKE_ENDPOINT_MAX_BODY_BYTES = 6 * 1024 * 1024;

/** The characters SageMaker allows in a tag key or value (the Tag page of its API reference); a value is at most 256 long. */
export const SAGEMAKER_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_SAGEMAKER_TAG_VALUE_LENGTH = 256;
