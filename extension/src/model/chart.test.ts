import type { MeasurementView } from './analysis-runs.ts';
import { chartGeometry } from './chart.ts';

const box = { width: 100, height: 50, pad: 5 };

function m(at: number | undefined, numbers: number[], phase = 'Successful'): MeasurementView {
  const view: MeasurementView = { numbers, phase };
  if (at !== undefined) view.at = at;
  return view;
}

test.each([
  {
    name: 'two points span the box, larger value on top',
    ms: [m(0, [1]), m(10, [3])],
    want: [
      [5, 45],
      [95, 5],
    ],
  },
  {
    name: 'sorted by time, x proportional to time',
    ms: [m(10, [2]), m(0, [0]), m(5, [4], 'Failed')],
    want: [
      [5, 45],
      [50, 5],
      [95, 25],
    ],
  },
  { name: 'a single point sits in the middle', ms: [m(7, [0.5])], want: [[50, 25]] },
  {
    name: 'a flat series is drawn at mid height',
    ms: [m(0, [1]), m(10, [1])],
    want: [
      [5, 25],
      [95, 25],
    ],
  },
  {
    name: 'vectors are plotted by their first number; untimed or valueless are skipped',
    ms: [m(0, [1, 99]), m(undefined, [5]), m(5, []), m(10, [2])],
    want: [
      [5, 45],
      [95, 5],
    ],
  },
])('$name', ({ ms, want }) => {
  expect(chartGeometry(ms, box)?.points.map((p) => [p.x, p.y])).toEqual(want);
});

test('nothing to plot gives no chart', () => {
  expect(chartGeometry([m(undefined, [1]), m(3, [])], box)).toBeUndefined();
  expect(chartGeometry([], box)).toBeUndefined();
});

test('keeps min, max, values and phases for labels', () => {
  const chart = chartGeometry([m(0, [0.4], 'Failed'), m(1, [0.9])], box);
  expect(chart).toMatchObject({ min: 0.4, max: 0.9 });
  expect(chart?.points.map((p) => [p.value, p.phase])).toEqual([
    [0.4, 'Failed'],
    [0.9, 'Successful'],
  ]);
});
