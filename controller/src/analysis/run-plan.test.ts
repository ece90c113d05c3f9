import type { AnalysisRun, Measurement, Metric, MetricResult } from '@rollout-kit/api';
import {
  invalidMetrics,
  measurementOf,
  metricActions,
  nextRunStatus,
  runErrorStatus,
  RUNNING_POLL_MS,
  type ProviderOutcome,
} from './run-plan.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const SUPPORTED = ['web', 'prometheus', 'job'];

const metric = (fields: Partial<Metric> = {}): Metric => ({
  name: 'm',
  provider: { web: { url: 'http://x' } },
  ...fields,
});

function runOf(
  metrics: Metric[],
  results?: MetricResult[],
  spec: Partial<AnalysisRun['spec']> = {},
): AnalysisRun {
  const run: AnalysisRun = { metadata: { name: 'r', namespace: 'ns' }, spec: { metrics, ...spec } };
  if (results) run.status = { phase: 'Running', startedAt: iso(T0), metricResults: results };
  return run;
}

const done = (phase: string, at: number): Measurement => ({ phase, startedAt: iso(at), finishedAt: iso(at) });

test.each([
  { name: 'a valid metric', metrics: [metric()], want: undefined },
  { name: 'no metrics', metrics: [], want: 'at least one metric is required' },
  { name: 'duplicate names', metrics: [metric(), metric()], want: 'metrics[1]: duplicate name "m"' },
  {
    name: 'two providers',
    metrics: [metric({ provider: { web: { url: 'u' }, prometheus: { query: 'q' } } })],
    want: 'metric "m": exactly one provider is required, found web, prometheus',
  },
  {
    name: 'no provider',
    metrics: [metric({ provider: {} })],
    want: 'metric "m": exactly one provider is required, found none',
  },
  {
    name: 'an unsupported provider',
    metrics: [metric({ provider: { wavefront: {} } })],
    want: 'metric "m": provider "wavefront" is not supported (supported: web, prometheus, job)',
  },
  {
    name: 'count > 1 without interval',
    metrics: [metric({ count: 2 })],
    want: 'metric "m": interval must be specified when count > 1',
  },
  { name: 'a negative count', metrics: [metric({ count: -1 })], want: 'metric "m": count must be >= 0' },
  {
    name: 'a limit that is not a number',
    metrics: [metric({ failureLimit: 'x' })],
    want: 'metric "m": failureLimit "x" is not an integer',
  },
  {
    name: 'failureLimit -1 without consecutiveSuccessLimit',
    metrics: [metric({ failureLimit: -1 })],
    want: 'metric "m": failureLimit -1 requires consecutiveSuccessLimit',
  },
  {
    name: 'a bad initialDelay',
    metrics: [metric({ initialDelay: '5 minutes' })],
    want: 'metric "m": initialDelay "5 minutes" is not a valid duration',
  },
])('invalidMetrics: $name', ({ metrics, want }) => {
  expect(invalidMetrics(metrics, SUPPORTED)).toBe(want);
});

test.each([
  { name: 'a new run measures at once', m: metric(), results: undefined, now: T0, want: 'measure' },
  {
    name: 'initialDelay not yet over',
    m: metric({ initialDelay: '30s' }),
    results: [],
    now: T0 + 29_000,
    want: undefined,
  },
  {
    name: 'initialDelay over',
    m: metric({ initialDelay: '30s' }),
    results: [],
    now: T0 + 30_000,
    want: 'measure',
  },
  {
    name: 'interval not yet over',
    m: metric({ interval: '10s', count: 3 }),
    results: [{ name: 'm', phase: 'Running', count: 1, measurements: [done('Successful', T0)] }],
    now: T0 + 9_000,
    want: undefined,
  },
  {
    name: 'interval over',
    m: metric({ interval: '10s', count: 3 }),
    results: [{ name: 'm', phase: 'Running', count: 1, measurements: [done('Successful', T0)] }],
    now: T0 + 10_000,
    want: 'measure',
  },
  {
    name: 'after an error the retry waits 10 s, not the interval',
    m: metric({ interval: '1m', count: 3 }),
    results: [{ name: 'm', phase: 'Running', error: 1, measurements: [done('Error', T0)] }],
    now: T0 + 10_000,
    want: 'measure',
  },
  {
    name: 'a running measurement is resumed',
    m: metric(),
    results: [{ name: 'm', phase: 'Running', measurements: [{ phase: 'Running', startedAt: iso(T0) }] }],
    now: T0 + 1,
    want: 'resume',
  },
  {
    name: 'a completed metric is left alone',
    m: metric(),
    results: [{ name: 'm', phase: 'Successful', measurements: [done('Successful', T0)] }],
    now: T0 + 60_000,
    want: undefined,
  },
])('metricActions: $name', ({ m, results, now, want }) => {
  expect(metricActions(runOf([m], results), [m], now).get('m')).toBe(want);
});

