// canaryMetadata / stableMetadata on the real control plane: the ReplicaSet templates and the live
// pods carry the labels and annotations of their role, and promotion swaps canary for stable.
import type { Rollout } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webRollout,
  webTemplate,
  healthy,
  argoRollouts,
  createRollout,
  patchRollout,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
controllerPerFile('canary-metadata');

const rollout: Rollout = webRollout('argoproj/rollouts-demo:blue', {
  strategy: {
    canary: {
      canaryMetadata: { labels: { role: 'canary' }, annotations: { 'example.com/canary-only': 'yes' } },
      stableMetadata: { labels: { role: 'stable' } },
      steps: [{ setWeight: 50 }, { pause: {} }],
    },
  },
});

/** Role label and canary-only annotation of each live pod of the hash, once all have `role`. */
async function podRoles(hash: string, role: string) {
  return waitFor(`pods of ${hash} labelled role=${role}`, async () => {
    const pods = (
      await kube().core.listNamespacedPod({
        namespace: ns.name,
        labelSelector: `rollouts-pod-template-hash=${hash}`,
      })
    ).items.filter((p) => !p.metadata?.deletionTimestamp);
    if (pods.length === 0 || !pods.every((p) => p.metadata?.labels?.role === role)) return undefined;
    return pods.map((p) => ({
      app: p.metadata?.labels?.app,
      role: p.metadata?.labels?.role,
      canaryOnly: p.metadata?.annotations?.['example.com/canary-only'],
    }));
  });
}

async function templateRole(hash: string) {
  const rs = await kube().apps.readNamespacedReplicaSet({ namespace: ns.name, name: `web-${hash}` });
  return rs.spec?.template?.metadata?.labels?.role;
}

test('pods carry the metadata of their role, swapped on promotion', async () => {
  await createRollout(ns.name, rollout);
  const blue = (await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy)).status!
    .stableRS!;
  expect(await podRoles(blue, 'stable')).toEqual([
    { app: 'web', role: 'stable', canaryOnly: undefined },
    { app: 'web', role: 'stable', canaryOnly: undefined },
  ]);

  await patchRollout(ns.name, 'web', { spec: { template: webTemplate('argoproj/rollouts-demo:yellow') } });
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
  );
  const yellow = paused.status!.currentPodHash!;
  expect(await templateRole(yellow)).toBe('canary');
  expect(await podRoles(yellow, 'canary')).toEqual([{ app: 'web', role: 'canary', canaryOnly: 'yes' }]);
  expect(await podRoles(blue, 'stable')).toHaveLength(1);

  await argoRollouts(ns.name, 'promote', 'web');
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  const promoted = await waitFor('canary-only annotation removed from the promoted pods', async () => {
    const roles = await podRoles(yellow, 'stable');
    return roles.length === 2 && roles.every((p) => p.canaryOnly === undefined) ? roles : undefined;
  });
  expect(promoted).toEqual([
    { app: 'web', role: 'stable', canaryOnly: undefined },
    { app: 'web', role: 'stable', canaryOnly: undefined },
  ]);
  expect(await templateRole(yellow)).toBe('stable');
});
