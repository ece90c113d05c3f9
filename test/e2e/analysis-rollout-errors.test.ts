// Analysis that cannot decide well, in canary Rollouts on the local control plane: a metric
// provider that is down (connection refused, HTTP 500) ends in Error after consecutiveErrorLimit
// and never promotes; a missing template is an InvalidSpec while the stable version serves; the
// run history limits delete old failed runs across retries.
import { argoRollouts, waitForRollout } from '../support/rollouts.ts';
import { refusedPort } from './analysis-support.ts';
import { analysisRolloutFixture, canaryRollout } from './analysis-rollout-support.ts';

const fx = analysisRolloutFixture('analysis-rollout-errors');
const { ns, successRate, listRuns, analysisStep } = fx;

test.each([
  {
    name: 'connection refused',
    url: async () => `http://127.0.0.1:${await refusedPort()}/rate`,
    why: 'ECONNREFUSED',
  },
  {
    name: 'HTTP 500',
    url: async () => `${fx.webUrl()}/http-500`,
    why: 'received non 2xx response code: 500',
  },
])(
  'a metric provider that is down ($name) ends in Error after consecutiveErrorLimit and never promotes',
  async ({ url, why }) => {
    await fx.createTemplate('down', {
      metrics: [
        {
          name: 'rate',
          consecutiveErrorLimit: 1,
          successCondition: 'result >= 0.95',
          provider: { web: { url: await url(), jsonPath: '{$.rate}' } },
        },
      ],
    });
    const { stable } = await fx.deployThenUpdate(
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
  const { stable } = await fx.deployThenUpdate(
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
  await fx.successRateTemplate({ count: 1 });
  const rollout = canaryRollout([{ setWeight: 25 }, analysisStep(), { setWeight: 50 }]);
  rollout.spec.analysis = { unsuccessfulRunHistoryLimit: 1 };
  await fx.deployThenUpdate(rollout);
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
