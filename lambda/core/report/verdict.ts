/**
 * The report's verdict, in a few factual sentences over the variants that succeeded: which trained fastest and by
 * what ratio, which is most accurate and by how much, then one sentence per axis that varies across them (best
 * test MSE, fastest and cheapest per value), then how many variants failed. Deterministic for the same input.
 */
import { formatNumber, formatRatio, formatUsd } from './format';
import type { VariantReport } from './report';

type Succeeded = VariantReport & { readonly training: NonNullable<VariantReport['training']> };

const seconds = (v: Succeeded): string => `${formatNumber(v.training.trainingTimeInSeconds)} s`;

/** Fastest vs slowest, then most vs least accurate. */
function headline(variants: readonly Succeeded[]): string {
  const byTime = [...variants].sort((a, b) => a.training.trainingTimeInSeconds - b.training.trainingTimeInSeconds);
  const fastest = byTime[0];
  const slowest = byTime[byTime.length - 1];
  if (variants.length === 1) {
    const mse = fastest.testMse;
    return `${fastest.name} trained in ${seconds(fastest)}${mse === null ? ' and scored no test rows.' : ` with test MSE ${formatNumber(mse)}.`}`;
  }
  const others = variants.length === 2 ? slowest.name : `the slowest, ${slowest.name}`;
  const speed =
    fastest.training.trainingTimeInSeconds === slowest.training.trainingTimeInSeconds
      ? `All variants trained in the same time (${seconds(fastest)}).`
      : `${fastest.name} trained ${formatRatio(slowest.training.trainingTimeInSeconds, fastest.training.trainingTimeInSeconds)} faster than ${others} (${seconds(fastest)} vs ${seconds(slowest)}).`;

  const byMse = variants.filter((v) => v.testMse !== null).sort((a, b) => a.testMse! - b.testMse!);
  if (byMse.length < 2) return `${speed} Accuracy cannot be compared: fewer than two variants scored test rows.`;
  const best = byMse[0];
  const worst = byMse[byMse.length - 1];
  if (best.testMse === worst.testMse) return `${speed} All variants have the same test MSE (${formatNumber(best.testMse!)}).`;
  const lower = ((worst.testMse! - best.testMse!) / worst.testMse!) * 100;
  const than = byMse.length === 2 ? worst.name : `the least accurate, ${worst.name}`;
  return `${speed} ${best.name} is more accurate: test MSE ${formatNumber(best.testMse!)} vs ${formatNumber(worst.testMse!)} for ${than} (${formatNumber(lower, 3)}% lower).`;
}

interface Axis {
  readonly name: string;
  readonly valueOf: (v: Succeeded) => string;
  /** Numbers compare as numbers, so 10 instances come after 2. */
  readonly numeric: boolean;
}

function hyperparameterAxes(variants: readonly Succeeded[]): Axis[] {
  const names = [...new Set(variants.flatMap((v) => Object.keys(v.hyperparameters)))].sort();
  return names.map((name) => {
    const valueOf = (v: Succeeded): string => (name in v.hyperparameters ? String(v.hyperparameters[name]) : 'default');
    return { name: `hyperparameters.${name}`, valueOf, numeric: variants.every((v) => Number.isFinite(Number(valueOf(v)))) };
  });
}

/** The sweep's axes, named as a sweep names them. */
function axes(variants: readonly Succeeded[]): Axis[] {
  return [
    { name: 'trainDistribution', valueOf: (v) => v.trainDistribution, numeric: false },
    { name: 'instanceCount', valueOf: (v) => String(v.instanceCount), numeric: true },
    { name: 'instanceType', valueOf: (v) => v.instanceType, numeric: false },
    { name: 'inputMode', valueOf: (v) => v.inputMode, numeric: false },
    { name: 'spot', valueOf: (v) => (v.spot ? 'spot' : 'on-demand'), numeric: false },
    ...hyperparameterAxes(variants),
  ];
}

interface Measure {
  readonly label: string;
  readonly of: (v: Succeeded) => number | null;
  readonly format: (value: number) => string;
}

const MEASURES: readonly Measure[] = [
  { label: 'best test MSE', of: (v) => v.testMse, format: (value) => formatNumber(value) },
  { label: 'fastest', of: (v) => v.training.trainingTimeInSeconds, format: (value) => `${formatNumber(value)} s` },
  { label: 'cheapest', of: (v) => v.cost.totalUsd, format: formatUsd },
];

/** "best test MSE 1.1 with 5 vs 1.2 with 2": each value's best, best first; absent when fewer than two values have one. */
function measureClause(measure: Measure, groups: ReadonlyMap<string, readonly Succeeded[]>, order: readonly string[]): string | undefined {
  const bests = order
    .map((value) => {
      const measured = groups
        .get(value)!
        .map(measure.of)
        .filter((m): m is number => m !== null);
      return { value, best: measured.length > 0 ? Math.min(...measured) : null };
    })
    .filter((entry): entry is { value: string; best: number } => entry.best !== null)
    .sort((a, b) => a.best - b.best || order.indexOf(a.value) - order.indexOf(b.value));
  if (bests.length < 2) return undefined;
  return `${measure.label} ${bests.map((entry) => `${measure.format(entry.best)} with ${entry.value}`).join(' vs ')}`;
}

/** One sentence per axis whose value differs between the variants. */
function axisSentences(variants: readonly Succeeded[]): string[] {
  return axes(variants).flatMap((axis) => {
    const groups = new Map<string, Succeeded[]>();
    for (const v of variants) groups.set(axis.valueOf(v), [...(groups.get(axis.valueOf(v)) ?? []), v]);
    if (groups.size < 2) return [];
    const order = [...groups.keys()].sort((a, b) => (axis.numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
    const clauses = MEASURES.map((measure) => measureClause(measure, groups, order)).filter((c): c is string => c !== undefined);
    return clauses.length === 0 ? [] : [`By ${axis.name}: ${clauses.join('; ')}.`];
  });
}

function failedSentence(variants: readonly VariantReport[]): string | undefined {
  const failed = variants.filter((v) => v.status === 'failed');
  if (failed.length === 0) return undefined;
  const names = failed.map((v) => `${v.name} (${v.failure?.error ?? 'failed'})`).join(', ');
  return `${failed.length} of ${variants.length} variants failed and are left out of the comparisons: ${names}.`;
}

export function verdictText(variants: readonly VariantReport[]): string {
  const succeeded = variants.filter((v): v is Succeeded => v.status === 'succeeded' && v.training !== undefined);
  const sentences = succeeded.length === 0 ? ['No variant succeeded.'] : [headline(succeeded), ...axisSentences(succeeded)];
  const failed = failedSentence(variants);
  return [...sentences, ...(failed ? [failed] : [])].join(' ');
}
