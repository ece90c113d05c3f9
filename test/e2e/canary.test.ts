// The canary controller end to end on the real control plane, driven with the official
// kubectl-argo-rollouts plugin: the steps 25% → pause → 50% → pause 10s → 100% checked at every
// step, abort and retry, promote --full, and an invalid spec that leaves the stable version up.
// At each stage Argo CD's own Rollout health check (its health.lua) reads our status.
import type { Rollout } from '@rollout-kit/api';
import { argoCdHealth, waitForArgoCdHealth } from '../support/argocd-lua.ts';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  webRollout,
  healthy,
  argoRollouts,
  createRollout,
  waitForEventReasons,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';

const ns = namespacePerTest();
controllerPerFile('canary');

const canaryRollout = (image: string): Rollout =>
  webRollout(image, {
    replicas: 4,
    strategy: {
      canary: {
        steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '10s' } }],
      },
    },
  });

const setImage = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
});

async function deployStable(): Promise<string> {
  await createRollout(ns.name, canaryRollout('argoproj/rollouts-demo:blue'));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  expect(first.status).toMatchObject({ currentStepIndex: 4, availableReplicas: 4 });
  expect((await argoCdHealth(ns.name)).status).toBe('Healthy');
  return first.status!.stableRS!;
}

test('a 4-replica canary walks its steps with promote and a timed pause', async () => {
  const stable = await deployStable();
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [stable]: { spec: 4, available: 4 } });

  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
  );
  const canary = paused.status!.currentPodHash!;
  expect(canary).not.toBe(stable);
  expect(paused.status).toMatchObject({
    message: 'CanaryPauseStep',
    stableRS: stable,
    controllerPause: true,
  });
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Suspended', message: 'CanaryPauseStep' });
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 3, available: 3 },
    [canary]: { spec: 1, available: 1 },
  });

  await argoRollouts(ns.name, 'promote', 'web');
  const timed = await waitForRollout(
    ns.name,
    'web',
    'in the 10 s pause at step 3',
    (r) => r.status?.currentStepIndex === 3 && r.status.phase === 'Paused',
  );
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 2, available: 2 },
    [canary]: { spec: 2, available: 2 },
  });
  expect(timed.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
  expect((await argoCdHealth(ns.name)).status).toBe('Suspended');

  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy after the timed pause',
    (r) => healthy(r) && r.status?.stableRS === canary,
    60_000,
  );
  expect(done.status).toMatchObject({ currentStepIndex: 4, stableRS: canary, currentPodHash: canary });
  expect(done.status?.pauseConditions).toBeUndefined();
  expect((await argoCdHealth(ns.name)).status).toBe('Healthy');
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 0, available: 0 },
    [canary]: { spec: 4, available: 4 },
  });
  const wanted = [
    'RolloutUpdated',
    'NewReplicaSetCreated',
    'ScalingReplicaSet',
    'RolloutPaused',
    'RolloutResumed',
    'RolloutStepCompleted',
    'RolloutCompleted',
  ];
  const reasons = await waitForEventReasons(ns.name, 'web', wanted);
  for (const reason of wanted) expect(reasons).toContain(reason);
});

test('abort scales the canary away and leaves the Rollout Degraded; retry and promote --full finish it', async () => {
  const stable = await deployStable();
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:red'));
  await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );

  await argoRollouts(ns.name, 'abort', 'web');
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'Degraded after abort',
    (r) => r.status?.phase === 'Degraded',
  );
  expect(aborted.status?.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
  expect(aborted.status).toMatchObject({ abort: true, currentStepIndex: 0, stableRS: stable });
  expect(await argoCdHealth(ns.name)).toEqual({
    status: 'Degraded',
    message: 'RolloutAborted: Rollout aborted update to revision 2',
  });
  const canary = aborted.status!.currentPodHash!;
  await waitFor(
    'the stable ReplicaSet back at 4 and the canary at 0',
    async () => {
      const sizes = await replicaSetSizes(ns.name, 'web');
      return sizes[stable]?.available === 4 && sizes[canary]?.spec === 0;
    },
    { observe: () => replicaSetSizes(ns.name, 'web') },
  );

  await argoRollouts(ns.name, 'retry', 'rollout', 'web');
  await waitForRollout(
    ns.name,
    'web',
    'paused again at step 1 after retry',
    (r) => !r.status?.abort && r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  await argoRollouts(ns.name, 'promote', 'web', '--full');
  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new version',
    (r) => healthy(r) && r.status?.stableRS === canary,
  );
  expect(done.status?.promoteFull).toBeUndefined();
  expect(await waitForEventReasons(ns.name, 'web', ['RolloutAborted'])).toContain('RolloutAborted');
});

