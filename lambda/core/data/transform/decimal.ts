/**
 * Decimal numbers straight from bytes, without making strings: the accepted grammar is an optional sign, digits with
 * at most one decimal point (`12`, `-77.0083`, `+5`, `5.`, `.5`), optionally a decimal exponent (`1e3`, `2.5E-4`);
 * the value must be finite as a float32. Anything else (blanks, spaces, `nan`, `inf`, hex) parses to NaN.
 * A fast path covers the common short forms exactly; everything else goes through Number().
 */
export const TAB = 9;
export const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;
/** Up to 15 digits the integer mantissa is exact in a double, so mantissa / 10^k is correctly rounded. */
const FAST_PATH_DIGITS = 15;
const POWERS_OF_TEN = new Float64Array(Array.from({ length: FAST_PATH_DIGITS + 1 }, (_, exponent) => 10 ** exponent));

/**
 * Parses a decimal number in `bytes[start, end)`; NaN when the text is not an accepted number or is not finite as a
 * float32. The value equals `Number(text)` for every accepted text.
 *
 * Fast path for the forms GDELT writes (`-77.0083`, `12`, `0`, `-3.52112676056338`): digits, at most one dot, at most
 * 15 digits in all. The digits then form an integer mantissa that a double holds exactly, and 10^k (k <= 15) is exact
 * too, so the one division mantissa / 10^k is correctly rounded: the same double as Number(text). Anything else
 * (exponents, more digits, stray bytes) goes to parseDecimalInFull.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let index = start;
  const first = index < end ? bytes[index] : 0;
  const negative = first === MINUS;
  if (negative || first === PLUS) index++;
  let mantissa = 0;
  const integerStart = index;
  for (; index < end; index++) {
    const digit = bytes[index] - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = index - integerStart;
  let fractionDigits = 0;
  if (index < end && bytes[index] === DOT) {
    index++;
    const fractionStart = index;
    for (; index < end; index++) {
      const digit = bytes[index] - DIGIT_0;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    fractionDigits = index - fractionStart;
    digits += fractionDigits;
  }
  if (index === end) {
    // Blank fields (common in GDELT's coordinates), a lone sign or dot: no digits at all.
    if (digits === 0) return NaN;
    if (digits <= FAST_PATH_DIGITS) {
      const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
      return negative ? -value : value;
    }
  }
  return parseDecimalInFull(bytes, start, end);
}

/**
 * parseDecimal for a column that starts at `start` and ends at the next tab, which the caller guarantees is in the
 * row (a GDELT-shaped row has a tab after each of its first 56 columns). Stores the column's [start, end) at
 * bounds[2 * slot], so the next column starts at bounds[2 * slot + 1] + 1 whatever the text was.
 */
export function parseTabEnded(bytes: Uint8Array, start: number, bounds: Int32Array, slot: number): number {
  bounds[2 * slot] = start;
  let index = start;
  const first = bytes[index];
  const negative = first === MINUS;
  if (negative || first === PLUS) index++;
  let mantissa = 0;
  const integerStart = index;
  for (; ; index++) {
    // Written so that a read past the buffer (undefined - 48 = NaN) also stops the loop.
    const digit = bytes[index] - DIGIT_0;
    if (!(digit >= 0 && digit <= 9)) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = index - integerStart;
  let fractionDigits = 0;
  if (bytes[index] === DOT) {
    index++;
    const fractionStart = index;
    for (; ; index++) {
      const digit = bytes[index] - DIGIT_0;
      if (!(digit >= 0 && digit <= 9)) break;
      mantissa = mantissa * 10 + digit;
    }
    fractionDigits = index - fractionStart;
    digits += fractionDigits;
  }
  if (bytes[index] === TAB) {
    bounds[2 * slot + 1] = index;
    // Blank fields (common in GDELT's coordinates), a lone sign or dot: no digits at all.
    if (digits === 0) return NaN;
    if (digits <= FAST_PATH_DIGITS) {
      const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
      return negative ? -value : value;
    }
    return parseDecimalInFull(bytes, start, index);
  }
  let end = index;
  while (end < bytes.length && bytes[end] !== TAB) end++;
  bounds[2 * slot + 1] = end;
  return parseDecimalInFull(bytes, start, end);
}

/** parseDecimal for every accepted form (exponents, any number of digits); checks the grammar, then uses Number(). */
export function parseDecimalInFull(bytes: Uint8Array, start: number, end: number): number {
  let index = start;
  if (index < end && (bytes[index] === MINUS || bytes[index] === PLUS)) index++;
  let digits = 0;
  let seenDot = false;
  for (; index < end; index++) {
    const byte = bytes[index];
    if (byte >= DIGIT_0 && byte <= DIGIT_9) {
      digits++;
    } else if (byte === DOT && !seenDot) {
      seenDot = true;
    } else {
      break;
    }
  }
  if (digits === 0) return NaN;
  if (index < end) {
    if (bytes[index] !== LOWER_E && bytes[index] !== UPPER_E) return NaN;
    index++;
    if (index < end && (bytes[index] === MINUS || bytes[index] === PLUS)) index++;
    const exponentStart = index;
    while (index < end && bytes[index] >= DIGIT_0 && bytes[index] <= DIGIT_9) index++;
    if (index === exponentStart || index !== end) return NaN;
  }
  // The grammar is checked above, so Number() sees only a valid decimal.
  const value = Number(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end));
  return Number.isFinite(Math.fround(value)) ? value : NaN;
}
