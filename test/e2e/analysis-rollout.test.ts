// Analysis wired into canary Rollouts, end to end on the local control plane with real parts: a
// REAL Prometheus scraping an exporter this test controls (the success-rate analysis at step 2
// passing, and failing into an automatic rollback, then retried), a loopback web metric for the
// background analysis, Inconclusive pauses, dry-run metrics, and the controller restarted while a
// run is in flight. The official plugin shows the runs. (Failures of the analysis itself:
// analysis-rollout-errors.test.ts.)
import { startController } from '../support/controller.ts';
import { argoRollouts, replicaSetSizes, waitForEventReasons, waitForRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { analysisRolloutFixture, canaryRollout, healthy } from './analysis-rollout-support.ts';

const fx = analysisRolloutFixture('analysis-rollout');
const { ns, controller, successRate, webRate, listRuns, analysisStep } = fx;

test('the success-rate analysis at step 2 passes on real Prometheus data and the canary completes', async () => {
  successRate.set(ns.name, 0.99);
  await fx.successRateTemplate();
  const { stable } = await fx.deployThenUpdate(canaryRollout(fx.seedSteps()));
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
  await fx.successRateTemplate();
  const { stable } = await fx.deployThenUpdate(canaryRollout(fx.seedSteps()));
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
    const answer = (await (await fetch(`${fx.prometheusUrl()}/api/v1/query?query=${query}`)).json()) as {
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
  await fx.createTemplate('web-rate', {
    metrics: [
      {
        name: 'rate',
        interval: '1s',
        successCondition: 'result >= 0.95',
        provider: { web: { url: `${fx.webUrl()}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const rollout = canaryRollout([{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }], {
    strategy: { canary: { analysis: { templates: [{ templateName: 'web-rate' }], startingStep: 1 } } },
  });
  const { stable } = await fx.deployThenUpdate(rollout);
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
  await fx.createTemplate('web-rate', {
    metrics: [
      {
        name: 'rate',
        successCondition: 'result >= 0.95',
        failureCondition: 'result < 0.5',
        provider: { web: { url: `${fx.webUrl()}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const { stable } = await fx.deployThenUpdate(
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

test('dry-run metrics never decide: a failing dry-run metric beside a passing one', async () => {
  successRate.set(ns.name, 0.99);
  webRate.set(ns.name, 0.1);
  await fx.createTemplate('mixed', {
    args: [{ name: 'service' }],
    dryRun: [{ metricName: 'noisy' }],
    metrics: [
      {
        name: 'success-rate',
        successCondition: 'result[0] >= 0.95',
        provider: {
          prometheus: { address: fx.prometheusUrl(), query: 'success_rate{service="{{args.service}}"}' },
        },
      },
      {
        name: 'noisy',
        successCondition: 'result >= 0.95',
        provider: { web: { url: `${fx.webUrl()}/${ns.name}`, jsonPath: '{$.rate}' } },
      },
    ],
  });
  const { stable } = await fx.deployThenUpdate(
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
  await fx.successRateTemplate({ count: 6, interval: '2s' });
  const { stable } = await fx.deployThenUpdate(canaryRollout(fx.seedSteps()));
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
