/**
 * A self-contained SVG scatter chart: training time (x) against test MSE (y), one labelled point per
 * variant, readable without the table. With three or more variants the Pareto frontier is drawn.
 */
import { formatNumber, Report } from './report';

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
  readonly time: number;
  readonly mse: number;
  readonly x: number;
  readonly y: number;
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

function pointMarks(points: readonly PlotPoint[], frontier: ReadonlySet<string>, showFrontier: boolean): string[] {
  return points.map((p) => {
    const onFrontier = showFrontier && frontier.has(p.name);
    const nearRight = p.x > MARGIN.left + PLOT_WIDTH * 0.75;
    const labelX = nearRight ? p.x - 10 : p.x + 10;
    const label = `${p.name} (${formatNumber(p.time)} s, MSE ${formatNumber(p.mse)})`;
    return (
      `<g class="variant" data-variant="${escapeXml(p.name)}">` +
      `<circle cx="${p.x}" cy="${p.y}" r="6" fill="${onFrontier ? '#d62728' : '#1f77b4'}" stroke="#fff" stroke-width="1.5"/>` +
      `<text x="${labelX}" y="${p.y - 10}" text-anchor="${nearRight ? 'end' : 'start'}">${escapeXml(label)}</text></g>`
    );
  });
}

export function renderSvg(report: Report): string {
  const points = report.variants
    .filter((v) => v.evaluation.mse !== null)
    .map((v) => ({ name: v.name, time: v.training.trainingTimeInSeconds, mse: v.evaluation.mse as number }));
  const unplotted = report.variants.filter((v) => v.evaluation.mse === null).map((v) => v.name);
  const xAxis = niceAxis(Math.min(0, ...points.map((p) => p.time)), Math.max(1, ...points.map((p) => p.time)));
  const yAxis = points.length > 0 ? niceAxis(Math.min(...points.map((p) => p.mse)), Math.max(...points.map((p) => p.mse))) : niceAxis(0, 1);
  const round = (n: number): number => Math.round(n * 10) / 10;
  const toX = (t: number): number => round(MARGIN.left + ((t - xAxis.min) / (xAxis.max - xAxis.min)) * PLOT_WIDTH);
  const toY = (m: number): number => round(MARGIN.top + PLOT_HEIGHT - ((m - yAxis.min) / (yAxis.max - yAxis.min)) * PLOT_HEIGHT);
  const plotted: PlotPoint[] = points.map((p) => ({ ...p, x: toX(p.time), y: toY(p.mse) }));

  const showFrontier = report.variants.length >= 3 && report.paretoFrontier.length > 0;
  const frontierSet = new Set(report.paretoFrontier);
  const frontierPath = showFrontier
    ? report.paretoFrontier.map((name) => plotted.find((p) => p.name === name)).filter((p): p is PlotPoint => p !== undefined)
    : [];
  const bottom = MARGIN.top + PLOT_HEIGHT;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>Training time vs test MSE: ${escapeXml(report.executionName)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text class="chart-title" x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16">Training time vs test MSE (lower-left is better)</text>`,
    ...yAxisMarks(yAxis, toY),
    ...xAxisMarks(xAxis, toX),
    `<line class="axis x-axis" x1="${MARGIN.left}" y1="${bottom}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${bottom}" stroke="#333"/>`,
    `<line class="axis y-axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#333"/>`,
    `<text class="axis-label x-label" x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 16}" text-anchor="middle" font-size="14">Training time (seconds)</text>`,
    `<text class="axis-label y-label" x="20" y="${MARGIN.top + PLOT_HEIGHT / 2}" text-anchor="middle" font-size="14" transform="rotate(-90 20 ${MARGIN.top + PLOT_HEIGHT / 2})">Test MSE</text>`,
    ...(frontierPath.length > 1
      ? [
          `<polyline class="pareto-frontier" points="${frontierPath.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        ]
      : []),
    ...(showFrontier
      ? [
          `<text class="legend" x="${MARGIN.left + PLOT_WIDTH}" y="${MARGIN.top - 8}" text-anchor="end" fill="#d62728">red: Pareto frontier</text>`,
        ]
      : []),
    ...pointMarks(plotted, frontierSet, showFrontier),
    ...(unplotted.length > 0
      ? [
          `<text class="unplotted" x="${MARGIN.left}" y="${MARGIN.top - 8}">Not plotted (no test rows scored): ${escapeXml(unplotted.join(', '))}</text>`,
        ]
      : []),
    '</svg>',
    '',
  ].join('\n');
}
