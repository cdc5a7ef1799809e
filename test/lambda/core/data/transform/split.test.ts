import {
  assertValidationPercent,
  fnv1a32,
  isValidationId,
  isValidationIdAt,
  isValidationRow,
} from '../../../../../lambda/core/data/transform/split';

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the published FNV-1a 32-bit value', (text, expected) => {
    expect(fnv1a32(Buffer.from(text, 'utf8'))).toBe(expected);
  });
});

describe('isValidationId', () => {
  it('sends about 10% of 100k sequential ids to validation', () => {
    // GIVEN ids shaped like GLOBALEVENTIDs
    let validation = 0;
    // WHEN
    for (let id = 1553000; id < 1653000; id++) if (isValidationId(String(id), 10)) validation++;
    // THEN
    expect(validation / 100000).toBeGreaterThan(0.09);
    expect(validation / 100000).toBeLessThan(0.11);
  });

  it('gives the same answer for the same id every time', () => {
    const first = Array.from({ length: 1000 }, (_, index) => isValidationId(String(564111644 + index), 10));
    const second = Array.from({ length: 1000 }, (_, index) => isValidationId(String(564111644 + index), 10));
    expect(second).toEqual(first);
  });

  it('puts rows with hash mod 100 below the percentage in validation', () => {
    // GIVEN "a" hashes to 0xe40c292c = 3826002220, which is 20 mod 100
    expect(isValidationId('a', 20)).toBe(false);
    expect(isValidationId('a', 21)).toBe(true);
  });

  it('sends nothing to validation at 0% and everything at 100%', () => {
    const ids = Array.from({ length: 500 }, (_, index) => String(index));
    expect(ids.filter((id) => isValidationId(id, 0))).toHaveLength(0);
    expect(ids.filter((id) => isValidationId(id, 100))).toHaveLength(500);
  });
});

describe('assertValidationPercent', () => {
  it.each([-1, 101, 10.5, '10'])('rejects %j', (value) => {
    expect(() => assertValidationPercent(value)).toThrow(/validationPercent must be an integer from 0 to 100/);
  });
});

describe('isValidationIdAt', () => {
  it('decides as isValidationRow does over the id that ends at the next tab', () => {
    // GIVEN rows that start with ids of varied lengths
    const ids = Array.from({ length: 2000 }, (_, index) => String(index * 7919));
    // WHEN each row is decided from the id's start only
    const fromStart = ids.map((id) => isValidationIdAt(Buffer.from(`${id}\t20150218\t201502`, 'latin1'), 0, 10));
    // THEN the answers are those over the id's exact bounds
    expect(fromStart).toEqual(ids.map((id) => isValidationRow(Buffer.from(id, 'latin1'), 0, id.length, 10)));
  });

  it('hashes up to the buffer end when no tab follows', () => {
    const bytes = Buffer.from('xx564111644', 'latin1');
    const expected = Array.from({ length: 101 }, (_, percent) => isValidationId('564111644', percent));
    expect(Array.from({ length: 101 }, (_, percent) => isValidationIdAt(bytes, 2, percent))).toEqual(expected);
  });
});
