import type { Condition, Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ProgressionFields } from '../canary/progression.ts';
import { canaryStatus, type CanaryStatusInput } from './canary-status.ts';
import type { ReplicaSet } from './replica-set.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const T_OLD = '2026-03-01T11:00:00Z';

const replicaSet = (name: string, replicas: number, available = replicas): ReplicaSet => ({
  metadata: { name },
  spec: { replicas },
  status: { replicas, readyReplicas: available, availableReplicas: available },
});

function rollout(status: RolloutStatus, spec: Partial<Rollout['spec']> = {}): Rollout {
  return {
    metadata: { name: 'web', generation: 2 },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } },
      ...spec,
    },
    status: { observedGeneration: '2', ...status },
  };
}

function input(
  status: RolloutStatus,
  fields: ProgressionFields,
  over: Partial<CanaryStatusInput> = {},
): CanaryStatusInput {
  const newRS = replicaSet('web-n', 1);
  return {
    rollout: rollout(status),
    fields: { currentPodHash: 'n', currentStepHash: 'sh', stableRS: 's', currentStepIndex: 0, ...fields },
    newRS,
    replicaSets: [newRS, replicaSet('web-s', 3)],
    revision: 2,
    now: NOW,
    ...over,
  };
}

const byType = (conditions: Condition[] | undefined) =>
  Object.fromEntries((conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));

test('counts come from the ReplicaSets, the selector from the spec', () => {
  const { status } = canaryStatus(input({}, {}));
  expect(status).toMatchObject({
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 4,
    availableReplicas: 4,
    HPAReplicas: 4,
    selector: 'app=web',
    observedGeneration: '2',
  });
});

test('mid-canary: Progressing, available, not paused, not completed', () => {
  const { status } = canaryStatus(input({}, {}));
  expect(byType(status.conditions)).toEqual({
    Progressing: 'True/ReplicaSetUpdated',
    Available: 'True/AvailableReason',
    Paused: 'False/RolloutPaused',
    Completed: 'False/RolloutCompleted',
  });
  expect([status.phase, status.message]).toEqual(['Progressing', 'more replicas need to be updated']);
});

test('a pause step: Paused phase, RolloutPaused event once', () => {
  const pause = [{ reason: 'CanaryPauseStep', startTime: T_OLD }];
  const first = canaryStatus(
    input({}, { pauseConditions: pause, controllerPause: true, currentStepIndex: 1 }),
  );
  expect([first.status.phase, first.status.message]).toEqual(['Paused', 'CanaryPauseStep']);
  expect(byType(first.status.conditions)).toMatchObject({
    Progressing: 'Unknown/RolloutPaused',
    Paused: 'True/RolloutPaused',
  });
  expect(first.events).toEqual([
    { type: 'Normal', reason: 'RolloutPaused', message: 'Rollout is paused (CanaryPauseStep)' },
  ]);
  const again = canaryStatus(
    input({ pauseConditions: pause }, { pauseConditions: pause, controllerPause: true, currentStepIndex: 1 }),
  );
  expect(again.events).toEqual([]);
});

test('a resume drops controllerPause and records RolloutResumed', () => {
  const { status, events } = canaryStatus(
    input(
      { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: T_OLD }] },
      { pauseConditions: undefined, controllerPause: true, currentStepIndex: 2 },
    ),
  );
  expect(status.controllerPause).toBeUndefined();
  expect(status.pauseConditions).toBeUndefined();
  expect(events.map((e) => e.reason)).toEqual(['RolloutResumed']);
});

test('an abort: Degraded with the upstream message and a Warning event the first time', () => {
  const first = canaryStatus(input({}, { abort: true, abortedAt: '2026-03-01T12:00:00Z' }));
  expect([first.status.phase, first.status.message]).toEqual([
    'Degraded',
    'RolloutAborted: Rollout aborted update to revision 2',
  ]);
  expect(first.events).toEqual([
    { type: 'Warning', reason: 'RolloutAborted', message: 'Rollout aborted update to revision 2' },
  ]);
  const again = canaryStatus(input({ abort: true, abortedAt: T_OLD }, { abort: true, abortedAt: T_OLD }));
  expect(again.events).toEqual([]);
});

test('retry after abort: Progressing Unknown/RolloutRetry', () => {
  const { status } = canaryStatus(input({ abortedAt: T_OLD }, { abortedAt: undefined }));
  expect(byType(status.conditions).Progressing).toBe('Unknown/RolloutRetry');
});

test('fully promoted and available: Healthy, Completed, NewReplicaSetAvailable', () => {
  const newRS = replicaSet('web-n', 4);
  const { status } = canaryStatus(
    input(
      {},
      { stableRS: 'n', currentStepIndex: 2 },
      { newRS, replicaSets: [newRS, replicaSet('web-s', 0)] },
    ),
  );
  expect([status.phase, status.message]).toEqual(['Healthy', '']);
  expect(byType(status.conditions)).toEqual({
    Progressing: 'True/NewReplicaSetAvailable',
    Available: 'True/AvailableReason',
    Paused: 'False/RolloutPaused',
    Healthy: 'True/RolloutHealthy',
    Completed: 'True/RolloutCompleted',
  });
});

