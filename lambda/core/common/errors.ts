/** An error's name and message, whatever was thrown. */
export function errorParts(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function describeError(error: unknown): string {
  const { name, message } = errorParts(error);
  return `${name}: ${message}`;
}
