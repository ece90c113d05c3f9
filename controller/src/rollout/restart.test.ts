import { podAvailable, restartPlan, type Pod, type RestartInput } from './restart.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const RESTART_AT = '2026-03-01T11:00:00Z';

function pod(
  name: string,
  rs: string,
  created: string,
  options: { ready?: boolean; terminating?: boolean } = {},
): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: created,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: rs, controller: true }],
      ...(options.terminating ? { deletionTimestamp: '2026-03-01T11:59:00Z' } : {}),
    },
    status: {
      conditions: [
        { type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: created },
      ],
    },
  };
}
const OLD = '2026-03-01T10:00:00Z';
const NEW = '2026-03-01T11:30:00Z';

function input(over: Partial<RestartInput>): RestartInput {
  return {
    restartAt: RESTART_AT,
    now: NOW,
    pods: [],
    replicaSetOrder: ['stable', 'canary'],
    replicas: 4,
    specReplicaSum: 4,
    maxUnavailable: 1,
    minReadySeconds: 0,
    ...over,
  };
}

const four = (created: string) => [
  pod('c1', 'canary', created),
  pod('s1', 'stable', created),
  pod('s2', 'stable', created),
  pod('s3', 'stable', created),
];

describe('restartPlan', () => {
  test.each([
    { name: 'no restartAt: nothing', over: { restartAt: undefined }, want: { kind: 'none' } },
    {
      name: 'already restarted: nothing',
      over: { restartedAt: '2026-03-01T11:00:00.000Z' },
      want: { kind: 'none' },
    },
    {
      name: 'a restartAt ahead waits for it',
      over: { restartAt: '2026-03-01T13:00:00Z' },
      want: { kind: 'later', at: Date.parse('2026-03-01T13:00:00Z') + 1 },
    },
    {
      name: 'all available, maxUnavailable 1: one stable pod first',
      over: { pods: four(OLD) },
      want: { kind: 'evict', pods: ['s1'], recheckAfterMs: 30_000 },
    },
    {
      name: 'maxUnavailable 2: two at once, stable first',
      over: { pods: four(OLD), maxUnavailable: 2 },
      want: { kind: 'evict', pods: ['s1', 's2'], recheckAfterMs: 30_000 },
    },
    {
      name: 'maxUnavailable 0 still restarts one at a time',
      over: { pods: four(OLD), maxUnavailable: 0 },
      want: { kind: 'evict', pods: ['s1'], recheckAfterMs: 30_000 },
    },
    {
      name: 'one pod already unavailable: no budget, wait',
      over: { pods: [...four(OLD).slice(0, 3), pod('s3', 'stable', OLD, { ready: false })] },
      want: { kind: 'evict', pods: [], recheckAfterMs: 30_000 },
    },
    {
      name: 'a terminating old pod counts as old but is not evicted again',
      over: {
        pods: [
          pod('s1', 'stable', OLD, { terminating: true }),
          ...four(NEW).slice(0, 3),
          pod('n', 'stable', NEW),
        ],
        replicas: 4,
        specReplicaSum: 4,
      },
      want: { kind: 'evict', pods: [], recheckAfterMs: 30_000 },
    },
    {
      name: 'old canary pods go after the stable ones are new',
      over: {
        pods: [
          pod('c1', 'canary', OLD),
          pod('s1', 'stable', NEW),
          pod('s2', 'stable', NEW),
          pod('s3', 'stable', NEW),
        ],
      },
      want: { kind: 'evict', pods: ['c1'], recheckAfterMs: 30_000 },
    },
    {
      name: 'all pods newer: done',
      over: { pods: four(NEW) },
      want: { kind: 'done', restartedAt: RESTART_AT },
    },
    {
      name: 'pods of other ReplicaSets are ignored',
      over: { pods: [...four(NEW), pod('x', 'foreign', OLD)] },
      want: { kind: 'done', restartedAt: RESTART_AT },
    },
    {
      name: 'a malformed restartAt does nothing',
      over: { restartAt: 'soon', pods: four(OLD) },
      want: { kind: 'none' },
    },
  ])('$name', ({ over, want }) => {
    expect(restartPlan(input(over))).toEqual(want);
  });
});

describe('podAvailable', () => {
  test.each([
    { name: 'ready without minReadySeconds', ready: true, min: 0, want: true },
    { name: 'not ready', ready: false, min: 0, want: false },
    { name: 'ready long enough', ready: true, min: 60, want: true },
    { name: 'ready too recently', ready: true, min: 60 * 60 * 3, want: false },
  ])('$name', ({ ready, min, want }) => {
    expect(podAvailable(pod('p', 'rs', OLD, { ready }), min, NOW)).toBe(want);
  });
});
