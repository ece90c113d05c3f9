import type { Rollout } from '@rollout-kit/api';
import type { ReplicaSet } from './replica-set.ts';
import { rollbackWithinWindow } from './rollback-window.ts';

const rs = (name: string, second: number, experiment = false): ReplicaSet => ({
  metadata: {
    name,
    creationTimestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`,
    ...(experiment ? { annotations: { 'experiment.argoproj.io/name': 'exp' } } : {}),
  },
});
const window = (revisions?: number): Pick<Rollout, 'spec'> => ({
  spec: { ...(revisions !== undefined ? { rollbackWindow: { revisions } } : {}) },
});

// Revisions 1..5 created a second apart; 5 is stable.
const [r1, r2, r3, r4, r5] = [1, 2, 3, 4, 5].map((n) => rs(`r${n}`, n * 10)) as [
  ReplicaSet,
  ReplicaSet,
  ReplicaSet,
  ReplicaSet,
  ReplicaSet,
];
const all = [r1, r2, r3, r4, r5];

test.each([
  { name: 'no rollbackWindow', revisions: undefined, to: r4, owned: all, want: false },
  { name: 'revisions 0', revisions: 0, to: r4, owned: all, want: false },
  { name: 'back one revision, window 1', revisions: 1, to: r4, owned: all, want: true },
  { name: 'back two revisions, window 1', revisions: 1, to: r3, owned: all, want: false },
  // Upstream counts the ReplicaSets strictly between the two (its docs' example says 4 or 3 for
  // window 3; the code also takes 2, with two in between, and that is what we follow).
  { name: 'back to 3, window 3', revisions: 3, to: r3, owned: all, want: true },
  { name: 'back to 2, window 3', revisions: 3, to: r2, owned: all, want: true },
  { name: 'back to 1, window 3', revisions: 3, to: r1, owned: all, want: false },
  {
    name: 'an experiment RS in between is not a revision',
    revisions: 1,
    to: r3,
    owned: [r3, rs('e', 35, true), r5],
    want: true,
  },
  { name: 'a newer RS is not a rollback', revisions: 3, to: rs('r6', 55), owned: all, want: false },
  { name: 'created in the same second as stable', revisions: 3, to: rs('r5b', 50), owned: all, want: false },
])('$name → $want', ({ revisions, to, owned, want }) => {
  expect(rollbackWithinWindow(window(revisions), to, r5, owned)).toBe(want);
});

test('no new or no stable ReplicaSet: not a rollback', () => {
  expect(rollbackWithinWindow(window(3), undefined, r5, all)).toBe(false);
  expect(rollbackWithinWindow(window(3), r4, undefined, all)).toBe(false);
});
