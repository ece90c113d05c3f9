// Blue-green when an update goes wrong, on the real control plane: abort and retry (with the
// official plugin), an update whose pods never become Ready (never promoted, the active Service
// never moves), fast rollback to a version still within its scale-down delay, and a missing
// Service (InvalidSpec naming the field while the active Service keeps selecting the stable pods).
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  eventMessages,
  argoRollouts,
  patchRollout,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  argoCdHealth,
  blueGreenRollout,
  createService,
  deployFirst,
  healthy,
  healthyOn,
  serviceState,
  template,
  updateToGreen,
  waitForService,
} from './bluegreen-support.ts';

const ns = namespacePerTest();
controllerPerFile('bluegreen-rollback');

async function deployBlue(
  blueGreen: Parameters<typeof blueGreenRollout>[0]['blueGreen'],
  extra: { progressDeadlineSeconds?: number } = {},
): Promise<string> {
  const rollout = blueGreenRollout({ image: 'argoproj/rollouts-demo:blue', blueGreen });
  Object.assign(rollout.spec, extra);
  return (await deployFirst(ns.name, rollout)).status!.stableRS!;
}

test('abort keeps blue active and removes green after the abort delay; retry pauses again and promote finishes', async () => {
  const blue = await deployBlue({ autoPromotionEnabled: false, abortScaleDownDelaySeconds: 3 });
  const paused = await updateToGreen(ns.name);
  const green = paused.status!.currentPodHash!;

  await argoRollouts(ns.name, 'abort', 'web');
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'Degraded by the abort',
    (r) => r.status?.phase === 'Degraded',
  );
  expect(aborted.status).toMatchObject({
    abort: true,
    stableRS: blue,
    message: 'RolloutAborted: Rollout aborted update to revision 2',
  });
  expect(aborted.status?.pauseConditions).toBeUndefined();
  expect(await argoCdHealth(ns.name)).toEqual({
    status: 'Degraded',
    message: 'RolloutAborted: Rollout aborted update to revision 2',
  });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  expect((await serviceState(ns.name, 'web-preview')).hash).toBe(green);
  await waitFor('green scaled to 0 after abortScaleDownDelaySeconds', async () =>
    (await replicaSetSizes(ns.name, 'web'))[green]?.spec === 0 ? true : undefined,
  );
  expect((await replicaSetSizes(ns.name, 'web'))[blue]).toEqual({ spec: 3, available: 3 });
  expect(await waitForEventReasons(ns.name, 'web', ['RolloutAborted'])).toContain('RolloutAborted');

  await argoRollouts(ns.name, 'retry', 'rollout', 'web');
  const again = await waitForRollout(
    ns.name,
    'web',
    'paused in preview again after the retry',
    (r) => r.status?.phase === 'Paused' && r.status.abort !== true,
  );
  expect(again.status?.abortedAt).toBeUndefined();
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [green]: { spec: 3, available: 3 },
  });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);

  await argoRollouts(ns.name, 'promote', 'web');
  await healthyOn(ns.name, green);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
});

test('an update whose pods never become Ready is never promoted and the active Service never moves', async () => {
  const blue = await deployBlue({}, { progressDeadlineSeconds: 8 });
  await patchRollout(ns.name, 'web', {
    spec: { template: template('argoproj/rollouts-demo:red', { 'rollout-kit.test/readiness': 'fail' }) },
  });
  // The progress deadline passing is the proof that the controller kept looking for a while.
  const stuck = await waitForRollout(
    ns.name,
    'web',
    'Degraded by the progress deadline',
    (r) => r.status?.message?.startsWith('ProgressDeadlineExceeded') === true,
  );
  const red = stuck.status!.currentPodHash!;
  expect(stuck.status).toMatchObject({
    phase: 'Degraded',
    stableRS: blue,
    blueGreen: { activeSelector: blue, previewSelector: red },
    availableReplicas: 3,
  });
  expect(stuck.status?.pauseConditions).toBeUndefined();
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(blue);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [red]: { spec: 3, available: 0 },
  });
  expect((await argoCdHealth(ns.name)).status).toBe('Degraded');
  const switches = await eventMessages(ns.name, 'web', 'SwitchService');
  expect(switches.some((m) => m.includes("'web-active'") && m.endsWith(`to '${red}'`))).toBe(false);
});

