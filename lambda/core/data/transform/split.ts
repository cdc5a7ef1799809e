/**
 * Deterministic train/validation split while streaming: a row goes to validation when the FNV-1a (32-bit) hash of
 * its GLOBALEVENTID text, taken mod 100, is below the validation percentage. Same input, same split, anywhere.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TAB = 9;

/** FNV-1a 32-bit over `bytes[start, end)`, as an unsigned integer. */
export function fnv1a32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = FNV_OFFSET_BASIS;
  for (let index = start; index < end; index++) {
    hash ^= bytes[index];
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** True when the row whose GLOBALEVENTID occupies `bytes[start, end)` belongs to the validation channel. */
export function isValidationRow(bytes: Uint8Array, start: number, end: number, validationPercent: number): boolean {
  return fnv1a32(bytes, start, end) % 100 < validationPercent;
}

/** Same decision for the GLOBALEVENTID that starts at `start` and ends at the next tab (or the buffer's end). */
export function isValidationIdAt(bytes: Uint8Array, start: number, validationPercent: number): boolean {
  let hash = FNV_OFFSET_BASIS;
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === TAB) break;
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  }
  return (hash >>> 0) % 100 < validationPercent;
}

/** Same decision for an id given as text (ASCII digits in GDELT). */
export function isValidationId(globalEventId: string, validationPercent: number): boolean {
  const bytes = Buffer.from(globalEventId, 'utf8');
  return isValidationRow(bytes, 0, bytes.length, validationPercent);
}

export function assertValidationPercent(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new Error(`validationPercent must be an integer from 0 to 100, got ${JSON.stringify(value)}`);
  }
  return value;
}
