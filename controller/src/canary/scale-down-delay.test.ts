import type { Rollout, RolloutStatus } from '@rollout-kit/api';
import { scaleDownDelayPlan, type DelayedReplicaSet } from './scale-down-delay.ts';

const now = Date.parse('2026-01-01T00:00:00Z');
const rs = (name: string, spec: number, extra: Partial<DelayedReplicaSet> = {}): DelayedReplicaSet => ({
  name,
  specReplicas: spec,
  replicas: spec,
  availableReplicas: spec,
  ...extra,
});
function rollout(
  status: RolloutStatus,
  canary: Record<string, unknown> = {},
): Pick<Rollout, 'spec' | 'status'> {
  return {
    spec: {
      replicas: 4,
      strategy: {
        canary: {
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps: [{ setWeight: 50 }],
          ...canary,
        },
      },
    },
    status: { stableRS: 's', currentPodHash: 'n', ...status },
  };
}
const later = '2026-01-01T00:00:30Z';
const earlier = '2025-12-31T23:59:00Z';

test.each([
  {
    name: 'promotion: the previous stable gets a deadline 30 s out',
    status: { stableRS: 'n' },
    canary: {},
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    others: [rs('s', 4)],
    action: { kind: 'annotate', name: 's', deadline: later },
    held: ['s'],
  },
  {
    name: 'promotion: scaleDownDelaySeconds sets the wait',
    status: { stableRS: 'n' },
    canary: { scaleDownDelaySeconds: 5 },
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    others: [rs('s', 4)],
    action: { kind: 'annotate', name: 's', deadline: '2026-01-01T00:00:05Z' },
    held: ['s'],
  },
  {
    name: 'promotion: held until the deadline',
    status: { stableRS: 'n' },
    canary: {},
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    others: [rs('s', 4, { deadline: later })],
    action: undefined,
    held: ['s'],
  },
  {
    name: 'promotion: scaled down once passed',
    status: { stableRS: 'n' },
    canary: {},
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    others: [rs('s', 4, { deadline: earlier })],
    action: { kind: 'scaleDown', name: 's', from: 4 },
    held: [],
  },
  {
    name: 'promotion: beyond scaleDownDelayRevisionLimit goes at once',
    status: { stableRS: 'n' },
    canary: { scaleDownDelayRevisionLimit: 1 },
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    others: [rs('s', 4, { deadline: later }), rs('o', 2, { deadline: later })],
    action: { kind: 'scaleDown', name: 'o', from: 2 },
    held: ['s'],
  },
  {
    name: 'abort: canary kept while stable is not fully available',
    status: { abort: true },
    canary: {},
    newRS: rs('n', 2),
    stableRS: rs('s', 4, { availableReplicas: 3 }),
    others: [],
    action: undefined,
    held: ['n'],
  },
  {
    name: 'abort: then annotated with abortScaleDownDelaySeconds',
    status: { abort: true },
    canary: { abortScaleDownDelaySeconds: 10 },
    newRS: rs('n', 2),
    stableRS: rs('s', 4),
    others: [],
    action: { kind: 'annotate', name: 'n', deadline: '2026-01-01T00:00:10Z' },
    held: ['n'],
  },
  {
    name: 'abort: scaled down after the deadline',
    status: { abort: true },
    canary: {},
    newRS: rs('n', 2, { deadline: earlier }),
    stableRS: rs('s', 4),
    others: [],
    action: { kind: 'scaleDown', name: 'n', from: 2 },
    held: [],
  },
  {
    name: 'abort: 0 keeps the canary running',
    status: { abort: true },
    canary: { abortScaleDownDelaySeconds: 0 },
    newRS: rs('n', 2),
    stableRS: rs('s', 4),
    others: [],
    action: undefined,
    held: ['n'],
  },
  {
    name: 'abort with dynamicStableScale and no explicit delay: no hold',
    status: { abort: true },
    canary: { dynamicStableScale: true },
    newRS: rs('n', 2),
    stableRS: rs('s', 4),
    others: [],
    action: undefined,
    held: [],
  },
  {
    name: 'a stale deadline on the new RS is removed (retried after an abort)',
    status: {},
    canary: {},
    newRS: rs('n', 2, { deadline: later }),
    stableRS: rs('s', 4),
    others: [],
    action: { kind: 'removeDeadline', name: 'n' },
    held: [],
  },
])('$name', ({ status, canary, newRS, stableRS, others, action, held }) => {
  const plan = scaleDownDelayPlan({
    rollout: rollout(status, canary),
    newRS,
    stableRS,
    otherRSs: others,
    now,
  });
  expect(plan.action).toEqual(action);
  expect([...plan.held]).toEqual(held);
});

test('a held RS re-queues at its deadline; basic canaries have no delays', () => {
  const plan = scaleDownDelayPlan({
    rollout: rollout({ stableRS: 'n' }),
    newRS: rs('n', 4),
    stableRS: rs('n', 4),
    otherRSs: [rs('s', 4, { deadline: later })],
    now,
  });
  expect(plan.recheckAt).toBe(Date.parse(later));
  const basic = {
    spec: { replicas: 4, strategy: { canary: {} } },
    status: { stableRS: 'n', currentPodHash: 'n' },
  };
  expect(
    scaleDownDelayPlan({
      rollout: basic,
      newRS: rs('n', 4),
      stableRS: rs('n', 4),
      otherRSs: [rs('s', 4)],
      now,
    }),
  ).toEqual({
    held: new Set(),
  });
});
