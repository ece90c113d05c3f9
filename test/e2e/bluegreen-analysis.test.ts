// Blue-green pre- and post-promotion analysis, end to end on the local control plane with real
// parts: a loopback web metric (`{"rate": n}` per test namespace) the tests set, real
// AnalysisRuns measured by the controller, and the official plugin promoting. Pre-promotion
// analysis blocks a promotion while it runs and lets it through once Successful; a failing one
// aborts and the active Service never moves; a failing post-promotion analysis rolls the active
// Service back to the old ReplicaSet and leaves the Rollout Degraded with the reason, and a passing
// one completes the update (the old ReplicaSet stays the stable one until then).
import type { AnalysisRun, AnalysisTemplateSpec, Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  eventMessages,
  argoRollouts,
  createRollout,
  getRollout,
  patchRollout,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { json, loopbackServer, type LoopbackServer } from './analysis-support.ts';
import {
  argoCdHealth,
  blueGreenRollout,
  createService,
  healthy,
  serviceState,
  template,
  waitForService,
} from './bluegreen-support.ts';

const ns = namespacePerTest();
controllerPerFile('bluegreen-analysis');

const webRate = new Map<string, number>();
let web: LoopbackServer | undefined;
beforeAll(async () => {
  web = await loopbackServer((req, _body, res) => {
    const value = webRate.get((req.url ?? '/').slice(1));
    if (value === undefined) json(res, 404, { error: 'no value for this namespace' });
    else json(res, 200, { rate: value });
  });
});
afterAll(async () => {
  await web?.close();
});

const custom = (plural: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace: ns.name,
  plural,
});

/**
 * The web rate against `result >= 0.95`. `gate`: measured every second until it passes (a low
 * rate keeps the run Running, never Failed); otherwise one low measurement fails the run.
 */
