/** How the report writes numbers, money, ratios and sizes, the same in every table, sentence and chart. */

/** A number with up to `digits` significant digits, without exponent noise for the usual ranges. */
export function formatNumber(value: number, digits = 4): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

export function formatUsd(value: number | null): string {
  return value === null ? 'n/a' : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

/** "2.50x"; "infinitely" when the smaller is 0. */
export function formatRatio(larger: number, smaller: number): string {
  return smaller === 0 ? 'infinitely' : `${(larger / smaller).toFixed(2)}x`;
}

const BYTE_UNITS: readonly (readonly [string, number])[] = [
  ['GB', 1e9],
  ['MB', 1e6],
  ['kB', 1e3],
];

/** Both sizes in the unit of the larger, one decimal: "12.1 / 12.0 MB", so the two read side by side. */
export function formatBytePair(larger: number, smaller: number): string {
  const [unit, size] = BYTE_UNITS.find(([, bytes]) => larger >= bytes) ?? ['B', 1];
  if (size === 1) return `${larger} / ${smaller} B`;
  return `${(larger / size).toFixed(1)} / ${(smaller / size).toFixed(1)} ${unit}`;
}
