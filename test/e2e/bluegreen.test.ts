// Blue-green end to end on the real control plane, driven with the official kubectl-argo-rollouts
// plugin, with Argo CD's own health check read at every stage: the seed walkthrough (blue → green
// with auto-promotion off, promote, blue scaled down after the delay), auto-promotion after
// autoPromotionSeconds, previewReplicaCount growing to full size on promotion, and Argo CD's own
// resume action promoting the preview.
import type { Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  eventMessages,
  argoRollouts,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  argoCdHealth,
  blueGreenRollout,
  deployFirst,
  healthy,
  healthyOn,
  runArgoCdAction,
  serviceState,
  updateToGreen,
  waitForArgoCdHealth,
  waitForService,
} from './bluegreen-support.ts';

const ns = namespacePerTest();
controllerPerFile('bluegreen');

async function deployBlue(blueGreen: Parameters<typeof blueGreenRollout>[0]['blueGreen']): Promise<string> {
  const first = await deployFirst(
    ns.name,
    blueGreenRollout({ image: 'argoproj/rollouts-demo:blue', blueGreen }),
  );
  const blue = first.status!.stableRS!;
  expect(first.status?.blueGreen).toEqual({ activeSelector: blue, previewSelector: blue });
  return blue;
}

const pausedInPreview = (r: Rollout) =>
  r.status?.phase === 'Paused' && r.status.pauseConditions?.[0]?.reason === 'BlueGreenPause';

test('blue → green with auto-promotion off: preview first, promote, blue scaled down after the delay', async () => {
  const blue = await deployBlue({ autoPromotionEnabled: false, scaleDownDelaySeconds: 5 });
  expect(await serviceState(ns.name, 'web-active')).toEqual({
    hash: blue,
    selector: { app: 'web', 'rollouts-pod-template-hash': blue },
    managedBy: 'web',
  });
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Healthy', message: '' });

  const paused = await updateToGreen(ns.name, pausedInPreview);
  const green = paused.status!.currentPodHash!;
  expect(green).not.toBe(blue);
  // Preview on green, active still on blue, both ReplicaSets up.
  expect((await serviceState(ns.name, 'web-preview')).hash).toBe(green);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [green]: { spec: 3, available: 3 },
  });
  expect(paused.status).toMatchObject({
    stableRS: blue,
    controllerPause: true,
    message: 'BlueGreenPause',
    blueGreen: { activeSelector: blue, previewSelector: green },
    availableReplicas: 3,
    selector: `app=web,rollouts-pod-template-hash=${blue}`,
  });
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Suspended', message: 'BlueGreenPause' });
  // The official plugin shows the blue-green roles.
  const shown = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(shown).toMatch(/Strategy:\s+BlueGreen/);
  expect(shown).toMatch(/Status:\s+॥ Paused/);
  expect(shown).toMatch(new RegExp(`web-${green}\\s.*preview`));
  expect(shown).toMatch(new RegExp(`web-${blue}\\s.*stable,active`));

  await argoRollouts(ns.name, 'promote', 'web');
  const done = await healthyOn(ns.name, green);
  expect(done.status?.blueGreen).toEqual({ activeSelector: green, previewSelector: green });
  expect(done.status?.pauseConditions).toBeUndefined();
  expect(done.status?.controllerPause).toBeUndefined();
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Healthy', message: '' });

  // Blue stays up for scaleDownDelaySeconds, with the deadline the plugin shows, then goes.
  const delayed = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(delayed).toMatch(new RegExp(`web-${blue}\\s.*delay:`));
  await waitFor('blue scaled to 0 after the delay', async () =>
    (await replicaSetSizes(ns.name, 'web'))[blue]?.spec === 0 ? true : undefined,
  );
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 0, available: 0 },
    [green]: { spec: 3, available: 3 },
  });
  const reasons = await waitForEventReasons(ns.name, 'web', [
    'RolloutUpdated',
    'NewReplicaSetCreated',
    'SwitchService',
    'RolloutPaused',
    'RolloutResumed',
    'RolloutCompleted',
    'ScalingReplicaSet',
  ]);
  expect(reasons.filter((r) => r === 'RolloutCompleted')).toHaveLength(2);
});

test('autoPromotionSeconds: the pause ends by itself and the active Service switches', async () => {
  const blue = await deployBlue({ autoPromotionSeconds: 3 });
  const paused = await updateToGreen(ns.name, pausedInPreview);
  const green = paused.status!.currentPodHash!;
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  await waitForArgoCdHealth(ns.name, 'Suspended');

  const done = await waitForRollout(
    ns.name,
    'web',
    'auto-promoted to green',
    (r) => healthy(r) && r.status?.stableRS === green,
  );
  expect(done.status?.pauseConditions).toBeUndefined();
  expect(await waitForService(ns.name, 'web-active', green)).toMatchObject({ hash: green, managedBy: 'web' });
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Healthy', message: '' });
});

test('previewReplicaCount: green runs one pod in preview and grows to full size on promotion', async () => {
  const blue = await deployBlue({ autoPromotionEnabled: false, previewReplicaCount: 1 });
  const paused = await updateToGreen(ns.name, pausedInPreview);
  const green = paused.status!.currentPodHash!;
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [green]: { spec: 1, available: 1 },
  });
  expect((await serviceState(ns.name, 'web-preview')).hash).toBe(green);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  // The plugin and Argo CD see a paused rollout whose update is only partly scaled.
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Suspended', message: 'BlueGreenPause' });

  await argoRollouts(ns.name, 'promote', 'web');
  const done = await healthyOn(ns.name, green);
  expect(done.status?.blueGreen?.scaleUpPreviewCheckPoint).toBeUndefined();
  expect((await replicaSetSizes(ns.name, 'web'))[green]).toEqual({ spec: 3, available: 3 });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  // Green went 0 → 1 for the preview, then 1 → 3 once promoted; never straight to 3.
  await waitForEventReasons(ns.name, 'web', ['SwitchService', 'RolloutCompleted']);
  const scaled = await eventMessages(ns.name, 'web', 'ScalingReplicaSet');
  expect(scaled).toContain(`Scaled up ReplicaSet web-${green} (revision 2) from 0 to 1`);
  expect(scaled).toContain(`Scaled up ReplicaSet web-${green} (revision 2) from 1 to 3`);
  expect(scaled).not.toContain(`Scaled up ReplicaSet web-${green} (revision 2) from 0 to 3`);
});

test("Argo CD's resume action promotes a blue-green Rollout paused in preview", async () => {
  const blue = await deployBlue({ autoPromotionEnabled: false });
  const paused = await updateToGreen(ns.name, pausedInPreview);
  const green = paused.status!.currentPodHash!;
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);

  await runArgoCdAction(ns.name, 'resume');
  await healthyOn(ns.name, green);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  expect(await argoCdHealth(ns.name)).toEqual({ status: 'Healthy', message: '' });
});
