import { assertValidationPercent, fnv1a32, isValidationId } from '../../../lambda/core/split';

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
