// The resource tree the host page builds from live objects, checked against the shapes Argo CD
// sends to a resource tab (no I/O).
import { groupVersion, healthOf, nodeOf, resourceTree, type KubeObject } from './argocd-tree.ts';

const rollout: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-ro',
    resourceVersion: '7',
    creationTimestamp: '2026-11-23T09:00:00Z',
  },
  status: { phase: 'Paused', message: 'CanaryPauseStep' },
};

const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-abc',
    namespace: 'shop',
    uid: 'u-rs',
    annotations: { 'rollout.argoproj.io/revision': '3' },
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u-ro' }],
  },
  spec: { replicas: 2 },
  status: { availableReplicas: 1 },
};

function pod(overrides: { phase: string; ready: boolean; waiting?: string; restarts?: number }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-abc-x1',
      namespace: 'shop',
      labels: { app: 'web', 'rollouts-pod-template-hash': 'abc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u-rs' }],
    },
    spec: { nodeName: 'kwok-node-0', containers: [{ image: 'nginx:1.26' }, { image: 'envoy:1.30' }] },
    status: {
      phase: overrides.phase,
      containerStatuses: [
        {
          ready: overrides.ready,
          restartCount: overrides.restarts ?? 0,
          state:
            overrides.waiting === undefined ? { running: {} } : { waiting: { reason: overrides.waiting } },
        },
        { ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  };
}

test.each([
  {
    name: 'a named group',
    apiVersion: 'argoproj.io/v1alpha1',
    want: { group: 'argoproj.io', version: 'v1alpha1' },
  },
  { name: 'the core group', apiVersion: 'v1', want: { group: '', version: 'v1' } },
  { name: 'nothing', apiVersion: undefined, want: { group: '', version: '' } },
])('groupVersion: $name', ({ apiVersion, want }) => {
  expect(groupVersion(apiVersion)).toEqual(want);
});

test.each([
  {
    name: 'a paused Rollout is Suspended',
    object: rollout,
    want: { status: 'Suspended', message: 'CanaryPauseStep' },
  },
  {
    name: 'a Rollout without phase waits for its spec to be observed',
    object: { ...rollout, status: {} },
    want: { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' },
  },
  {
    name: 'a ReplicaSet short of available replicas is Progressing',
    object: replicaSet,
    want: { status: 'Progressing' },
  },
  {
    name: 'a ReplicaSet scaled to zero is Healthy',
    object: { ...replicaSet, spec: { replicas: 0 }, status: {} },
    want: { status: 'Healthy' },
  },
  {
    name: 'a running pod with every container ready is Healthy',
    object: pod({ phase: 'Running', ready: true }),
    want: { status: 'Healthy' },
  },
  {
    name: 'a running pod with a container not ready is Progressing',
    object: pod({ phase: 'Running', ready: false }),
    want: { status: 'Progressing' },
  },
  {
    name: 'a failed AnalysisRun is Degraded',
    object: { kind: 'AnalysisRun', status: { phase: 'Failed' } },
    want: { status: 'Degraded' },
  },
  { name: 'a Service has no health', object: { kind: 'Service' }, want: undefined },
])('healthOf: $name', ({ object, want }) => {
  const health = healthOf(object);
  if (want === undefined) expect(health).toBeUndefined();
  else expect(health).toMatchObject(want);
});

test('nodeOf: a ReplicaSet gets parentRefs from its owners and a Revision info item', () => {
  expect(nodeOf(replicaSet)).toEqual({
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    namespace: 'shop',
    name: 'web-abc',
    uid: 'u-rs',
    parentRefs: [{ group: 'argoproj.io', kind: 'Rollout', namespace: 'shop', name: 'web', uid: 'u-ro' }],
    info: [{ name: 'Revision', value: 'Rev:3' }],
    resourceVersion: '',
    health: { status: 'Progressing', message: expect.stringContaining('1 of 2') },
  });
});

test.each([
  {
    name: 'a ready pod',
    pod: pod({ phase: 'Running', ready: true }),
    info: [
      { name: 'Status Reason', value: 'Running' },
      { name: 'Node', value: 'kwok-node-0' },
      { name: 'Containers', value: '2/2' },
    ],
  },
  {
    name: 'a waiting container names its reason, restarts are counted',
    pod: pod({ phase: 'Pending', ready: false, waiting: 'ContainerCreating', restarts: 2 }),
    info: [
      { name: 'Status Reason', value: 'ContainerCreating' },
      { name: 'Node', value: 'kwok-node-0' },
      { name: 'Containers', value: '1/2' },
      { name: 'Restart Count', value: '2' },
    ],
  },
])('nodeOf: pod info for $name', ({ pod: object, info }) => {
  const node = nodeOf(object);
  expect(node.info).toEqual(info);
  expect(node.images).toEqual(['nginx:1.26', 'envoy:1.30']);
  expect(node.networkingInfo).toEqual({ labels: { app: 'web', 'rollouts-pod-template-hash': 'abc' } });
});

test('resourceTree: sorted by group, kind, namespace and name, with empty orphans and hosts', () => {
  const tree = resourceTree([pod({ phase: 'Running', ready: true }), rollout, replicaSet]);
  expect(tree.nodes.map((n) => `${n.group}/${n.kind}/${n.name}`)).toEqual([
    '/Pod/web-abc-x1',
    'apps/ReplicaSet/web-abc',
    'argoproj.io/Rollout/web',
  ]);
  expect(tree.orphanedNodes).toEqual([]);
  expect(tree.hosts).toEqual([]);
});

test('nodeOf: a Date creationTimestamp (as client-node returns it) becomes RFC 3339 text', () => {
  const node = nodeOf({
    ...rollout,
    metadata: { ...rollout.metadata, creationTimestamp: new Date('2026-11-23T09:00:00Z') },
  });
  expect(node.createdAt).toBe('2026-11-23T09:00:00Z');
});
