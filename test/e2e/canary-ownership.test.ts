// ReplicaSet ownership on the real control plane: an orphan with the Rollout's hash is adopted
// without a redeploy, an RS relabelled out of the selector is released, a name taken by a foreign
// ReplicaSet bumps status.collisionCount, a rollback re-uses the earlier RS under a new revision,
// and revisionHistoryLimit deletes the oldest scaled-down RSs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Rollout } from '@rollout-kit/api';
import { podTemplateHash } from '../../controller/src/rollout/pod-hash.ts';
import { kube } from '../support/kube.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webRollout,
  webTemplate,
  healthy,
  createRollout,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const ns = namespacePerTest();
controllerPerFile('canary-ownership');

const rollout = webRollout;

const healthyAt = (hash: string) => (r: Rollout) => healthy(r) && r.status?.stableRS === hash;
const setImage = (image: string) => ({ spec: { template: webTemplate(image) } });

async function listReplicaSets() {
  return (await kube().apps.listNamespacedReplicaSet({ namespace: ns.name })).items;
}
async function readReplicaSet(name: string) {
  return kube().apps.readNamespacedReplicaSet({ namespace: ns.name, name });
}

test('an orphan ReplicaSet with the template hash is adopted, not replaced', async () => {
  const hash = podTemplateHash(webTemplate('argoproj/rollouts-demo:blue'));
  const labels = { app: 'web', 'rollouts-pod-template-hash': hash };
  await kube().apps.createNamespacedReplicaSet({
    namespace: ns.name,
    body: {
      metadata: { name: `web-${hash}`, labels, annotations: { 'rollout.argoproj.io/revision': '1' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: webTemplate('argoproj/rollouts-demo:blue').spec },
      },
    },
  });
  await createRollout(ns.name, rollout('argoproj/rollouts-demo:blue'));
  const done = await waitForRollout(ns.name, 'web', 'Healthy on the adopted RS', healthyAt(hash));
  const rs = await readReplicaSet(`web-${hash}`);
  expect(rs.metadata?.ownerReferences).toEqual([
    expect.objectContaining({ kind: 'Rollout', name: 'web', uid: done.metadata.uid, controller: true }),
  ]);
  expect((await listReplicaSets()).map((r) => r.metadata?.name)).toEqual([`web-${hash}`]);
});

test('an owned ReplicaSet relabelled out of the selector is released', async () => {
  await createRollout(ns.name, rollout('argoproj/rollouts-demo:blue'));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  const oldHash = first.status!.stableRS!;
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS !== oldHash,
  );
  await run('kubectl', ['-n', ns.name, 'label', 'rs', `web-${oldHash}`, 'app=retired', '--overwrite']);
  const released = await waitFor(`ReplicaSet web-${oldHash} released`, async () => {
    const rs = await readReplicaSet(`web-${oldHash}`);
    return (rs.metadata?.ownerReferences ?? []).length === 0 ? rs : undefined;
  });
  expect(released.metadata?.labels?.app).toBe('retired');
});

test('a name held by a foreign ReplicaSet is a hash collision: collisionCount goes to 1', async () => {
  const t = webTemplate('argoproj/rollouts-demo:blue');
  const hash = podTemplateHash(t);
  const squatter = { app: 'squatter' };
  await kube().apps.createNamespacedReplicaSet({
    namespace: ns.name,
    body: {
      metadata: { name: `web-${hash}`, labels: squatter },
      spec: {
        replicas: 0,
        selector: { matchLabels: squatter },
        template: { metadata: { labels: squatter }, spec: t.spec },
      },
    },
  });
  await createRollout(ns.name, rollout('argoproj/rollouts-demo:blue'));
  const collided = podTemplateHash(t, 1);
  const done = await waitForRollout(ns.name, 'web', 'Healthy after the collision', healthyAt(collided));
  expect(collided).not.toBe(hash);
  expect(done.status).toMatchObject({ collisionCount: 1, currentPodHash: collided });
  // The squatter is untouched.
  const foreign = await readReplicaSet(`web-${hash}`);
  expect(foreign.metadata?.ownerReferences).toBeUndefined();
  expect(foreign.metadata?.labels).toEqual(squatter);
});

test('a rollback re-uses the earlier ReplicaSet with a new revision and its history', async () => {
  await createRollout(ns.name, rollout('argoproj/rollouts-demo:blue'));
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  const yellow = (
    await waitForRollout(
      ns.name,
      'web',
      'Healthy on yellow',
      (r) => healthy(r) && r.status?.stableRS !== blue,
    )
  ).status!.stableRS!;
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:blue'));
  const back = await waitForRollout(ns.name, 'web', 'Healthy on blue again', healthyAt(blue));
  expect(back.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
  const rs = await readReplicaSet(`web-${blue}`);
  expect(rs.metadata?.annotations).toMatchObject({
    'rollout.argoproj.io/revision': '3',
    'rollout.argoproj.io/revision-history': '1',
  });
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 2, available: 2 },
    [yellow]: { spec: 0, available: 0 },
  });
});

test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets', async () => {
  await createRollout(ns.name, rollout('argoproj/rollouts-demo:blue', { revisionHistoryLimit: 1 }));
  const hashes = [(await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!];
  for (const color of ['yellow', 'green']) {
    await patchRollout(ns.name, 'web', setImage(`argoproj/rollouts-demo:${color}`));
    const prev = hashes.at(-1);
    const done = await waitForRollout(
      ns.name,
      'web',
      `Healthy on ${color}`,
      (r) => healthy(r) && r.status?.stableRS !== prev,
    );
    hashes.push(done.status!.stableRS!);
  }
  const [blue, yellow, green] = hashes as [string, string, string];
  const sizes = await waitFor('only the newest old ReplicaSet kept', async () => {
    const s = await replicaSetSizes(ns.name, 'web');
    return Object.keys(s).length === 2 ? s : undefined;
  });
  expect(sizes).toEqual({ [green]: { spec: 2, available: 2 }, [yellow]: { spec: 0, available: 0 } });
  expect(sizes[blue]).toBeUndefined();
});
