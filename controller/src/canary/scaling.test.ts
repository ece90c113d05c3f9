import type { CanaryStep, Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ReplicaSetCounts } from './replicas.ts';
import { nextScaleAction } from './scaling.ts';

const rs = (name: string, spec: number, avail = spec): ReplicaSetCounts => ({
  name,
  specReplicas: spec,
  replicas: spec,
  availableReplicas: avail,
});
const steps: CanaryStep[] = [{ setWeight: 40 }, { pause: {} }];

function rollout(status: RolloutStatus, spec: Partial<Rollout['spec']> = {}): Rollout {
  return {
    metadata: { name: 'web' },
    spec: { replicas: 5, strategy: { canary: { steps } }, ...spec },
    status: { stableRS: 's', currentPodHash: 'n', currentStepIndex: 0, ...status },
  };
}

// The worked example E2 of the reference: R=5, 25%/25% → surge 2, maxUnavailable 1; setWeight 40 → (2, 3).
test.each([
  {
    name: 'E2 pass 1: stable 5/5 shrinks to 4 first',
    newRS: rs('n', 0),
    stableRS: rs('s', 5),
    want: { name: 's', from: 5, to: 4 },
  },
  {
    name: 'E2 pass 2: new gets its 2',
    newRS: rs('n', 0),
    stableRS: rs('s', 4),
    want: { name: 'n', from: 0, to: 2 },
  },
  {
    name: 'E2 pass 3: new not yet available, nothing to do',
    newRS: rs('n', 2, 0),
    stableRS: rs('s', 4),
    want: undefined,
  },
  {
    name: 'E2 pass 4: new available, stable goes to 3',
    newRS: rs('n', 2),
    stableRS: rs('s', 4),
    want: { name: 's', from: 4, to: 3 },
  },
  { name: 'E2 done', newRS: rs('n', 2), stableRS: rs('s', 3), want: undefined },
])('$name', ({ newRS, stableRS, want }) => {
  expect(nextScaleAction({ rollout: rollout({}), newRS, stableRS, otherRSs: [] })).toEqual(want);
});

test('the first deploy scales the new ReplicaSet to R', () => {
  expect(
    nextScaleAction({ rollout: rollout({ stableRS: undefined }), newRS: rs('n', 0), otherRSs: [] }),
  ).toEqual({ name: 'n', from: 0, to: 5 });
});

test('a promoted Rollout keeps the new RS at R and drains the old stable within the budget', () => {
  const r = rollout({ stableRS: 'n', currentStepIndex: 2 });
  expect(
    nextScaleAction({ rollout: r, newRS: rs('n', 5), stableRS: rs('n', 5), otherRSs: [rs('s', 3)] }),
  ).toEqual({ name: 's', from: 3, to: 0 });
  // Only 4 of 5 new pods available: budget = 4 + 3 − (5 − 1) = 3 → all 3 may go.
  expect(
    nextScaleAction({ rollout: r, newRS: rs('n', 5, 4), stableRS: rs('n', 5, 4), otherRSs: [rs('s', 3)] }),
  ).toEqual({ name: 's', from: 3, to: 0 });
  // New pods not available yet: budget = 1 + 3 − 4 = 0 → the old RS waits.
  expect(
    nextScaleAction({ rollout: r, newRS: rs('n', 5, 1), stableRS: rs('n', 5, 1), otherRSs: [rs('s', 3)] }),
  ).toBeUndefined();
});

test('unavailable pods of older ReplicaSets go first, whatever the budget', () => {
  const r = rollout({ stableRS: 'n', currentStepIndex: 2 });
  expect(
    nextScaleAction({
      rollout: r,
      newRS: rs('n', 5, 0),
      stableRS: rs('n', 5, 0),
      otherRSs: [rs('bad', 2, 0)],
    }),
  ).toEqual({ name: 'bad', from: 2, to: 0 });
});

test('an abort shrinks the canary back (weight 0)', () => {
  const r = rollout({ abort: true });
  expect(nextScaleAction({ rollout: r, newRS: rs('n', 2), stableRS: rs('s', 3), otherRSs: [] })).toEqual({
    name: 's',
    from: 3,
    to: 5,
  });
  expect(nextScaleAction({ rollout: r, newRS: rs('n', 2), stableRS: rs('s', 5), otherRSs: [] })).toEqual({
    name: 'n',
    from: 2,
    to: 0,
  });
});

test.each([
  { name: 'spec.paused holds every scale', status: {}, spec: { paused: true } },
  {
    name: 'an inconclusive analysis pause holds it',
    status: { pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }] },
    spec: {},
  },
])('$name', ({ status, spec }) => {
  expect(
    nextScaleAction({
      rollout: rollout(status, spec),
      newRS: rs('n', 0),
      stableRS: rs('s', 5),
      otherRSs: [],
    }),
  ).toBeUndefined();
});

test('a canary pause step does not hold scaling', () => {
  const r = rollout({
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }],
    controllerPause: true,
  });
  expect(nextScaleAction({ rollout: r, newRS: rs('n', 0), stableRS: rs('s', 5), otherRSs: [] })).toEqual({
    name: 's',
    from: 5,
    to: 4,
  });
});
