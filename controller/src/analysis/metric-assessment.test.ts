import type { Measurement, Metric, MetricResult } from '@rollout-kit/api';
import {
  assessMetric,
  effectiveCount,
  nextMeasurementAt,
  withMeasurement,
  ERROR_RETRY_MS,
} from './metric-assessment.ts';

const metric = (fields: Partial<Metric> = {}): Metric => ({
  name: 'm',
  provider: { prometheus: { query: 'q' } },
  ...fields,
});

/** A result built by feeding measurements through withMeasurement, as the reconciler does. */
function resultOf(...phases: string[]): MetricResult {
  return phases.reduce<MetricResult>(
    (r, phase, i) => withMeasurement(r, { phase, finishedAt: new Date(1_000 * (i + 1)).toISOString() }),
    { name: 'm', phase: 'Running' },
  );
}

test.each([
  { name: 'neither count nor interval: one measurement', m: {}, want: 1 },
  { name: 'count given', m: { count: 3, interval: '1m' }, want: 3 },
  { name: 'count as a string after argument substitution', m: { count: '5', interval: '1m' }, want: 5 },
  { name: 'interval without count: unbounded', m: { interval: '30s' }, want: undefined },
  { name: 'count 0 with interval: unbounded', m: { count: 0, interval: '30s' }, want: undefined },
])('effectiveCount: $name', ({ m, want }) => {
  expect(effectiveCount(metric(m))).toBe(want);
});

test('a malformed count is a spec error naming the field', () => {
  expect(() => effectiveCount(metric({ count: 'five' }))).toThrow(
    'metric "m": count "five" is not an integer',
  );
});

test('withMeasurement keeps the upstream counters', () => {
  const r = resultOf(
    'Successful',
    'Error',
    'Error',
    'Failed',
    'Successful',
    'Inconclusive',
    'Successful',
    'Successful',
  );
  expect(r).toMatchObject({
    count: 6,
    successful: 4,
    failed: 1,
    inconclusive: 1,
    error: 2,
    consecutiveError: 0,
    consecutiveSuccess: 2,
  });
  expect(r.measurements).toHaveLength(8);
  expect(resultOf('Successful', 'Error')).toMatchObject({
    count: 1,
    consecutiveError: 1,
    consecutiveSuccess: 0,
  });
  const running: Measurement = { phase: 'Running' };
  expect(withMeasurement(resultOf('Successful'), running)).toMatchObject({ count: 1, successful: 1 });
});

