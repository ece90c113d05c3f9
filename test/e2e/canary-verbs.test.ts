// Control verbs beyond the plugin's own on the real control plane: the undo annotation our Argo
// CD action sets, `kubectl scale rollout` through the scale subresource, and progressDeadlineAbort.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Rollout } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webRollout,
  webTemplate,
  healthy,
  createRollout,
  eventReasons,
  waitForEventReasons,
  getRollout,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const ns = namespacePerTest();
controllerPerFile('canary-verbs');

const UNDO = 'rollout-kit.io/undo-to-revision';

const rollout = (extra: Partial<Rollout['spec']> = {}): Rollout =>
  webRollout('argoproj/rollouts-demo:blue', extra);

async function blueThenYellow(): Promise<{ blue: string; yellow: string }> {
  await createRollout(ns.name, rollout());
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  await patchRollout(ns.name, 'web', { spec: { template: webTemplate('argoproj/rollouts-demo:yellow') } });
  const yellow = (
    await waitForRollout(
      ns.name,
      'web',
      'Healthy on yellow',
      (r) => healthy(r) && r.status?.stableRS !== blue,
    )
  ).status!.stableRS!;
  return { blue, yellow };
}

test('the undo annotation rolls back to that revision, re-using its ReplicaSet', async () => {
  const { blue, yellow } = await blueThenYellow();
  await patchRollout(ns.name, 'web', { metadata: { annotations: { [UNDO]: '1' } } });
  const back = await waitForRollout(
    ns.name,
    'web',
    'Healthy on blue again after the undo',
    (r) => healthy(r) && r.status?.stableRS === blue,
  );
  expect(back.metadata.annotations?.[UNDO]).toBeUndefined();
  expect(back.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
  expect(back.spec.template?.spec?.containers?.[0]?.image).toBe('argoproj/rollouts-demo:blue');
  expect(back.spec.template?.metadata?.labels).toEqual({ app: 'web' });
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 2, available: 2 },
    [yellow]: { spec: 0, available: 0 },
  });
});

test('an undo to an unknown revision is a Warning event and the annotation goes', async () => {
  const { yellow } = await blueThenYellow();
  await patchRollout(ns.name, 'web', { metadata: { annotations: { [UNDO]: '7' } } });
  await waitForRollout(
    ns.name,
    'web',
    'undo annotation removed',
    (r) => r.metadata.annotations?.[UNDO] === undefined,
  );
  const reasons = await waitFor('RolloutUndoFailed event', async () => {
    const list = await eventReasons(ns.name, 'web');
    return list.includes('RolloutUndoFailed') ? list : undefined;
  });
  expect(reasons).toContain('RolloutUndoFailed');
  const events = await kube().core.listNamespacedEvent({
    namespace: ns.name,
    fieldSelector: 'reason=RolloutUndoFailed',
  });
  expect(events.items[0]?.message).toBe('unable to find specified revision 7 in history');
  expect(events.items[0]?.type).toBe('Warning');
  expect((await getRollout(ns.name, 'web')).status?.stableRS).toBe(yellow);
});

test('a resume sent as two patches, status then spec, to a user-paused step goes on', async () => {
  // Argo CD's resume action and the plugin's promote clear status.pauseConditions first and
  // spec.paused in a second request; the controller may run a pass in between.
  await createRollout(
    ns.name,
    rollout({ strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }, { pause: {} }] } } }),
  );
  await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy);
  await patchRollout(ns.name, 'web', { spec: { template: webTemplate('argoproj/rollouts-demo:yellow') } });
  await waitForRollout(
    ns.name,
    'web',
    'the pause at step 1',
    (r) => r.status?.currentStepIndex === 1 && (r.status.pauseConditions?.length ?? 0) > 0,
  );
  await patchRollout(ns.name, 'web', { spec: { paused: true } });
  await waitForRollout(ns.name, 'web', 'manually paused', (r) => r.status?.message === 'manually paused');
  await run('kubectl', [
    '-n',
    ns.name,
    'patch',
    'rollout',
    'web',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"pauseConditions":null}}',
  ]);
  const between = await waitForRollout(
    ns.name,
    'web',
    'a pass on the cleared conditions while spec.paused',
    (r) => r.status?.pauseConditions === undefined,
  );
  // No status change marks that pass; leave the controller the time for one before the unpause.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect((await getRollout(ns.name, 'web')).status?.controllerPause).toBe(true);
  expect(between.status?.currentStepIndex).toBe(1);
  await patchRollout(ns.name, 'web', { spec: { paused: false } });
  const next = await waitForRollout(
    ns.name,
    'web',
    'the pause at step 2',
    (r) => r.status?.currentStepIndex === 2 && (r.status.pauseConditions?.length ?? 0) > 0,
  );
  expect(next.status?.phase).toBe('Paused');
});

