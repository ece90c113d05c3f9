// Analysis wired into canary Rollouts, end to end on the local control plane with real parts: a
// REAL Prometheus scraping an exporter this test controls (the success-rate analysis at step 2
// passing, and failing into an automatic rollback, then retried), a loopback web metric for the
// background analysis, Inconclusive pauses, a provider that is down, dry-run metrics, and the
// controller restarted while a run is in flight. The official plugin shows the runs.
import type { AnalysisRun, AnalysisTemplateSpec, CanaryStep, Rollout } from '@rollout-kit/api';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  argoRollouts,
  createRollout,
  patchRollout,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  json,
  loopbackServer,
  refusedPort,
  startPrometheus,
  type LoopbackServer,
  type RunningPrometheus,
} from './analysis-support.ts';

const ns = namespacePerTest();
const controller: { current?: RunningController } = {};
let exporter: LoopbackServer;
let web: LoopbackServer;
let prometheus: RunningPrometheus;
/** success_rate{service="<namespace>"} served by the exporter, per test namespace. */
const successRate = new Map<string, number>();
/** The web metric's answer, per test namespace: `{"rate": n}`. */
const webRate = new Map<string, number>();

beforeAll(async () => {
  await applyCrds();
  exporter = await loopbackServer((_req, _body, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    const lines = ['# TYPE success_rate gauge', 'success_rate{service="ready"} 1'];
    for (const [service, value] of successRate) lines.push(`success_rate{service="${service}"} ${value}`);
    res.end(`${lines.join('\n')}\n`);
  });
  web = await loopbackServer((req, _body, res) => {
    if (req.url === '/http-500') return json(res, 500, { error: 'the metric store is down' });
    const value = webRate.get((req.url ?? '/').slice(1));
    if (value === undefined) json(res, 404, { error: 'no value for this namespace' });
    else json(res, 200, { rate: value });
  });
  prometheus = await startPrometheus('prometheus-rollout', [`127.0.0.1:${exporter.port}`], 'success_rate');
  controller.current = await startController('analysis-rollout');
});
afterAll(async () => {
  await controller.current?.stop();
  await prometheus?.stop();
  await Promise.all([exporter?.close(), web?.close()]);
});
afterEach(() => {
  const state = expect.getState();
  if (controller.current && state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`controller log:\n${controller.current.tail(60)}\n`);
});

async function createTemplate(name: string, spec: AnalysisTemplateSpec): Promise<void> {
  await kube().custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'analysistemplates',
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec },
  });
}

async function listRuns(): Promise<AnalysisRun[]> {
  const list = (await kube().custom.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'analysisruns',
  })) as { items: AnalysisRun[] };
  return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** The seed's success-rate template: real PromQL over the exporter's series for one service. */
async function successRateTemplate(fields: Record<string, unknown> = {}): Promise<void> {
  await createTemplate('success-rate', {
    args: [{ name: 'service' }],
    metrics: [
      {
        name: 'success-rate',
        interval: '1s',
        count: 2,
        successCondition: 'result[0] >= 0.95',
        provider: {
          prometheus: { address: prometheus.url, query: 'success_rate{service="{{args.service}}"}' },
        },
        ...fields,
      },
    ],
  });
}

const analysisStep = (templateName = 'success-rate'): CanaryStep => ({
  analysis: { templates: [{ templateName }], args: [{ name: 'service', value: ns.name }] },
});

/** 4 replicas: 25% → 50% → the analysis at step 2 → 75%. */
const seedSteps = (): CanaryStep[] => [
  { setWeight: 25 },
  { setWeight: 50 },
  analysisStep(),
  { setWeight: 75 },
];

function canaryRollout(steps: CanaryStep[], background?: Rollout['spec']): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'argoproj/rollouts-demo:blue' }] },
      },
      strategy: { canary: { steps, ...(background?.strategy?.canary ?? {}) } },
    },
  };
}

const healthy = (r: Rollout) =>
  r.status?.phase === 'Healthy' && r.status.observedGeneration === String(r.metadata.generation);
const setImage = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
});

/** Creates the Rollout, waits for the first deploy, then starts an update to a new image. */
async function deployThenUpdate(rollout: Rollout): Promise<{ stable: string }> {
  await createRollout(ns.name, rollout);
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  // The first deploy skips analysis: nothing to compare with.
  expect(await listRuns()).toEqual([]);
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  return { stable: first.status!.stableRS! };
}

