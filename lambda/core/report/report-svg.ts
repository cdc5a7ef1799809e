/**
 * Self-contained SVG scatter charts, readable without the table: test MSE (y) against training time, and against
 * estimated cost (x), one labelled point per succeeded variant. With three or more points the Pareto frontier is
 * drawn and labelled; failed variants and the ones without a value are named instead of plotted.
 */
import { formatNumber, formatUsd } from './format';
import type { Report, VariantReport } from './report';

const WIDTH = 720;
const HEIGHT = 480;
const MARGIN = { top: 48, right: 40, bottom: 64, left: 88 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** A 1-2-5 tick step giving about `target` intervals, and a domain widened to whole steps. */
export function niceAxis(low: number, high: number, target = 5): Axis {
  let min = low;
  let max = high;
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  } else {
    const pad = (max - min) * 0.1;
    min -= pad;
    max += pad;
  }
  if (low >= 0 && min < 0) min = 0;
  const rough = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Ticks from integer multiples, so repeated addition does not accumulate float error.
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks };
}

interface PlotPoint {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

interface ScatterChart {
  readonly kind: string;
  readonly title: string;
  readonly xLabel: string;
  readonly formatX: (x: number) => string;
  readonly points: readonly { readonly name: string; readonly x: number; readonly y: number }[];
  /** The frontier's names in x order. */
  readonly frontier: readonly string[];
  readonly frontierLabel: string;
  /** Variants not plotted, each with why: "failed", "no test rows scored", ... */
  readonly unplotted: readonly { readonly name: string; readonly reason: string }[];
}

function xAxisMarks(axis: Axis, toX: (t: number) => number): string[] {
  const y = MARGIN.top + PLOT_HEIGHT;
  return axis.ticks.map(
    (t) =>
      `<g class="tick x-tick"><line x1="${toX(t)}" y1="${y}" x2="${toX(t)}" y2="${y + 6}" stroke="#333"/>` +
      `<text x="${toX(t)}" y="${y + 22}" text-anchor="middle">${formatNumber(t, 6)}</text></g>`,
  );
}

function yAxisMarks(axis: Axis, toY: (m: number) => number): string[] {
  const x = MARGIN.left;
  return axis.ticks.map(
    (m) =>
      `<g class="tick y-tick"><line x1="${x - 6}" y1="${toY(m)}" x2="${x}" y2="${toY(m)}" stroke="#333"/>` +
      `<line x1="${x}" y1="${toY(m)}" x2="${x + PLOT_WIDTH}" y2="${toY(m)}" stroke="#eee"/>` +
      `<text x="${x - 10}" y="${toY(m) + 4}" text-anchor="end">${formatNumber(m, 6)}</text></g>`,
  );
}

function pointMarks(points: readonly PlotPoint[], frontier: ReadonlySet<string>): string[] {
  return points.map((p) => {
    const onFrontier = frontier.has(p.name);
    const nearRight = p.x > MARGIN.left + PLOT_WIDTH * 0.75;
    const labelX = nearRight ? p.x - 10 : p.x + 10;
    return (
      `<g class="variant" data-variant="${escapeXml(p.name)}">` +
      `<circle cx="${p.x}" cy="${p.y}" r="6" fill="${onFrontier ? '#d62728' : '#1f77b4'}" stroke="#fff" stroke-width="1.5"/>` +
      `<text x="${labelX}" y="${p.y - 10}" text-anchor="${nearRight ? 'end' : 'start'}">${escapeXml(p.label)}</text></g>`
    );
  });
}

/** The frontier as a dashed line through its points, with its name beside the legend. */
function frontierMarks(chart: ScatterChart, plotted: readonly PlotPoint[]): string[] {
  if (chart.points.length < 3 || chart.frontier.length === 0) return [];
  const path = chart.frontier.map((name) => plotted.find((p) => p.name === name)).filter((p): p is PlotPoint => p !== undefined);
  return [
    ...(path.length > 1
      ? [
          `<polyline class="pareto-frontier" points="${path.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        ]
      : []),
    `<text class="legend" x="${MARGIN.left + PLOT_WIDTH}" y="${MARGIN.top - 8}" text-anchor="end" fill="#d62728">${escapeXml(chart.frontierLabel)}</text>`,
  ];
}

function unplottedText(unplotted: ScatterChart['unplotted']): string[] {
  if (unplotted.length === 0) return [];
  const reasons = [...new Set(unplotted.map((u) => u.reason))];
  const text = reasons
    .map(
      (reason) =>
        `${reason}: ${unplotted
          .filter((u) => u.reason === reason)
          .map((u) => u.name)
          .join(', ')}`,
    )
    .join('; ');
  return [`<text class="unplotted" x="${MARGIN.left}" y="${MARGIN.top - 8}">Not plotted (${escapeXml(text)})</text>`];
}

function renderScatter(chart: ScatterChart, executionName: string): string {
  const { points } = chart;
  const xAxis = niceAxis(Math.min(0, ...points.map((p) => p.x)), Math.max(chart.kind === 'cost' ? 0.01 : 1, ...points.map((p) => p.x)));
  const yAxis = points.length > 0 ? niceAxis(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y))) : niceAxis(0, 1);
  const round = (n: number): number => Math.round(n * 10) / 10;
  const toX = (t: number): number => round(MARGIN.left + ((t - xAxis.min) / (xAxis.max - xAxis.min)) * PLOT_WIDTH);
  const toY = (m: number): number => round(MARGIN.top + PLOT_HEIGHT - ((m - yAxis.min) / (yAxis.max - yAxis.min)) * PLOT_HEIGHT);
  const plotted: PlotPoint[] = points.map((p) => ({
    name: p.name,
    x: toX(p.x),
    y: toY(p.y),
    label: `${p.name} (${chart.formatX(p.x)}, MSE ${formatNumber(p.y)})`,
  }));
  const frontier = new Set(chart.points.length >= 3 ? chart.frontier : []);
  const bottom = MARGIN.top + PLOT_HEIGHT;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-${chart.kind}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}: ${escapeXml(executionName)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text class="chart-title" x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(chart.title)} (lower-left is better)</text>`,
    ...yAxisMarks(yAxis, toY),
    ...xAxisMarks(xAxis, toX),
    `<line class="axis x-axis" x1="${MARGIN.left}" y1="${bottom}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${bottom}" stroke="#333"/>`,
    `<line class="axis y-axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#333"/>`,
    `<text class="axis-label x-label" x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 16}" text-anchor="middle" font-size="14">${escapeXml(chart.xLabel)}</text>`,
    `<text class="axis-label y-label" x="20" y="${MARGIN.top + PLOT_HEIGHT / 2}" text-anchor="middle" font-size="14" transform="rotate(-90 20 ${MARGIN.top + PLOT_HEIGHT / 2})">Test MSE</text>`,
    ...frontierMarks(chart, plotted),
    ...pointMarks(plotted, frontier),
    ...unplottedText(chart.unplotted),
    '</svg>',
    '',
  ].join('\n');
}

/** Why a variant has no point on a chart, or undefined when it has one. */
function missingReason(v: VariantReport, x: number | null, noX: string): string | undefined {
  if (v.status === 'failed') return 'failed';
  if (v.testMse === null) return 'no test rows scored';
  return x === null ? noX : undefined;
}

function chartOf(
  report: Report,
  spec: Omit<ScatterChart, 'points' | 'unplotted'>,
  xOf: (v: VariantReport) => number | null,
  noX: string,
): ScatterChart {
  const points: ScatterChart['points'][number][] = [];
  const unplotted: ScatterChart['unplotted'][number][] = [];
  for (const v of report.variants) {
    const x = v.status === 'succeeded' ? xOf(v) : null;
    const reason = missingReason(v, x, noX);
    if (reason === undefined) points.push({ name: v.name, x: x!, y: v.testMse! });
    else unplotted.push({ name: v.name, reason });
  }
  return { ...spec, points, unplotted };
}

/** Training time (x) against test MSE (y). */
export function renderTimeChart(report: Report): string {
  const chart = chartOf(
    report,
    {
      kind: 'time',
      title: 'Training time vs test MSE',
      xLabel: 'Training time (seconds)',
      formatX: (x) => `${formatNumber(x)} s`,
      frontier: report.paretoFrontier,
      frontierLabel: 'red: time/MSE Pareto frontier',
    },
    (v) => v.training?.trainingTimeInSeconds ?? null,
    'no training time',
  );
  return renderScatter(chart, report.executionName);
}

/** Estimated cost, training plus hosting (x), against test MSE (y). */
export function renderCostChart(report: Report): string {
  const chart = chartOf(
    report,
    {
      kind: 'cost',
      title: 'Estimated cost vs test MSE',
      xLabel: 'Estimated cost, training + hosting (USD)',
      formatX: formatUsd,
      frontier: report.costFrontier,
      frontierLabel: 'red: cost/MSE Pareto frontier',
    },
    (v) => v.cost.totalUsd,
    'no price',
  );
  return renderScatter(chart, report.executionName);
}
