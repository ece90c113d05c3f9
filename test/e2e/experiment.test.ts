// Experiments end to end on the local control plane: an Experiment's templates become ReplicaSets
// whose (KWOK) pods become available, its analysis runs against a loopback web metric, and it
// completes after its duration (or fails with its analysis) and scales its ReplicaSets down; and
// the canary `experiment` step, which completes or aborts the Rollout with the Experiment.
import type { AnalysisRun, CanaryStep, Experiment, Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webRollout,
  healthy,
  argoRollouts,
  createRollout,
  patchRollout,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { json, loopbackServer, type LoopbackServer } from './analysis-support.ts';

const ns = namespacePerTest();
controllerPerFile('experiment');
let web: LoopbackServer;
/** The web metric's answer per test namespace. */
const rate = new Map<string, number>();

beforeAll(async () => {
  web = await loopbackServer((req, _body, res) =>
    json(res, 200, { rate: rate.get((req.url ?? '/').slice(1)) ?? 0 }),
  );
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

async function createWebRateTemplate(): Promise<void> {
  await kube().custom.createNamespacedCustomObject({
    ...custom('analysistemplates'),
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web-rate' },
      spec: {
        metrics: [
          {
            name: 'rate',
            interval: '1s',
            successCondition: 'result >= 0.95',
            provider: { web: { url: `${web.url}/${ns.name}`, jsonPath: '{$.rate}' } },
          },
        ],
      },
    },
  });
}

async function getExperiment(name: string): Promise<Experiment> {
  return (await kube().custom.getNamespacedCustomObject({ ...custom('experiments'), name })) as Experiment;
}

async function waitForExperiment(
  name: string,
  what: string,
  check: (e: Experiment) => boolean,
): Promise<Experiment> {
  return waitFor(
    `Experiment ${ns.name}/${name}: ${what}`,
    async () => {
      const e = await getExperiment(name).catch(() => undefined);
      return e && check(e) ? e : undefined;
    },
    { timeoutMs: 60_000, observe: async () => (await getExperiment(name).catch(() => undefined))?.status },
  );
}

async function replicaSets(): Promise<Record<string, { spec: number; available: number; owner?: string }>> {
  const list = await kube().apps.listNamespacedReplicaSet({ namespace: ns.name });
  const out: Record<string, { spec: number; available: number; owner?: string }> = {};
  for (const rs of list.items)
    out[rs.metadata?.name ?? ''] = {
      spec: rs.spec?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      owner: rs.metadata?.ownerReferences?.find((o) => o.controller)?.kind,
    };
  return out;
}

async function runs(): Promise<AnalysisRun[]> {
  const list = (await kube().custom.listNamespacedCustomObject(custom('analysisruns'))) as {
    items: AnalysisRun[];
  };
  return list.items;
}

const podTemplate = (image: string) => ({
  metadata: { labels: { app: 'exp' } },
  spec: { containers: [{ name: 'web', image }] },
});

function experiment(fields: Partial<Experiment['spec']> = {}): Experiment {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'exp' },
    spec: {
      duration: '4s',
      scaleDownDelaySeconds: 0,
      templates: [
        {
          name: 'baseline',
          replicas: 1,
          selector: { matchLabels: { app: 'exp' } },
          template: podTemplate('demo:blue'),
        },
        {
          name: 'canary',
          replicas: 2,
          selector: { matchLabels: { app: 'exp' } },
          template: podTemplate('demo:green'),
        },
      ],
      analyses: [{ name: 'rate', templateName: 'web-rate' }],
      ...fields,
    },
  };
}