test('the success-rate analysis at step 2 passes on real Prometheus data and the canary completes', async () => {
  successRate.set(ns.name, 0.99);
  await successRateTemplate();
  const { stable } = await deployThenUpdate(canaryRollout(seedSteps()));
  const done = await waitForRollout(
    ns.name,
    'web',
    'promoted after the analysis',
    (r) => healthy(r) && r.status?.stableRS !== stable,
  );
  const hash = done.status!.stableRS!;
  const runs = await listRuns();
  expect(runs.map((r) => r.metadata.name)).toEqual([`web-${hash}-2-2`]);
  const run = runs[0]!;
  expect(run.metadata.labels).toMatchObject({
    app: 'web',
    'rollout-type': 'Step',
    'step-index': '2',
    'rollouts-pod-template-hash': hash,
  });
  expect(run.metadata.annotations).toMatchObject({ 'rollout.argoproj.io/revision': '2' });
  expect(run.metadata.ownerReferences).toEqual([
    expect.objectContaining({ kind: 'Rollout', name: 'web', uid: done.metadata.uid, controller: true }),
  ]);
  expect(run.status?.phase).toBe('Successful');
  expect(run.status?.metricResults?.[0]?.measurements?.map((m) => m.value)).toEqual(['[0.99]', '[0.99]']);
  await waitForEventReasons(ns.name, 'web', ['AnalysisRunSuccessful', 'RolloutCompleted']);
  const shown = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(shown).toMatch(new RegExp(`web-${hash}-2-2\\s+AnalysisRun\\s+✔ Successful`));
});

test('a failing success rate aborts and rolls back with the reason; retry runs a fresh analysis', async () => {
  successRate.set(ns.name, 0.91);
  await successRateTemplate();
  const { stable } = await deployThenUpdate(canaryRollout(seedSteps()));
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted by the analysis',
    (r) => r.status?.phase === 'Degraded',
  );
  const canary = aborted.status!.currentPodHash!;
  expect(aborted.status).toMatchObject({ abort: true, stableRS: stable, currentStepIndex: 0 });
  expect(aborted.status?.message).toContain(
    'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: ' +
      'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  // Ours says why: the value and the condition it missed.
  expect(aborted.status?.message).toContain('[0.91]');
  expect(aborted.status?.message).toContain('result[0] >= 0.95');
  await waitFor('the canary scaled back to 0', async () => {
    const sizes = await replicaSetSizes(ns.name, 'web');
    return sizes[stable]?.available === 4 && sizes[canary]?.spec === 0 ? sizes : undefined;
  });
  const reasons = await waitForEventReasons(ns.name, 'web', ['AnalysisRunFailed', 'RolloutAborted']);
  expect(reasons.indexOf('AnalysisRunFailed')).toBeLessThan(reasons.indexOf('RolloutAborted'));
  expect(await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color')).toMatch(
    new RegExp(`web-${canary}-2-2\\s+AnalysisRun\\s+✖ Failed`),
  );

  successRate.set(ns.name, 0.99);
  // Retry only once Prometheus has scraped the fixed value, or the new run measures the old one.
  await waitFor('Prometheus to see the fixed success rate', async () => {
    const query = encodeURIComponent(`success_rate{service="${ns.name}"}`);
    const answer = (await (await fetch(`${prometheus.url}/api/v1/query?query=${query}`)).json()) as {
      data?: { result?: { value: [number, string] }[] };
    };
    return answer.data?.result?.[0]?.value[1] === '0.99';
  });
  await argoRollouts(ns.name, 'retry', 'rollout', 'web');
  await waitForRollout(
    ns.name,
    'web',
    'promoted after the retry',
    (r) => healthy(r) && r.status?.stableRS === canary,
  );
  const runs = await listRuns();
  expect(runs.map((r) => [r.metadata.name, r.status?.phase])).toEqual([
    [`web-${canary}-2-2`, 'Failed'],
    [`web-${canary}-2-2.1`, 'Successful'],
  ]);
});