test('metricActions on a terminating run terminates running measurements and starts none', () => {
  const a = metric({ name: 'a', interval: '1s' });
  const b = metric({ name: 'b', provider: { job: { spec: {} } } });
  const run = runOf(
    [a, b],
    [
      { name: 'a', phase: 'Running', count: 1, measurements: [done('Successful', T0)] },
      { name: 'b', phase: 'Running', measurements: [{ phase: 'Running', startedAt: iso(T0) }] },
    ],
    { terminate: true },
  );
  expect([...metricActions(run, [a, b], T0 + 60_000)]).toEqual([['b', 'terminate']]);
});

const times = { startedAt: iso(T0), finishedAt: iso(T0 + 5) };
test.each<{ name: string; m: Metric; outcome: ProviderOutcome; want: Partial<Measurement> }>([
  {
    name: 'a value meeting the success condition',
    m: metric({ successCondition: 'result > 0.9' }),
    outcome: { kind: 'value', result: 0.99, value: '0.99' },
    want: { phase: 'Successful', value: '0.99', finishedAt: times.finishedAt },
  },
  {
    name: 'a value missing it says which condition and values',
    m: metric({ successCondition: 'result > 0.9' }),
    outcome: { kind: 'value', result: 0.5, value: '0.5' },
    want: { phase: 'Failed', message: 'did not meet successCondition (result > 0.9: result = 0.5; false)' },
  },
  {
    name: 'a failure condition that holds',
    m: metric({ failureCondition: 'result < 0.9' }),
    outcome: { kind: 'value', result: 0.5, value: '0.5' },
    want: {
      phase: 'Failed',
      message: expect.stringMatching(/^met failureCondition \(/) as unknown as string,
    },
  },
  {
    name: 'neither condition',
    m: metric({ successCondition: 'result > 0.9', failureCondition: 'result < 0.1' }),
    outcome: { kind: 'value', result: 0.5, value: '0.5' },
    want: { phase: 'Inconclusive', message: expect.stringMatching(/^met neither/) as unknown as string },
  },
  {
    name: 'a condition that does not parse is an Error measurement keeping the value',
    m: metric({ successCondition: 'result >' }),
    outcome: { kind: 'value', result: 1, value: '1' },
    want: {
      phase: 'Error',
      value: '1',
      message: expect.stringMatching(
        /^could not evaluate successCondition "result >": /,
      ) as unknown as string,
    },
  },
  {
    name: 'a provider error',
    m: metric(),
    outcome: { kind: 'error', message: 'boom', metadata: { a: 'b' } },
    want: { phase: 'Error', message: 'boom', metadata: { a: 'b' }, finishedAt: times.finishedAt },
  },
  {
    name: 'a running Job has no finishedAt',
    m: metric(),
    outcome: { kind: 'phase', phase: 'Running', metadata: { 'job-name': 'j' } },
    want: { phase: 'Running', startedAt: times.startedAt, metadata: { 'job-name': 'j' } },
  },
])('measurementOf: $name', ({ m, outcome, want }) => {
  const got = measurementOf(m, outcome, times);
  expect(got).toMatchObject(want);
  if (want.phase === 'Running') expect(got.finishedAt).toBeUndefined();
});

test('nextRunStatus: a first successful measurement of a one-shot metric completes the run', () => {
  const m = metric();
  const plan = nextRunStatus(runOf([m]), [m], new Map([['m', done('Successful', T0)]]), T0 + 10);
  expect(plan.recheckAt).toBeUndefined();
  expect(plan.status).toMatchObject({
    phase: 'Successful',
    startedAt: iso(T0 + 10),
    completedAt: iso(T0 + 10),
    runSummary: { count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 },
    dryRunSummary: { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 },
  });
  expect(plan.status.metricResults?.[0]).toMatchObject({
    name: 'm',
    phase: 'Successful',
    count: 1,
    successful: 1,
  });
});

test('nextRunStatus: an unfinished metric keeps the run Running and asks to look again at the next interval', () => {
  const m = metric({ interval: '30s', count: 3 });
  const plan = nextRunStatus(
    runOf([m], []),
    [m],
    new Map([['m', done('Successful', T0 + 1_000)]]),
    T0 + 1_000,
  );
  expect(plan.status.phase).toBe('Running');
  expect(plan.status.completedAt).toBeUndefined();
  expect(plan.recheckAt).toBe(T0 + 31_000);
});

test('nextRunStatus: a running measurement is polled, then replaced by its result', () => {
  const m = metric({ provider: { job: { spec: {} } } });
  const running: Measurement = { phase: 'Running', startedAt: iso(T0), metadata: { 'job-name': 'j' } };
  const first = nextRunStatus(runOf([m], []), [m], new Map([['m', running]]), T0);
  expect(first.recheckAt).toBe(T0 + RUNNING_POLL_MS);
  const run = runOf([m], first.status.metricResults);
  const second = nextRunStatus(
    run,
    [m],
    new Map([['m', { ...running, ...done('Successful', T0 + 5_000) }]]),
    T0 + 5_000,
  );
  expect(second.status.phase).toBe('Successful');
  expect(second.status.metricResults?.[0]?.measurements).toHaveLength(1);
  expect(second.status.metricResults?.[0]?.count).toBe(1);
});

test('nextRunStatus: a failed metric stops the others and the message names metric, value and condition', () => {
  const a = metric({ name: 'a', successCondition: 'result[0] >= 0.95' });
  const b = metric({ name: 'b', interval: '1m' });
  const failed = measurementOf(a, { kind: 'value', result: [0.91], value: '[0.91]' }, times);
  const run = runOf(
    [a, b],
    [{ name: 'b', phase: 'Running', count: 1, successful: 1, measurements: [done('Successful', T0)] }],
  );
  const plan = nextRunStatus(run, [a, b], new Map([['a', failed]]), T0 + 10);
  expect(plan.status.phase).toBe('Failed');
  expect(plan.status.metricResults?.map((r) => r.phase)).toEqual(['Failed', 'Successful']);
  expect(plan.status.metricResults?.[0]?.message).toBe('failed (1) > failureLimit (0)');
  expect(plan.status.message).toBe(
    'Metric "a" assessed Failed due to failed (1) > failureLimit (0): [0.91] did not meet successCondition ' +
      '(result[0] >= 0.95: result[0] = 0.91; false)',
  );
});

test('nextRunStatus: an Error past consecutiveErrorLimit quotes the provider message', () => {
  const m = metric({ consecutiveErrorLimit: 0 });
  const error: Measurement = { ...done('Error', T0), message: 'connection refused' };
  const plan = nextRunStatus(runOf([m]), [m], new Map([['m', error]]), T0);
  expect(plan.status.phase).toBe('Error');
  expect(plan.status.message).toBe(
    'Metric "m" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0): "Error Message: connection refused"',
  );
});

test('nextRunStatus: dry-run metrics are measured and summarised but never decide the run', () => {
  const real = metric({ name: 'real' });
  const dry = metric({ name: 'dry-rate', successCondition: 'false' });
  const run = runOf([real, dry], undefined, { dryRun: [{ metricName: '^dry-' }] });
  const measured = new Map([
    ['real', done('Successful', T0)],
    ['dry-rate', done('Failed', T0)],
  ]);
  const plan = nextRunStatus(run, [real, dry], measured, T0);
  expect(plan.status.phase).toBe('Successful');
  expect(plan.status.metricResults?.[1]).toMatchObject({ name: 'dry-rate', phase: 'Failed', dryRun: true });
  expect(plan.status.runSummary).toMatchObject({ count: 1, successful: 1 });
  expect(plan.status.dryRunSummary).toMatchObject({ count: 1, failed: 1 });
});

test('nextRunStatus: spec.terminate completes the run at once, Successful when nothing failed', () => {
  const m = metric({ interval: '1m' });
  const run = runOf(
    [m],
    [{ name: 'm', phase: 'Running', count: 1, successful: 1, measurements: [done('Successful', T0)] }],
    {
      terminate: true,
    },
  );
  const plan = nextRunStatus(run, [m], new Map(), T0 + 5);
  expect(plan.status).toMatchObject({
    phase: 'Successful',
    message: 'Run Terminated',
    completedAt: iso(T0 + 5),
  });
});

test.each([
  { name: 'the default keeps 10', retention: undefined, want: 10 },
  { name: 'a matching rule keeps its limit', retention: [{ metricName: '.*', limit: 3 }], want: 3 },
  {
    name: 'a rule for another metric does not apply',
    retention: [{ metricName: '^other$', limit: 3 }],
    want: 10,
  },
])('nextRunStatus: measurementRetention, $name', ({ retention, want }) => {
  const m = metric({ interval: '1s' });
  const measurements = Array.from({ length: 12 }, (_, i) => done('Successful', T0 + i));
  const run = runOf([m], [{ name: 'm', phase: 'Running', count: 12, successful: 12, measurements }], {
    ...(retention ? { measurementRetention: retention } : {}),
  });
  const plan = nextRunStatus(run, [m], new Map([['m', done('Successful', T0 + 100)]]), T0 + 100);
  const kept = plan.status.metricResults?.[0]?.measurements ?? [];
  expect(kept).toHaveLength(want);
  expect(kept[kept.length - 1]?.startedAt).toBe(iso(T0 + 100)); // the newest are kept
  expect(plan.status.metricResults?.[0]?.count).toBe(13); // counters are not trimmed
});

test('runErrorStatus completes the run with the message', () => {
  expect(runErrorStatus(runOf([metric()]), 'args.x was not resolved', T0)).toEqual({
    phase: 'Error',
    message: 'args.x was not resolved',
    startedAt: iso(T0),
    completedAt: iso(T0),
  });
});
