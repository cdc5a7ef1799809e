/** Masks 64-hex asset hashes so the template snapshot changes only when the template does. */
const ASSET_HASH = /[0-9a-f]{64}/g;

export = {
  test: (value: unknown): boolean => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value: string): string => JSON.stringify(value.replace(ASSET_HASH, '[ASSET HASH]')),
};
