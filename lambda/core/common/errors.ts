/** An error's name and message, whatever was thrown. */
export function errorParts(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function describeError(error: unknown): string {
  const { name, message } = errorParts(error);
  return `${name}: ${message}`;
}

/**
 * Lambda's JSON error envelope (`{"errorType", "errorMessage", "trace"}`), which Step Functions gives as a failed
 * task's cause: its type and message, or undefined for any other cause (a Fail state's or SageMaker's sentence).
 */
export function lambdaErrorEnvelope(cause: string): { type?: string; message: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { errorType, errorMessage } = parsed as { errorType?: unknown; errorMessage?: unknown };
  if (typeof errorMessage !== 'string') return undefined;
  return { ...(typeof errorType === 'string' && { type: errorType }), message: errorMessage };
}
