import { readFileSync } from 'node:fs';
import { parseDecimal, parseTabEnded } from '../../../../../lambda/core/data/transform/decimal';
import {
  EventCodeProfiler,
  RowTransform,
  selectTopEventCodes,
  transformLine,
} from '../../../../../lambda/core/data/transform/gdelt-transform';
import { scanTsvText } from '../../../../../lambda/core/data/transform/tsv-scanner';
import { FIXTURE_CODES } from '../../../s3-test-helpers';
import { FIXTURE_PATH, referenceTopCodes, referenceTransform } from './gdelt-reference';

const fixture = readFileSync(FIXTURE_PATH, 'utf8');
const fixtureLines = fixture.split('\n');

function oneHot(code: string): number[] {
  return FIXTURE_CODES.map((candidate) => (candidate === code ? 1 : 0));
}

function lineWithId(id: string): string {
  const line = fixtureLines.find((candidate) => candidate.startsWith(`${id}\t`));
  if (!line) throw new Error(`fixture has no row ${id}`);
  return line;
}

describe('parseDecimal', () => {
  const parse = (text: string) => parseDecimal(Buffer.from(text, 'latin1'), 0, text.length);

  it.each([
    ['-77.0083', -77.0083],
    ['38', 38],
    ['+5', 5],
    ['5.', 5],
    ['.5', 0.5],
    ['0', 0],
    ['-0.34188034188034', -0.34188034188034],
    ['1e3', 1000],
    ['2.5E-4', 0.00025],
    ['12345678901234567890', Number('12345678901234567890')],
  ])('accepts %j as %d', (text, expected) => {
    expect(parse(text)).toBe(expected);
  });

  it.each([
    '',
    ' ',
    ' 1',
    '1 ',
    'nan',
    'NaN',
    'inf',
    'Infinity',
    '-inf',
    '0x10',
    '1,5',
    '1.2.3',
    '.',
    '-',
    'e3',
    '1e',
    '1e+',
    '1e39',
    '\u00e9',
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeNaN();
  });

  it('gives the same double as Number() for 14-digit fractions', () => {
    for (const text of ['-10.3085462501191', '4.70219435736677', '116.388', '-0.96153846153847']) {
      expect(parse(text)).toBe(Number(text));
    }
  });
});

