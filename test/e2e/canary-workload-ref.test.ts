// workloadRef to a Deployment on the real control plane: the Rollout runs the Deployment's
// template without copying it, records the Deployment's generation, scales the Deployment away
// progressively as its own pods become ready, follows later template changes of the Deployment,
// and names the field when the Deployment is missing.
import type { Rollout } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  webTemplate,
  healthy,
  createRollout,
  getRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
controllerPerFile('canary-workload-ref');

async function createDeployment(): Promise<void> {
  await kube().apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: webTemplate('argoproj/rollouts-demo:blue'),
      },
    },
  });
}

function rollout(scaleDown: string): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown },
      strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: 1 } }] } },
    },
  };
}

async function deploymentGeneration(): Promise<number | undefined> {
  return (await kube().apps.readNamespacedDeployment({ namespace: ns.name, name: 'web' })).metadata
    ?.generation;
}

async function deploymentReplicas(): Promise<number | undefined> {
  return (await kube().apps.readNamespacedDeployment({ namespace: ns.name, name: 'web' })).spec?.replicas;
}

test('a Rollout takes over a Deployment progressively and follows its template', async () => {
  await createDeployment();
  await createRollout(ns.name, rollout('progressively'));
  // Scaling the Deployment down is a spec change too: its generation moves with it.
  await waitFor('the Deployment scaled to 0', async () =>
    (await deploymentReplicas()) === 0 ? 0 : undefined,
  );
  const generation = String(await deploymentGeneration());
  const first = await waitForRollout(
    ns.name,
    'web',
    'Healthy, having seen the Deployment generation after the scale-down',
    (r) => healthy(r) && r.status?.workloadObservedGeneration === generation,
  );
  const blue = first.status!.stableRS!;
  expect(first.spec.template).toBeUndefined();
  expect(first.metadata.annotations?.['rollout.argoproj.io/workload-generation']).toBe(generation);
  expect(first.status).toMatchObject({ availableReplicas: 3, selector: 'app=web' });
  const rs = await kube().apps.readNamespacedReplicaSet({ namespace: ns.name, name: `web-${blue}` });
  expect(rs.spec?.template?.spec?.containers?.[0]?.image).toBe('argoproj/rollouts-demo:blue');

  // A template change on the Deployment is a new revision of the Rollout; the Deployment stays at 0.
  await kube().apps.patchNamespacedDeployment({
    namespace: ns.name,
    name: 'web',
    body: [
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/image',
        value: 'argoproj/rollouts-demo:yellow',
      },
    ],
  });
  const second = await waitForRollout(
    ns.name,
    'web',
    'Healthy on the changed Deployment template',
    (r) => healthy(r) && r.status?.stableRS !== blue,
  );
  const yellow = second.status!.stableRS!;
  expect(second.status?.workloadObservedGeneration).toBe(String(await deploymentGeneration()));
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 0, available: 0 },
    [yellow]: { spec: 3, available: 3 },
  });
  expect(await deploymentReplicas()).toBe(0);
  expect((await getRollout(ns.name, 'web')).spec.template).toBeUndefined();
});

test('scaleDown never leaves the Deployment running', async () => {
  await createDeployment();
  await createRollout(ns.name, rollout('never'));
  await waitForRollout(ns.name, 'web', 'Healthy', healthy);
  expect(await deploymentReplicas()).toBe(3);
});

test('a missing Deployment is InvalidSpec naming spec.workloadRef.name', async () => {
  await createRollout(ns.name, rollout('onsuccess'));
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec') === true,
  );
  expect(invalid.status?.message).toContain('spec.workloadRef.name');
  // The Deployment appearing brings the Rollout back; onsuccess scales it to 0 once Healthy.
  await createDeployment();
  await waitForRollout(ns.name, 'web', 'Healthy once the Deployment exists', healthy);
  expect(
    await waitFor('the Deployment scaled to 0', async () =>
      (await deploymentReplicas()) === 0 ? 0 : undefined,
    ),
  ).toBe(0);
});
