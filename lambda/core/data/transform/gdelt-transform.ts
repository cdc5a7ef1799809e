/**
 * The GDELT 1.0 events transform: which rows are kept, the label and the 25 float32 features, as the README's
 * "The data" describes them.
 *
 * Works on byte ranges of a TsvRow so the hot loop never splits a row into strings.
 *
 * Numbers accepted (anything else, including blanks, spaces, `nan`, `inf`, `Infinity`, hex, is a bad number):
 *   optional sign, digits with at most one decimal point (`12`, `-77.0083`, `+5`, `5.`, `.5`), optionally followed by
 *   a decimal exponent (`1e3`, `2.5E-4`); the value must be finite as a float32.
 */
import { DIGIT_0 as IMPORTED_DIGIT_0, TAB as IMPORTED_TAB, parseTabEnded } from './decimal';
import { EVENT_CODE_COUNT, FEATURE_COUNT } from './features';
import { columnEnd, columnStart, scanTsvText, TsvRow } from './tsv-scanner';

// Imported bindings used per row are read once: some module loaders turn each read of an import into a getter call
// (through a shared getter whose keyed load goes megamorphic), which cost about a tenth of the featurizer's time.
const DIGIT_0: number = IMPORTED_DIGIT_0;
const TAB: number = IMPORTED_TAB;
const parseNumber = parseTabEnded;

/** Bump when the transform's output changes, so that stored outputs made by an older version are rebuilt. */
export const TRANSFORM_VERSION = 1;

export const COLUMN = {
  globalEventId: 0,
  eventCode: 26,
  numArticles: 33,
  avgTone: 34,
  actor1Lat: 39,
  actor1Long: 40,
  actor2Lat: 46,
  actor2Long: 47,
} as const;

/**
 * What RowTransform needs from the scanner (TsvScannerOptions.starts): where these columns start. Each read column
 * ends at the next tab, found while parsing it, and the columns not listed directly follow a listed one (AvgTone
 * follows NumArticles, each longitude its latitude); GLOBALEVENTID starts the row. 4 located tabs instead of 12.
 */
export const COLUMN_STARTS_READ: readonly number[] = [COLUMN.eventCode, COLUMN.numArticles, COLUMN.actor1Lat, COLUMN.actor2Lat];
if (COLUMN.avgTone !== COLUMN.numArticles + 1 || COLUMN.actor1Long !== COLUMN.actor1Lat + 1 || COLUMN.actor2Long !== COLUMN.actor2Lat + 1) {
  throw new Error('COLUMN_STARTS_READ assumes each longitude follows its latitude and AvgTone follows NumArticles');
}

/** Historical yearly files have 57 columns, daily files 58 (SOURCEURL). */
const YEARLY_FILE_TABS = 56;
const DAILY_FILE_TABS = 57;

export type DropReason = 'wrongColumnCount' | 'eventCodeNotSelected' | 'badNumber' | 'zeroCoordinates';
export type DropCounts = Record<DropReason, number>;
export type RowOutcome = 'kept' | DropReason;

export function emptyDropCounts(): DropCounts {
  return { wrongColumnCount: 0, eventCodeNotSelected: 0, badNumber: 0, zeroCoordinates: 0 };
}

export function hasGdeltColumnCount(row: TsvRow): boolean {
  return row.tabCount === YEARLY_FILE_TABS || row.tabCount === DAILY_FILE_TABS;
}

/** Identifies a short code by its bytes without making a string: 8 bits per byte, plus the length. */
function shortCodeKey(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length > 6) return -1;
  let key = 0;
  for (let index = start; index < end; index++) key = key * 256 + bytes[index];
  return key * 8 + length;
}

/**
 * The 20 most frequent codes, ties broken by code ascending, returned in ascending string order (the order of the
 * one-hot columns). Throws TooFewEventCodes when fewer than 20 distinct codes occur.
 */
