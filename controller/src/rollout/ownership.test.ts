import type { Rollout } from '@rollout-kit/api';
import {
  alreadyExistsOutcome,
  claimReplicaSets,
  nextCollisionCount,
  replicaSetsToDelete,
  reusedRevision,
} from './ownership.ts';
import type { ReplicaSet } from './replica-set.ts';

const rollout: Pick<Rollout, 'metadata' | 'spec'> = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1' },
  spec: { selector: { matchLabels: { app: 'web' } }, strategy: { canary: {} } },
};
const mine = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  name: 'web',
  uid: 'u-1',
  controller: true,
};
const theirs = { ...mine, name: 'other', uid: 'u-2' };

function rs(
  name: string,
  options: {
    labels?: Record<string, string>;
    owner?:
      typeof mine | { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean };
    namespace?: string;
    deleting?: boolean;
  } = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      namespace: options.namespace ?? 'shop',
      labels: options.labels ?? { app: 'web', 'rollouts-pod-template-hash': name },
      ...(options.owner ? { ownerReferences: [options.owner] } : {}),
      ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
  };
}

describe('claimReplicaSets', () => {
  test.each([
    { name: 'an owned RS matching the selector is owned', set: rs('a', { owner: mine }), want: 'owned' },
    { name: 'an orphan matching the selector is adopted', set: rs('a'), want: 'adopt' },
    {
      name: 'an orphan without the hash label is ignored',
      set: rs('a', { labels: { app: 'web' } }),
      want: 'none',
    },
    {
      name: 'an orphan whose labels do not match is ignored',
      set: rs('a', { labels: { app: 'api', 'rollouts-pod-template-hash': 'a' } }),
      want: 'none',
    },
    {
      name: 'an owned RS whose labels no longer match is released',
      set: rs('a', { owner: mine, labels: { app: 'api', 'rollouts-pod-template-hash': 'a' } }),
      want: 'release',
    },
    { name: 'an RS of another Rollout is ignored', set: rs('a', { owner: theirs }), want: 'none' },
    {
      name: 'an RS with a non-controller owner only is adopted',
      set: rs('a', { owner: { ...theirs, controller: false } }),
      want: 'adopt',
    },
    { name: 'an orphan in another namespace is ignored', set: rs('a', { namespace: 'x' }), want: 'none' },
    { name: 'an orphan being deleted is not adopted', set: rs('a', { deleting: true }), want: 'none' },
    {
      name: 'an owned RS being deleted stays owned (not released)',
      set: rs('a', { owner: mine, deleting: true, labels: { 'rollouts-pod-template-hash': 'a' } }),
      want: 'owned',
    },
  ])('$name', ({ set, want }) => {
    const claim = claimReplicaSets(rollout, [set]);
    const got = claim.owned.length
      ? 'owned'
      : claim.adopt.length
        ? 'adopt'
        : claim.release.length
          ? 'release'
          : 'none';
    expect(got).toBe(want);
  });

  test('a Rollout being deleted adopts nothing', () => {
    const deleting = {
      ...rollout,
      metadata: { ...rollout.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    };
    expect(claimReplicaSets(deleting, [rs('a')]).adopt).toEqual([]);
  });

  test('a malformed selector adopts and releases nothing', () => {
    const bad = {
      ...rollout,
      spec: { ...rollout.spec, selector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] } },
    };
    const claim = claimReplicaSets(bad, [rs('a'), rs('b', { owner: mine })]);
    expect(claim).toEqual({ owned: [rs('b', { owner: mine })], adopt: [], release: [] });
  });
});

describe('alreadyExistsOutcome', () => {
  test.each([
    { name: 'our own RS is re-used', existing: rs('a', { owner: mine }), want: 'reuse' },
    { name: 'an orphan is a collision', existing: rs('a'), want: 'collision' },
    { name: "another Rollout's RS is a collision", existing: rs('a', { owner: theirs }), want: 'collision' },
  ])('$name', ({ existing, want }) => {
    expect(alreadyExistsOutcome(existing, rollout)).toBe(want);
  });
  test.each([
    { name: 'absent becomes 1', current: undefined, want: 1 },
    { name: '0 becomes 1', current: 0, want: 1 },
    { name: '2 becomes 3', current: 2, want: 3 },
  ])('collision count: $name', ({ current, want }) => {
    expect(nextCollisionCount(current)).toBe(want);
  });
});