test('fast rollback: back to blue within its scale-down delay switches at once, no new pods', async () => {
  const blue = await deployBlue({ scaleDownDelaySeconds: 300 });
  await patchRollout(ns.name, 'web', { spec: { template: template('argoproj/rollouts-demo:green') } });
  const promoted = await waitForRollout(
    ns.name,
    'web',
    'auto-promoted to green',
    (r) => healthy(r) && r.status?.stableRS !== blue,
  );
  const green = promoted.status!.stableRS!;
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 3, available: 3 },
    [green]: { spec: 3, available: 3 },
  });

  await patchRollout(ns.name, 'web', { spec: { template: template('argoproj/rollouts-demo:blue') } });
  const back = await waitForRollout(
    ns.name,
    'web',
    'back on blue',
    (r) => healthy(r) && r.status?.stableRS === blue,
  );
  expect(back.status?.blueGreen).toEqual({ activeSelector: blue, previewSelector: blue });
  expect(await waitForService(ns.name, 'web-active', blue)).toMatchObject({ hash: blue });
  // No ReplicaSet was created and blue was never scaled: the rollback used the pods still up.
  expect(Object.keys(await replicaSetSizes(ns.name, 'web')).sort()).toEqual([blue, green].sort());
  expect((await replicaSetSizes(ns.name, 'web'))[blue]).toEqual({ spec: 3, available: 3 });
  expect(
    (await eventMessages(ns.name, 'web', 'ScalingReplicaSet')).filter((m) => m.includes(`web-${blue} `)),
  ).toEqual([`Scaled up ReplicaSet web-${blue} (revision 1) from 0 to 3`]);
  await waitForEventReasons(ns.name, 'web', ['RolloutCompleted']);
  await waitFor('the Fast rollback completion event', async () =>
    (await eventMessages(ns.name, 'web', 'RolloutCompleted')).some((m) => m.endsWith(': Fast rollback'))
      ? true
      : undefined,
  );
  // Green now waits out its own delay with a deadline.
  const rs = await kube().apps.readNamespacedReplicaSet({ namespace: ns.name, name: `web-${green}` });
  expect(rs.metadata?.annotations?.['scale-down-deadline']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('a missing preview Service is InvalidSpec naming it; the active Service keeps selecting blue', async () => {
  const blue = await deployBlue({});
  await kube().core.deleteNamespacedService({ namespace: ns.name, name: 'web-preview' });
  await patchRollout(ns.name, 'web', { spec: { template: template('argoproj/rollouts-demo:green') } });
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing preview Service, on the new template',
    (r) =>
      r.status?.observedGeneration === String(r.metadata.generation) &&
      r.status.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') === true,
  );
  const condition = invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec');
  expect(condition?.message).toBe(
    'The Rollout "web" is invalid: spec.strategy.blueGreen.previewService: Invalid value: "web-preview": service "web-preview" not found',
  );
  expect(invalid.status?.phase).toBe('Degraded');
  expect((await argoCdHealth(ns.name)).status).toBe('Degraded');
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [blue]: { spec: 3, available: 3 } });
  expect(await serviceState(ns.name, 'web-active')).toEqual({
    hash: blue,
    selector: { app: 'web', 'rollouts-pod-template-hash': blue },
    managedBy: 'web',
  });

  // The Service coming back brings the Rollout back with no change to it.
  await createService(ns.name, 'web-preview');
  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy on green',
    (r) => healthy(r) && r.status?.stableRS !== blue,
  );
  expect(done.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(done.status?.stableRS);
});