/** A small seeded generator (mulberry32), so the generated cases are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Decimals of 1 to 17 significant digits, with or without sign, dot, leading zeros. */
function generatedDecimals(count: number): string[] {
  const random = seededRandom(2015);
  return Array.from({ length: count }, () => {
    const digitCount = 1 + Math.floor(random() * 17);
    let digits = '';
    for (let index = 0; index < digitCount; index++) digits += String(Math.floor(random() * 10));
    const dot = Math.floor(random() * (digitCount + 2)) - 1; // -1: no dot
    const body = dot < 0 ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`;
    return ['', '-', '+'][Math.floor(random() * 3)] + body;
  });
}

/** Texts of doubles halfway between neighbouring float32 values, where rounding to float32 is hardest. */
function float32Midpoints(count: number): string[] {
  const random = seededRandom(1979);
  const bits = new Uint32Array(2);
  const floats = new Float32Array(bits.buffer);
  const texts: string[] = [];
  for (let index = 0; index < count; index++) {
    // Exponents from 2^-20 to 2^40 and any mantissa: GDELT's range and more, all finite.
    bits[0] = ((107 + Math.floor(random() * 60)) << 23) | Math.floor(random() * 2 ** 23);
    bits[1] = bits[0] + 1;
    const midpoint = (floats[0] + floats[1]) / 2;
    for (const precision of [7, 9, 12, 15, 16, 17]) texts.push(midpoint.toPrecision(precision));
    texts.push(String(midpoint), String(floats[0]), `-${String(midpoint)}`);
  }
  return texts;
}

describe('parseDecimal and parseTabEnded against Number()', () => {
  const cases = [...generatedDecimals(20000), ...float32Midpoints(3000)];

  it('gives exactly Number(text), and so the same float32, for every generated decimal', () => {
    // GIVEN decimals of up to 17 significant digits and texts of float32 rounding midpoints
    const mismatches: string[] = [];
    // WHEN each is parsed
    for (const text of cases) {
      const value = parseDecimal(Buffer.from(text, 'latin1'), 0, text.length);
      if (!Object.is(value, Number(text)) || !Object.is(Math.fround(value), Math.fround(Number(text)))) mismatches.push(text);
    }
    // THEN none differs
    expect(mismatches).toEqual([]);
  });

  it('gives the same values when the column ends at a tab', () => {
    const mismatches: string[] = [];
    const bounds = new Int32Array(2);
    for (const text of cases) {
      const value = parseTabEnded(Buffer.from(`${text}\tnext`, 'latin1'), 0, bounds, 0);
      if (!Object.is(value, Number(text)) || bounds[1] !== text.length) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('parseTabEnded', () => {
  const parse = (text: string, start = 0) => {
    const bounds = new Int32Array(4);
    const value = parseTabEnded(Buffer.from(text, 'latin1'), start, bounds, 1);
    return { value, start: bounds[2], end: bounds[3] };
  };

  it('reads a number up to the tab and gives its bounds', () => {
    expect(parse('x\t-77.0083\t1', 2)).toEqual({ value: -77.0083, start: 2, end: 10 });
  });

  it('gives NaN for a blank column, which ends where it starts', () => {
    expect(parse('\t5')).toEqual({ value: NaN, start: 0, end: 0 });
  });

  it('gives NaN for a column with stray bytes, still ending at the tab', () => {
    expect(parse('12x4\t5')).toEqual({ value: NaN, start: 0, end: 4 });
  });

  it('accepts the rare forms of parseDecimal (exponent, more than 15 digits)', () => {
    expect(parse('2.5E-4\t').value).toBe(0.00025);
    expect(parse('12345678901234567890\t').value).toBe(Number('12345678901234567890'));
  });

  it('stops at the buffer end when no tab follows', () => {
    expect(parse('1.5e')).toEqual({ value: NaN, start: 0, end: 4 });
  });
});

describe('selectTopEventCodes', () => {
  it('breaks ties by code in string order and returns the codes ascending', () => {
    // GIVEN 21 codes; "0231" and "030" tie for the last place
    const counts = new Map<string, number>([
      ['030', 5],
      ['0231', 5],
    ]);
    for (let index = 0; index < 19; index++) counts.set(`1${String(index).padStart(2, '0')}`, 10);
    // WHEN
    const codes = selectTopEventCodes(counts);
    // THEN "0231" < "030" as strings, so 0231 is kept
    expect(codes).toHaveLength(20);
    expect(codes[0]).toBe('0231');
    expect(codes).not.toContain('030');
  });

  it('treats 010 and 10 as different codes', () => {
    const counts = new Map<string, number>([
      ['010', 3],
      ['10', 2],
    ]);
    for (let index = 0; index < 18; index++) counts.set(`2${String(index).padStart(2, '0')}`, 10);
    expect(selectTopEventCodes(counts)).toEqual(expect.arrayContaining(['010', '10']));
  });

  it('fails with TooFewEventCodes when fewer than 20 codes occur', () => {
    const counts = new Map<string, number>(Array.from({ length: 19 }, (_, index) => [String(index), 1]));
    expect(() => selectTopEventCodes(counts)).toThrow(/only 19 distinct event codes; the transform needs at least 20/);
  });
});

describe('EventCodeProfiler', () => {
  it('finds the fixture codes worked out by hand, matching the reference implementation', () => {
    // GIVEN
    const profiler = new EventCodeProfiler();
    // WHEN
    scanTsvText(fixture, (row) => profiler.add(row));
    // THEN
    const codes = selectTopEventCodes(profiler.codeCounts());
    expect(codes).toEqual(FIXTURE_CODES);
    expect(codes).toEqual(referenceTopCodes(fixture));
  });
});

describe('transformLine on fixture rows', () => {
  it('keeps a 57-column row with label AvgTone and the 25 features in order', () => {
    // GIVEN row 1553239: code 030, NumArticles 1, AvgTone 8.43989769820972, A1 30.05,31.25, A2 31.4167,34.3333
    const result = transformLine(lineWithId('1553239'), FIXTURE_CODES);
    // THEN
    expect(result.outcome).toBe('kept');
    expect(result.label).toBe(Math.fround(8.43989769820972));
    expect(result.features).toEqual([1, 30.05, 31.25, 31.4167, 34.3333, ...oneHot('030')].map(Math.fround));
  });

  it('keeps a 58-column row', () => {
    // GIVEN row 564137318: code 020, NumArticles 116, AvgTone -4.56611588470478, A1 = A2 = 36.17,-119.746
    const result = transformLine(lineWithId('564137318'), FIXTURE_CODES);
    expect(result.label).toBe(Math.fround(-4.56611588470478));
    expect(result.features).toEqual([116, 36.17, -119.746, 36.17, -119.746, ...oneHot('020')].map(Math.fround));
  });

  it('drops a row whose event code is not among the 20', () => {
    // GIVEN row 564111654 has code 0834
    expect(transformLine(lineWithId('564111654'), FIXTURE_CODES).outcome).toBe('eventCodeNotSelected');
  });

  it('drops a row with blank Actor2 coordinates as a bad number', () => {
    // GIVEN row 564111644: code 010, Actor2 lat/long blank
    expect(transformLine(lineWithId('564111644'), FIXTURE_CODES).outcome).toBe('badNumber');
  });

  it('drops a row whose Actor2 lat and long are both 0', () => {
    // GIVEN row 1553249: code 010, Actor2 0,0
    expect(transformLine(lineWithId('1553249'), FIXTURE_CODES).outcome).toBe('zeroCoordinates');
  });

  it('keeps a row where only one coordinate is 0', () => {
    const columns = lineWithId('1553239').split('\t');
    columns[46] = '0';
    expect(transformLine(columns.join('\t'), FIXTURE_CODES).outcome).toBe('kept');
  });

  it.each([56, 59, 1])('drops a row with %d columns as wrongColumnCount', (count) => {
    const columns = lineWithId('1553239').split('\t');
    const resized = count < columns.length ? columns.slice(0, count) : [...columns, ...new Array<string>(count - columns.length).fill('x')];
    expect(transformLine(resized.join('\t'), FIXTURE_CODES).outcome).toBe('wrongColumnCount');
  });

  it('checks the column count before the event code', () => {
    const columns = lineWithId('564111654').split('\t').slice(0, 50);
    expect(transformLine(columns.join('\t'), FIXTURE_CODES).outcome).toBe('wrongColumnCount');
  });

  it('checks numbers before zero coordinates', () => {
    const columns = lineWithId('1553249').split('\t');
    columns[33] = 'nan';
    expect(transformLine(columns.join('\t'), FIXTURE_CODES).outcome).toBe('badNumber');
  });
});

describe('RowTransform event codes', () => {
  // 20 codes mixing the shapes the lookup tells apart: 1 to 4 digits (leading zeros matter), longer, not digits.
  const codes = [
    '0',
    '00',
    '010',
    '10',
    '0010',
    '1',
    '12345',
    'X1',
    '1X',
    '030',
    '9999',
    '99',
    '020',
    '100000',
    'A',
    '0000',
    '4',
    '44',
    '444',
    '4444',
  ];
  const withCode = (code: string) =>
    lineWithId('1553239')
      .split('\t')
      .map((text, column) => (column === 26 ? code : text))
      .join('\t');
  const ascending = [...codes].sort();

  it.each(codes)('keeps a row with code %j as its one-hot column', (code) => {
    const result = transformLine(withCode(code), codes);
    expect(result.outcome).toBe('kept');
    expect(result.features!.slice(5).indexOf(1)).toBe(ascending.indexOf(code));
  });

  it.each(['', '000', '011', '01', '123456', '12345X', 'X', '44444', 'X12'])('drops a row with code %j that is not selected', (code) => {
    expect(transformLine(withCode(code), codes).outcome).toBe('eventCodeNotSelected');
  });
});

describe('RowTransform over the whole fixture', () => {
  it('keeps and drops the same rows as the reference implementation, with the same values', () => {
    // GIVEN
    const transform = new RowTransform(FIXTURE_CODES);
    const expected = referenceTransform(fixture, FIXTURE_CODES);
    const kept: number[][] = [];
    const dropped: Record<string, number> = { wrongColumnCount: 0, eventCodeNotSelected: 0, badNumber: 0, zeroCoordinates: 0 };
    const out = { label: 0, features: new Float64Array(25), codeIndex: -1 };
    // WHEN
    scanTsvText(fixture, (row) => {
      const outcome = transform.apply(row, out);
      if (outcome === 'kept') kept.push([out.label, ...out.features].map(Math.fround));
      else dropped[outcome]++;
    });
    // THEN
    expect(dropped).toEqual(expected.dropped);
    expect(kept).toEqual(expected.kept.map((row) => [row.label, ...row.features]));
    expect(kept.length).toBeGreaterThan(100);
  });

  it('finds codes of any length by their bytes, telling apart codes that share a prefix or differ only in zeros', () => {
    // GIVEN 20 codes of 1 to 12 characters, among them 010/10/01/0100 and a 12-character code
    const codes = [
      '010',
      '10',
      '01',
      '0100',
      'ABCDEFGHIJKL',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
    ];
    const ascending = [...codes].sort();
    const columns = lineWithId('1553239').split('\t');
    for (const code of [...codes, '0', '001', '0101', 'ABCDEFGHIJK', 'ABCDEFGHIJKLM']) {
      columns[26] = code;
      // WHEN the row carries that code
      const result = transformLine(columns.join('\t'), codes);
      // THEN a selected code sets its own one-hot column; any other code is not selected
      if (codes.includes(code)) {
        expect(result.features!.slice(5).indexOf(1)).toBe(ascending.indexOf(code));
      } else {
        expect(result.outcome).toBe('eventCodeNotSelected');
      }
    }
  });

  it('rejects codes that are not 20 distinct strings', () => {
    expect(() => new RowTransform(['010'])).toThrow(/codes must be 20 distinct non-empty strings/);
  });
});