test('a background analysis from step 1 aborts the canary mid-way', async () => {
  webRate.set(ns.name, 0.99);
  await createTemplate('web-rate', {
    metrics: [
      {
        name: 'rate',
        interval: '1s',
        successCondition: 'result >= 0.95',
        provider: { web: { url: `${web.url}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const rollout = canaryRollout([{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }], {
    strategy: { canary: { analysis: { templates: [{ templateName: 'web-rate' }], startingStep: 1 } } },
  });
  const { stable } = await deployThenUpdate(rollout);
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1 with the background run going',
    (r) =>
      r.status?.currentStepIndex === 1 &&
      r.status.canary?.currentBackgroundAnalysisRunStatus?.status === 'Running',
  );
  const canary = paused.status!.currentPodHash!;
  const background = paused.status!.canary!.currentBackgroundAnalysisRunStatus!.name;
  expect(background).toBe(`web-${canary}-2`);

  webRate.set(ns.name, 0.4);
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted by the background run',
    (r) => r.status?.phase === 'Degraded',
  );
  expect(aborted.status).toMatchObject({ abort: true, stableRS: stable });
  expect(aborted.status?.message).toContain(
    'Background analysis phase error/failed: Metric "rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  const run = (await listRuns()).find((r) => r.metadata.name === background);
  expect(run?.metadata.labels?.['rollout-type']).toBe('Background');
  expect(run?.status?.phase).toBe('Failed');
});

test('an Inconclusive step analysis pauses for a human; promote moves on', async () => {
  webRate.set(ns.name, 0.7);
  await createTemplate('web-rate', {
    metrics: [
      {
        name: 'rate',
        successCondition: 'result >= 0.95',
        failureCondition: 'result < 0.5',
        provider: { web: { url: `${web.url}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const { stable } = await deployThenUpdate(
    canaryRollout([{ setWeight: 25 }, analysisStep('web-rate'), { setWeight: 50 }]),
  );
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused by the Inconclusive run',
    (r) => r.status?.phase === 'Paused',
  );
  expect(paused.status).toMatchObject({
    message: 'InconclusiveAnalysisRun',
    controllerPause: true,
    currentStepIndex: 1,
    stableRS: stable,
    pauseConditions: [expect.objectContaining({ reason: 'InconclusiveAnalysisRun' })],
  });
  expect(paused.status?.canary?.currentStepAnalysisRunStatus?.status).toBe('Inconclusive');
  await waitForEventReasons(ns.name, 'web', ['AnalysisRunInconclusive', 'RolloutPaused']);

  await argoRollouts(ns.name, 'promote', 'web');
  const done = await waitForRollout(
    ns.name,
    'web',
    'promoted after the human said so',
    (r) => healthy(r) && r.status?.stableRS !== stable,
  );
  expect(done.status?.canary?.currentStepAnalysisRunStatus).toBeUndefined();
});

test.each([
  {
    name: 'connection refused',
    url: async () => `http://127.0.0.1:${await refusedPort()}/rate`,
    why: 'ECONNREFUSED',
  },
  { name: 'HTTP 500', url: async () => `${web.url}/http-500`, why: 'received non 2xx response code: 500' },
])(
  'a metric provider that is down ($name) ends in Error after consecutiveErrorLimit and never promotes',
  async ({ url, why }) => {
    await createTemplate('down', {
      metrics: [
        {
          name: 'rate',
          consecutiveErrorLimit: 1,
          successCondition: 'result >= 0.95',
          provider: { web: { url: await url(), jsonPath: '{$.rate}' } },
        },
      ],
    });
    const { stable } = await deployThenUpdate(
      canaryRollout([{ setWeight: 25 }, analysisStep('down'), { setWeight: 50 }]),
    );
    const aborted = await waitForRollout(
      ns.name,
      'web',
      'aborted by the Error',
      (r) => r.status?.phase === 'Degraded',
      90_000,
    );
    expect(aborted.status).toMatchObject({ abort: true, stableRS: stable });
    expect(aborted.status?.message).toContain(
      'Step-based analysis phase error/failed: Metric "rate" assessed Error due to consecutiveErrors (2) > consecutiveErrorLimit (1)',
    );
    expect(aborted.status?.message).toContain(why);
    const [run] = await listRuns();
    expect(run?.status?.metricResults?.[0]).toMatchObject({ phase: 'Error', error: 2, consecutiveError: 2 });
  },
);

test('an analysis step naming a missing template is an InvalidSpec; the stable version keeps serving', async () => {
  const { stable } = await deployThenUpdate(
    canaryRollout([{ setWeight: 25 }, analysisStep('no-such-template'), { setWeight: 50 }]),
  );
  const invalid = await waitForRollout(ns.name, 'web', 'InvalidSpec', (r) =>
    Boolean(r.status?.conditions?.some((c) => c.type === 'InvalidSpec')),
  );
  expect(invalid.status?.message).toBe(
    'InvalidSpec: The Rollout "web" is invalid: spec.strategy.canary.steps[1].analysis.templates: ' +
      'Invalid value: "no-such-template": analysistemplate.argoproj.io "no-such-template" not found',
  );
  expect(invalid.status?.stableRS).toBe(stable);
  expect(await listRuns()).toEqual([]);
});

test('unsuccessfulRunHistoryLimit keeps only the newest failed runs across retries', async () => {
  successRate.set(ns.name, 0.5);
  await successRateTemplate({ count: 1 });
  const rollout = canaryRollout([{ setWeight: 25 }, analysisStep(), { setWeight: 50 }]);
  rollout.spec.analysis = { unsuccessfulRunHistoryLimit: 1 };
  await deployThenUpdate(rollout);
  const degraded = () =>
    waitForRollout(ns.name, 'web', 'aborted by the analysis', (r) => r.status?.phase === 'Degraded');
  const first = (await degraded()).status!.canary!.currentStepAnalysisRunStatus!.name;
  const firstUid = (await listRuns()).find((r) => r.metadata.name === first)?.metadata.uid;
  let previous = first;
  for (const attempt of [1, 2]) {
    await argoRollouts(ns.name, 'retry', 'rollout', 'web');
    // Aborted again by this retry's own run before the next retry.
    const again = await waitForRollout(
      ns.name,
      'web',
      `aborted by the run of retry ${attempt}`,
      (r) =>
        r.status?.abort === true &&
        (r.status.canary?.currentStepAnalysisRunStatus?.name ?? previous) !== previous,
    );
    previous = again.status!.canary!.currentStepAnalysisRunStatus!.name;
  }
  // Retry 2 went past the failed runs of the first two attempts: the older one was deleted (its
  // name may even have been taken again by the third run), the newer one is kept.
  const runs = await listRuns();
  expect(runs.map((r) => r.status?.phase)).toEqual(['Failed', 'Failed']);
  expect(runs.map((r) => r.metadata.uid)).not.toContain(firstUid);
  expect(runs.map((r) => r.metadata.name)).toContain(previous);
});

test('dry-run metrics never decide: a failing dry-run metric beside a passing one', async () => {
  successRate.set(ns.name, 0.99);
  webRate.set(ns.name, 0.1);
  await createTemplate('mixed', {
    args: [{ name: 'service' }],
    dryRun: [{ metricName: 'noisy' }],
    metrics: [
      {
        name: 'success-rate',
        successCondition: 'result[0] >= 0.95',
        provider: {
          prometheus: { address: prometheus.url, query: 'success_rate{service="{{args.service}}"}' },
        },
      },
      {
        name: 'noisy',
        successCondition: 'result >= 0.95',
        provider: { web: { url: `${web.url}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const { stable } = await deployThenUpdate(
    canaryRollout([{ setWeight: 25 }, analysisStep('mixed'), { setWeight: 50 }]),
  );
  await waitForRollout(
    ns.name,
    'web',
    'promoted despite the dry-run failure',
    (r) => healthy(r) && r.status?.stableRS !== stable,
  );
  const [run] = await listRuns();
  expect(run?.status).toMatchObject({ phase: 'Successful', dryRunSummary: { count: 1, failed: 1 } });
});

test('a controller restarted while a run is in flight continues it without a duplicate', async () => {
  successRate.set(ns.name, 0.99);
  await successRateTemplate({ count: 6, interval: '2s' });
  const { stable } = await deployThenUpdate(canaryRollout(seedSteps()));
  const running = await waitForRollout(
    ns.name,
    'web',
    'the step analysis is running',
    (r) => r.status?.canary?.currentStepAnalysisRunStatus?.status === 'Running',
  );
  await controller.current?.stop();
  controller.current = await startController('analysis-rollout-restarted');
  await waitForRollout(
    ns.name,
    'web',
    'promoted by the new controller',
    (r) => healthy(r) && r.status?.stableRS !== stable,
    90_000,
  );
  const runs = await listRuns();
  expect(runs.map((r) => [r.metadata.name, r.status?.phase])).toEqual([
    [running.status!.canary!.currentStepAnalysisRunStatus!.name, 'Successful'],
  ]);
  expect(runs[0]?.status?.metricResults?.[0]?.count).toBe(6);
});
