/**
 * Splits a byte stream into TSV rows without decoding text: for each line it reports where the line starts and ends
 * and where its tabs are. This is the least work any TSV reader must do, and it is all the GDELT transform needs,
 * because only 8 of the 57/58 columns are read (and only those are ever turned into numbers or strings).
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

/** One row, valid only during the callback (the object and its buffer are reused). */
export interface TsvRow {
  buffer: Buffer;
  /** Offset of the first byte of the row. */
  start: number;
  /** Offset after the last byte of the row, without `\n` or a trailing `\r`. */
  end: number;
  /** Offsets of the first tabs of the row (up to 64). */
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

export class TsvScanner {
  private readonly row: TsvRow = { buffer: Buffer.alloc(0), start: 0, end: 0, tabs: new Int32Array(MAX_REMEMBERED_TABS), tabCount: 0 };
  /** Bytes of a line that began in an earlier chunk. */
  private carry: Buffer = Buffer.alloc(64 * 1024);
  private carryLength = 0;
  private carryOverlong = false;

  constructor(private readonly onRow: (row: TsvRow) => void) {}

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
    const tabs = row.tabs;
    const onRow = this.onRow;
    let lineStart = from;
    // Native indexOf finds each line end; the loop then looks only for tabs inside the line.
    let lineFeed = buffer.indexOf(LINE_FEED, lineStart);
    while (lineFeed >= 0 && lineFeed < to) {
      let tabCount = 0;
      for (let index = lineStart; index < lineFeed; index++) {
        if (buffer[index] === TAB) {
          if (tabCount < MAX_REMEMBERED_TABS) tabs[tabCount] = index;
          tabCount++;
        }
      }
      row.buffer = buffer;
      row.start = lineStart;
      row.end = lineFeed > lineStart && buffer[lineFeed - 1] === CARRIAGE_RETURN ? lineFeed - 1 : lineFeed;
      row.tabCount = tabCount;
      onRow(row);
      lineStart = lineFeed + 1;
      lineFeed = buffer.indexOf(LINE_FEED, lineStart);
    }
    return lineStart;
  }

}

/** Reports every row of an in-memory text (tests, small inputs). */
export function scanTsvText(text: string | Buffer, onRow: (row: TsvRow) => void): void {
  const scanner = new TsvScanner(onRow);
  scanner.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  scanner.end();
}