describe('assessMetric', () => {
  test.each([
    { name: 'no measurements yet', m: {}, phases: [], term: false, want: 'Pending' },
    { name: 'no measurements, terminating', m: {}, phases: [], term: true, want: 'Successful' },
    {
      name: 'last measurement still running',
      m: {},
      phases: ['Successful', 'Running'],
      term: false,
      want: 'Running',
    },
    {
      name: 'single success completes a count-1 metric',
      m: {},
      phases: ['Successful'],
      term: false,
      want: 'Successful',
    },
    { name: 'one failure over failureLimit 0', m: {}, phases: ['Failed'], term: false, want: 'Failed' },
    {
      name: 'failures within failureLimit',
      m: { count: 3, interval: '1s', failureLimit: 1 },
      phases: ['Failed', 'Successful'],
      term: false,
      want: 'Running',
    },
    {
      name: 'failures beyond failureLimit',
      m: { count: 5, interval: '1s', failureLimit: 1 },
      phases: ['Failed', 'Failed'],
      term: false,
      want: 'Failed',
    },
    {
      name: 'failureLimit -1 never fails',
      m: { count: 2, interval: '1s', failureLimit: -1, consecutiveSuccessLimit: 3 },
      phases: ['Failed'],
      term: false,
      want: 'Running',
    },
    {
      name: 'inconclusive beyond limit',
      m: { count: 3, interval: '1s' },
      phases: ['Inconclusive'],
      term: false,
      want: 'Inconclusive',
    },
    {
      name: 'errors up to the default limit 4 keep running',
      m: {},
      phases: ['Error', 'Error', 'Error', 'Error'],
      term: false,
      want: 'Running',
    },
    {
      name: 'a fifth consecutive error is Error',
      m: {},
      phases: ['Error', 'Error', 'Error', 'Error', 'Error'],
      term: false,
      want: 'Error',
    },
    {
      name: 'consecutiveErrorLimit 0: first error',
      m: { consecutiveErrorLimit: 0 },
      phases: ['Error'],
      term: false,
      want: 'Error',
    },
    {
      name: 'error beats failure (later check wins)',
      m: { consecutiveErrorLimit: 0, count: 3, interval: '1s' },
      phases: ['Failed', 'Error'],
      term: false,
      want: 'Error',
    },
    {
      name: 'consecutive successes end early',
      m: { interval: '1s', consecutiveSuccessLimit: 2, failureLimit: -1 },
      phases: ['Failed', 'Successful', 'Successful'],
      term: false,
      want: 'Successful',
    },
    {
      name: 'count reached without the successes needed, failureLimit set',
      m: { count: 2, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: 3 },
      phases: ['Successful', 'Failed'],
      term: false,
      want: 'Inconclusive',
    },
    {
      name: 'count reached without the successes needed, failureLimit -1',
      m: { count: 2, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: -1 },
      phases: ['Successful', 'Failed'],
      term: false,
      want: 'Failed',
    },
    {
      name: 'unbounded metric keeps running',
      m: { interval: '1s' },
      phases: ['Successful', 'Successful'],
      term: false,
      want: 'Running',
    },
    {
      name: 'unbounded metric succeeds when terminated',
      m: { interval: '1s' },
      phases: ['Successful'],
      term: true,
      want: 'Successful',
    },
  ])('$name', ({ m, phases, term, want }) => {
    expect(assessMetric(metric(m as Partial<Metric>), resultOf(...phases), term).phase).toBe(want);
  });

  test('a completed phase is sticky', () => {
    expect(assessMetric(metric(), { ...resultOf('Successful'), phase: 'Failed' }, false).phase).toBe(
      'Failed',
    );
  });

  test('the reason uses upstream wording', () => {
    expect(
      assessMetric(
        metric({ count: 3, interval: '1s', failureLimit: 1 }),
        resultOf('Failed', 'Failed'),
        false,
      ),
    ).toEqual({
      phase: 'Failed',
      reason: 'failed (2) > failureLimit (1)',
    });
    expect(assessMetric(metric(), resultOf('Error', 'Error', 'Error', 'Error', 'Error'), false).reason).toBe(
      'consecutiveErrors (5) > consecutiveErrorLimit (4)',
    );
  });
});

describe('nextMeasurementAt', () => {
  const start = 100_000;
  test.each([
    { name: 'first measurement at start', m: {}, phases: [], want: start },
    { name: 'first waits initialDelay', m: { initialDelay: '30s' }, phases: [], want: start + 30_000 },
    {
      name: 'next after the interval from the last finish',
      m: { count: 3, interval: '1m' },
      phases: ['Successful'],
      want: 1_000 + 60_000,
    },
    {
      name: 'after an error, 10 s whatever the interval',
      m: { count: 3, interval: '1m' },
      phases: ['Error'],
      want: 1_000 + ERROR_RETRY_MS,
    },
    { name: 'count reached: none', m: { count: 1 }, phases: ['Successful'], want: undefined },
    { name: 'still measuring: none', m: {}, phases: ['Running'], want: undefined },
  ])('$name', ({ m, phases, want }) => {
    expect(nextMeasurementAt(metric(m), phases.length ? resultOf(...phases) : undefined, start)).toBe(want);
  });

  test('a malformed interval is a spec error', () => {
    expect(() => nextMeasurementAt(metric({ interval: '5 minutes' }), resultOf('Successful'), 0)).toThrow(
      'metric "m": interval "5 minutes" is not a valid duration',
    );
  });
});
