/**
 * Renders the report for people: the verdict, the charts, an overview row per variant (failed ones with their
 * reason), one table per variant, and how the numbers are worked out.
 */
import type { CostEstimate } from './cost';
import { formatBytePair, formatNumber, formatUsd } from './format';
import type { Report, VariantReport } from './report';

/** Table cells must not break the table: pipes are escaped and line breaks flattened. */
function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const metric = (value: number | null | undefined): string => (value === null || value === undefined ? 'n/a' : formatNumber(value));

function statusText(v: VariantReport): string {
  return v.failure ? `failed: ${v.failure.error}: ${v.failure.cause}` : v.status;
}

/** "on-demand" for on-demand variants, the share not billed (e.g. "62.5%") for spot ones. */
function spotText(v: VariantReport): string {
  if (!v.spot) return 'on-demand';
  return v.spotSaving === null || v.spotSaving === undefined ? 'n/a' : `${formatNumber(v.spotSaving * 100, 3)}%`;
}

function interruptionsText(v: VariantReport): string {
  if (!v.spot) return '-';
  return v.spotInterruptions === null || v.spotInterruptions === undefined ? 'n/a' : String(v.spotInterruptions);
}

/** "1.00 (12.1 / 12.0 MB)": busiest / least busy instance, and their bytes. */
function shardBalanceText(v: VariantReport): string {
  const balance = v.shardBalance;
  if (balance === null) return 'n/a';
  const ratio = balance.ratio === null ? 'n/a' : balance.ratio.toFixed(2);
  return `${ratio} (${formatBytePair(balance.largestBytes, balance.smallestBytes)})`;
}

function lifetimeText(v: VariantReport): string {
  if (v.endpointLifetimeSeconds !== null) return `${formatNumber(v.endpointLifetimeSeconds)} s`;
  return v.hosting ? 'kept' : 'none';
}

const OVERVIEW_HEADER = [
  'Variant',
  'Status',
  'Distribution',
  'Instances',
  'Input mode',
  'Spot saving',
  'Interruptions',
  'Shard balance',
  'Training time',
  'Endpoint lifetime',
  'Test MSE',
  'Test MAE',
  'Est. cost',
  'Pareto (time)',
  'Pareto (cost)',
];

function overviewRow(v: VariantReport): string[] {
  const scored = v.status === 'succeeded';
  return [
    v.name,
    statusText(v),
    v.trainDistribution,
    `${v.instanceCount} x ${v.instanceType}`,
    v.inputMode,
    spotText(v),
    interruptionsText(v),
    shardBalanceText(v),
    v.training ? `${formatNumber(v.training.trainingTimeInSeconds)} s` : 'n/a',
    lifetimeText(v),
    metric(v.testMse),
    scored ? metric(v.evaluation?.mae) : 'n/a',
    formatUsd(v.cost.totalUsd),
    scored ? (v.onParetoFrontier ? 'yes' : 'no') : '-',
    scored ? (v.onCostFrontier ? 'yes' : 'no') : '-',
  ];
}

function costText(cost: CostEstimate | null): string {
  if (cost === null) return 'n/a (not known)';
  const usage = `${formatNumber(cost.instanceSeconds, 6)} instance-s`;
  if (cost.usd === null) return `n/a (${usage}; ${cost.note ?? 'no price'})`;
  return `${formatUsd(cost.usd)} (${usage} at $${cost.pricePerHour}/h)`;
}

function shardRows(v: VariantReport): string[][] {
  const balance = v.shardBalance;
  if (balance === null) return [];
  const how = balance.estimated
    ? `estimated, ${balance.objects} objects over ${balance.instances} instances`
    : 'every instance reads every object';
  return [
    ['Shard balance (largest / smallest)', shardBalanceText(v)],
    ['Bytes per instance', `${balance.largestBytes} largest, ${balance.smallestBytes} smallest (${how})`],
  ];
}

