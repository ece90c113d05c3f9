// Geometry of the small chart of a metric's values over time: pure arithmetic, so the SVG
// component only draws what this returns.
import type { MeasurementView } from './analysis-runs.ts';

export interface ChartPoint {
  x: number;
  y: number;
  value: number;
  at: number;
  phase?: string;
}

export interface ChartGeometry {
  points: ChartPoint[];
  min: number;
  max: number;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Space kept free on every side, so point markers are not clipped. */
  pad: number;
}

/**
 * Points for the measurements that have a time and a number, oldest first; a measurement whose
 * value is a list (a Prometheus vector) is plotted by its first number, which is what
 * `result[0]` conditions read. x is proportional to time, y to value with the largest value at
 * the top. A single point, or a flat series, is drawn in the middle. Undefined when nothing can
 * be plotted.
 *
 * Example: values 1 and 3 at t=0 and t=10 in a 100×50 box with pad 5 give points (5,45), (95,5).
 */
export function chartGeometry(
  measurements: readonly MeasurementView[],
  box: ChartBox,
): ChartGeometry | undefined {
  const samples = measurements
    .filter((m) => m.at !== undefined && m.numbers.length > 0)
    .map((m) => ({ at: m.at as number, value: m.numbers[0] as number, phase: m.phase }))
    .sort((a, b) => a.at - b.at);
  if (samples.length === 0) return undefined;
  const values = samples.map((s) => s.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const times = samples.map((s) => s.at);
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  const innerW = box.width - 2 * box.pad;
  const innerH = box.height - 2 * box.pad;
  const points = samples.map((s): ChartPoint => {
    const x = box.pad + (span === 0 ? innerW / 2 : ((s.at - first) / span) * innerW);
    const y = box.pad + (max === min ? innerH / 2 : ((max - s.value) / (max - min)) * innerH);
    const point: ChartPoint = { x: round(x), y: round(y), value: s.value, at: s.at };
    if (s.phase !== undefined) point.phase = s.phase;
    return point;
  });
  return { points, min, max };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
