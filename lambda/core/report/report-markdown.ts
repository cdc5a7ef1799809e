/** Renders the report for people: the verdict, an overview, one table per variant, how costs were worked out. */
import { formatNumber, formatUsd, Report, VariantReport } from './report';

/** Table cells must not break the table: pipes are escaped and line breaks flattened. */
function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const metric = (value: number | null): string => (value === null ? 'n/a' : formatNumber(value));

/** "on-demand" for on-demand variants, the share not billed (e.g. "62.5%") for spot ones. */
function spotText(v: VariantReport): string {
  if (!v.spot) return 'on-demand';
  return v.spotSaving === null || v.spotSaving === undefined ? 'n/a' : `${formatNumber(v.spotSaving * 100, 3)}%`;
}

function overviewRow(v: VariantReport): string[] {
  return [
    v.name,
    v.trainDistribution,
    v.inputMode,
    spotText(v),
    `${formatNumber(v.training.trainingTimeInSeconds)} s`,
    metric(v.evaluation.mse),
    metric(v.evaluation.mae),
    formatUsd(v.cost.totalUsd),
    v.onParetoFrontier ? 'yes' : 'no',
  ];
}

function variantTable(v: VariantReport): string {
  const { training, evaluation, cost } = v;
  const rows: string[][] = [
    ['Train distribution', v.trainDistribution],
    ['Input mode', v.inputMode],
    ['Spot saving', spotText(v)],
    ['Training job', v.jobName],
    ['Training instances', `${training.instanceCount} x ${training.instanceType}`],
    ['TrainingTimeInSeconds', String(training.trainingTimeInSeconds)],
    ['BillableTimeInSeconds (per instance)', String(training.billableTimeInSeconds)],
    ...Object.entries(training.finalMetrics)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => [`Final metric ${name}`, formatNumber(value, 6)]),
    ['Test rows scored', String(evaluation.rowsScored)],
    ['Test MSE', metric(evaluation.mse)],
    ['Test MAE', metric(evaluation.mae)],
    ['Endpoint', `${v.endpointName} (${cost.hosting.instanceCount} x ${cost.hosting.instanceType})`],
    ['Endpoint created', v.hosting.createdAt],
    ['Endpoint deleted', v.hosting.deletedAt ?? 'kept (still running)'],
    ['Training cost (est.)', costText(cost.training)],
    ['Hosting cost (est.)', costText(cost.hosting) + (cost.hosting.stillRunning ? ' (still running)' : '')],
    ['Total cost (est.)', formatUsd(cost.totalUsd)],
  ];
  return `### ${v.name}\n\n${table(['Item', 'Value'], rows)}`;
}

function costText(cost: VariantReport['cost']['training']): string {
  const usage = `${formatNumber(cost.instanceSeconds, 6)} instance-s`;
  if (cost.usd === null) return `n/a (${usage}; ${cost.note ?? 'no price'})`;
  return `${formatUsd(cost.usd)} (${usage} at $${cost.pricePerHour}/h)`;
}

export function renderMarkdown(report: Report): string {
  const frontier =
    report.variants.length >= 3 && report.paretoFrontier.length > 0
      ? [`Pareto frontier (training time vs test MSE), fastest first: ${report.paretoFrontier.join(', ')}.`, '']
      : [];
  const prices = Object.entries(report.prices.perHour).map(([type, price]) => [type, `$${price}`]);
  return [
    `# Distributed training experiment: ${report.executionName}`,
    '',
    `Generated ${report.generatedAt}.`,
    '',
    `**Verdict.** ${report.verdict}`,
    '',
    ...frontier,
    ...(report.warnings.length > 0 ? ['## Warnings', '', ...report.warnings.map((warning) => `- ${warning}`), ''] : []),
    '## Overview',
    '',
    table(
      ['Variant', 'Distribution', 'Input mode', 'Spot saving', 'Training time', 'Test MSE', 'Test MAE', 'Est. cost', 'Pareto'],
      report.variants.map(overviewRow),
    ),
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
