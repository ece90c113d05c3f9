import { isDryRun, runSummary, runVerdict, type MetricState } from './run-phase.ts';

const m = (name: string, phase: MetricState['phase'], extra: Partial<MetricState> = {}): MetricState => ({
  name,
  phase,
  dryRun: false,
  ...extra,
});

test.each([
  {
    name: 'all successful',
    metrics: [m('a', 'Successful'), m('b', 'Successful')],
    terminate: false,
    want: 'Successful',
  },
  {
    name: 'one still running',
    metrics: [m('a', 'Successful'), m('b', 'Running')],
    terminate: false,
    want: 'Running',
  },
  { name: 'one pending', metrics: [m('a', 'Pending')], terminate: false, want: 'Running' },
  {
    name: 'a failure terminates at once',
    metrics: [m('a', 'Failed'), m('b', 'Running')],
    terminate: false,
    want: 'Failed',
  },
  {
    name: 'failed is worse than error',
    metrics: [m('a', 'Error'), m('b', 'Failed')],
    terminate: false,
    want: 'Failed',
  },
  {
    name: 'error is worse than inconclusive',
    metrics: [m('a', 'Inconclusive'), m('b', 'Error')],
    terminate: false,
    want: 'Error',
  },
  {
    name: 'inconclusive alone',
    metrics: [m('a', 'Inconclusive'), m('b', 'Successful')],
    terminate: false,
    want: 'Inconclusive',
  },
  {
    name: 'a failing dry-run metric does not decide',
    metrics: [m('a', 'Failed', { dryRun: true }), m('b', 'Successful')],
    terminate: false,
    want: 'Successful',
  },
  {
    name: 'terminate with nothing measured',
    metrics: [m('a', 'Pending')],
    terminate: true,
    want: 'Successful',
  },
  {
    name: 'terminate keeps the worst so far',
    metrics: [m('a', 'Inconclusive', { dryRun: false }), m('b', 'Running')],
    terminate: true,
    want: 'Inconclusive',
  },
  { name: 'no metrics', metrics: [], terminate: false, want: 'Successful' },
])('runVerdict: $name', ({ metrics, terminate, want }) => {
  expect(runVerdict(terminate, metrics).phase).toBe(want);
});

test('the run message names the metric, its phase and the limit, with the error message', () => {
  expect(
    runVerdict(false, [m('error-rate', 'Failed', { reason: 'failed (1) > failureLimit (0)' })]).message,
  ).toBe('Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)');
  expect(
    runVerdict(false, [
      m('p', 'Error', {
        reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
        lastMessage: 'connection refused',
      }),
    ]).message,
  ).toBe(
    'Metric "p" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: connection refused"',
  );
});

test.each([
  { name: 'exact name', patterns: ['latency'], metric: 'latency', want: true },
  { name: 'unanchored regex', patterns: ['lat'], metric: 'p99-latency', want: true },
  { name: 'match all', patterns: ['.*'], metric: 'anything', want: true },
  { name: 'no match', patterns: ['errors'], metric: 'latency', want: false },
  { name: 'invalid regex falls back to equality', patterns: ['('], metric: '(', want: true },
  { name: 'no dry run', patterns: [], metric: 'x', want: false },
])('isDryRun: $name', ({ patterns, metric, want }) => {
  expect(
    isDryRun(
      metric,
      patterns.map((metricName) => ({ metricName })),
    ),
  ).toBe(want);
});

test('runSummary counts dry-run and real metrics apart', () => {
  const results = [
    { name: 'a', phase: 'Successful' },
    { name: 'b', phase: 'Failed' },
    { name: 'c', phase: 'Error', dryRun: true },
    { name: 'd', phase: 'Running' },
  ];
  expect(runSummary(results, false)).toEqual({
    count: 3,
    successful: 1,
    failed: 1,
    inconclusive: 0,
    error: 0,
  });
  expect(runSummary(results, true)).toEqual({
    count: 1,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 1,
  });
});
