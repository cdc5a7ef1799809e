/**
 * Splits a byte stream into TSV rows without decoding text: for each line it reports where the line starts and ends,
 * how many tabs it has, and where the tabs around the columns the caller reads are. The GDELT transform needs only
 * the starts of 4 of the 57/58 columns, so only 4 tabs per row need a position; the others are only counted (the
 * column count is still checked), which is what lets the scanner go a word at a time.
 *
 * Tabs are found 4 bytes at a time ("SWAR"): each aligned 32-bit word is tested for tab bytes with integer
 * arithmetic, and the tabs of 4 words (16 bytes) are counted with one multiply (past the last needed tab, of up to
 * 60 words); positions are taken only from the words that hold a tab the caller needs.
 */

/** Tabs remembered per row; GDELT has 56 or 57, more only means the row is malformed (still counted). */
const MAX_REMEMBERED_TABS = 64;
/** A "line" longer than this is not GDELT; it is dropped instead of growing memory without bound. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Reported as the tab count of an over-long line, so that any column-count check rejects it. */
export const OVERLONG_LINE_TABS = Number.MAX_SAFE_INTEGER;

const TAB = 9;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
/** A tab byte in each byte of a word; XOR with it turns tabs into zero bytes. */
const TABS_WORD = 0x09090909;
const LOW_7_BITS = 0x7f7f7f7f;
const HIGH_BITS = 0x80808080;
const ONE_PER_BYTE = 0x01010101;
/** Words whose tab flags are summed per byte lane before one multiply: 4 lanes of at most 60 stay below 256. */
const COUNTED_WORDS_PER_MULTIPLY = 60;
/** "No further tab needs a position." */
const NONE = 0x3fffffff;
/** Word-at-a-time positions assume byte 0 is the low byte of a word; other platforms use the byte loop. */
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** One row, valid only during the callback (the object and its buffer are reused). */
export interface TsvRow {
  buffer: Buffer;
  /** Offset of the first byte of the row. */
  start: number;
  /** Offset after the last byte of the row, without `\n` or a trailing `\r`. */
  end: number;
  /**
   * Offsets of tabs by tab index (tab i ends column i). Valid for the tabs around the columns named in
   * TsvScannerOptions.columns and before those in TsvScannerOptions.starts (by default the first 64 tabs); other
   * entries are stale.
   */
  readonly tabs: Int32Array;
  /** Number of tabs in the row (columns - 1). */
  tabCount: number;
}

export function columnStart(row: TsvRow, column: number): number {
  return column === 0 ? row.start : row.tabs[column - 1] + 1;
}

export function columnEnd(row: TsvRow, column: number): number {
  return column === row.tabCount ? row.end : row.tabs[column];
}

export function columnText(row: TsvRow, column: number): string {
  return row.buffer.toString('latin1', columnStart(row, column), columnEnd(row, column));
}

export interface TsvScannerOptions {
  /**
   * The columns whose bounds the caller reads (columnStart/columnEnd/columnText); only the tabs around them get a
   * position, every other tab is only counted. Columns past the 64th tab are not supported.
   * @default every column up to the 64th tab, unless `starts` is given
   */
  readonly columns?: readonly number[];
  /**
   * Columns whose start only the caller reads (columnStart): just the tab before each gets a position, and the caller
   * finds where the column ends itself (for example by parsing up to the next tab). Fewer located tabs, faster scan.
   * @default none
   */
  readonly starts?: readonly number[];
}

/** Zero bytes of `word` as the high bit of each byte, exactly (no carry between bytes, unlike the shorter trick). */
function zeroByteMask(word: number): number {
  return ~(((word & LOW_7_BITS) + LOW_7_BITS) | word) & HIGH_BITS;
}