const withRevision = (name: string, revision: string, history?: string): ReplicaSet => ({
  metadata: {
    name,
    annotations: {
      'rollout.argoproj.io/revision': revision,
      ...(history ? { 'rollout.argoproj.io/revision-history': history } : {}),
    },
  },
});

describe('reusedRevision', () => {
  test.each([
    {
      name: 'rolling back to revision 1 of 3 gives revision 4, history 1',
      target: withRevision('a', '1'),
      others: [withRevision('b', '2'), withRevision('c', '3')],
      want: {
        revision: 4,
        annotations: { 'rollout.argoproj.io/revision': '4', 'rollout.argoproj.io/revision-history': '1' },
      },
    },
    {
      name: 'an existing history is appended to',
      target: withRevision('a', '4', '1'),
      others: [withRevision('b', '5')],
      want: {
        revision: 6,
        annotations: { 'rollout.argoproj.io/revision': '6', 'rollout.argoproj.io/revision-history': '1,4' },
      },
    },
    {
      name: 'the newest RS keeps its revision',
      target: withRevision('a', '3'),
      others: [withRevision('b', '2')],
      want: undefined,
    },
    {
      name: 'an RS without a revision gets one and no history',
      target: { metadata: { name: 'a' } },
      others: [withRevision('b', '2')],
      want: { revision: 3, annotations: { 'rollout.argoproj.io/revision': '3' } },
    },
  ])('$name', ({ target, others, want }) => {
    expect(reusedRevision(target, others)).toEqual(want);
  });
});

function old(
  name: string,
  created: string,
  extra: Partial<{ spec: number; replicas: number; gen: number; observed: number }> = {},
): ReplicaSet {
  return {
    metadata: { name, creationTimestamp: created, generation: extra.gen ?? 1 },
    spec: { replicas: extra.spec ?? 0 },
    status: { replicas: extra.replicas ?? 0, observedGeneration: extra.observed ?? 1 },
  };
}

describe('replicaSetsToDelete', () => {
  const a = old('a', '2026-01-01T00:00:01Z');
  const b = old('b', '2026-01-01T00:00:02Z');
  const c = old('c', '2026-01-01T00:00:03Z');
  const names = (list: ReplicaSet[]) => list.map((r) => r.metadata.name);
  test.each([
    { name: 'within the limit nothing goes', owned: [a, b], limit: 2, want: [] },
    { name: 'the oldest beyond the limit goes', owned: [c, b, a], limit: 2, want: ['a'] },
    { name: 'limit 0 deletes every old RS', owned: [a, b, c], limit: 0, want: ['a', 'b', 'c'] },
    { name: 'default limit 10 keeps three', owned: [a, b, c], limit: undefined, want: [] },
    {
      name: 'an RS still scaled up is kept',
      owned: [old('a', '2026-01-01T00:00:01Z', { spec: 1 }), b],
      limit: 1,
      want: [],
    },
    {
      name: 'an RS with pods left is kept',
      owned: [old('a', '2026-01-01T00:00:01Z', { replicas: 1 }), b],
      limit: 1,
      want: [],
    },
    {
      name: 'an RS whose status lags its generation is kept',
      owned: [old('a', '2026-01-01T00:00:01Z', { gen: 2, observed: 1 }), b],
      limit: 1,
      want: [],
    },
  ])('$name', ({ owned, limit, want }) => {
    expect(names(replicaSetsToDelete({ owned, revisionHistoryLimit: limit }))).toEqual(want);
  });

  test('the new and the stable RS are never candidates', () => {
    expect(
      names(replicaSetsToDelete({ owned: [a, b, c], newRS: a, stableRS: b, revisionHistoryLimit: 0 })),
    ).toEqual(['c']);
  });
});
