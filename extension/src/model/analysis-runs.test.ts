import { failedStepRun, treeWithRuns } from './analysis-fixtures.ts';
import { analysisRunRefs, analysisRunView, decidingCondition, numbersOf } from './analysis-runs.ts';
import { canaryPaused, twoRevisionTree } from './fixtures.ts';

test.each([
  { name: 'a plain number', value: '0.97', want: [0.97] },
  { name: 'a Prometheus vector', value: '[0.97,0.5]', want: [0.97, 0.5] },
  { name: 'an empty vector', value: '[]', want: [] },
  { name: 'text', value: 'ok', want: [] },
  { name: 'a JSON string', value: '"12"', want: [] },
  { name: 'a mixed list', value: '[1,"a"]', want: [] },
  { name: 'an object', value: '{"a":1}', want: [] },
  { name: 'empty', value: '', want: [] },
  { name: 'absent', value: undefined, want: [] },
])('numbersOf: $name', ({ value, want }) => {
  expect(numbersOf(value)).toEqual(want);
});

test.each([
  {
    name: 'success held',
    phase: 'Successful',
    s: 'r > 1',
    f: undefined,
    want: 'successCondition r > 1 held',
  },
  {
    name: 'success did not hold',
    phase: 'Failed',
    s: 'r > 1',
    f: undefined,
    want: 'successCondition r > 1 did not hold',
  },
  { name: 'failure held', phase: 'Failed', s: 'r > 1', f: 'r < 0', want: 'failureCondition r < 0 held' },
  {
    name: 'failure did not hold',
    phase: 'Successful',
    s: undefined,
    f: 'r < 0',
    want: 'failureCondition r < 0 did not hold',
  },
  { name: 'both, neither held', phase: 'Inconclusive', s: 'a', f: 'b', want: 'neither condition held' },
  { name: 'inconclusive without both', phase: 'Inconclusive', s: 'a', f: undefined, want: undefined },
  { name: 'no conditions', phase: 'Successful', s: undefined, f: undefined, want: undefined },
  { name: 'an error is not decided by a condition', phase: 'Error', s: 'a', f: 'b', want: undefined },
  { name: 'still running', phase: 'Running', s: 'a', f: undefined, want: undefined },
])('decidingCondition: $name', ({ phase, s, f, want }) => {
  expect(decidingCondition(phase, s, f)).toBe(want);
});

test('runs of the Rollout from the tree, newest first, with revision and health', () => {
  expect(analysisRunRefs(canaryPaused(), treeWithRuns())).toEqual([
    {
      name: 'web-7b9c5d6f48-2-2',
      namespace: 'shop',
      resourceVersion: '42',
      health: 'Degraded',
      revision: 2,
      createdAt: '2026-11-23T10:00:00Z',
    },
    {
      name: 'web-6d4f8b7c9f-1',
      namespace: 'shop',
      resourceVersion: '11',
      health: 'Healthy',
      revision: 1,
      createdAt: '2026-11-22T09:00:00Z',
    },
  ]);
});

test.each([
  { name: 'no runs in the tree', rollout: canaryPaused(), tree: twoRevisionTree() },
  { name: 'no tree', rollout: canaryPaused(), tree: undefined },
  {
    name: 'runs of another Rollout',
    rollout: { ...canaryPaused(), metadata: { name: 'api', namespace: 'shop' } },
    tree: treeWithRuns(),
  },
  { name: 'a Rollout without a name', rollout: { metadata: {} }, tree: treeWithRuns() },
  { name: 'nodes that are not objects', rollout: canaryPaused(), tree: { nodes: [null, 3, 'x'] as never } },
])('no runs: $name', ({ rollout, tree }) => {
  expect(analysisRunRefs(rollout, tree)).toEqual([]);
});

test('a failed step run: type, step, revision, summary, and each measurement against its condition', () => {
  const view = analysisRunView(failedStepRun());
  expect(view).toMatchObject({
    name: 'web-7b9c5d6f48-2-2',
    type: 'Step',
    stepIndex: 2,
    revision: 2,
    phase: 'Failed',
    summary: { count: 2, successful: 1, failed: 1 },
  });
  const [rate, latency] = view.metrics;
  expect(rate).toMatchObject({
    name: 'success-rate',
    phase: 'Failed',
    successCondition: 'result[0] >= 0.95',
    counts: { count: 3, successful: 2, failed: 1 },
  });
  expect(rate?.measurements.map((m) => [m.value, m.phase, m.decidedBy])).toEqual([
    ['[0.99]', 'Successful', 'successCondition result[0] >= 0.95 held'],
    ['[0.97]', 'Successful', 'successCondition result[0] >= 0.95 held'],
    ['[0.42]', 'Failed', 'successCondition result[0] >= 0.95 did not hold'],
  ]);
  expect(rate?.measurements[2]?.at).toBe(Date.parse('2026-11-23T10:00:23Z'));
  expect(latency).toMatchObject({
    phase: 'Error',
    failureCondition: 'result > 500',
    counts: { count: 0, error: 5 },
  });
  expect(latency?.measurements[0]).toEqual({
    phase: 'Error',
    message: 'received non 2xx response code: 503',
    numbers: [],
    at: Date.parse('2026-11-23T10:00:30Z'),
  });
});

test('a metric result the spec no longer names is still shown, after the spec metrics', () => {
  const run = failedStepRun();
  (run.spec as { metrics: unknown[] }).metrics = [];
  expect(analysisRunView(run).metrics.map((m) => m.name)).toEqual(['success-rate', 'latency']);
});

test.each([
  { name: 'null', object: null },
  { name: 'a string', object: '<script>' },
  { name: 'an empty object', object: {} },
  { name: 'status of the wrong types', object: { status: { phase: 3, metricResults: 'x', runSummary: [] } } },
  {
    name: 'bad measurements',
    object: { status: { metricResults: [{ name: 'm', measurements: [null, { value: 4 }] }] } },
  },
  { name: 'bad labels', object: { metadata: { labels: { 'step-index': 'two' }, annotations: 7 } } },
])('malformed run does not throw: $name', ({ object }) => {
  const view = analysisRunView(object);
  expect(Array.isArray(view.metrics)).toBe(true);
  expect(view.stepIndex).toBeUndefined();
});
