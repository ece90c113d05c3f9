// NGINX traffic routing on the real control plane: the canary Ingress derived from the stable
// one carries the weight of every step, the Services select the new and stable ReplicaSets,
// status.canary.weights and the official plugin show the actual weight; abort, promote-full,
// the scale-down delay and a stable Ingress deleted mid-rollout.
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  argoRollouts,
  getRollout,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import {
  applyObject,
  createServices,
  deleteObject,
  deployFirst,
  getObject,
  healthy,
  pausedAt,
  pluginActualWeight,
  promote,
  recordedWeights,
  routedRollout,
  selectors,
  updateAndPause,
  waitForValue,
} from './traffic-support.ts';

const ns = namespacePerTest();
controllerPerFile('traffic-nginx');

const stableIngress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
  spec: {
    rules: [
      {
        host: 'web.example',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'web-stable', port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
};

interface Ingress {
  metadata: { annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
}

const canaryWeight = async () =>
  (await getObject<Ingress>(ns.name, 'ingress', 'web-web-canary'))?.metadata.annotations?.[
    'nginx.ingress.kubernetes.io/canary-weight'
  ];

async function setUp(canary: Parameters<typeof routedRollout>[1] = {}) {
  await createServices(ns.name);
  await applyObject(ns.name, stableIngress);
  return deployFirst(
    ns.name,
    routedRollout(
      { nginx: { stableIngress: 'web', additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' } } },
      canary,
    ),
  );
}

test('a 4-step canary moves the canary Ingress weight step by step', async () => {
  const blue = await setUp({ scaleDownDelaySeconds: 5 });
  // Fully promoted from the start: the canary Ingress exists with all traffic on stable.
  expect(await waitForValue('canary weight 0 after the first deploy', canaryWeight, '0')).toBe('0');
  const canaryIngress = await getObject<Ingress>(ns.name, 'ingress', 'web-web-canary');
  expect(canaryIngress?.metadata.annotations).toEqual({
    'kubernetes.io/ingress.class': 'nginx',
    'nginx.ingress.kubernetes.io/canary': 'true',
    'nginx.ingress.kubernetes.io/canary-weight': '0',
    'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
  });
  expect(canaryIngress?.metadata.ownerReferences?.map((o) => [o.kind, o.name])).toEqual([['Rollout', 'web']]);
  expect(canaryIngress?.spec.rules[0]?.http.paths[0]?.backend.service.name).toBe('web-canary');

  const step1 = await updateAndPause(ns.name, 1);
  const yellow = step1.status!.currentPodHash!;
  expect(await canaryWeight()).toBe('25');
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('25');
  // Traffic routing keeps the stable RS at full size; the canary gets ceil(25% of 4) = 1.
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 4, available: 4 },
    [yellow]: { spec: 1, available: 1 },
  });

  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await canaryWeight()).toBe('75');
  expect(await recordedWeights(ns.name)).toEqual({ canary: [75, yellow], stable: [25, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('75');
  expect((await replicaSetSizes(ns.name, 'web'))[yellow]).toEqual({ spec: 3, available: 3 });

  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForValue('canary weight back to 0', canaryWeight, '0')).toBe('0');
  expect(
    await waitForValue('both Services on yellow', () => selectors(ns.name), {
      canary: yellow,
      stable: yellow,
    }),
  ).toBeTruthy();
  expect(await recordedWeights(ns.name)).toEqual({ canary: [0, yellow], stable: [100, yellow] });
  // The previous stable keeps its pods for scaleDownDelaySeconds, then goes to 0.
  const rs = await kubeReplicaSet(blue);
  expect(rs?.metadata.annotations?.['scale-down-deadline']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await waitForValue(
    'the old stable scaled to 0 after the delay',
    async () => (await replicaSetSizes(ns.name, 'web'))[blue]?.spec,
    0,
  );
  const reasons = await waitForEventReasons(ns.name, 'web', [
    'CreatingCanaryIngress',
    'PatchingCanaryIngress',
    'TrafficWeightUpdated',
  ]);
  expect(reasons).toContain('TrafficWeightUpdated');
});

async function kubeReplicaSet(hash: string) {
  const { kube } = await import('../support/kube.ts');
  const list = await kube().apps.listNamespacedReplicaSet({ namespace: ns.name });
  return list.items.find((rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === hash) as
    { metadata: { annotations?: Record<string, string> } } | undefined;
}

test('abort sends all traffic back to stable, then scales the canary down after the delay', async () => {
  const blue = await setUp({ abortScaleDownDelaySeconds: 3 });
  const step1 = await updateAndPause(ns.name, 1);
  const yellow = step1.status!.currentPodHash!;
  expect(await canaryWeight()).toBe('25');

  await argoRollouts(ns.name, 'abort', 'web');
  await waitForRollout(ns.name, 'web', 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
  expect(await waitForValue('canary weight 0 after abort', canaryWeight, '0')).toBe('0');
  expect(
    await waitForValue('canary Service back on stable', () => selectors(ns.name), {
      canary: blue,
      stable: blue,
    }),
  ).toBeTruthy();
  expect(await recordedWeights(ns.name)).toEqual({ canary: [0, yellow], stable: [100, blue] });
  await waitForValue(
    'the aborted canary scaled to 0 after abortScaleDownDelaySeconds',
    async () => (await replicaSetSizes(ns.name, 'web'))[yellow]?.spec,
    0,
  );
  expect((await replicaSetSizes(ns.name, 'web'))[blue]).toEqual({ spec: 4, available: 4 });
});

test('promote --full skips the remaining steps', async () => {
  await setUp();
  const step1 = await updateAndPause(ns.name, 1);
  const yellow = step1.status!.currentPodHash!;
  await promote(ns.name, '--full');
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForValue('canary weight 0 once promoted', canaryWeight, '0')).toBe('0');
  expect(await recordedWeights(ns.name)).toEqual({ canary: [0, yellow], stable: [100, yellow] });
});

test('a stable Ingress deleted mid-rollout is InvalidSpec; stable keeps serving until it is back', async () => {
  const blue = await setUp();
  const step1 = await updateAndPause(ns.name, 1);
  const yellow = step1.status!.currentPodHash!;
  await deleteObject(ns.name, 'ingress', 'web');
  await promote(ns.name);
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing Ingress',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') === true,
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message).toBe(
    'The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingresses.networking.k8s.io "web" not found',
  );
  expect(invalid.status?.phase).toBe('Degraded');
  await waitForEventReasons(ns.name, 'web', ['TrafficRoutingError']);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 4, available: 4 },
    [yellow]: { spec: 1, available: 1 },
  });
  expect(await canaryWeight()).toBe('25');

  await applyObject(ns.name, stableIngress);
  await pausedAt(ns.name, 3);
  expect(await canaryWeight()).toBe('75');
  expect((await getRollout(ns.name, 'web')).status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(
    false,
  );
});

test('dynamicStableScale: the stable ReplicaSet shrinks only after traffic left it', async () => {
  const blue = await setUp({ dynamicStableScale: true });
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await canaryWeight()).toBe('25');
  // 75% stays on stable: ceil(0.75 · 4) = 3 pods, once the 25% was written.
  expect(
    await waitForValue('stable at 3', async () => (await replicaSetSizes(ns.name, 'web'))[blue], {
      spec: 3,
      available: 3,
    }),
  ).toBeTruthy();
  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await canaryWeight()).toBe('75');
  expect(
    await waitForValue('stable at 1', async () => (await replicaSetSizes(ns.name, 'web'))[blue], {
      spec: 1,
      available: 1,
    }),
  ).toBeTruthy();
  expect((await replicaSetSizes(ns.name, 'web'))[yellow]).toEqual({ spec: 3, available: 3 });
  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  // No scale-down delay with dynamicStableScale: the old stable goes at once.
  expect(
    await waitForValue('old stable at 0', async () => (await replicaSetSizes(ns.name, 'web'))[blue]?.spec, 0),
  ).toBe(0);
});

