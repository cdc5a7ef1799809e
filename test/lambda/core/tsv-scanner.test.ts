import { columnText, MAX_LINE_BYTES, OVERLONG_LINE_TABS, scanTsvText, TsvScanner } from '../../../lambda/core/tsv-scanner';

function rows(chunks: string[]): Array<{ text: string; tabs: number }> {
  const seen: Array<{ text: string; tabs: number }> = [];
  const scanner = new TsvScanner((row) => seen.push({ text: row.buffer.toString('latin1', row.start, row.end), tabs: row.tabCount }));
  for (const chunk of chunks) scanner.push(Buffer.from(chunk, 'latin1'));
  scanner.end();
  return seen;
}

describe('TsvScanner', () => {
  it('reports each \\n-terminated line with its tab count', () => {
    expect(rows(['a\tb\tc\nd\te\n'])).toEqual([{ text: 'a\tb\tc', tabs: 2 }, { text: 'd\te', tabs: 1 }]);
  });

  it('strips a trailing \\r', () => {
    expect(rows(['a\tb\r\nc\r\n'])).toEqual([{ text: 'a\tb', tabs: 1 }, { text: 'c', tabs: 0 }]);
  });

  it('reports a last line that has no \\n', () => {
    expect(rows(['a\nb\tc'])).toEqual([{ text: 'a', tabs: 0 }, { text: 'b\tc', tabs: 1 }]);
  });

  it('reports the same rows whatever the chunk boundaries', () => {
    const text = 'one\ttwo\r\nthree\tfour\tfive\n\nsix';
    const whole = rows([text]);
    expect(rows(text.split(''))).toEqual(whole);
    expect(rows([text.slice(0, 5), text.slice(5, 9), text.slice(9)])).toEqual(whole);
  });

  it('reports a blank line as a row with no tabs', () => {
    expect(rows(['a\n\nb\n'])).toEqual([{ text: 'a', tabs: 0 }, { text: '', tabs: 0 }, { text: 'b', tabs: 0 }]);
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
});
