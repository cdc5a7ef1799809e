/**
 * The error an execution with failed variants ends with: what failed and why, short enough to read in the console,
 * and where the partial report is.
 */
import type { VariantInput } from './variant-input';

export const VARIANTS_FAILED = 'VariantsFailed';

/** Keeps the cause readable in the console; the report has every failure in full. */
export const MAX_CAUSE_LENGTH = 1000;

export type FailedVariant = Pick<VariantInput, 'name' | 'failure'>;

/**
 * "<k> of <n> variants failed: <name>: <error>: <cause>; ... Report: <uri>", the list cut with "and k more" (and
 * an entry cut with "...") where it would pass `maxLength`.
 */
export function variantsFailedCause(
  failed: readonly FailedVariant[],
  total: number,
  reportUri: string,
  maxLength = MAX_CAUSE_LENGTH,
): string {
  const head = `${failed.length} of ${total} variants failed: `;
  const tail = `. Report: ${reportUri}`;
  const entries = failed.map((v) =>
    [v.name, v.failure?.error, v.failure?.cause].filter((part) => part !== undefined && part !== '').join(': '),
  );
  const more = (left: number): string => (left === 0 ? '' : `; and ${left} more`);

  const kept: string[] = [];
  for (const entry of entries) {
    const candidate = [...kept, entry].join('; ');
    if ((head + candidate + more(entries.length - kept.length - 1) + tail).length > maxLength) break;
    kept.push(entry);
  }
  if (kept.length === 0) {
    // Not even the first entry fits: keep as much of it as does.
    const room = maxLength - (head + more(entries.length - 1) + tail).length - 3;
    kept.push(`${entries[0].slice(0, Math.max(0, room))}...`);
  }
  return head + kept.join('; ') + more(entries.length - kept.length) + tail;
}