test('kubectl scale rollout changes spec.replicas and the controller follows', async () => {
  await createRollout(ns.name, rollout());
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  await run('kubectl', ['-n', ns.name, 'scale', 'rollout', 'web', '--replicas=3']);
  const scaled = await waitForRollout(
    ns.name,
    'web',
    'Healthy at 3 replicas',
    (r) => healthy(r) && r.status?.availableReplicas === 3,
  );
  expect(scaled.spec.replicas).toBe(3);
  expect(scaled.status).toMatchObject({ HPAReplicas: 3, selector: 'app=web' });
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [blue]: { spec: 3, available: 3 } });
  // What an HPA reads: the scale subresource.
  const { stdout } = await run('kubectl', [
    'get',
    '--raw',
    `/apis/argoproj.io/v1alpha1/namespaces/${ns.name}/rollouts/web/scale`,
  ]);
  const scale = JSON.parse(stdout) as {
    spec: { replicas: number };
    status: { replicas: number; selector: string };
  };
  expect(scale).toMatchObject({ spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } });
});

test('progressDeadlineAbort aborts an update whose pods never become ready', async () => {
  await createRollout(
    ns.name,
    rollout({
      progressDeadlineSeconds: 5,
      progressDeadlineAbort: true,
      strategy: { canary: { steps: [{ setWeight: 50 }] } },
    }),
  );
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  await patchRollout(ns.name, 'web', {
    spec: { template: webTemplate('argoproj/rollouts-demo:red', { 'rollout-kit.test/readiness': 'fail' }) },
  });
  const aborted = await waitForRollout(
    ns.name,
    'web',
    'aborted after the progress deadline',
    (r) => r.status?.abort === true && r.status.phase === 'Degraded',
    40_000,
  );
  expect(aborted.status?.stableRS).toBe(blue);
  const sizes = await waitFor('the canary scaled away', async () => {
    const s = await replicaSetSizes(ns.name, 'web');
    return Object.values(s).filter((v) => v.spec > 0).length === 1 ? s : undefined;
  });
  expect(sizes[blue]).toEqual({ spec: 2, available: 2 });
  const reasons = await waitForEventReasons(ns.name, 'web', ['ProgressDeadlineExceeded', 'RolloutAborted']);
  expect(reasons).toEqual(expect.arrayContaining(['ProgressDeadlineExceeded', 'RolloutAborted']));
});

test('spec.restartAt replaces every older pod and sets status.restartedAt', async () => {
  await createRollout(ns.name, rollout({ replicas: 3 }));
  const blue = (await waitForRollout(ns.name, 'web', 'Healthy on blue', healthy)).status!.stableRS!;
  const podNames = async () =>
    (await kube().core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=web' })).items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.metadata?.name ?? '')
      .sort();
  const before = await podNames();
  expect(before).toHaveLength(3);
  // What `kubectl argo rollouts restart` writes: now, in whole seconds.
  const restartAt = new Date(Date.now() + 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await patchRollout(ns.name, 'web', { spec: { restartAt } });
  const done = await waitForRollout(
    ns.name,
    'web',
    'restarted and Healthy',
    (r) => r.status?.restartedAt === restartAt && healthy(r),
    60_000,
  );
  expect(done.status?.stableRS).toBe(blue);
  const after = await podNames();
  expect(after).toHaveLength(3);
  expect(after.filter((n) => before.includes(n))).toEqual([]);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [blue]: { spec: 3, available: 3 } });
});
