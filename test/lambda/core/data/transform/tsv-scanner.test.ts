import {
  columnStart,
  columnText,
  MAX_LINE_BYTES,
  OVERLONG_LINE_TABS,
  scanTsvText,
  TsvScanner,
} from '../../../../../lambda/core/data/transform/tsv-scanner';

function rows(chunks: string[]): Array<{ text: string; tabs: number }> {
  const seen: Array<{ text: string; tabs: number }> = [];
  const scanner = new TsvScanner((row) => seen.push({ text: row.buffer.toString('latin1', row.start, row.end), tabs: row.tabCount }));
  for (const chunk of chunks) scanner.push(Buffer.from(chunk, 'latin1'));
  scanner.end();
  return seen;
}

describe('TsvScanner', () => {
  it('reports each \\n-terminated line with its tab count', () => {
    expect(rows(['a\tb\tc\nd\te\n'])).toEqual([
      { text: 'a\tb\tc', tabs: 2 },
      { text: 'd\te', tabs: 1 },
    ]);
  });

  it('strips a trailing \\r', () => {
    expect(rows(['a\tb\r\nc\r\n'])).toEqual([
      { text: 'a\tb', tabs: 1 },
      { text: 'c', tabs: 0 },
    ]);
  });

  it('reports a last line that has no \\n', () => {
    expect(rows(['a\nb\tc'])).toEqual([
      { text: 'a', tabs: 0 },
      { text: 'b\tc', tabs: 1 },
    ]);
  });

  it('reports the same rows whatever the chunk boundaries', () => {
    const text = 'one\ttwo\r\nthree\tfour\tfive\n\nsix';
    const whole = rows([text]);
    expect(rows(text.split(''))).toEqual(whole);
    expect(rows([text.slice(0, 5), text.slice(5, 9), text.slice(9)])).toEqual(whole);
  });

  it('reports a blank line as a row with no tabs', () => {
    expect(rows(['a\n\nb\n'])).toEqual([
      { text: 'a', tabs: 0 },
      { text: '', tabs: 0 },
      { text: 'b', tabs: 0 },
    ]);
  });

  it('drops the content of an over-long line but still reports it, so memory stays bounded', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const seen = rows(['a\n', long.slice(0, 1000), long.slice(1000), '\nb\n']);
    expect(seen.map((row) => row.tabs)).toEqual([0, OVERLONG_LINE_TABS, 0]);
    expect(seen[2].text).toBe('b');
  });

  it('gives column text by index', () => {
    const texts: string[] = [];
    scanTsvText('a\t\tccc\n', (row) => texts.push(columnText(row, 0), columnText(row, 1), columnText(row, 2)));
    expect(texts).toEqual(['a', '', 'ccc']);
  });

  it('counts tabs exactly next to bytes that differ from a tab by one bit or are above 0x7f, at every alignment', () => {
    // GIVEN lines mixing tabs with 0x08, 0x0b, 0x89, 0xff and UTF-8 bytes, shifted by 0-3 bytes
    const line = Buffer.from([0x08, 9, 9, 0x0b, 0x89, 9, 0x08, 0xff, 0x09, 0xc3, 0xa9, 9, 0x41, 0x08, 0x08, 9, 0x49]);
    for (let shift = 0; shift < 4; shift++) {
      const text = Buffer.concat([Buffer.alloc(shift, 0x41), Buffer.from('\n'), line, line, Buffer.from('\n')]);
      const counts: number[] = [];
      // WHEN the rows are scanned from a buffer that starts at an odd offset of its memory
      const backing = Buffer.alloc(text.length + 3);
      text.copy(backing, 3);
      scanTsvText(backing.subarray(3), (row) => counts.push(row.tabCount));
      // THEN the second row has 2 x 6 tabs
      expect(counts).toEqual([0, 12]);
    }
  });

  it('counts long runs of tabs after the last located tab exactly, at every alignment and length', () => {
    // GIVEN rows whose tail after column 1 is all tabs (every byte lane full) or tabs among 0x08/0x89 bytes, of lengths
    // around the multiples of 60 words (240 bytes) and far beyond, shifted by 0-3 bytes
    const tails: Array<{ text: Buffer; tabs: number }> = [];
    for (const length of [239, 240, 241, 243, 244, 480, 484, 1000, 4099]) {
      tails.push({ text: Buffer.alloc(length, 9), tabs: length });
      const mixed = Buffer.from(Array.from({ length }, (_, index) => (index % 3 === 0 ? 9 : index % 3 === 1 ? 0x08 : 0x89)));
      tails.push({ text: mixed, tabs: Math.ceil(length / 3) });
    }
    for (const tail of tails) {
      for (let shift = 0; shift < 4; shift++) {
        const text = Buffer.concat([Buffer.alloc(shift, 0x41), Buffer.from('\nid\tcode\t'), tail.text, Buffer.from('x\n')]);
        const seen: number[][] = [];
        // WHEN only the start of column 1 is located
        scanTsvText(text, (row) => seen.push(row.tabCount === 0 ? [0] : [row.tabCount, columnStart(row, 1)]), { starts: [1] });
        // THEN the second row has its 2 leading tabs plus the tail's, and column 1 starts after "id\t"
        expect(seen).toEqual([[0], [2 + tail.tabs, shift + 1 + 3]]);
      }
    }
  });

  it('gives the bounds of the requested columns when only those are located, with the full tab count', () => {
    // GIVEN a 60-column row with columns of varied widths
    const columns = Array.from({ length: 60 }, (_, index) => 'x'.repeat(index % 7));
    const texts: string[] = [];
    const tabCounts: number[] = [];
    // WHEN only columns 3, 26 and 47 are requested, the text being pushed in 5-byte chunks
    const scanner = new TsvScanner(
      (row) => {
        tabCounts.push(row.tabCount);
        texts.push(columnText(row, 3), columnText(row, 26), columnText(row, 47));
      },
      { columns: [3, 26, 47] },
    );
    const text = `${columns.join('\t')}\n`;
    for (let offset = 0; offset < text.length; offset += 5) scanner.push(Buffer.from(text.slice(offset, offset + 5), 'latin1'));
    scanner.end();
    // THEN their text is right and all 59 tabs are counted
    expect(texts).toEqual([columns[3], columns[26], columns[47]]);
    expect(tabCounts).toEqual([59]);
  });

  it('gives the start of the columns named in starts, alone or with columns, with the full tab count', () => {
    // GIVEN a 60-column row with columns of varied widths, pushed in 3-byte chunks
    const columns = Array.from({ length: 60 }, (_, index) => 'y'.repeat((index * 5) % 9));
    const text = `${columns.join('\t')}\n`;
    const expectedStart = (column: number) => columns.slice(0, column).reduce((sum, value) => sum + value.length + 1, 0);
    for (const options of [{ starts: [26, 33, 39, 46] }, { starts: [26, 33], columns: [47] }]) {
      const seen: number[][] = [];
      const scanner = new TsvScanner((row) => {
        seen.push([row.tabCount, ...options.starts.map((column) => columnStart(row, column))]);
      }, options);
      // WHEN
      for (let offset = 0; offset < text.length; offset += 3) scanner.push(Buffer.from(text.slice(offset, offset + 3), 'latin1'));
      scanner.end();
      // THEN each start is the offset after the tab before the column, and all 59 tabs are counted
      expect(seen).toEqual([[59, ...options.starts.map(expectedStart)]]);
    }
  });

  it('still gives the bounds of columns named in columns when starts are also given', () => {
    const columns = Array.from({ length: 58 }, (_, index) => `c${index}`);
    const texts: string[] = [];
    scanTsvText(`${columns.join('\t')}\n`, (row) => texts.push(columnText(row, 47)), { starts: [26], columns: [47] });
    expect(texts).toEqual(['c47']);
  });

  it('rejects a start past the 64th tab', () => {
    expect(() => new TsvScanner(() => undefined, { starts: [70] })).toThrow(/columns must be integers from 0 to 63, got 70/);
  });

  it('counts the tabs of rows that end in the last, partial word of their memory', () => {
    // GIVEN chunks whose ArrayBuffer is not a whole number of 32-bit words, each ending with a row
    const counts: number[] = [];
    const scanner = new TsvScanner((row) => counts.push(row.tabCount));
    for (const text of ['a\tb\t\tc\n', 'a\tb\t\tcd\n', '\t\t\t\t\t\n', 'x\t\n']) {
      const chunk = Buffer.from(new ArrayBuffer(text.length));
      chunk.write(text, 'latin1');
      // WHEN
      scanner.push(chunk);
    }
    scanner.end();
    // THEN every tab is counted
    expect(counts).toEqual([3, 3, 5, 1]);
  });

  it('rejects a requested column past the 64th tab', () => {
    expect(() => new TsvScanner(() => undefined, { columns: [64] })).toThrow(/columns must be integers from 0 to 63, got 64/);
  });
});
