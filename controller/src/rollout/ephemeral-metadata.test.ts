import type { Rollout } from '@rollout-kit/api';
import {
  canaryEphemeralSyncs,
  ephemeralSync,
  metadataPatch,
  newReplicaSetMetadata,
  recordValue,
  recordedMetadata,
  type PodMetadata,
} from './ephemeral-metadata.ts';
import type { ReplicaSet } from './replica-set.ts';

const RECORD = 'rollout.argoproj.io/ephemeral-metadata';

describe('metadataPatch', () => {
  test.each([
    {
      name: 'a wanted label is added',
      current: { labels: { app: 'web' } },
      previous: undefined,
      desired: { labels: { role: 'canary' } },
      want: { labels: { role: 'canary' } },
    },
    {
      name: 'a label already right is left alone',
      current: { labels: { app: 'web', role: 'canary' } },
      previous: { labels: { role: 'canary' } },
      desired: { labels: { role: 'canary' } },
      want: undefined,
    },
    {
      name: 'an injected label no longer wanted is removed',
      current: { labels: { app: 'web', role: 'canary' } },
      previous: { labels: { role: 'canary' } },
      desired: undefined,
      want: { labels: { role: null } },
    },
    {
      name: 'a role change replaces the value',
      current: { labels: { role: 'canary' } },
      previous: { labels: { role: 'canary' } },
      desired: { labels: { role: 'stable' } },
      want: { labels: { role: 'stable' } },
    },
    {
      name: 'keys never injected are never removed',
      current: { labels: { app: 'web', team: 'a' } },
      previous: { labels: { role: 'canary' } },
      desired: undefined,
      want: undefined,
    },
    {
      name: 'annotations are handled like labels',
      current: { annotations: { note: 'x', old: 'y' } },
      previous: { annotations: { old: 'y' } },
      desired: { annotations: { fresh: 'z' } },
      want: { annotations: { fresh: 'z', old: null } },
    },
    {
      name: 'the hash label is never set or removed',
      current: { labels: { 'rollouts-pod-template-hash': 'abc' } },
      previous: { labels: { 'rollouts-pod-template-hash': 'abc' } },
      desired: { labels: { 'rollouts-pod-template-hash': 'zzz' } },
      want: undefined,
    },
  ])('$name', ({ current, previous, desired, want }) => {
    expect(
      metadataPatch(
        current as PodMetadata,
        previous as PodMetadata | undefined,
        desired as PodMetadata | undefined,
      ),
    ).toEqual(want);
  });
});

describe('the record annotation', () => {
  test.each([
    { name: 'none is null', m: undefined, want: null },
    { name: 'empty maps are none', m: { labels: {}, annotations: {} }, want: null },
    {
      name: 'keys are sorted as Go marshals maps',
      m: { labels: { b: '2', a: '1' } },
      want: '{"labels":{"a":"1","b":"2"}}',
    },
    {
      name: 'labels come before annotations',
      m: { annotations: { x: 'y' }, labels: { a: '1' } },
      want: '{"labels":{"a":"1"},"annotations":{"x":"y"}}',
    },
  ])('$name', ({ m, want }) => {
    expect(recordValue(m as PodMetadata | undefined)).toBe(want);
  });

  test.each([
    { name: 'absent', value: undefined, want: undefined },
    { name: 'not JSON', value: '{oops', want: undefined },
    { name: 'not an object', value: '"x"', want: undefined },
    { name: 'non-string values dropped', value: '{"labels":{"a":"1","b":2}}', want: { labels: { a: '1' } } },
  ])('reading: $name', ({ value, want }) => {
    const rs: ReplicaSet = { metadata: { annotations: value === undefined ? {} : { [RECORD]: value } } };
    expect(recordedMetadata(rs)).toEqual(want);
  });
});

const rs = (hash: string, record?: object, templateLabels: Record<string, string> = {}): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: record ? { [RECORD]: JSON.stringify(record) } : {},
  },
  spec: { template: { metadata: { labels: { app: 'web', ...templateLabels } } } },
});

describe('ephemeralSync', () => {
  test('nothing to do when the record matches', () => {
    expect(ephemeralSync(rs('a', { labels: { role: 'c' } }), { labels: { role: 'c' } })).toBeUndefined();
  });
  test('a new role patches the template and the record', () => {
    const sync = ephemeralSync(rs('a', { labels: { role: 'c' } }, { role: 'c' }), { labels: { role: 's' } });
    expect(sync?.replicaSetPatch).toEqual({
      metadata: { annotations: { [RECORD]: '{"labels":{"role":"s"}}' } },
      spec: { template: { metadata: { labels: { role: 's' } } } },
    });
  });
  test('no role left removes the keys and the record', () => {
    const sync = ephemeralSync(rs('a', { labels: { role: 'c' } }, { role: 'c' }), undefined);
    expect(sync?.replicaSetPatch).toEqual({
      metadata: { annotations: { [RECORD]: null } },
      spec: { template: { metadata: { labels: { role: null } } } },
    });
  });
});

describe('canaryEphemeralSyncs', () => {
  const spec = {
    strategy: {
      canary: {
        canaryMetadata: { labels: { role: 'canary' } },
        stableMetadata: { labels: { role: 'stable' } },
      },
    },
  } as Rollout['spec'];
  const desiredOf = (syncs: ReturnType<typeof canaryEphemeralSyncs>) =>
    syncs.map((s) => `${s.rs.metadata.name}=${s.desired?.labels?.role ?? '-'}`);
  test.each([
    {
      name: 'first deploy: the new RS is stable',
      stable: undefined,
      newRS: rs('a'),
      stableRS: undefined,
      want: ['web-a=stable'],
    },
    {
      name: 'mid-update: canary on the new RS, stable on the stable RS',
      stable: 'a',
      newRS: rs('b'),
      stableRS: rs('a'),
      want: ['web-b=canary', 'web-a=stable'],
    },
    {
      name: 'promoted: the new RS becomes stable',
      stable: 'b',
      newRS: rs('b', { labels: { role: 'canary' } }),
      stableRS: rs('b', { labels: { role: 'canary' } }),
      want: ['web-b=stable'],
    },
    {
      name: 'in sync: nothing',
      stable: 'a',
      newRS: rs('b', { labels: { role: 'canary' } }),
      stableRS: rs('a', { labels: { role: 'stable' } }),
      want: [],
    },
  ])('$name', ({ stable, newRS, stableRS, want }) => {
    const rollout = { spec, status: stable ? { stableRS: stable } : {} };
    expect(desiredOf(canaryEphemeralSyncs({ rollout, newRS, stableRS }))).toEqual(want);
  });

  test.each([
    { name: 'first RS gets stable metadata', stable: undefined, want: 'stable' },
    { name: 'an update gets canary metadata', stable: 'a', want: 'canary' },
    { name: 'the stable hash itself gets stable metadata', stable: 'b', want: 'stable' },
  ])('new RS: $name', ({ stable, want }) => {
    expect(
      newReplicaSetMetadata({ spec, status: stable ? { stableRS: stable } : {} }, 'b')?.labels?.role,
    ).toBe(want);
  });
});
