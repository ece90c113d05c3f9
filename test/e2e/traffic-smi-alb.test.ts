// SMI and ALB traffic routing on the real control plane. SMI: the controller creates the
// TrafficSplit (owned by the Rollout) and moves its backends' weights at every step, and a
// TrafficSplit it does not own is left alone with a TrafficRoutingError event (no InvalidSpec). ALB: the forward action
// annotation on the Ingress carries the weights (verification against AWS is out of scope).
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  argoRollouts,
  createRollout,
  getRollout,
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
  installTrafficCrds,
  pausedAt,
  pluginActualWeight,
  promote,
  recordedWeights,
  routedRollout,
  selectors,
  updateAndPause,
  waitForEvents,
  waitForValue,
} from './traffic-support.ts';

const ns = namespacePerTest();
controllerPerFile('traffic-smi-alb');
beforeAll(installTrafficCrds);

interface TrafficSplit {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { service: string; backends: { service: string; weight: number | string }[] };
}
const split = () => getObject<TrafficSplit>(ns.name, 'trafficsplits.split.smi-spec.io', 'web-split');
const backends = async () => (await split())?.spec.backends.map((b) => `${b.service}=${b.weight}`);

test('SMI: the TrafficSplit is created and carries the weight of every step', async () => {
  await createServices(ns.name, ['web-canary', 'web-stable', 'web']);
  const blue = await deployFirst(
    ns.name,
    routedRollout({ smi: { rootService: 'web', trafficSplitName: 'web-split' } }),
  );
  expect(
    await waitForValue('the split created with all on stable', backends, ['web-canary=0', 'web-stable=100']),
  ).toBeTruthy();
  const created = await split();
  expect(created?.spec.service).toBe('web');
  expect(created?.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.controller])).toEqual([
    ['Rollout', 'web', true],
  ]);

  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await backends()).toEqual(['web-canary=25', 'web-stable=75']);
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('25');

  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await backends()).toEqual(['web-canary=75', 'web-stable=25']);
  expect(await pluginActualWeight(ns.name)).toBe('75');

  await argoRollouts(ns.name, 'abort', 'web');
  expect(
    await waitForValue('all traffic back on stable after abort', backends, [
      'web-canary=0',
      'web-stable=100',
    ]),
  ).toBeTruthy();
  expect(
    await waitForValue('canary Service back on stable', () => selectors(ns.name), {
      canary: blue,
      stable: blue,
    }),
  ).toBeTruthy();
  await waitForEventReasons(ns.name, 'web', ['TrafficSplitCreated', 'TrafficSplitModified']);
});

test('SMI: a TrafficSplit owned by someone else is left alone with TrafficRoutingError, not InvalidSpec', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name: 'web' },
    spec: { service: 'web-stable', backends: [{ service: 'elsewhere', weight: '100' }] },
  });
  await createRollout(ns.name, routedRollout({ smi: {} }));
  // As upstream: met while writing the weights, so an event and a retry, not an invalid spec.
  const events = await waitForEvents(ns.name, 'web', 'TrafficRoutingError');
  expect(events).toContain('Rollout does not own TrafficSplit `web`');
  const rollout = await getRollout(ns.name, 'web');
  expect(rollout.status?.conditions?.some((c) => c.type === 'InvalidSpec')).not.toBe(true);
  expect(rollout.status?.phase).not.toBe('Degraded');
  const foreign = await getObject<TrafficSplit>(ns.name, 'trafficsplits.split.smi-spec.io', 'web');
  expect(foreign?.spec.backends).toEqual([{ service: 'elsewhere', weight: '100' }]);

  // Once the foreign TrafficSplit is gone, a retry (back-off, nothing watches TrafficSplits)
  // creates the Rollout's own with all traffic on stable.
  await deleteObject(ns.name, 'trafficsplits.split.smi-spec.io', 'web');
  const owner = async () =>
    (
      await getObject<TrafficSplit>(ns.name, 'trafficsplits.split.smi-spec.io', 'web')
    )?.metadata.ownerReferences?.map((o) => [o.kind, o.name]);
  expect(
    await waitForValue('a TrafficSplit owned by the Rollout', owner, [['Rollout', 'web']], 60_000),
  ).toBeTruthy();
  const own = await getObject<TrafficSplit>(ns.name, 'trafficsplits.split.smi-spec.io', 'web');
  expect(own?.spec.backends.map((b) => `${b.service}=${b.weight}`)).toEqual([
    'web-canary=0',
    'web-stable=100',
  ]);
  await waitForRollout(ns.name, 'web', 'Healthy', healthy);
});

test('ALB: the forward action annotation carries the weight of every step', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web-stable', port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  });
  const action = async () => {
    const ingress = await getObject<{ metadata: { annotations?: Record<string, string> } }>(
      ns.name,
      'ingress',
      'web',
    );
    const raw = ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/actions.web-stable'];
    const groups = raw
      ? (JSON.parse(raw) as { ForwardConfig: { TargetGroups: { ServiceName: string; Weight: number }[] } })
          .ForwardConfig.TargetGroups
      : [];
    return groups.map((g) => `${g.ServiceName}=${g.Weight}`);
  };
  await deployFirst(ns.name, routedRollout({ alb: { ingress: 'web', servicePort: 80 } }));
  expect(await waitForValue('all on stable', action, ['web-canary=0', 'web-stable=100'])).toBeTruthy();
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await action()).toEqual(['web-canary=25', 'web-stable=75']);
  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await action()).toEqual(['web-canary=75', 'web-stable=25']);
  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(
    await waitForValue('all on stable (now yellow)', action, ['web-canary=0', 'web-stable=100']),
  ).toBeTruthy();
  const managed = (
    await getObject<{ metadata: { annotations?: Record<string, string> } }>(ns.name, 'ingress', 'web')
  )?.metadata.annotations?.['rollouts.argoproj.io/managed-alb-actions'];
  expect(JSON.parse(managed ?? '{}')).toEqual({ web: ['alb.ingress.kubernetes.io/actions.web-stable'] });
});