test('setCanaryScale sizes the canary apart from the weight the Ingress carries', async () => {
  const blue = await setUp({
    steps: [
      { setCanaryScale: { replicas: 3 } },
      { pause: {} },
      { setWeight: 25 },
      { pause: {} },
      { setCanaryScale: { weight: 50 } },
      { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } },
      { pause: {} },
    ],
  });
  const sizes = async () => replicaSetSizes(ns.name, 'web');
  // Three canary pods before any traffic reaches them.
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await sizes()).toEqual({ [blue]: { spec: 4, available: 4 }, [yellow]: { spec: 3, available: 3 } });
  expect(await canaryWeight()).toBe('0');
  expect(await recordedWeights(ns.name)).toEqual({ canary: [0, yellow], stable: [100, blue] });
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });

  // setWeight moves the traffic; the earlier setCanaryScale still sizes the canary.
  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await canaryWeight()).toBe('25');
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });
  expect((await sizes())[yellow]).toEqual({ spec: 3, available: 3 });

  // setCanaryScale weight 50: ceil(0.5 · 4) = 2 pods, traffic unchanged.
  await promote(ns.name);
  await pausedAt(ns.name, 5);
  expect(
    await waitForValue('canary at 2 pods', async () => (await sizes())[yellow], { spec: 2, available: 2 }),
  ).toBeTruthy();
  expect(await canaryWeight()).toBe('25');

  // matchTrafficWeight: pods follow the 25% again, ceil(0.25 · 4) = 1.
  await promote(ns.name);
  await pausedAt(ns.name, 7);
  expect(
    await waitForValue('canary at 1 pod', async () => (await sizes())[yellow], { spec: 1, available: 1 }),
  ).toBeTruthy();
  expect(await canaryWeight()).toBe('25');
  expect(await pluginActualWeight(ns.name)).toBe('25');
  expect((await sizes())[blue]).toEqual({ spec: 4, available: 4 });

  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForValue('canary weight back to 0', canaryWeight, '0')).toBe('0');
});
