/** Checks on values that arrive in events, each failing with the field's name and the value it got. */

export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`${field} must be a non-empty string; got ${JSON.stringify(value)}`);
  return value;
}
