/** Pareto frontiers: the variants no other variant beats on both axes at once (lower is better on both). */

export interface FrontierPoint {
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

/** Names of the points no other point dominates (x and y lower or equal, one strictly), lowest x first. */
export function paretoFrontier(points: readonly FrontierPoint[]): string[] {
  const dominated = (p: FrontierPoint): boolean => points.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y));
  return points
    .filter((p) => !dominated(p))
    .sort((a, b) => a.x - b.x || a.y - b.y)
    .map((p) => p.name);
}
