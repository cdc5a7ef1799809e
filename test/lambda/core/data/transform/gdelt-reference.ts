/**
 * A deliberately simple, string-based reading of the transform as the README's "The data" describes it, used by
 * tests to check the byte-level transform.
 * Not shared with the code under test.
 */
export const FIXTURE_PATH = `${__dirname}/../../../../fixtures/events-sample.tsv`;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface ReferenceRow {
  id: string;
  label: number;
  features: number[];
}

export interface ReferenceResult {
  read: number;
  kept: ReferenceRow[];
  dropped: { wrongColumnCount: number; eventCodeNotSelected: number; badNumber: number; zeroCoordinates: number };
}

export function referenceLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

export function referenceTopCodes(text: string): string[] {
  const counts = new Map<string, number>();
  for (const line of referenceLines(text)) {
    const columns = line.split('\t');
    if ((columns.length === 57 || columns.length === 58) && columns[26] !== '') {
      counts.set(columns[26], (counts.get(columns[26]) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return ranked
    .slice(0, 20)
    .map(([code]) => code)
    .sort();
}

function referenceNumber(text: string): number {
  if (!NUMBER.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(Math.fround(value)) ? value : NaN;
}

export function referenceTransform(text: string, codes: string[]): ReferenceResult {
  const result: ReferenceResult = {
    read: 0,
    kept: [],
    dropped: { wrongColumnCount: 0, eventCodeNotSelected: 0, badNumber: 0, zeroCoordinates: 0 },
  };
  for (const line of referenceLines(text)) {
    result.read++;
    const columns = line.split('\t');
    if (columns.length !== 57 && columns.length !== 58) {
      result.dropped.wrongColumnCount++;
      continue;
    }
    if (!codes.includes(columns[26])) {
      result.dropped.eventCodeNotSelected++;
      continue;
    }
    const [label, articles, lat1, long1, lat2, long2] = [34, 33, 39, 40, 46, 47].map((column) => referenceNumber(columns[column]));
    if ([label, articles, lat1, long1, lat2, long2].some(Number.isNaN)) {
      result.dropped.badNumber++;
      continue;
    }
    if ((lat1 === 0 && long1 === 0) || (lat2 === 0 && long2 === 0)) {
      result.dropped.zeroCoordinates++;
      continue;
    }
    const oneHot = codes.map((code) => (code === columns[26] ? 1 : 0));
    result.kept.push({
      id: columns[0],
      label: Math.fround(label),
      features: [articles, lat1, long1, lat2, long2, ...oneHot].map((value) => Math.fround(value)),
    });
  }
  return result;
}
