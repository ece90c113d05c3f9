// Proof that the local control plane is real: the ReplicaSet, Deployment, Job, namespace and
// garbage-collector controllers, the scheduler and KWOK's simulated kubelet all do their part.
import type { V1Pod } from '@kubernetes/client-node';
import { JOB_RESULT_LABEL, READINESS_LABEL, READY_AFTER_ANNOTATION } from '../control-plane/kwok-stages.ts';
import { listeningSocketsOf } from '../control-plane/listening.ts';
import { isAlive, readPidRecords } from '../control-plane/processes.ts';
import { kube } from '../support/kube.ts';
import { createNamespace, namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();

function deployment(name: string, replicas: number, labels: Record<string, string> = {}, annotations = {}) {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels }, annotations },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/never-pulled:1' }] },
      },
    },
  };
}

function job(name: string, labels: Record<string, string> = {}) {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.invalid/job:1' }] },
      },
    },
  };
}

const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function podsOf(namespace: string, app: string): Promise<V1Pod[]> {
  return (await kube().core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

test('a Deployment of 3 replicas gets 3 Ready pods on KWOK nodes', async () => {
  await kube().apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('web', 3) });
  const pods = await waitFor(
    '3 Ready pods of web',
    async () => {
      const items = await podsOf(ns.name, 'web');
      return items.length === 3 && items.every(isReady) ? items : undefined;
    },
    {
      observe: async () =>
        (await podsOf(ns.name, 'web')).map((p) => [p.metadata?.name, p.status?.phase, isReady(p)]),
    },
  );
  expect(pods.every((p) => p.spec?.nodeName?.startsWith('kwok-node-'))).toBe(true);
  expect(pods.every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet')).toBe(true);
  const rs = await kube().apps.listNamespacedReplicaSet({ namespace: ns.name });
  expect(rs.items).toHaveLength(1);
  await waitFor('ReplicaSet reports 3 available', async () => {
    const [item] = (await kube().apps.listNamespacedReplicaSet({ namespace: ns.name })).items;
    return item?.status?.availableReplicas === 3;
  });
});

test('a pod labelled readiness=fail runs but never becomes Ready', async () => {
  await kube().apps.createNamespacedDeployment({
    namespace: ns.name,
    body: deployment('bad', 1, { [READINESS_LABEL]: 'fail' }),
  });
  const [pod] = await waitFor('the bad pod to be Running', async () => {
    const items = await podsOf(ns.name, 'bad');
    return items.length === 1 && items[0]?.status?.phase === 'Running' ? items : undefined;
  });
  expect(isReady(pod!)).toBe(false);
  expect(pod!.status?.containerStatuses?.[0]?.ready).toBe(false);
  // Give the ReplicaSet controller time to see the pod; it must still count nothing available.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const [rs] = (await kube().apps.listNamespacedReplicaSet({ namespace: ns.name })).items;
  expect(rs?.status?.replicas).toBe(1);
  expect(rs?.status?.availableReplicas ?? 0).toBe(0);
  expect(isReady((await podsOf(ns.name, 'bad'))[0]!)).toBe(false);
});

test('a pod labelled readiness=delayed becomes Ready only after its ready-after delay', async () => {
  await kube().apps.createNamespacedDeployment({
    namespace: ns.name,
    body: deployment('slow', 1, { [READINESS_LABEL]: 'delayed' }, { [READY_AFTER_ANNOTATION]: '4s' }),
  });
  const pod = await waitFor('the delayed pod to be Ready', async () => {
    const [item] = await podsOf(ns.name, 'slow');
    return item && isReady(item) ? item : undefined;
  });
  const created = new Date(pod.metadata!.creationTimestamp!).getTime();
  const ready = new Date(
    pod.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!,
  ).getTime();
  expect(ready - created).toBeGreaterThanOrEqual(3_000);
});

test('a CustomResourceDefinition is served, with status and scale subresources', async () => {
  const group = `${ns.name}.rollout-kit.test`;
  await kube().apiextensions.createCustomResourceDefinition({
    body: {
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: {
              status: {},
              scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
            },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
                  status: { type: 'object', properties: { replicas: { type: 'integer' } } },
                },
              },
            },
          },
        ],
      },
    },
  });
  try {
    await waitFor('the CRD to be Established', async () => {
      const crd = await kube().apiextensions.readCustomResourceDefinition({ name: `widgets.${group}` });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
    const ref = { group, version: 'v1', namespace: ns.name, plural: 'widgets' };
    await waitFor('the widgets resource to be served', () =>
      kube().custom.createNamespacedCustomObject({
        ...ref,
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 2 } },
      }),
    );
    const read = (await kube().custom.getNamespacedCustomObject({ ...ref, name: 'w' })) as {
      spec: { replicas: number };
    };
    expect(read.spec.replicas).toBe(2);
    await kube().custom.patchNamespacedCustomObjectStatus({
      ...ref,
      name: 'w',
      body: [{ op: 'add', path: '/status', value: { replicas: 2 } }],
    });
    const scale = (await kube().custom.getNamespacedCustomObjectScale({ ...ref, name: 'w' })) as {
      spec: { replicas: number };
      status: { replicas: number };
    };
    expect(scale.spec.replicas).toBe(2);
    expect(scale.status.replicas).toBe(2);
  } finally {
    await kube().apiextensions.deleteCustomResourceDefinition({ name: `widgets.${group}` });
  }
});

