// antiAffinity end to end on the real control plane (real scheduler, three KWOK nodes each with
// its own kubernetes.io/hostname): while an update is in progress the new ReplicaSet's template
// carries a pod anti-affinity term selecting the stable hash, added to the template's own
// affinity, and its pods are scheduled; after promotion the term is gone from the (now stable)
// ReplicaSet, whose name and hash stay. The canary uses `preferred` (the scheduler may still pick
// any node, so only scheduling is checked); the blue-green uses `required` with 2 replicas, so the
// stable pods cover at most two of the three nodes and the check can be where the preview lands.
import { readFileSync } from 'node:fs';
import type { Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webTemplate,
  webRollout,
  argoRollouts,
  createRollout,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { blueGreenRollout, createService, healthy, template } from './bluegreen-support.ts';

const ns = namespacePerTest();
const controller = controllerPerFile('anti-affinity');

/**
 * How often the controller rewrote the rule for this test's Rollout. Exactly once (the removal
 * after promotion) shows that what it writes is what it then reads back: no patch on every pass.
 */
function ruleUpdates(): number {
  return readFileSync(controller.current.log, 'utf8')
    .split('\n')
    .filter(
      (line) => line.includes('updated the injected anti-affinity rule') && line.includes(`"${ns.name}/web"`),
    ).length;
}

const HASH = 'rollouts-pod-template-hash';

/** The user's own affinity: a soft node preference every KWOK node meets. Must survive untouched. */
const userAffinity = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 1, preference: { matchExpressions: [{ key: 'type', operator: 'In', values: ['kwok'] }] } },
    ],
  },
};

const injected = (stable: string) => ({
  labelSelector: { matchExpressions: [{ key: HASH, operator: 'In', values: [stable] }] },
  namespaces: [ns.name],
  topologyKey: 'kubernetes.io/hostname',
});

function canaryRollout(image: string): Rollout {
  const template = webTemplate(image);
  return webRollout(image, {
    template: { ...template, spec: { ...template.spec, affinity: userAffinity } },
    strategy: {
      canary: {
        antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } },
        steps: [{ setWeight: 50 }, { pause: {} }],
      },
    },
  });
}

/** The template affinity of the Rollout's ReplicaSet with `hash`, and the RS's name. */
async function replicaSetAffinity(hash: string) {
  const list = await kube().apps.listNamespacedReplicaSet({
    namespace: ns.name,
    labelSelector: `${HASH}=${hash}`,
  });
  expect(list.items).toHaveLength(1);
  const rs = list.items[0]!;
  return { name: rs.metadata?.name, affinity: rs.spec?.template?.spec?.affinity };
}

/** Nodes the running pods of `hash` are on; waits until all `count` are scheduled. */
async function nodesOf(hash: string, count: number): Promise<string[]> {
  return waitFor(`${count} pods of ${hash} scheduled`, async () => {
    const pods = await kube().core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: `${HASH}=${hash}`,
    });
    const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
    const nodes = live.map((p) => p.spec?.nodeName).filter((n): n is string => !!n);
    return live.length === count && nodes.length === count ? nodes : undefined;
  });
}

test('canary, preferred: the canary RS avoids the stable hash while paused; the rule is gone after promotion', async () => {
  await createRollout(ns.name, canaryRollout('argoproj/rollouts-demo:blue'));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  const stable = first.status!.stableRS!;
  // First deploy: no stable to avoid, so only the user's affinity.
  expect((await replicaSetAffinity(stable)).affinity).toEqual(userAffinity);

  await patchRollout(ns.name, 'web', {
    spec: { template: { spec: { containers: [{ name: 'web', image: 'argoproj/rollouts-demo:green' }] } } },
  });
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at 50% with the canary pod available',
    (r) =>
      r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.availableReplicas === 2,
  );
  const canary = paused.status!.currentPodHash!;
  expect(canary).not.toBe(stable);
  const during = await replicaSetAffinity(canary);
  expect(during).toEqual({
    name: `web-${canary}`,
    affinity: {
      ...userAffinity,
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: injected(stable) }],
      },
    },
  });
  // The stable RS is left as it was, and the Rollout's own template never carries the rule.
  expect((await replicaSetAffinity(stable)).affinity).toEqual(userAffinity);
  const ro = paused.spec.template?.spec;
  expect(ro?.affinity).toEqual(userAffinity);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 1, available: 1 },
    [canary]: { spec: 1, available: 1 },
  });
  await nodesOf(canary, 1);

  await argoRollouts(ns.name, 'promote', 'web');
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on the canary',
    (r) => healthy(r) && r.status?.stableRS === canary,
  );
  const after = await waitFor('the injected rule removed from the promoted ReplicaSet', async () => {
    const state = await replicaSetAffinity(canary);
    return state.affinity?.podAntiAffinity === undefined ? state : undefined;
  });
  // Same RS (name and hash), the user's affinity intact, both pods scheduled and available.
  expect(after).toEqual({ name: `web-${canary}`, affinity: userAffinity });
  const done = await waitForRollout(
    ns.name,
    'web',
    'both new pods available',
    (r) => r.status?.availableReplicas === 2,
  );
  expect(done.status?.currentPodHash).toBe(canary);
  expect(Object.keys(await replicaSetSizes(ns.name, 'web')).sort()).toEqual([canary, stable].sort());
  await nodesOf(canary, 2);
  expect(ruleUpdates()).toBe(1);
});

test('blue-green, required: the preview pods land only on nodes without active pods; the rule is gone after promotion', async () => {
  await createService(ns.name, 'web-active');
  await createService(ns.name, 'web-preview');
  await createRollout(
    ns.name,
    blueGreenRollout({
      image: 'argoproj/rollouts-demo:blue',
      replicas: 2,
      blueGreen: {
        autoPromotionEnabled: false,
        antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} },
      },
    }),
  );
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  const blue = first.status!.stableRS!;
  expect((await replicaSetAffinity(blue)).affinity).toBeUndefined();
  const blueNodes = await nodesOf(blue, 2);

  await patchRollout(ns.name, 'web', { spec: { template: template('argoproj/rollouts-demo:green') } });
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused in preview with both preview pods available',
    (r) =>
      r.status?.phase === 'Paused' &&
      r.status.blueGreen?.previewSelector === r.status.currentPodHash &&
      r.status.currentPodHash !== blue,
  );
  const green = paused.status!.currentPodHash!;
  expect((await replicaSetAffinity(green)).affinity).toEqual({
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [injected(blue)] },
  });
  await waitFor('both preview pods available', async () =>
    (await replicaSetSizes(ns.name, 'web'))[green]?.available === 2 ? true : undefined,
  );
  const greenNodes = await nodesOf(green, 2);
  for (const node of greenNodes) expect(blueNodes).not.toContain(node);

  await argoRollouts(ns.name, 'promote', 'web');
  await waitForRollout(ns.name, 'web', 'Healthy on green', (r) => healthy(r) && r.status?.stableRS === green);
  const after = await waitFor('the injected rule removed from the promoted ReplicaSet', async () => {
    const state = await replicaSetAffinity(green);
    return state.affinity === undefined || state.affinity === null ? state : undefined;
  });
  expect(after.name).toBe(`web-${green}`);
  await waitForRollout(ns.name, 'web', 'both active pods counted', (r) => r.status?.availableReplicas === 2);
  expect((await replicaSetSizes(ns.name, 'web'))[green]).toEqual({ spec: 2, available: 2 });
  expect(ruleUpdates()).toBe(1);
});