/**
 * Stores the offsets of the tabs of one word (`mask` from zeroByteMask, `wordStart` its first byte's offset), the
 * first at slot `tabCount`; returns the next tab that needs a position. Branch-free: every byte's offset is stored at
 * the next free slot, which advances only past tab bytes. Called with tabCount < 64 (a needed tab is ahead), so at
 * most slot 67 is written: `tabs` has room for that.
 */
function storeTabs(tabs: Int32Array, nextLocated: Int32Array, tabCount: number, mask: number, wordStart: number): number {
  let tab = tabCount;
  tabs[tab] = wordStart;
  tab += (mask >>> 7) & 1;
  tabs[tab] = wordStart + 1;
  tab += (mask >>> 15) & 1;
  tabs[tab] = wordStart + 2;
  tab += (mask >>> 23) & 1;
  tabs[tab] = wordStart + 3;
  return nextLocated[tab + (mask >>> 31)];
}

/** For each tab index i: the smallest tab index >= i that needs a position, or NONE. */
function nextLocatedTabs(options: TsvScannerOptions): Int32Array {
  const located = new Uint8Array(MAX_REMEMBERED_TABS);
  if (options.columns === undefined && options.starts === undefined) located.fill(1);
  const check = (column: number): void => {
    if (!Number.isInteger(column) || column < 0 || column >= MAX_REMEMBERED_TABS) {
      throw new Error(`columns must be integers from 0 to ${MAX_REMEMBERED_TABS - 1}, got ${column}`);
    }
  };
  for (const column of options.columns ?? []) {
    check(column);
    if (column > 0) located[column - 1] = 1;
    located[column] = 1;
  }
  for (const column of options.starts ?? []) {
    check(column);
    if (column > 0) located[column - 1] = 1;
  }
  const next = new Int32Array(MAX_REMEMBERED_TABS + 4).fill(NONE);
  for (let tab = MAX_REMEMBERED_TABS - 1; tab >= 0; tab--) next[tab] = located[tab] ? tab : next[tab + 1];
  return next;
}

export class TsvScanner {
  private readonly row: TsvRow = { buffer: Buffer.alloc(0), start: 0, end: 0, tabs: new Int32Array(MAX_REMEMBERED_TABS + 4), tabCount: 0 };
  /** Bytes of a line that began in an earlier chunk. */
  private carry: Buffer = Buffer.alloc(64 * 1024);
  private carryLength = 0;
  private carryOverlong = false;

  private readonly nextLocated: Int32Array;
  /** 32-bit view of the ArrayBuffer under the current chunk (whole buffer, so that alignment is absolute). */
  private words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

  constructor(
    private readonly onRow: (row: TsvRow) => void,
    options: TsvScannerOptions = {},
  ) {
    this.nextLocated = nextLocatedTabs(options);
  }

  /** Scans one chunk; complete lines are reported, the tail is kept for the next chunk. */
  push(chunk: Buffer): void {
    let from = 0;
    if (this.carryLength > 0 || this.carryOverlong) {
      const lineFeed = chunk.indexOf(LINE_FEED);
      if (lineFeed < 0) {
        this.appendCarry(chunk, 0, chunk.length);
        return;
      }
      this.appendCarry(chunk, 0, lineFeed + 1);
      this.flushCarry();
      from = lineFeed + 1;
    }
    const lineStart = this.scan(chunk, from, chunk.length);
    if (lineStart < chunk.length) {
      this.appendCarry(chunk, lineStart, chunk.length);
    }
  }

  /** Reports a last line that has no `\n`. */
  end(): void {
    if (this.carryLength > 0 || this.carryOverlong) {
      this.appendCarry(Buffer.from([LINE_FEED]), 0, 1);
      this.flushCarry();
    }
  }

  private flushCarry(): void {
    if (this.carryOverlong) {
      this.row.buffer = this.carry;
      this.row.start = 0;
      this.row.end = 0;
      this.row.tabCount = OVERLONG_LINE_TABS;
      this.onRow(this.row);
    } else {
      // The carry always ends with the `\n` that completed it.
      this.scan(this.carry, 0, this.carryLength);
    }
    this.carryLength = 0;
    this.carryOverlong = false;
  }