test('a Job whose pod completes is Complete, and one labelled job-result=fail is Failed', async () => {
  await kube().batch.createNamespacedJob({ namespace: ns.name, body: job('passes') });
  await kube().batch.createNamespacedJob({
    namespace: ns.name,
    body: job('fails', { [JOB_RESULT_LABEL]: 'fail' }),
  });
  const condition = async (name: string) =>
    (await kube().batch.readNamespacedJobStatus({ name, namespace: ns.name })).status?.conditions
      ?.filter((c) => c.status === 'True')
      .map((c) => c.type) ?? [];
  await waitFor('Job passes to be Complete', async () => (await condition('passes')).includes('Complete'), {
    observe: () => condition('passes'),
  });
  await waitFor('Job fails to be Failed', async () => (await condition('fails')).includes('Failed'), {
    observe: () => condition('fails'),
  });
  expect(await condition('passes')).not.toContain('Failed');
  expect(await condition('fails')).not.toContain('Complete');
});

test('deleting a namespace removes everything in it', async () => {
  const doomed = await createNamespace('doomed');
  await kube().apps.createNamespacedDeployment({ namespace: doomed, body: deployment('gone', 2) });
  await waitFor('2 pods in the doomed namespace', async () => (await podsOf(doomed, 'gone')).length === 2);
  await kube().core.deleteNamespace({ name: doomed });
  await waitFor(
    'the namespace to disappear',
    () =>
      kube()
        .core.readNamespace({ name: doomed })
        .then(
          () => false,
          (error: { code?: number }) => error.code === 404,
        ),
    { timeoutMs: 90_000 },
  );
});

test('every process of the control plane listens on loopback only', () => {
  // Every recorded process still running: the control plane, and any controller a test started.
  const records = readPidRecords(process.env.ROLLOUT_KIT_RUN_DIR!).filter(
    (r) => r.name !== 'reaper' && isAlive(r.pid),
  );
  expect(records.map((r) => r.name)).toEqual(
    expect.arrayContaining(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']),
  );
  const sockets = records.flatMap((r) => listeningSocketsOf(r.pid).map((s) => ({ name: r.name, ...s })));
  // Each server component opens at least one port; if none were seen, the check itself is broken.
  expect(new Set(sockets.map((s) => s.name)).size).toBeGreaterThanOrEqual(4);
  expect(sockets.filter((s) => !s.loopback)).toEqual([]);
});
