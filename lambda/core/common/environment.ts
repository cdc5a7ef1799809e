/** Reads what the stack gives a handler through its environment, failing clearly when a variable is missing. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set; the stack sets it on every workflow function`);
  return value;
}
