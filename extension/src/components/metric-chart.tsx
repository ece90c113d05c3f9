// A metric's numeric values over time as a few lines of SVG: a polyline and one marker per
// measurement, red for failed ones. No chart library.
import moment from 'moment';
import * as React from 'react';
import type { MeasurementView } from '../model/analysis-runs.ts';
import { chartGeometry } from '../model/chart.ts';

const BOX = { width: 240, height: 60, pad: 6 };
const PHASE_COLOURS: Record<string, string> = {
  Failed: '#e96d76',
  Error: '#e96d76',
  Inconclusive: '#e9a320',
};

export function MetricChart({ metric, measurements }: { metric: string; measurements: MeasurementView[] }) {
  const chart = chartGeometry(measurements, BOX);
  if (chart === undefined || chart.points.length < 2) return null;
  const label = `Values of ${metric} over time, from ${chart.min} to ${chart.max}`;
  return (
    <svg
      role="img"
      aria-label={label}
      width={BOX.width}
      height={BOX.height}
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      style={{ display: 'block', margin: '4px 0' }}
    >
      <title>{label}</title>
      <rect x={0} y={0} width={BOX.width} height={BOX.height} fill="none" stroke="rgba(128,128,128,0.35)" />
      <polyline
        points={chart.points.map((p) => `${p.x},${p.y}`).join(' ')}
        fill="none"
        stroke="#2b7ac0"
        strokeWidth={1.5}
      />
      {chart.points.map((p, i) => (
        // Two measurements may share a time: the index keeps keys unique.
        <circle key={i} cx={p.x} cy={p.y} r={3} fill={PHASE_COLOURS[p.phase ?? ''] ?? '#18be94'}>
          <title>{`${p.value} at ${moment(p.at).utc().format('HH:mm:ss')} UTC${p.phase === undefined ? '' : ` (${p.phase})`}`}</title>
        </circle>
      ))}
    </svg>
  );
}