test('an Experiment runs its templates and analysis for its duration, then scales down', async () => {
  rate.set(ns.name, 0.99);
  await createWebRateTemplate();
  await kube().custom.createNamespacedCustomObject({ ...custom('experiments'), body: experiment() });
  const running = await waitForExperiment(
    'exp',
    'Running with its analysis',
    (e) => e.status?.phase === 'Running' && e.status.analysisRuns?.[0]?.phase === 'Running',
  );
  expect(running.status?.availableAt).toBeDefined();
  expect(running.status?.templateStatuses?.map((t) => [t.name, t.status, t.availableReplicas])).toEqual([
    ['baseline', 'Running', 1],
    ['canary', 'Running', 2],
  ]);
  expect(running.status?.analysisRuns).toEqual([{ name: 'rate', analysisRun: 'exp-rate', phase: 'Running' }]);
  const sizes = await replicaSets();
  expect(sizes['exp-baseline']).toEqual({ spec: 1, available: 1, owner: 'Experiment' });
  expect(sizes['exp-canary']).toEqual({ spec: 2, available: 2, owner: 'Experiment' });

  const done = await waitForExperiment('exp', 'Successful', (e) => e.status?.phase === 'Successful');
  expect(done.status?.templateStatuses?.map((t) => t.status)).toEqual(['Successful', 'Successful']);
  await waitFor('the template ReplicaSets scaled to 0', async () => {
    const now = await replicaSets();
    return now['exp-baseline']?.spec === 0 && now['exp-canary']?.spec === 0 ? now : undefined;
  });
  const [run] = await runs();
  expect(run?.spec.terminate).toBe(true);
  expect(run?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Experiment', name: 'exp' });
});

test('an Experiment with a repeated template name gets InvalidSpec and creates nothing until fixed', async () => {
  const [baseline] = experiment().spec.templates;
  const invalid = experiment({ analyses: [], templates: [baseline!, { ...baseline!, replicas: 2 }] });
  await kube().custom.createNamespacedCustomObject({ ...custom('experiments'), body: invalid });
  const flagged = await waitForExperiment('exp', 'InvalidSpec', (e) =>
    Boolean(e.status?.conditions?.some((c) => c.type === 'InvalidSpec')),
  );
  expect(flagged.status?.conditions?.find((c) => c.type === 'InvalidSpec')).toMatchObject({
    status: 'True',
    reason: 'InvalidSpec',
    message: "Experiment exp has repeated template name 'baseline' in templates",
  });
  expect(flagged.status?.phase).toBeUndefined();
  expect(await replicaSets()).toEqual({});

  // Fixed: the condition goes and the Experiment runs.
  await kube().custom.patchNamespacedCustomObject({
    ...custom('experiments'),
    name: 'exp',
    body: [{ op: 'replace', path: '/spec/templates/1/name', value: 'canary' }],
  });
  const running = await waitForExperiment('exp', 'Running', (e) => e.status?.phase === 'Running');
  expect(running.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
  expect(Object.keys(await replicaSets()).sort()).toEqual(['exp-baseline', 'exp-canary']);
});

test('a failing analysis fails the Experiment before its duration', async () => {
  rate.set(ns.name, 0.2);
  await createWebRateTemplate();
  await kube().custom.createNamespacedCustomObject({
    ...custom('experiments'),
    body: experiment({ duration: '1h' }),
  });
  const failed = await waitForExperiment('exp', 'Failed', (e) => e.status?.phase === 'Failed');
  expect(failed.status?.message).toContain("Analysis 'rate' failed");
  expect(failed.status?.message).toContain('Metric "rate" assessed Failed');
  await waitFor('the template ReplicaSets scaled to 0', async () => {
    const now = await replicaSets();
    return now['exp-baseline']?.spec === 0 && now['exp-canary']?.spec === 0 ? now : undefined;
  });
});

const canaryRollout = (steps: CanaryStep[]): Rollout =>
  webRollout('argoproj/rollouts-demo:blue', { replicas: 4, strategy: { canary: { steps } } });

const experimentStep: CanaryStep = {
  experiment: {
    duration: '3s',
    scaleDownDelaySeconds: 0,
    templates: [
      { name: 'canary', specRef: 'canary' },
      { name: 'baseline', specRef: 'stable' },
    ],
    analyses: [{ name: 'rate', templateName: 'web-rate' }],
  },
};

async function deployThenUpdate(): Promise<string> {
  await createRollout(ns.name, canaryRollout([{ setWeight: 25 }, experimentStep, { setWeight: 50 }]));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  await patchRollout(ns.name, 'web', {
    spec: { template: { spec: { containers: [{ name: 'web', image: 'argoproj/rollouts-demo:yellow' }] } } },
  });
  return first.status!.stableRS!;
}

test('an experiment step runs the canary beside the stable and completes the step', async () => {
  rate.set(ns.name, 0.99);
  await createWebRateTemplate();
  const stable = await deployThenUpdate();
  const during = await waitForRollout(ns.name, 'web', 'the experiment step has its Experiment', (r) =>
    Boolean(r.status?.canary?.currentExperiment),
  );
  const hash = during.status!.currentPodHash!;
  const name = during.status!.canary!.currentExperiment!;
  expect(name).toBe(`web-${hash}-2-1`);
  await waitForRollout(
    ns.name,
    'web',
    'promoted after the experiment',
    (r) => healthy(r) && r.status?.stableRS === hash,
  );
  const done = await getExperiment(name);
  expect(done.status?.phase).toBe('Successful');
  expect(done.metadata.labels).toMatchObject({ 'rollouts-pod-template-hash': hash });
  expect(done.spec.templates.map((t) => t.template.metadata?.labels?.['rollouts-pod-template-hash'])).toEqual(
    [hash, stable],
  );
  await waitForEventReasons(ns.name, 'web', ['ExperimentCreated', 'RolloutCompleted']);
  // The official plugin shows the Experiment under its revision.
  expect(await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color')).toMatch(
    new RegExp(`${name}\\s+Experiment\\s+✔ Successful`),
  );
});

test('an experiment step whose analysis fails aborts the Rollout', async () => {
  rate.set(ns.name, 0.2);
  await createWebRateTemplate();
  const stable = await deployThenUpdate();
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted by the experiment',
    (r) => r.status?.phase === 'Degraded',
  );
  expect(aborted.status).toMatchObject({ abort: true, stableRS: stable });
  expect(aborted.status?.message).toContain('Experiment analysis phase is error/failed: ');
  expect(aborted.status?.message).toContain("Analysis 'rate' failed");
});
