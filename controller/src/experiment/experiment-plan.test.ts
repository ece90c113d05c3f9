import type { AnalysisRun, Experiment } from '@rollout-kit/api';
import { durationSeconds, experimentPlan, type TemplateReplicaSet } from './experiment-plan.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function experiment(spec: Partial<Experiment['spec']> = {}, status?: Experiment['status']): Experiment {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'exp', namespace: 'ns', creationTimestamp: iso(NOW - 60_000) },
    spec: {
      templates: [
        { name: 'a', replicas: 2, selector: {}, template: {} },
        { name: 'b', selector: {}, template: {} },
      ],
      scaleDownDelaySeconds: 0,
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

const rs = (
  name: string,
  spec: number,
  available = spec,
  extra: Partial<TemplateReplicaSet> = {},
): TemplateReplicaSet => ({
  name,
  specReplicas: spec,
  replicas: spec,
  readyReplicas: available,
  availableReplicas: available,
  ...extra,
});
const both = (a = 2, b = 1, availA = a, availB = b) =>
  new Map([
    ['a', rs('exp-a', a, availA)],
    ['b', rs('exp-b', b, availB)],
  ]);
const run = (name: string, phase: string, message?: string): AnalysisRun =>
  ({
    metadata: { name },
    spec: { metrics: [] },
    status: { phase, ...(message ? { message } : {}) },
  }) as AnalysisRun;

test.each([
  { name: 'unset', d: undefined, want: undefined },
  { name: 'a Go duration', d: '1m30s', want: 90 },
  { name: 'bare seconds', d: '20', want: 20 },
])('durationSeconds: $name', ({ d, want }) => {
  expect(durationSeconds(d)).toBe(want);
});

test('a new Experiment creates its ReplicaSets and is Pending', () => {
  const p = experimentPlan({ experiment: experiment(), replicaSets: new Map(), runs: new Map(), now: NOW });
  expect(p.createReplicaSets).toEqual(['a', 'b']);
  expect(p.status.phase).toBe('Pending');
  expect(p.status.templateStatuses?.map((t) => t.status)).toEqual(['Progressing', 'Progressing']);
});

test('ReplicaSets are scaled to the template replicas (1 by default)', () => {
  const p = experimentPlan({ experiment: experiment(), replicaSets: both(0, 0), runs: new Map(), now: NOW });
  expect(p.scale).toEqual([
    { name: 'exp-a', to: 2 },
    { name: 'exp-b', to: 1 },
  ]);
});

test('available templates start the analyses and record availableAt', () => {
  const p = experimentPlan({
    experiment: experiment({ analyses: [{ name: 'rate', templateName: 't' }], duration: '10s' }),
    replicaSets: both(),
    runs: new Map(),
    now: NOW,
  });
  expect(p.status).toMatchObject({ phase: 'Running', availableAt: iso(NOW) });
  expect(p.createRuns).toEqual(['rate']);
  expect(p.recheckAt).toBe(NOW + 10_500);
});

test('the duration passing completes it, ends its runs and scales down at once with no delay', () => {
  const going = run('exp-rate', 'Running');
  const p = experimentPlan({
    experiment: experiment(
      { analyses: [{ name: 'rate', templateName: 't' }], duration: '10s' },
      { phase: 'Running', availableAt: iso(NOW - 11_000) },
    ),
    replicaSets: both(),
    runs: new Map([['rate', going]]),
    now: NOW,
  });
  expect(p.status).toMatchObject({ phase: 'Successful', message: 'Experiment completed' });
  expect(p.terminateRuns).toEqual([going]);
  expect(p.scale).toEqual([
    { name: 'exp-a', to: 0 },
    { name: 'exp-b', to: 0 },
  ]);
});

test('a scale-down delay marks a deadline first, and scales once it passed', () => {
  const done = experiment(
    { scaleDownDelaySeconds: 30 },
    { phase: 'Successful', availableAt: iso(NOW - 60_000) },
  );
  const first = experimentPlan({ experiment: done, replicaSets: both(), runs: new Map(), now: NOW });
  expect(first.markScaleDown).toEqual([
    { name: 'exp-a', deadline: iso(NOW + 30_000) },
    { name: 'exp-b', deadline: iso(NOW + 30_000) },
  ]);
  expect(first.scale).toEqual([]);
  const marked = new Map([['a', rs('exp-a', 2, 2, { scaleDownDeadline: iso(NOW - 1_000) })]]);
  const later = experimentPlan({ experiment: done, replicaSets: marked, runs: new Map(), now: NOW });
  expect(later.scale).toEqual([{ name: 'exp-a', to: 0 }]);
});

test.each([
  { name: 'Failed', phase: 'Failed' },
  { name: 'Error', phase: 'Error' },
  { name: 'Inconclusive', phase: 'Inconclusive' },
])('an analysis that ends $name decides the Experiment', ({ phase }) => {
  const p = experimentPlan({
    experiment: experiment(
      { analyses: [{ name: 'rate', templateName: 't' }], duration: '1h' },
      { phase: 'Running', availableAt: iso(NOW - 1_000) },
    ),
    replicaSets: both(),
    runs: new Map([['rate', run('exp-rate', phase, 'why')]]),
    now: NOW,
  });
  expect(p.status.phase).toBe(phase);
  expect(p.status.message).toBe(`Analysis 'rate' ${phase.toLowerCase()}: why`);
});

test('without a duration, the analyses required for completion decide', () => {
  const analyses = [
    { name: 'rate', templateName: 't', requiredForCompletion: true },
    { name: 'other', templateName: 't' },
  ];
  const e = experiment({ analyses }, { phase: 'Running', availableAt: iso(NOW - 1_000) });
  const runs = new Map([
    ['rate', run('exp-rate', 'Successful')],
    ['other', run('exp-other', 'Running')],
  ]);
  expect(experimentPlan({ experiment: e, replicaSets: both(), runs, now: NOW }).status.phase).toBe(
    'Successful',
  );
  runs.set('rate', run('exp-rate', 'Running'));
  expect(experimentPlan({ experiment: e, replicaSets: both(), runs, now: NOW }).status.phase).toBe('Running');
});

test('a template not available within progressDeadlineSeconds fails the Experiment', () => {
  const p = experimentPlan({
    experiment: experiment({ progressDeadlineSeconds: 30 }),
    replicaSets: both(2, 1, 2, 0),
    runs: new Map(),
    now: NOW,
  });
  expect(p.status).toMatchObject({
    phase: 'Failed',
    message: "Template 'b' exceeded its progressDeadlineSeconds (30)",
  });
  expect(p.status.templateStatuses?.map((t) => t.status)).toEqual(['Running', 'Failed']);
});

test('terminate ends a running Experiment as Successful', () => {
  const p = experimentPlan({
    experiment: experiment({ terminate: true }, { phase: 'Running', availableAt: iso(NOW - 1_000) }),
    replicaSets: both(),
    runs: new Map(),
    now: NOW,
  });
  expect(p.status).toMatchObject({ phase: 'Successful', message: 'Experiment terminated' });
});

describe('template Services in the plan', () => {
  const withService = experiment({
    templates: [
      {
        name: 'a',
        replicas: 1,
        selector: {},
        template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] } },
        service: {},
      },
    ],
  });
  const running = (extra: Partial<TemplateReplicaSet> = {}) =>
    new Map([['a', rs('exp-a', 1, 1, { hash: 'h1', ...extra })]]);
  test('created once the ReplicaSet exists, and recorded on the template status', () => {
    const p = experimentPlan({ experiment: withService, replicaSets: running(), runs: new Map(), now: NOW });
    expect(p.createServices).toEqual(['a']);
    expect(p.status.templateStatuses?.[0]).toMatchObject({ serviceName: 'exp-a', podTemplateHash: 'h1' });
  });
  test('kept while running, deleted with the ReplicaSet once the Experiment completed', () => {
    const services = new Map([['a', { name: 'exp-a', template: 'a' }]]);
    const live = experimentPlan({
      experiment: withService,
      replicaSets: running(),
      runs: new Map(),
      services,
      now: NOW,
    });
    expect([live.createServices, live.deleteServices]).toEqual([[], []]);
    expect(live.status.templateStatuses?.[0]?.serviceName).toBe('exp-a');
    const done = experimentPlan({
      experiment: { ...withService, spec: { ...withService.spec, terminate: true } },
      replicaSets: running(),
      runs: new Map(),
      services,
      now: NOW,
    });
    expect(done.scale).toEqual([{ name: 'exp-a', to: 0 }]);
    expect(done.deleteServices).toEqual(['exp-a']);
    expect(done.status.templateStatuses?.[0]?.serviceName).toBeUndefined();
  });
});
