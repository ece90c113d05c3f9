import type { Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { deadlineOf, isSaturated, newReplicaSetSize, readyForPause } from './replicas.ts';

const rs = (
  hash: string,
  spec: number,
  avail = spec,
  annotations: Record<string, string> = {},
): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/desired-replicas': '3', ...annotations },
  },
  spec: { replicas: spec },
  status: { availableReplicas: avail },
});

function rollout(status: RolloutStatus, previewReplicaCount?: number, paused = false): Rollout {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      ...(paused ? { paused } : {}),
      strategy: {
        blueGreen: {
          activeService: 'a',
          ...(previewReplicaCount !== undefined ? { previewReplicaCount } : {}),
        },
      },
    },
    status,
  };
}

const previewing: RolloutStatus = { currentPodHash: 'green', stableRS: 'blue' };

test.each([
  { name: 'no previewReplicaCount: R', r: rollout(previewing), active: 'blue', want: 3 },
  { name: 'in preview: previewReplicaCount', r: rollout(previewing, 1), active: 'blue', want: 1 },
  { name: 'first deploy (nothing active): R', r: rollout(previewing, 1), active: undefined, want: 3 },
  { name: 'already active: R', r: rollout(previewing, 1), active: 'green', want: 3 },
  { name: 'promoteFull: R', r: rollout({ ...previewing, promoteFull: true }, 1), active: 'blue', want: 3 },
  {
    name: 'a brand-new template: preview count even with an old checkpoint',
    r: rollout({ ...previewing, currentPodHash: 'blue', blueGreen: { scaleUpPreviewCheckPoint: true } }, 1),
    active: 'blue',
    want: 1,
  },
  {
    name: 'checkpoint passed, not paused: R',
    r: rollout({ ...previewing, blueGreen: { scaleUpPreviewCheckPoint: true } }, 1),
    active: 'blue',
    want: 3,
  },
  {
    name: 'checkpoint passed but spec.paused: stays at the preview count',
    r: rollout({ ...previewing, blueGreen: { scaleUpPreviewCheckPoint: true } }, 1, true),
    active: 'blue',
    want: 1,
  },
])('$name', ({ r, active, want }) => {
  expect(newReplicaSetSize(r, rs('green', 0), active)).toBe(want);
});

test.each([
  { name: 'saturated', rs: rs('g', 3), want: true },
  { name: 'pods not all available', rs: rs('g', 3, 2), want: false },
  {
    name: 'sized for another R',
    rs: rs('g', 3, 3, { 'rollout.argoproj.io/desired-replicas': '4' }),
    want: false,
  },
  { name: 'at the preview count', rs: rs('g', 1), want: false },
])('isSaturated: $name', ({ rs: replicaSet, want }) => {
  expect(isSaturated(rollout({}), replicaSet)).toBe(want);
});

test('readyForPause needs the size and every pod available', () => {
  expect(readyForPause(rs('g', 1), 1)).toBe(true);
  expect(readyForPause(rs('g', 1, 0), 1)).toBe(false);
  expect(readyForPause(rs('g', 3), 1)).toBe(false);
});

test('deadlineOf reads RFC 3339, undefined when absent, NaN when unreadable', () => {
  expect(deadlineOf(rs('g', 3, 3, { 'scale-down-deadline': '2026-01-01T12:00:30Z' }))).toBe(
    Date.parse('2026-01-01T12:00:30Z'),
  );
  expect(deadlineOf(rs('g', 3))).toBeUndefined();
  expect(deadlineOf(rs('g', 3, 3, { 'scale-down-deadline': 'tomorrow' }))).toBeNaN();
});
