// spec.rollbackWindow on the real control plane: going back to a ReplicaSet within the window
// skips the canary's steps and the blue-green pause, and completes as "Rollback within window";
// one revision further back, outside the window, the steps run again.
import type { Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webRollout,
  argoRollouts,
  createRollout,
  eventMessages,
  healthy,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { blueGreenRollout, deployFirst, healthyOn, serviceState, template } from './bluegreen-support.ts';

const ns = namespacePerTest();
controllerPerFile('rollback-window');

const image = (tag: string) => `argoproj/rollouts-demo:${tag}`;

const canaryRollout = (revisions: number): Rollout =>
  webRollout(image('blue'), {
    rollbackWindow: { revisions },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
  });

/**
 * Waits until the newest ReplicaSet is over a second old: creationTimestamp has whole seconds and
 * two ReplicaSets of the same second are not before one another, so neither is a rollback.
 */
async function pastNewestReplicaSet(): Promise<void> {
  const list = await kube().apps.listNamespacedReplicaSet({ namespace: ns.name });
  const newest = Math.max(...list.items.map((rs) => rs.metadata?.creationTimestamp?.getTime() ?? 0));
  const wait = newest + 1_100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Updates the canary to `tag`, waits for the pause at step 1, promotes it in full. */
async function canaryTo(tag: string): Promise<string> {
  await pastNewestReplicaSet();
  await patchRollout(ns.name, 'web', { spec: { template: template(image(tag)) } });
  const paused = await waitForRollout(
    ns.name,
    'web',
    `${tag} paused at step 1`,
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  await argoRollouts(ns.name, 'promote', 'web', '--full');
  const hash = paused.status!.currentPodHash!;
  await waitForRollout(ns.name, 'web', `Healthy on ${tag}`, (r) => healthy(r) && r.status?.stableRS === hash);
  return hash;
}

/** Waits until only `hash` has pods: the older ReplicaSets were scaled to zero. */
async function onlyRunning(hash: string): Promise<void> {
  await waitFor(`only ${hash} running`, async () => {
    const sizes = await replicaSetSizes(ns.name, 'web');
    return Object.entries(sizes).every(([h, s]) => h === hash || s.spec === 0) ? sizes : undefined;
  });
}

/** Sets the template back to `tag` and watches every status until `done`; returns what it saw. */
async function backTo(
  tag: string,
  done: (r: Rollout) => boolean,
): Promise<{ last: Rollout; paused: boolean }> {
  await pastNewestReplicaSet();
  await patchRollout(ns.name, 'web', { spec: { template: template(image(tag)) } });
  let paused = false;
  const last = await waitForRollout(ns.name, 'web', `the rollback to ${tag}`, (r) => {
    if ((r.status?.pauseConditions?.length ?? 0) > 0) paused = true;
    return done(r);
  });
  return { last, paused };
}

test('a canary going back within the window skips its steps and completes as "Rollback within window"', async () => {
  await createRollout(ns.name, canaryRollout(1));
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  const yellow = await canaryTo('yellow');
  await onlyRunning(yellow);

  const { paused } = await backTo('blue', (r) => healthy(r) && r.status?.stableRS === blue);
  expect(paused).toBe(false);
  const completed = await eventMessages(ns.name, 'web', 'RolloutCompleted');
  expect(completed.at(-1)).toMatch(
    new RegExp(`^Rollout completed update to revision 3 \\(${blue}\\): Rollback within window$`),
  );
});

test('one revision further back than the window allows, the canary runs its steps', async () => {
  await createRollout(ns.name, canaryRollout(1));
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  await canaryTo('yellow');
  const green = await canaryTo('green');
  await onlyRunning(green);

  // yellow lies between blue and the stable green: one revision, not fewer than 1.
  const { last } = await backTo(
    'blue',
    (r) =>
      r.status?.currentPodHash === blue && r.status.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  expect(last.status?.stableRS).toBe(green);
  expect(await eventMessages(ns.name, 'web', 'SkipSteps')).toEqual([]);
});

test('a blue-green Rollout going back within the window switches without its pause', async () => {
  const first = await deployFirst(
    ns.name,
    blueGreenRollout({
      image: image('blue'),
      replicas: 2,
      blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 2 },
    }),
  );
  await patchRollout(ns.name, 'web', { spec: { rollbackWindow: { revisions: 1 } } });
  const blue = first.status!.stableRS!;
  await pastNewestReplicaSet();
  await patchRollout(ns.name, 'web', { spec: { template: template(image('green')) } });
  const green = (
    await waitForRollout(ns.name, 'web', 'green paused in preview', (r) => r.status?.phase === 'Paused')
  ).status!.currentPodHash!;
  await argoRollouts(ns.name, 'promote', 'web');
  await healthyOn(ns.name, green);
  // Past scaleDownDelaySeconds blue has no pods: this is not the fast rollback of the delay.
  await onlyRunning(green);

  const { paused } = await backTo('blue', (r) => healthy(r) && r.status?.stableRS === blue);
  expect(paused).toBe(false);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  const completed = await eventMessages(ns.name, 'web', 'RolloutCompleted');
  expect(completed.at(-1)).toMatch(/: Rollback within window$/);
});