  private appendCarry(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.carryOverlong || this.carryLength + length > MAX_LINE_BYTES) {
      this.carryOverlong = true;
      this.carryLength = 0;
      return;
    }
    if (this.carryLength + length > this.carry.length) {
      const grown = Buffer.alloc(Math.min(MAX_LINE_BYTES, Math.max(2 * this.carry.length, this.carryLength + length)));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    this.carryLength += length;
  }

  /** Reports every `\n`-terminated line in `buffer[from, to)`; returns where the unterminated tail starts. */
  private scan(buffer: Buffer, from: number, to: number): number {
    const row = this.row;
    const onRow = this.onRow;
    if (this.words.buffer !== buffer.buffer) {
      this.words = new Uint32Array(buffer.buffer, 0, buffer.buffer.byteLength >> 2);
    }
    row.buffer = buffer;
    let lineStart = from;
    // Native indexOf finds each line end; the tabs are then looked for only inside the line.
    let lineFeed = buffer.indexOf(LINE_FEED, lineStart);
    while (lineFeed >= 0 && lineFeed < to) {
      row.start = lineStart;
      row.end = lineFeed > lineStart && buffer[lineFeed - 1] === CARRIAGE_RETURN ? lineFeed - 1 : lineFeed;
      row.tabCount = IS_LITTLE_ENDIAN ? this.findTabsByWord(buffer, lineStart, lineFeed) : this.findTabsByByte(buffer, lineStart, lineFeed);
      onRow(row);
      lineStart = lineFeed + 1;
      lineFeed = buffer.indexOf(LINE_FEED, lineStart);
    }
    return lineStart;
  }