test('a new update after completion records RolloutNotCompleted', () => {
  const done: Condition = {
    type: 'Completed',
    status: 'True',
    reason: 'RolloutCompleted',
    message: 'RolloutCompleted',
    lastUpdateTime: T_OLD,
    lastTransitionTime: T_OLD,
  };
  const { events } = canaryStatus(input({ conditions: [done] }, {}));
  expect(events).toEqual([
    {
      type: 'Normal',
      reason: 'RolloutNotCompleted',
      message: 'Rollout not completed, started update to revision 2 (n)',
    },
  ]);
});

test('InvalidSpec makes the Rollout Degraded and is removed once fixed', () => {
  const bad = canaryStatus(
    input({}, {}, { invalidSpec: 'The Rollout "web" is invalid: spec.replicas: Invalid value' }),
  );
  expect([bad.status.phase, bad.status.message]).toEqual([
    'Degraded',
    'InvalidSpec: The Rollout "web" is invalid: spec.replicas: Invalid value',
  ]);
  const fixed = canaryStatus(input({ conditions: bad.status.conditions }, {}));
  expect(byType(fixed.status.conditions).InvalidSpec).toBeUndefined();
});

describe('progress deadline', () => {
  const progressing = (updated: string): Condition => ({
    type: 'Progressing',
    status: 'True',
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "web-n" is progressing.',
    lastUpdateTime: updated,
    lastTransitionTime: updated,
  });
  // No progress: the same counts as before.
  const steady = {
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 4,
    availableReplicas: 4,
    currentStepIndex: 0,
    currentStepHash: 'sh',
    stableRS: 's',
  };

  test('not yet passed: asks to look again when it would pass', () => {
    const { status, recheckAt } = canaryStatus(
      input({ ...steady, conditions: [progressing('2026-03-01T11:55:00Z')] }, {}),
    );
    expect(byType(status.conditions).Progressing).toBe('True/ReplicaSetUpdated');
    expect(recheckAt).toBe(Date.parse('2026-03-01T12:05:00Z') + 1_000);
  });

  test('passed without progress: ProgressDeadlineExceeded, Degraded, and it stays', () => {
    const first = canaryStatus(input({ ...steady, conditions: [progressing('2026-03-01T11:49:00Z')] }, {}));
    expect([first.status.phase, first.status.message]).toEqual([
      'Degraded',
      'ProgressDeadlineExceeded: ReplicaSet "web-n" has timed out progressing.',
    ]);
    expect(first.events.map((e) => e.reason)).toEqual(['ProgressDeadlineExceeded']);
    const later = canaryStatus(input({ ...steady, conditions: first.status.conditions }, {}));
    expect(byType(later.status.conditions).Progressing).toBe('False/ProgressDeadlineExceeded');
    expect(later.events).toEqual([]);
  });

  test.each([
    { name: 'progressDeadlineAbort aborts the update with the timeout message', abortOn: true, want: true },
    { name: 'without progressDeadlineAbort nothing is aborted', abortOn: false, want: undefined },
  ])('$name', ({ abortOn, want }) => {
    const base = input({ ...steady, conditions: [progressing('2026-03-01T11:49:00Z')] }, {});
    base.rollout.spec.progressDeadlineAbort = abortOn;
    const r = canaryStatus(base);
    expect(r.status.abort).toBe(want);
    expect(r.events.map((e) => `${e.type}/${e.reason}: ${e.message}`)).toEqual([
      'Warning/ProgressDeadlineExceeded: ReplicaSet "web-n" has timed out progressing.',
      ...(abortOn
        ? [
            'Warning/RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "web-n" has timed out progressing.',
          ]
        : []),
    ]);
    if (abortOn) expect(r.status.abortedAt).toBe(new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  test('progress after the deadline restores Progressing', () => {
    const exceeded = canaryStatus(input({ ...steady, conditions: [progressing('2026-03-01T11:49:00Z')] }, {}))
      .status.conditions;
    const moved = canaryStatus(
      input({ ...steady, conditions: exceeded }, { currentStepIndex: 1, pauseConditions: undefined }, {}),
    );
    expect(byType(moved.status.conditions).Progressing).toBe('True/ReplicaSetUpdated');
  });

  test('a pause step does not count against the deadline', () => {
    const r = canaryStatus(
      input(
        { ...steady, currentStepIndex: 1, conditions: [progressing('2026-03-01T11:00:00Z')] },
        { currentStepIndex: 1 },
      ),
    );
    expect(byType(r.status.conditions).Progressing).toBe('True/ReplicaSetUpdated');
  });
});

test('a resume given while the spec is invalid is kept for the pass that can act on it', () => {
  const resumed = { controllerPause: true, pauseConditions: undefined };
  const invalid = canaryStatus(input({}, resumed, { invalidSpec: 'The Rollout "web" is invalid: x' }));
  expect(invalid.status.controllerPause).toBe(true);
  expect(canaryStatus(input({}, resumed)).status.controllerPause).toBeUndefined();
});

test('a resume given while spec.paused is set is kept until the user unpauses', () => {
  const resumed = { controllerPause: true, pauseConditions: undefined };
  const paused = canaryStatus({ ...input({}, resumed), rollout: rollout({}, { paused: true }) });
  expect(paused.status.controllerPause).toBe(true);
  expect(paused.status.phase).toBe('Paused');
});