test('an invalid spec gets InvalidSpec naming the field while the stable version keeps serving', async () => {
  const stable = await deployStable();
  await patchRollout(ns.name, 'web', {
    spec: {
      strategy: { canary: { steps: [{ setWeight: 120 }] } },
      template: { spec: { containers: [{ name: 'web', image: 'x:2' }] } },
    },
  });
  const bad = await waitForRollout(
    ns.name,
    'web',
    'Degraded with InvalidSpec',
    (r) => r.status?.phase === 'Degraded',
  );
  expect(bad.status?.message).toMatch(
    /^InvalidSpec: The Rollout "web" is invalid: spec\.strategy\.steps\[0\]\.setWeight: Invalid value: 120/,
  );
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [stable]: { spec: 4, available: 4 } });
  await patchRollout(ns.name, 'web', {
    spec: { strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } } },
  });
  await waitForRollout(
    ns.name,
    'web',
    'valid again and paused on the canary',
    (r) => r.status?.phase === 'Paused' && !r.status.conditions?.some((c) => c.type === 'InvalidSpec'),
  );
});

test('a new revision never shrinks the stable ReplicaSet below its share of the first step', async () => {
  // R=20, setWeight 10: the stable RS goes 20 → 18 and the canary 0 → 2. Scaling from the stored
  // status (which still names the old hash as current) once sized the stable RS for 100% first.
  const rollout = canaryRollout('argoproj/rollouts-demo:blue');
  rollout.spec.replicas = 20;
  rollout.spec.strategy = { canary: { steps: [{ setWeight: 10 }, { pause: {} }] } };
  await createRollout(ns.name, rollout);
  const stable = (await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy)).status!
    .stableRS!;
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.phase === 'Paused',
  );
  const canary = paused.status!.currentPodHash!;
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 18, available: 18 },
    [canary]: { spec: 2, available: 2 },
  });
  const list = await kube().core.listNamespacedEvent({
    namespace: ns.name,
    fieldSelector: 'reason=ScalingReplicaSet',
  });
  const stableMoves = list.items
    .map((e) => e.message ?? '')
    .filter((m) => m.includes(`web-${stable} `) && m.includes('Scaled down'));
  expect(stableMoves).toEqual([`Scaled down ReplicaSet web-${stable} (revision 1) from 20 to 18`]);
});

test('Argo CD reads Progressing while the canary pods are not ready, and Degraded past the deadline', async () => {
  const stable = await deployStable();
  await patchRollout(ns.name, 'web', {
    spec: {
      progressDeadlineSeconds: 30,
      template: {
        metadata: { labels: { app: 'web', 'rollout-kit.test/readiness': 'fail' } },
        spec: { containers: [{ name: 'web', image: 'argoproj/rollouts-demo:never-ready' }] },
      },
    },
  });
  // First "Waiting for rollout spec update to be observed", then our phase and message surface.
  const progressing = await waitFor(
    'Argo CD health Progressing on the unready canary',
    async () => {
      const health = await argoCdHealth(ns.name);
      return health.status === 'Progressing' &&
        health.message !== 'Waiting for rollout spec update to be observed'
        ? health
        : undefined;
    },
    { observe: () => argoCdHealth(ns.name) },
  );
  expect(progressing.message).toMatch(
    /^(more replicas need to be updated|updated replicas are still becoming available)$/,
  );
  // The stable RS was scaled to 3; its status counts the fourth pod until that pod is gone.
  await waitFor(
    'the stable ReplicaSet at 3 of 3',
    async () => {
      const size = (await replicaSetSizes(ns.name, 'web'))[stable];
      return size?.spec === 3 && size.available === 3 ? size : undefined;
    },
    { observe: async () => (await replicaSetSizes(ns.name, 'web'))[stable] },
  );
  const degraded = await waitForArgoCdHealth(ns.name, 'Degraded');
  expect(degraded.message).toMatch(
    /^ProgressDeadlineExceeded: ReplicaSet "web-\w+" has timed out progressing\.$/,
  );
});