export function selectTopEventCodes(codeCounts: ReadonlyMap<string, number>, count = EVENT_CODE_COUNT): string[] {
  if (codeCounts.size < count) {
    const error = new Error(`the first year has only ${codeCounts.size} distinct event codes; the transform needs at least ${count}`);
    error.name = 'TooFewEventCodes';
    throw error;
  }
  const byFrequency = [...codeCounts.entries()].sort(([codeA, countA], [codeB, countB]) =>
    countB !== countA ? countB - countA : compareStrings(codeA, codeB),
  );
  return byFrequency
    .slice(0, count)
    .map(([code]) => code)
    .sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts event codes over well-formed rows (57/58 columns, non-empty code) of the first year. */
export class EventCodeProfiler {
  private readonly countsByKey = new Map<number, { code: string; count: number }>();
  private readonly countsOfLongCodes = new Map<string, number>();

  /** Returns false when the row is not well-formed for profiling. */
  add(row: TsvRow): boolean {
    if (!hasGdeltColumnCount(row)) return false;
    const start = columnStart(row, COLUMN.eventCode);
    const end = columnEnd(row, COLUMN.eventCode);
    if (end === start) return false;
    const key = shortCodeKey(row.buffer, start, end);
    if (key < 0) {
      const code = row.buffer.toString('latin1', start, end);
      this.countsOfLongCodes.set(code, (this.countsOfLongCodes.get(code) ?? 0) + 1);
      return true;
    }
    const entry = this.countsByKey.get(key);
    if (entry) entry.count++;
    else this.countsByKey.set(key, { code: row.buffer.toString('latin1', start, end), count: 1 });
    return true;
  }

  codeCounts(): Map<string, number> {
    const counts = new Map(this.countsOfLongCodes);
    for (const { code, count } of this.countsByKey.values()) counts.set(code, count);
    return counts;
  }
}

export function assertEventCodes(codes: unknown): string[] {
  if (
    !Array.isArray(codes) ||
    codes.length !== EVENT_CODE_COUNT ||
    codes.some((code) => typeof code !== 'string' || code === '') ||
    new Set(codes).size !== codes.length
  ) {
    throw new Error(`codes must be ${EVENT_CODE_COUNT} distinct non-empty strings, got ${JSON.stringify(codes)}`);
  }
  return [...(codes as string[])].sort(compareStrings);
}

/** Label and features of a kept row; reused from row to row. */
export interface FeatureRow {
  label: number;
  /** [NumArticles, A1Lat, A1Long, A2Lat, A2Long, onehot_1..onehot_20] as doubles; written as float32. */
  readonly features: Float64Array;
  /** Position of the row's code among the 20 ascending codes. */
  codeIndex: number;
}

export function newFeatureRow(): FeatureRow {
  return { label: 0, features: new Float64Array(FEATURE_COUNT), codeIndex: -1 };
}

/** The numeric columns in output order: label first, then the 5 numeric features. */
export const NUMERIC_COLUMNS = [
  COLUMN.avgTone,
  COLUMN.numArticles,
  COLUMN.actor1Lat,
  COLUMN.actor1Long,
  COLUMN.actor2Lat,
  COLUMN.actor2Long,
] as const;

/** Codes of up to this many digits are looked up directly. */
const MAX_DIGIT_CODE_LENGTH = 4;
/** Where the codes of each digit count start in EventCodeTable.digitCodes: 10 of 1 digit, then 100 of 2, ... */
const DIGIT_CODE_OFFSETS = [0, 0, 10, 110, 1110, 11110];

/**
 * Finds a code's position among the selected codes straight from the row's bytes, without making a string. CAMEO
 * codes are 2 to 4 digits: those are looked up directly by length and value; any other code goes through an
 * open-addressing table keyed by a hash of the bytes, confirmed by comparing the bytes (so any code works).
 */
class EventCodeTable {
  /** Code index by DIGIT_CODE_OFFSETS[length] + value for codes of 1 to 4 digits; -1 for codes not selected. */
  private readonly digitCodes = new Int8Array(DIGIT_CODE_OFFSETS[MAX_DIGIT_CODE_LENGTH + 1]).fill(-1);
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  private readonly codeBytes: Uint8Array[];

  constructor(codes: readonly string[]) {
    this.codeBytes = codes.map((code) => Buffer.from(code, 'latin1'));
    let size = 16;
    while (size < 4 * codes.length) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.slotMask = size - 1;
    this.codeBytes.forEach((bytes, index) => {
      let slot = hashCode(bytes) & this.slotMask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & this.slotMask;
      this.slots[slot] = index;
    });
    codes.forEach((code, index) => {
      if (/^[0-9]{1,4}$/.test(code)) this.digitCodes[DIGIT_CODE_OFFSETS[code.length] + Number(code)] = index;
    });
  }

  /** Index of the code that starts at `start` and ends at the next tab (or the buffer's end), or -1. */
  indexOf(bytes: Uint8Array, start: number): number {
    let value = 0;
    let index = start;
    for (; index < start + MAX_DIGIT_CODE_LENGTH; index++) {
      // Written so that a read past the buffer (undefined - 48 = NaN) also stops the loop.
      const digit = bytes[index] - DIGIT_0;
      if (!(digit >= 0 && digit <= 9)) break;
      value = value * 10 + digit;
    }
    if (index > start && bytes[index] === TAB) return this.digitCodes[DIGIT_CODE_OFFSETS[index - start] + value];
    return this.indexOfTabEnded(bytes, start);
  }

  /** Index of the code that starts at `start` and ends at the next tab (or the buffer's end), or -1. */
  indexOfTabEnded(bytes: Uint8Array, start: number): number {
    let hash = 0;
    let index = start;
    for (; index < bytes.length; index++) {
      const byte = bytes[index];
      if (byte === TAB) break;
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    const length = index - start;
    for (let slot = finishHash(hash, length) & this.slotMask; ; slot = (slot + 1) & this.slotMask) {
      const codeIndex = this.slots[slot];
      if (codeIndex < 0) return -1;
      const code = this.codeBytes[codeIndex];
      if (code.length !== length) continue;
      let same = true;
      for (let offset = 0; offset < length; offset++) {
        if (code[offset] !== bytes[start + offset]) {
          same = false;
          break;
        }
      }
      if (same) return codeIndex;
    }
  }
}

/** The hash indexOfTabEnded computes, over a whole code. */
function hashCode(bytes: Uint8Array): number {
  let hash = 0;
  for (const byte of bytes) hash = (Math.imul(hash, 31) + byte) | 0;
  return finishHash(hash, bytes.length);
}

function finishHash(hash: number, length: number): number {
  const mixed = (hash + Math.imul(length, 0x9e3779b1)) | 0;
  return (mixed ^ (mixed >>> 7)) >>> 0;
}

/** Applies the filters in order (columns, code, numbers, zero coordinates) and fills the features. */
export class RowTransform {
  /** Ascending codes: the one-hot column order. */
  public readonly codes: readonly string[];
  /**
   * Start and end offsets, in the last applied row's buffer, of each NUMERIC_COLUMNS text in that order: valid after
   * `apply` returned 'kept' and until the next call (the test CSV copies these texts).
   */
  public readonly numberBounds = new Int32Array(2 * NUMERIC_COLUMNS.length);
  private readonly codeTable: EventCodeTable;

  constructor(codes: readonly string[]) {
    this.codes = assertEventCodes(codes);
    this.codeTable = new EventCodeTable(this.codes);
  }

  apply(row: TsvRow, out: FeatureRow): RowOutcome {
    const tabCount = row.tabCount;
    if (tabCount !== YEARLY_FILE_TABS && tabCount !== DAILY_FILE_TABS) return 'wrongColumnCount';
    const bytes = row.buffer;
    // With 57/58 columns every column read is followed by a tab, so each ends at the next tab, found while reading
    // it; only the starts of COLUMN_STARTS_READ come from `tabs`. Read here rather than through columnStart: some
    // module loaders make each call to an imported function a getter.
    const tabs = row.tabs;
    const codeIndex = this.codeTable.indexOf(bytes, tabs[COLUMN.eventCode - 1] + 1);
    if (codeIndex < 0) return 'eventCodeNotSelected';

    // Actor coordinates first: blank in about a third of GDELT rows, so most rows with a bad number stop after one or
    // two parses. NaN marks a bad number (NaN !== NaN); the order of the tests does not change the outcome.
    const bounds = this.numberBounds;
    const actor2Lat = parseNumber(bytes, tabs[COLUMN.actor2Lat - 1] + 1, bounds, 4);
    if (actor2Lat !== actor2Lat) return 'badNumber';
    const actor1Lat = parseNumber(bytes, tabs[COLUMN.actor1Lat - 1] + 1, bounds, 2);
    if (actor1Lat !== actor1Lat) return 'badNumber';
    const actor2Long = parseNumber(bytes, bounds[2 * 4 + 1] + 1, bounds, 5);
    const actor1Long = parseNumber(bytes, bounds[2 * 2 + 1] + 1, bounds, 3);
    const numArticles = parseNumber(bytes, tabs[COLUMN.numArticles - 1] + 1, bounds, 1);
    const label = parseNumber(bytes, bounds[2 * 1 + 1] + 1, bounds, 0);
    // One sum test covers the other four.
    const sum = label + numArticles + actor1Long + actor2Long;
    if (sum !== sum) return 'badNumber';
    if ((actor1Lat === 0 && actor1Long === 0) || (actor2Lat === 0 && actor2Long === 0)) return 'zeroCoordinates';

    const features = out.features;
    out.label = label;
    features[0] = numArticles;
    features[1] = actor1Lat;
    features[2] = actor1Long;
    features[3] = actor2Lat;
    features[4] = actor2Long;
    if (out.codeIndex >= 0) features[5 + out.codeIndex] = 0;
    features[5 + codeIndex] = 1;
    out.codeIndex = codeIndex;
    return 'kept';
  }
}

/** Transforms one TSV line (tests, tools); the streaming path uses RowTransform directly. */
export function transformLine(line: string, codes: readonly string[]): { outcome: RowOutcome; label?: number; features?: number[] } {
  const transform = new RowTransform(codes);
  const out = newFeatureRow();
  let result: { outcome: RowOutcome; label?: number; features?: number[] } = { outcome: 'wrongColumnCount' };
  scanTsvText(line.endsWith('\n') ? line : `${line}\n`, (row) => {
    const outcome = transform.apply(row, out);
    result =
      outcome === 'kept'
        ? { outcome, label: Math.fround(out.label), features: Array.from(out.features, (value) => Math.fround(value)) }
        : { outcome };
  });
  return result;
}
