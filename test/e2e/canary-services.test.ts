// canaryService / stableService on the real control plane: the selectors' hash key follows the
// new and the stable ReplicaSet (patched, the rest of the selector kept), the managed-by
// annotation marks them, and a missing Service is InvalidSpec while the stable RS keeps serving.
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
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
controllerPerFile('canary-services');

const rollout = (canary: NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>): Rollout =>
  webRollout('argoproj/rollouts-demo:blue', { strategy: { canary } });

async function createService(name: string): Promise<void> {
  await kube().core.createNamespacedService({
    namespace: ns.name,
    body: {
      metadata: { name },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  });
}

async function serviceState(name: string) {
  const svc = await kube().core.readNamespacedService({ namespace: ns.name, name });
  return {
    selector: svc.spec?.selector,
    managedBy: svc.metadata?.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts'],
  };
}

const selecting = (hash: string) => ({
  selector: { app: 'web', 'rollouts-pod-template-hash': hash },
  managedBy: 'web',
});

async function waitForSelector(name: string, hash: string) {
  return waitFor(`Service ${name} selecting ${hash}`, async () => {
    const state = await serviceState(name);
    return state.selector?.['rollouts-pod-template-hash'] === hash ? state : undefined;
  });
}

test('the canary and stable Services follow the new and the stable ReplicaSet', async () => {
  await createService('web-canary');
  await createService('web-stable');
  await createRollout(
    ns.name,
    rollout({
      canaryService: 'web-canary',
      stableService: 'web-stable',
      steps: [{ setWeight: 50 }, { pause: {} }],
    }),
  );
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  const blue = first.status!.stableRS!;
  expect(await waitForSelector('web-stable', blue)).toEqual(selecting(blue));
  expect(await waitForSelector('web-canary', blue)).toEqual(selecting(blue));

  await patchRollout(ns.name, 'web', { spec: { template: webTemplate('argoproj/rollouts-demo:yellow') } });
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
  );
  const yellow = paused.status!.currentPodHash!;
  expect(await waitForSelector('web-canary', yellow)).toEqual(selecting(yellow));
  expect(await serviceState('web-stable')).toEqual(selecting(blue));

  await argoRollouts(ns.name, 'promote', 'web');
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForSelector('web-stable', yellow)).toEqual(selecting(yellow));
  expect(await serviceState('web-canary')).toEqual(selecting(yellow));

  // Abort sends the canary Service back to the stable pods before the canary is scaled away.
  await patchRollout(ns.name, 'web', { spec: { template: webTemplate('argoproj/rollouts-demo:red') } });
  const red = (
    await waitForRollout(
      ns.name,
      'web',
      'paused at step 1 on red',
      (r) => r.status?.phase === 'Paused' && r.status.currentPodHash !== yellow,
    )
  ).status!.currentPodHash!;
  expect(await waitForSelector('web-canary', red)).toEqual(selecting(red));
  await argoRollouts(ns.name, 'abort', 'web');
  await waitForRollout(ns.name, 'web', 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
  expect(await waitForSelector('web-canary', yellow)).toEqual(selecting(yellow));
  expect(await serviceState('web-stable')).toEqual(selecting(yellow));
});

test('a missing Service is InvalidSpec naming the field; the stable RS keeps serving', async () => {
  await createService('web-stable');
  await createRollout(ns.name, rollout({ stableService: 'web-stable' }));
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  const blue = first.status!.stableRS!;

  await patchRollout(ns.name, 'web', {
    spec: {
      template: webTemplate('argoproj/rollouts-demo:yellow'),
      strategy: { canary: { canaryService: 'web-canary' } },
    },
  });
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing canary Service',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') === true,
  );
  const condition = invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec');
  expect(condition?.message).toContain('spec.strategy.canary.canaryService');
  expect(condition?.message).toContain('web-canary');
  expect(invalid.status?.phase).toBe('Degraded');
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({ [blue]: { spec: 2, available: 2 } });
  expect(await serviceState('web-stable')).toEqual(selecting(blue));

  // The Service appearing brings the Rollout back without any change to it.
  await createService('web-canary');
  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow once the Service exists',
    (r) => healthy(r) && r.status?.stableRS !== blue,
  );
  expect(done.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
  expect(await waitForSelector('web-stable', done.status!.stableRS!)).toEqual(
    selecting(done.status!.stableRS!),
  );
});