async function rateTemplate(name: string, gate: boolean): Promise<void> {
  const spec: AnalysisTemplateSpec = {
    args: [{ name: 'hash' }],
    metrics: [
      {
        name: 'rate',
        interval: '1s',
        successCondition: 'result >= 0.95',
        ...(gate ? { failureLimit: -1, consecutiveSuccessLimit: 1 } : { count: 2 }),
        provider: { web: { url: `${web?.url ?? ''}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  };
  await kube().custom.createNamespacedCustomObject({
    ...custom('analysistemplates'),
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec },
  });
}

async function listRuns(): Promise<AnalysisRun[]> {
  const list = (await kube().custom.listNamespacedCustomObject(custom('analysisruns'))) as {
    items: AnalysisRun[];
  };
  return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** The analysis hook as the Rollout names it, with the latest pod hash as an argument. */
const hook = (templateName: string) => ({
  templates: [{ templateName }],
  args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }],
});

/** Deploys blue (no runs: nothing to compare with), then updates to green; returns blue's hash. */
async function deployThenUpdate(blueGreen: Parameters<typeof blueGreenRollout>[0]['blueGreen']) {
  await createService(ns.name, 'web-active');
  await createService(ns.name, 'web-preview');
  await createRollout(ns.name, blueGreenRollout({ image: 'argoproj/rollouts-demo:blue', blueGreen }));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  expect(await listRuns()).toEqual([]);
  await patchRollout(ns.name, 'web', { spec: { template: template('argoproj/rollouts-demo:green') } });
  return first.status!.stableRS!;
}

const runStatus = (r: Rollout, which: 'pre' | 'post') =>
  r.status?.blueGreen?.[which === 'pre' ? 'prePromotionAnalysisRunStatus' : 'postPromotionAnalysisRunStatus'];

test('pre-promotion analysis holds the promotion while it runs; once Successful the Rollout pauses and promote switches', async () => {
  webRate.set(ns.name, 0.5);
  await rateTemplate('smoke', true);
  const blue = await deployThenUpdate({ autoPromotionEnabled: false, prePromotionAnalysis: hook('smoke') });
  const running = await waitForRollout(
    ns.name,
    'web',
    'the preview up with the pre-promotion run going',
    (r) => runStatus(r, 'pre')?.status === 'Running',
  );
  const green = running.status!.currentPodHash!;
  const name = runStatus(running, 'pre')!.name;
  expect(name).toBe(`web-${green}-2-pre`);
  // Upstream pauses only once the analysis passed: until then no pause to promote, nothing switched.
  expect(running.status).toMatchObject({
    phase: 'Progressing',
    stableRS: blue,
    blueGreen: { activeSelector: blue, previewSelector: green },
  });
  expect(running.status?.pauseConditions).toBeUndefined();
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [green]: { spec: 3, available: 3 },
  });
  const [run] = await listRuns();
  expect(run?.metadata.labels).toMatchObject({
    'rollout-type': 'PrePromotion',
    'rollouts-pod-template-hash': green,
  });
  expect(run?.spec.args).toEqual([{ name: 'hash', value: green }]);
  expect(run?.metadata.ownerReferences).toEqual([
    expect.objectContaining({ kind: 'Rollout', name: 'web', controller: true }),
  ]);

  webRate.set(ns.name, 0.99);
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused for the promotion once the analysis passed',
    (r) => r.status?.phase === 'Paused',
  );
  expect(runStatus(paused, 'pre')).toMatchObject({ name, status: 'Successful' });
  expect(paused.status?.pauseConditions?.map((c) => c.reason)).toEqual(['BlueGreenPause']);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);

  await argoRollouts(ns.name, 'promote', 'web');
  const done = await waitForRollout(
    ns.name,
    'web',
    'promoted',
    (r) => healthy(r) && r.status?.stableRS === green,
  );
  expect(runStatus(done, 'pre')).toMatchObject({ name, status: 'Successful' });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  expect((await listRuns()).map((r) => [r.metadata.name, r.status?.phase])).toEqual([[name, 'Successful']]);
  await waitForEventReasons(ns.name, 'web', [
    'AnalysisRunRunning',
    'AnalysisRunSuccessful',
    'RolloutCompleted',
  ]);
  expect(await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color')).toMatch(
    new RegExp(`${name}\\s+AnalysisRun\\s+✔ Successful`),
  );
});

test('with auto-promotion, a passing pre-promotion analysis promotes on its own', async () => {
  webRate.set(ns.name, 0.99);
  await rateTemplate('smoke', false);
  const blue = await deployThenUpdate({ prePromotionAnalysis: hook('smoke') });
  const done = await waitForRollout(
    ns.name,
    'web',
    'promoted after the analysis',
    (r) => healthy(r) && r.status?.stableRS !== blue,
  );
  const green = done.status!.stableRS!;
  expect(runStatus(done, 'pre')).toMatchObject({ name: `web-${green}-2-pre`, status: 'Successful' });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
});

test('a failing pre-promotion analysis aborts with the reason and the active Service never moves', async () => {
  webRate.set(ns.name, 0.4);
  await rateTemplate('smoke', false);
  const blue = await deployThenUpdate({ prePromotionAnalysis: hook('smoke'), abortScaleDownDelaySeconds: 2 });
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted by the pre-promotion analysis',
    (r) => r.status?.phase === 'Degraded',
  );
  const green = aborted.status!.currentPodHash!;
  expect(aborted.status).toMatchObject({ abort: true, stableRS: blue, blueGreen: { activeSelector: blue } });
  expect(aborted.status?.message).toContain(
    'RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: ' +
      'Metric "rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  // Ours says why: the value and the condition it missed.
  expect(aborted.status?.message).toContain('0.4');
  expect(aborted.status?.message).toContain('result >= 0.95');
  expect(runStatus(aborted, 'pre')).toMatchObject({ name: `web-${green}-2-pre`, status: 'Failed' });
  expect((await argoCdHealth(ns.name)).status).toBe('Degraded');
  await waitFor('green scaled to 0 after abortScaleDownDelaySeconds', async () =>
    (await replicaSetSizes(ns.name, 'web'))[green]?.spec === 0 ? true : undefined,
  );
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  const reasons = await waitForEventReasons(ns.name, 'web', ['AnalysisRunFailed', 'RolloutAborted']);
  // Only the first deploy completed.
  expect(reasons.filter((r) => r === 'RolloutCompleted')).toHaveLength(1);
  const switches = await eventMessages(ns.name, 'web', 'SwitchService');
  expect(switches.some((m) => m.includes("'web-active'") && m.endsWith(`'${green}'`))).toBe(false);
  expect((await getRollout(ns.name, 'web')).status?.stableRS).toBe(blue);
});

test('a failing post-promotion analysis rolls the active Service back to the old ReplicaSet', async () => {
  webRate.set(ns.name, 0.4);
  await rateTemplate('health', false);
  const blue = await deployThenUpdate({ postPromotionAnalysis: hook('health'), scaleDownDelaySeconds: 300 });
  // Auto-promotion switches active to green first (blue stays the stable RS until post passes);
  // the run fails at its first measurement, so the switch is read back from the Events.
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted by the post-promotion analysis',
    (r) => r.status?.phase === 'Degraded',
  );
  const green = aborted.status!.currentPodHash!;
  expect(aborted.status).toMatchObject({ abort: true, stableRS: blue, blueGreen: { activeSelector: blue } });
  expect(aborted.status?.message).toContain(
    'RolloutAborted: Rollout aborted update to revision 2: Blue/green post-promotion analysis phase error/failed: ' +
      'Metric "rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  expect(aborted.status?.message).toContain('result >= 0.95');
  expect(runStatus(aborted, 'post')).toMatchObject({ name: `web-${green}-2-post`, status: 'Failed' });
  await waitForService(ns.name, 'web-active', blue);
  // To green and back (Event times have second precision: both, rather than their order).
  const moves = [
    `Switched selector for service 'web-active' from '${blue}' to '${green}'`,
    `Switched selector for service 'web-active' from '${green}' to '${blue}'`,
  ];
  await waitFor('both active Service switches recorded as Events', async () => {
    const seen = await eventMessages(ns.name, 'web', 'SwitchService');
    return moves.every((m) => seen.includes(m)) ? true : undefined;
  });
  expect((await replicaSetSizes(ns.name, 'web'))[blue]).toEqual({ spec: 3, available: 3 });
  expect(await argoCdHealth(ns.name)).toMatchObject({ status: 'Degraded' });
  const reasons = await waitForEventReasons(ns.name, 'web', ['AnalysisRunFailed', 'RolloutAborted']);
  // Only the first deploy completed.
  expect(reasons.filter((r) => r === 'RolloutCompleted')).toHaveLength(1);
  const run = (await listRuns()).find((r) => r.metadata.name === `web-${green}-2-post`);
  expect(run?.metadata.labels?.['rollout-type']).toBe('PostPromotion');
});

test('while post-promotion analysis runs the old ReplicaSet stays the stable one; once Successful the update completes', async () => {
  webRate.set(ns.name, 0.5);
  await rateTemplate('health', true);
  const blue = await deployThenUpdate({ postPromotionAnalysis: hook('health'), scaleDownDelaySeconds: 2 });
  const running = await waitForRollout(
    ns.name,
    'web',
    'active on green with the post-promotion run going',
    (r) => runStatus(r, 'post')?.status === 'Running',
  );
  const green = running.status!.currentPodHash!;
  expect(running.status).toMatchObject({ stableRS: blue, blueGreen: { activeSelector: green } });
  expect(running.status?.phase).not.toBe('Healthy');
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  expect((await replicaSetSizes(ns.name, 'web'))[blue]?.spec).toBe(3);

  webRate.set(ns.name, 0.99);
  const done = await waitForRollout(
    ns.name,
    'web',
    'complete once the analysis passed',
    (r) => healthy(r) && r.status?.stableRS === green,
  );
  expect(runStatus(done, 'post')).toMatchObject({ name: `web-${green}-2-post`, status: 'Successful' });
  await waitFor('blue scaled down after scaleDownDelaySeconds', async () =>
    (await replicaSetSizes(ns.name, 'web'))[blue]?.spec === 0 ? true : undefined,
  );
  const reasons = await waitForEventReasons(ns.name, 'web', ['AnalysisRunSuccessful', 'RolloutCompleted']);
  expect(reasons.filter((r) => r === 'RolloutCompleted')).toHaveLength(2);
});
