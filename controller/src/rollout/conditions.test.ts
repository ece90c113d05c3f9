import type { Condition } from '@rollout-kit/api';
import { removeCondition, setCondition, setProgressing } from './conditions.ts';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const cond = (type: string, status: Condition['status'], reason: string, message = 'm'): Condition => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: T0,
  lastTransitionTime: T0,
});

test.each([
  {
    name: 'a new condition is added with both times now',
    before: [],
    input: { type: 'Paused', status: 'True' as const, reason: 'RolloutPaused', message: 'Rollout is paused' },
    want: [
      {
        type: 'Paused',
        status: 'True',
        reason: 'RolloutPaused',
        message: 'Rollout is paused',
        lastUpdateTime: T1,
        lastTransitionTime: T1,
      },
    ],
  },
  {
    name: 'same type, status and reason is a no-op, even with another message',
    before: [cond('Available', 'True', 'AvailableReason', 'old')],
    input: { type: 'Available', status: 'True' as const, reason: 'AvailableReason', message: 'new' },
    want: [cond('Available', 'True', 'AvailableReason', 'old')],
  },
  {
    name: 'a new reason with the same status keeps the transition time',
    before: [cond('Progressing', 'True', 'ReplicaSetUpdated')],
    input: {
      type: 'Progressing',
      status: 'True' as const,
      reason: 'NewReplicaSetAvailable',
      message: 'done',
    },
    want: [
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: 'done',
        lastUpdateTime: T1,
        lastTransitionTime: T0,
      },
    ],
  },
  {
    name: 'a status change moves the transition time',
    before: [cond('Progressing', 'True', 'ReplicaSetUpdated')],
    input: { type: 'Progressing', status: 'False' as const, reason: 'RolloutAborted', message: 'aborted' },
    want: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: 'aborted',
        lastUpdateTime: T1,
        lastTransitionTime: T1,
      },
    ],
  },
])('setCondition: $name', ({ before, input, want }) => {
  expect(setCondition(before, input, T1)).toEqual(want);
});

test('setCondition returns the same array when nothing changes', () => {
  const before = [cond('Available', 'True', 'AvailableReason')];
  expect(
    setCondition(before, { type: 'Available', status: 'True', reason: 'AvailableReason', message: 'x' }, T1),
  ).toBe(before);
});

test('setProgressing refreshes lastUpdateTime on progress with the same reason', () => {
  const before = [cond('Progressing', 'True', 'ReplicaSetUpdated', 'old')];
  const input = {
    status: 'True' as const,
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "r" is progressing.',
  };
  expect(setProgressing(before, input, T1, true)).toEqual([
    { ...before[0], message: 'ReplicaSet "r" is progressing.', lastUpdateTime: T1, lastTransitionTime: T0 },
  ]);
  expect(setProgressing(before, input, T1, false)).toBe(before);
});

test('removeCondition drops only that type', () => {
  const before = [cond('InvalidSpec', 'True', 'InvalidSpec'), cond('Available', 'True', 'AvailableReason')];
  expect(removeCondition(before, 'InvalidSpec').map((c) => c.type)).toEqual(['Available']);
  expect(removeCondition(before, 'Paused')).toBe(before);
});
