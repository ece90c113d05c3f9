import { eventAggregateKey, eventName, eventTime, newEvent } from './events.ts';

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  namespace: 'ns',
  name: 'web',
  uid: 'u1',
};
const scaled = {
  type: 'Normal' as const,
  reason: 'ScalingReplicaSet',
  message: 'Scaled up ReplicaSet web-7d9f from 0 to 1',
};

test.each([
  { name: 'the same event aggregates', other: { object: rollout, event: scaled }, same: true },
  {
    name: 'another message does not',
    other: { object: rollout, event: { ...scaled, message: 'from 1 to 2' } },
    same: false,
  },
  {
    name: 'another reason does not',
    other: { object: rollout, event: { ...scaled, reason: 'RolloutUpdated' } },
    same: false,
  },
  {
    name: 'another type does not',
    other: { object: rollout, event: { ...scaled, type: 'Warning' as const } },
    same: false,
  },
  {
    name: 'another object does not',
    other: { object: { ...rollout, name: 'api' }, event: scaled },
    same: false,
  },
])('eventAggregateKey: $name', ({ other, same }) => {
  const a = eventAggregateKey(rollout, scaled, 'rollouts-controller');
  const b = eventAggregateKey(other.object, other.event, 'rollouts-controller');
  expect(a === b).toBe(same);
});

test('eventName is the object name and the time in nanoseconds, in hex', () => {
  expect(eventName('web', 1_700_000_000_123)).toBe(`web.${1_700_000_000_123_000_000n.toString(16)}`);
});

test('eventTime is to the second', () => {
  expect(eventTime(Date.UTC(2026, 10, 23, 12, 0, 5, 999))).toBe('2026-11-23T12:00:05Z');
});

test('newEvent fills the source, timestamps and count', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 5);
  expect(newEvent(rollout, scaled, { component: 'rollouts-controller', now })).toEqual({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName('web', now), namespace: 'ns' },
    involvedObject: rollout,
    reason: 'ScalingReplicaSet',
    message: 'Scaled up ReplicaSet web-7d9f from 0 to 1',
    type: 'Normal',
    source: { component: 'rollouts-controller' },
    reportingComponent: 'rollouts-controller',
    reportingInstance: '',
    firstTimestamp: '2026-11-23T12:00:05Z',
    lastTimestamp: '2026-11-23T12:00:05Z',
    count: 1,
  });
});