  /** Counts the tabs of `buffer[start, end)`, storing the positions that are needed; returns the count. */
  private findTabsByWord(buffer: Buffer, start: number, end: number): number {
    const tabs = this.row.tabs;
    const nextLocated = this.nextLocated;
    const words = this.words;
    const base = buffer.byteOffset;
    const firstWord = (base + start) >> 2;
    // The word holding the row's last byte; the row's first and last words are read whole and their bytes outside
    // the row masked off, which avoids two byte loops of unpredictable length per row.
    const lastWord = (base + end - 1) >> 2;
    if (end <= start || lastWord >= words.length) return this.findTabsByByte(buffer, start, end);
    const headMask = (HIGH_BITS << (8 * ((base + start) & 3))) | 0;
    const tailMask = HIGH_BITS >>> (8 * (3 - ((base + end - 1) & 3)));
    let nextNeeded = nextLocated[0];
    if (firstWord === lastWord) {
      const mask = zeroByteMask(words[firstWord] ^ TABS_WORD) & headMask & tailMask;
      const count = Math.imul(mask >>> 7, ONE_PER_BYTE) >>> 24;
      if (count > nextNeeded) storeTabs(tabs, nextLocated, 0, mask, (firstWord << 2) - base);
      return count;
    }
    const firstMask = zeroByteMask(words[firstWord] ^ TABS_WORD) & headMask;
    const firstCount = Math.imul(firstMask >>> 7, ONE_PER_BYTE) >>> 24;
    if (firstCount > nextNeeded) nextNeeded = storeTabs(tabs, nextLocated, 0, firstMask, (firstWord << 2) - base);
    let tabCount = firstCount;
    // The whole words in between.
    const wordEnd = lastWord;
    let word = firstWord + 1;
    // Up to the last tab that needs a position, 4 words at a time: one test tells whether the 4 words hold a needed
    // tab, and only then are they looked at one by one. No early exit for tab-free words: about half the words hold
    // a tab, so that branch would be mispredicted.
    for (; word + 3 < wordEnd && nextNeeded !== NONE; word += 4) {
      const mask0 = zeroByteMask(words[word] ^ TABS_WORD);
      const mask1 = zeroByteMask(words[word + 1] ^ TABS_WORD);
      const mask2 = zeroByteMask(words[word + 2] ^ TABS_WORD);
      const mask3 = zeroByteMask(words[word + 3] ^ TABS_WORD);
      const count = Math.imul((mask0 >>> 7) + (mask1 >>> 7) + (mask2 >>> 7) + (mask3 >>> 7), ONE_PER_BYTE) >>> 24;
      if (tabCount + count > nextNeeded) {
        for (let offset = 0; offset < 4; offset++) {
          const mask = offset === 0 ? mask0 : offset === 1 ? mask1 : offset === 2 ? mask2 : mask3;
          const wordCount = Math.imul(mask >>> 7, ONE_PER_BYTE) >>> 24;
          if (tabCount + wordCount > nextNeeded) {
            nextNeeded = storeTabs(tabs, nextLocated, tabCount, mask, ((word + offset) << 2) - base);
          }
          tabCount += wordCount;
        }
      } else {
        tabCount += count;
      }
    }
    // The last words before a needed tab, one at a time.
    for (; word < wordEnd && nextNeeded !== NONE; word++) {
      const mask = zeroByteMask(words[word] ^ TABS_WORD);
      const count = Math.imul(mask >>> 7, ONE_PER_BYTE) >>> 24;
      if (tabCount + count > nextNeeded) {
        nextNeeded = storeTabs(tabs, nextLocated, tabCount, mask, (word << 2) - base);
      }
      tabCount += count;
    }
    // The rest of the row: only counted, 4 words at a time, the flags of up to COUNTED_WORDS_PER_MULTIPLY words summed
    // per byte lane before one multiply adds up the 4 lanes (at most 60 per lane, 240 in all: no carries).
    while (word + 3 < wordEnd) {
      const groupEnd = Math.min(wordEnd - 3, word + COUNTED_WORDS_PER_MULTIPLY);
      let flags = 0;
      for (; word < groupEnd; word += 4) {
        flags +=
          (zeroByteMask(words[word] ^ TABS_WORD) >>> 7) +
          (zeroByteMask(words[word + 1] ^ TABS_WORD) >>> 7) +
          (zeroByteMask(words[word + 2] ^ TABS_WORD) >>> 7) +
          (zeroByteMask(words[word + 3] ^ TABS_WORD) >>> 7);
      }
      tabCount += Math.imul(flags, ONE_PER_BYTE) >>> 24;
    }
    for (; word < wordEnd; word++) {
      const mask = zeroByteMask(words[word] ^ TABS_WORD);
      tabCount += Math.imul(mask >>> 7, ONE_PER_BYTE) >>> 24;
    }
    const lastMask = zeroByteMask(words[lastWord] ^ TABS_WORD) & tailMask;
    const lastCount = Math.imul(lastMask >>> 7, ONE_PER_BYTE) >>> 24;
    if (tabCount + lastCount > nextNeeded) storeTabs(tabs, nextLocated, tabCount, lastMask, (lastWord << 2) - base);
    return tabCount + lastCount;
  }

  /** Same result as findTabsByWord, a byte at a time. */
  private findTabsByByte(buffer: Buffer, start: number, end: number): number {
    const tabs = this.row.tabs;
    let tabCount = 0;
    for (let index = start; index < end; index++) {
      if (buffer[index] === TAB) {
        if (tabCount < MAX_REMEMBERED_TABS) tabs[tabCount] = index;
        tabCount++;
      }
    }
    return tabCount;
  }
}

/** Reports every row of an in-memory text (tests, small inputs). */
export function scanTsvText(text: string | Buffer, onRow: (row: TsvRow) => void, options?: TsvScannerOptions): void {
  const scanner = new TsvScanner(onRow, options);
  scanner.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  scanner.end();
}