function trainingRows(v: VariantReport): string[][] {
  const { training } = v;
  if (!training) return [['Training', 'not described']];
  return [
    ['TrainingTimeInSeconds', String(training.trainingTimeInSeconds)],
    ['BillableTimeInSeconds (per instance)', String(training.billableTimeInSeconds)],
    ['Spot interruptions', interruptionsText(v)],
    ...Object.entries(training.finalMetrics)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => [`Final metric ${name}`, formatNumber(value, 6)]),
  ];
}

function hostingRows(v: VariantReport): string[][] {
  const { hosting, evaluation, cost } = v;
  return [
    ...(evaluation
      ? [
          ['Test rows scored', String(evaluation.rowsScored)],
          ['Test MSE', metric(evaluation.mse)],
          ['Test MAE', metric(evaluation.mae)],
        ]
      : []),
    ...(hosting && cost.hosting
      ? [
          ['Endpoint', `${v.endpointName} (${cost.hosting.instanceCount} x ${cost.hosting.instanceType})`],
          ['Endpoint created', hosting.createdAt],
          ['Endpoint deleted', hosting.deletedAt ?? 'kept (still running)'],
          ['Endpoint lifetime', lifetimeText(v)],
        ]
      : [['Endpoint', 'not created']]),
  ];
}

function variantTable(v: VariantReport): string {
  const { cost } = v;
  const rows: string[][] = [
    ['Status', statusText(v)],
    ['Train distribution', v.trainDistribution],
    ['Input mode', v.inputMode],
    ['Spot saving', spotText(v)],
    ['Training job', v.jobName],
    ['Training instances', `${v.instanceCount} x ${v.instanceType}`],
    ...Object.entries(v.hyperparameters)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => [`Hyperparameter ${name}`, String(value)]),
    ...shardRows(v),
    ...trainingRows(v),
    ...hostingRows(v),
    ['Training cost (est.)', costText(cost.training)],
    ...(cost.hosting ? [['Hosting cost (est.)', costText(cost.hosting) + (cost.hosting.stillRunning ? ' (still running)' : '')]] : []),
    ['Total cost (est.)', formatUsd(cost.totalUsd)],
  ];
  return `### ${v.name}\n\n${table(['Item', 'Value'], rows)}`;
}

/** File names of the charts, relative to report.md. */
export interface ChartFiles {
  readonly time: string;
  readonly cost: string;
}

function frontierLines(report: Report): string[] {
  const scored = report.variants.filter((v) => v.status === 'succeeded' && v.testMse !== null).length;
  if (scored < 3) return [];
  return [
    ...(report.paretoFrontier.length > 0
      ? [`Pareto frontier (training time vs test MSE), fastest first: ${report.paretoFrontier.join(', ')}.`, '']
      : []),
    ...(report.costFrontier.length > 0
      ? [`Pareto frontier (estimated cost vs test MSE), cheapest first: ${report.costFrontier.join(', ')}.`, '']
      : []),
  ];
}

export function renderMarkdown(report: Report, charts: ChartFiles = { time: 'report.svg', cost: 'report-cost.svg' }): string {
  const prices = Object.entries(report.prices.perHour).map(([type, price]) => [type, `$${price}`]);
  return [
    `# Distributed training experiment: ${report.executionName}`,
    '',
    `Generated ${report.generatedAt}.`,
    '',
    `**Verdict.** ${report.verdict}`,
    '',
    ...frontierLines(report),
    ...(report.warnings.length > 0 ? ['## Warnings', '', ...report.warnings.map((warning) => `- ${warning}`), ''] : []),
    '## Overview',
    '',
    table(OVERVIEW_HEADER, report.variants.map(overviewRow)),
    '',
    '## Charts',
    '',
    `![Training time vs test MSE](${charts.time})`,
    '',
    `![Estimated cost vs test MSE](${charts.cost})`,
    '',
    '## Variants',
    '',
    report.variants.map(variantTable).join('\n\n'),
    '',
    '## How the numbers are worked out',
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
    `Prices: ${report.prices.source}`,
    '',
    table(['Instance type', 'USD per hour'], prices),
    '',
  ].join('\n');
}
