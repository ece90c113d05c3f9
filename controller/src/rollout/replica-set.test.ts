import type { Rollout } from '@rollout-kit/api';
import {
  findByHash,
  isControlledBy,
  newReplicaSet,
  nextRevision,
  replicaSetAnnotations,
  revisionOf,
  type ReplicaSet,
} from './replica-set.ts';

const rollout: Rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    annotations: {
      'rollout.argoproj.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'team.example.com/owner': 'payments',
      'notified.notifications.argoproj.io': 'x',
    },
  },
  spec: {
    replicas: 4,
    minReadySeconds: 5,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'main', image: 'web:2' }] },
    },
    strategy: { canary: {} },
  },
};

const rs = (
  name: string,
  revision?: string,
  hash?: string,
  created = '2026-01-01T00:00:00Z',
): ReplicaSet => ({
  metadata: {
    name,
    creationTimestamp: created,
    ...(revision ? { annotations: { 'rollout.argoproj.io/revision': revision } } : {}),
    ...(hash ? { labels: { 'rollouts-pod-template-hash': hash } } : {}),
  },
});

test('newReplicaSet builds the object upstream creates', () => {
  expect(newReplicaSet(rollout, 'abc123', 4, { labels: { role: 'canary' } })).toEqual({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-abc123',
      namespace: 'shop',
      labels: { app: 'web', 'rollouts-pod-template-hash': 'abc123' },
      annotations: {
        'team.example.com/owner': 'payments',
        'rollout.argoproj.io/revision': '4',
        'rollout.argoproj.io/desired-replicas': '4',
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'web',
          uid: 'u-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 0,
      minReadySeconds: 5,
      selector: { matchLabels: { app: 'web', 'rollouts-pod-template-hash': 'abc123' } },
      template: {
        metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': 'abc123', role: 'canary' } },
        spec: { containers: [{ name: 'main', image: 'web:2' }] },
      },
    },
  });
});

test('newReplicaSet never mutates the Rollout', () => {
  const before = JSON.stringify(rollout);
  newReplicaSet(rollout, 'h', 1, { labels: { x: 'y' }, annotations: { a: 'b' } });
  expect(JSON.stringify(rollout)).toBe(before);
});

test('replicaSetAnnotations drops the Rollout bookkeeping', () => {
  expect(Object.keys(replicaSetAnnotations(rollout, 9)).sort()).toEqual([
    'rollout.argoproj.io/desired-replicas',
    'rollout.argoproj.io/revision',
    'team.example.com/owner',
  ]);
});

test.each([
  { name: 'no ReplicaSets', others: [], want: 1 },
  { name: 'highest plus one', others: [rs('a', '2'), rs('b', '7'), rs('c', '5')], want: 8 },
  { name: 'missing or junk revisions count as 0', others: [rs('a'), rs('b', 'x')], want: 1 },
])('nextRevision: $name', ({ others, want }) => {
  expect(nextRevision(others)).toBe(want);
});

test('revisionOf reads the annotation', () => {
  expect(revisionOf(rs('a', '12'))).toBe(12);
  expect(revisionOf(rs('a', '-1'))).toBe(0);
});

test('findByHash picks the oldest live ReplicaSet with the hash label', () => {
  const older = rs('web-h', '1', 'h', '2026-01-01T00:00:00Z');
  const newer = rs('web-h-2', '2', 'h', '2026-01-02T00:00:00Z');
  const deleting = { ...rs('web-h-0', '1', 'h', '2025-01-01T00:00:00Z') };
  deleting.metadata.deletionTimestamp = '2026-01-03T00:00:00Z';
  expect(findByHash([newer, deleting, older, rs('web-x', '3', 'x')], 'h')).toBe(older);
  expect(findByHash([older], 'nope')).toBeUndefined();
  expect(findByHash([older], undefined)).toBeUndefined();
});

test('isControlledBy compares the controller reference UID', () => {
  const owned = {
    metadata: {
      ownerReferences: [{ apiVersion: 'v', kind: 'Rollout', name: 'web', uid: 'u-1', controller: true }],
    },
  };
  const foreign = {
    metadata: {
      ownerReferences: [{ apiVersion: 'v', kind: 'Rollout', name: 'web', uid: 'u-2', controller: true }],
    },
  };
  const notController = {
    metadata: { ownerReferences: [{ apiVersion: 'v', kind: 'Rollout', name: 'web', uid: 'u-1' }] },
  };
  expect([owned, foreign, notController].map((r) => isControlledBy(r, rollout))).toEqual([
    true,
    false,
    false,
  ]);
});
