/**
 * The `sweep` setting: a grid of per-variant values expanded into one variant per combination, each with a name
 * generated from the values it differs by (e.g. `sh-i5-e4`).
 *
 * Why the names are unique within a grid: a name has one segment per key that takes more than one value, in the
 * grid's key order; each segment has a fixed number of hyphens (instance types one, everything else none), so a
 * name splits back into its segments; and within one key, distinct values get distinct segments (an abbreviation
 * is used only when it keeps the key's values apart, else the full value or the value's position). So two
 * combinations that differ in any value differ in that value's segment.
 */
import type { Hyperparameters, TrainDistribution, VariantSettings } from './settings';
import { Problems, describe, isObject } from './setting-rules';

/** Grid keys a variant sets directly; hyperparameters are swept as `hyperparameters.<name>`. */
export const SWEEP_VARIANT_KEYS = ['trainDistribution', 'instanceCount', 'instanceType'] as const;
const HYPERPARAMETER_KEY = /^hyperparameters\.(.+)$/;

export type SweepValue = string | number;
export type Sweep = Readonly<Record<string, readonly SweepValue[]>>;

/** Checks one grid value of a key (the variant's own rule for it), each problem naming `path`. */
export type SweepValueProblems = (key: string, value: unknown, path: string) => string[];

const DISTRIBUTION_SEGMENTS: Readonly<Record<TrainDistribution, string>> = { FullyReplicated: 'rep', ShardedByS3Key: 'sh' };

/** Every problem with a sweep: its shape, its keys, and each value under the rule of the key it sweeps. */
export function sweepProblems(valueProblems: SweepValueProblems): Problems {
  return (value, path) => {
    if (!isObject(value)) return [`${path}: ${describe(value)} must be an object of variant keys to lists of values`];
    return Object.entries(value).flatMap(([key, values]) => {
      const keyPath = `${path}.${key}`;
      if (!(SWEEP_VARIANT_KEYS as readonly string[]).includes(key) && !HYPERPARAMETER_KEY.test(key)) {
        return [`${keyPath}: cannot be swept; a sweep takes ${SWEEP_VARIANT_KEYS.join(', ')} and hyperparameters.<name>`];
      }
      if (!Array.isArray(values) || values.length === 0) return [`${keyPath}: ${describe(values)} must be a non-empty list of values`];
      const shown = values.map((entry) => describe(entry));
      if (new Set(shown).size !== shown.length) return [`${keyPath}: ${describe(values)} must not repeat a value`];
      return values.flatMap((entry, i) => valueProblems(key, entry, `${keyPath}[${i}]`));
    });
  };
}

/** `mini_batch_size` -> `mbs`, `epochs` -> `e`: short and recognisable. */
const hyperparameterInitials = (name: string): string =>
  name
    .split('_')
    .filter((part) => part.length > 0)
    .map((part) => part[0].toLowerCase())
    .join('');

/** `0.01` -> `0p01`, `-1` -> `m1`, `auto` -> `auto`: lowercase letters and digits only. */
const valueToken = (value: SweepValue): string =>
  String(value)
    .toLowerCase()
    .replace(/\./g, 'p')
    .replace(/-/g, 'm')
    .replace(/[^a-z0-9]/g, '');

/** `ml.c5.2xlarge` -> `c5-2xl`, `ml.m4.large` -> `m4-l`; family and size keep their hyphen. */
function instanceTypeToken(type: string, abbreviate: boolean): string {
  const [family, size] = type.replace(/^ml\./, '').split('.');
  const shortSize = abbreviate ? size.replace(/xlarge$/, 'xl').replace(/^large$/, 'l') : size;
  return `${family}-${shortSize}`;
}

const distinct = (tokens: readonly string[]): boolean => tokens.every((token) => token !== '') && new Set(tokens).size === tokens.length;

/** One segment per value of a key, distinct across the key's values. */
function segments(key: string, values: readonly SweepValue[]): string[] {
  if (key === 'trainDistribution') return values.map((value) => DISTRIBUTION_SEGMENTS[value as TrainDistribution]);
  if (key === 'instanceCount') return values.map((value) => `i${value}`);
  if (key === 'instanceType') {
    const short = values.map((value) => instanceTypeToken(String(value), true));
    return distinct(short) ? short : values.map((value) => instanceTypeToken(String(value), false));
  }
  const prefix = hyperparameterInitials(key.replace(HYPERPARAMETER_KEY, '$1'));
  const tokens = values.map(valueToken);
  // Values that read alike once reduced to letters and digits (e.g. "0.1" and "0p1") are told apart by position.
  return distinct(tokens) ? tokens.map((token) => `${prefix}${token}`) : values.map((_, i) => `${prefix}v${i + 1}`);
}

/** The name of a grid whose keys each have one value: nothing tells its single variant apart. */
export const SINGLE_COMBINATION_NAME = 'sweep';

/**
 * Every combination of a valid sweep, in the grid's key order (the last key varies fastest), each a variant named by
 * the values it differs by. An empty sweep gives no variants.
 */
export function expandSweep(sweep: Sweep): VariantSettings[] {
  const keys = Object.keys(sweep);
  if (keys.length === 0) return [];
  const keySegments = keys.map((key) => segments(key, sweep[key]));
  let combinations: number[][] = [[]];
  for (const values of keys.map((key) => sweep[key])) {
    combinations = combinations.flatMap((combination) => values.map((_, i) => [...combination, i]));
  }
  return combinations.map((combination) => {
    const nameParts = keys.flatMap((key, k) => (sweep[key].length > 1 ? [keySegments[k][combination[k]]] : []));
    const hyperparameters: Record<string, string> = {};
    const variant: Record<string, unknown> = { name: nameParts.join('-') || SINGLE_COMBINATION_NAME, trainDistribution: 'FullyReplicated' };
    keys.forEach((key, k) => {
      const value = sweep[key][combination[k]];
      const hyperparameter = HYPERPARAMETER_KEY.exec(key);
      if (hyperparameter) hyperparameters[hyperparameter[1]] = String(value);
      else variant[key] = value;
    });
    if (Object.keys(hyperparameters).length > 0) variant.hyperparameters = hyperparameters satisfies Hyperparameters;
    return variant as unknown as VariantSettings;
  });
}
