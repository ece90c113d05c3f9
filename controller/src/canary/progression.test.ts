import type { CanaryStep, Rollout, RolloutStatus } from '@rollout-kit/api';
import { canaryProgression, type ProgressionInput } from './progression.ts';
import type { ReplicaSetCounts } from './replicas.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const steps: CanaryStep[] = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '10s' } },
];

function rollout(status: RolloutStatus, extra: Partial<Rollout['spec']> = {}, stepList = steps): Rollout {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: { replicas: 4, strategy: { canary: { steps: stepList } }, ...extra },
    status,
  };
}

const rs = (name: string, spec: number, avail = spec): ReplicaSetCounts => ({
  name,
  specReplicas: spec,
  replicas: spec,
  availableReplicas: avail,
});

/** A Rollout mid-update from stable hash s1 to new hash n2, at `index`. */
function input(status: Partial<RolloutStatus>, over: Partial<ProgressionInput> = {}): ProgressionInput {
  return {
    rollout: rollout({
      currentPodHash: 'n2',
      currentStepHash: 'sh',
      stableRS: 's1',
      currentStepIndex: 0,
      ...status,
    }),
    currentPodHash: 'n2',
    stepHash: 'sh',
    newRS: rs('web-n2', 1),
    stableRS: rs('web-s1', 3),
    otherRSs: [],
    revision: 2,
    now: NOW,
    ...over,
  };
}

test('the first reconcile of a new Rollout records the hashes and starts at step 0', () => {
  const p = canaryProgression({ ...input({}), rollout: rollout({}) });
  expect(p.fields).toMatchObject({ currentPodHash: 'n2', currentStepHash: 'sh', currentStepIndex: 0 });
  expect(p.events).toEqual([]);
});

test('the first deploy is promoted at once as "Initial deploy"', () => {
  const p = canaryProgression(
    input({ stableRS: undefined }, { stableRS: undefined, newRS: rs('web-n2', 0, 0) }),
  );
  expect(p.promotedBecause).toBe('Initial deploy');
  expect(p.fields).toMatchObject({ stableRS: 'n2', currentStepIndex: 4 });
  expect(p.events).toEqual([
    {
      type: 'Normal',
      reason: 'RolloutCompleted',
      message: 'Rollout completed update to revision 2 (n2): Initial deploy',
    },
  ]);
});

test('a new template resets the step index, pauses, abort and promoteFull', () => {
  const p = canaryProgression(
    input({
      currentPodHash: 'old',
      currentStepIndex: 3,
      abort: true,
      abortedAt: '2026-03-01T11:00:00Z',
      promoteFull: true,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }],
    }),
  );
  expect(p.fields).toEqual({
    currentPodHash: 'n2',
    currentStepHash: 'sh',
    currentStepIndex: 0,
    stableRS: 's1',
    pauseConditions: undefined,
    controllerPause: undefined,
    abort: undefined,
    abortedAt: undefined,
    promoteFull: undefined,
    canary: undefined,
  });
});

test('going back to the stable template skips the steps', () => {
  const p = canaryProgression(
    input({ currentPodHash: 'n2', currentStepIndex: 1 }, { currentPodHash: 's1', newRS: rs('web-s1', 4) }),
  );
  expect(p.fields.currentStepIndex).toBe(4);
  expect(p.events.map((e) => e.reason)).toEqual(['SkipSteps']);
});

test('changed steps restart the sequence', () => {
  expect(
    canaryProgression(input({ currentStepIndex: 2 }, { stepHash: 'other' })).fields.currentStepIndex,
  ).toBe(0);
});

describe('setWeight steps', () => {
  test.each([
    {
      name: 'at 25% of 4 (1 canary, 3 stable): completes',
      newRS: rs('web-n2', 1),
      stableRS: rs('web-s1', 3),
      want: 1,
    },
    {
      name: 'canary not yet available: waits',
      newRS: rs('web-n2', 1, 0),
      stableRS: rs('web-s1', 3),
      want: 0,
    },
    { name: 'stable not yet scaled down: waits', newRS: rs('web-n2', 1), stableRS: rs('web-s1', 4), want: 0 },
  ])('$name', ({ newRS, stableRS, want }) => {
    expect(canaryProgression(input({}, { newRS, stableRS })).fields.currentStepIndex).toBe(want);
  });

  test('completing a step records RolloutStepCompleted with upstream text', () => {
    expect(canaryProgression(input({})).events).toEqual([
      {
        type: 'Normal',
        reason: 'RolloutStepCompleted',
        message: 'Rollout step 1/4 completed (setWeight: 25)',
      },
    ]);
  });

  test('an old ReplicaSet with available pods holds the step', () => {
    expect(canaryProgression(input({}, { otherRSs: [rs('web-o', 1)] })).fields.currentStepIndex).toBe(0);
  });

  test('nothing progresses while spec.paused', () => {
    const i = input({});
    i.rollout.spec.paused = true;
    expect(canaryProgression(i).fields.currentStepIndex).toBe(0);
  });
});

describe('pause steps and the pause protocol', () => {
  test('an indefinite pause adds CanaryPauseStep and controllerPause', () => {
    const p = canaryProgression(input({ currentStepIndex: 1 }));
    expect(p.fields.pauseConditions).toEqual([
      { reason: 'CanaryPauseStep', startTime: '2026-03-01T12:00:00Z' },
    ]);
    expect(p.fields.controllerPause).toBe(true);
    expect(p.fields.currentStepIndex).toBe(1);
    expect(p.recheckAt).toBeUndefined();
  });

  test('a paused step stays paused', () => {
    const status = {
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }],
    };
    const p = canaryProgression(input(status));
    expect(p.fields.currentStepIndex).toBe(1);
    expect(p.fields.pauseConditions).toEqual(status.pauseConditions);
  });

  test('a user resume (conditions removed, controllerPause kept) completes the step and drops controllerPause', () => {
    const p = canaryProgression(input({ currentStepIndex: 1, controllerPause: true }));
    expect(p.fields).toMatchObject({
      currentStepIndex: 2,
      controllerPause: undefined,
      pauseConditions: undefined,
    });
    expect(p.events.map((e) => e.message)).toEqual(['Rollout step 2/4 completed (pause)']);
  });

  test('a timed pause starts and asks to be looked at again when it ends', () => {
    const p = canaryProgression(input({ currentStepIndex: 3 }));
    expect(p.fields.controllerPause).toBe(true);
    expect(p.recheckAt).toBe(NOW + 10_000 + 1_000);
  });

  test.each([
    { name: 'before the end it waits', startedAgoMs: 9_000, want: 3 },
    { name: 'exactly at the end it still waits (strictly after)', startedAgoMs: 10_000, want: 3 },
    { name: 'after the end the step completes', startedAgoMs: 10_001, want: 4 },
  ])('timed pause: $name', ({ startedAgoMs, want }) => {
    const startTime = new Date(NOW - startedAgoMs).toISOString();
    const p = canaryProgression(
      input({
        currentStepIndex: 3,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime }],
      }),
    );
    expect(p.fields.currentStepIndex).toBe(want);
  });

  test('other pause reasons survive completing a pause step', () => {
    const other = { reason: 'InconclusiveAnalysisRun', startTime: '2026-03-01T11:00:00Z' };
    const p = canaryProgression(
      input({
        currentStepIndex: 3,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }, other],
      }),
    );
    expect(p.fields.pauseConditions).toEqual([other]);
    expect(p.fields.controllerPause).toBe(true);
  });
});

describe('promotion, abort and retry', () => {
  test('after the last step, promotion waits for the new RS to be fully available', () => {
    expect(
      canaryProgression(
        input({ currentStepIndex: 4 }, { newRS: rs('web-n2', 4, 3), stableRS: rs('web-s1', 0) }),
      ).promotedBecause,
    ).toBeUndefined();
    const p = canaryProgression(
      input({ currentStepIndex: 4 }, { newRS: rs('web-n2', 4), stableRS: rs('web-s1', 0) }),
    );
    expect(p.promotedBecause).toBe('Completed all 4 canary steps');
    expect(p.fields.stableRS).toBe('n2');
  });

  test('a canary without steps is promoted once its RS is fully available', () => {
    const i = input({ currentStepIndex: undefined }, { newRS: rs('web-n2', 4) });
    i.rollout = rollout({ currentPodHash: 'n2', currentStepHash: 'sh', stableRS: 's1' }, {}, []);
    const p = canaryProgression(i);
    expect(p.promotedBecause).toBe('Completed all 0 canary steps');
    expect(p.fields.currentStepIndex).toBeUndefined();
  });

  test('promoteFull skips the remaining steps and promotes when the new RS is available', () => {
    const waiting = canaryProgression(
      input({
        currentStepIndex: 1,
        promoteFull: true,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }],
      }),
    );
    expect(waiting.fields).toMatchObject({
      currentStepIndex: 4,
      pauseConditions: undefined,
      controllerPause: undefined,
      promoteFull: true,
    });
    const done = canaryProgression(
      input({ currentStepIndex: 4, promoteFull: true }, { newRS: rs('web-n2', 4) }),
    );
    expect(done.promotedBecause).toBe('Full promotion requested');
    expect(done.fields.promoteFull).toBeUndefined();
  });

  test('abort records abortedAt once, clears pauses and goes back to step 0', () => {
    const p = canaryProgression(
      input({
        currentStepIndex: 2,
        abort: true,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }],
      }),
    );
    expect(p.fields).toMatchObject({
      abort: true,
      abortedAt: '2026-03-01T12:00:00Z',
      currentStepIndex: 0,
      pauseConditions: undefined,
      controllerPause: undefined,
    });
    const again = canaryProgression(
      input({ currentStepIndex: 0, abort: true, abortedAt: '2026-03-01T11:59:00Z' }),
    );
    expect(again.fields.abortedAt).toBe('2026-03-01T11:59:00Z');
  });

  test('an aborted Rollout is never promoted', () => {
    expect(
      canaryProgression(input({ currentStepIndex: 4, abort: true }, { newRS: rs('web-n2', 4) }))
        .promotedBecause,
    ).toBeUndefined();
  });

  test('retry (abort cleared) forgets abortedAt and starts the steps again', () => {
    const p = canaryProgression(input({ currentStepIndex: 0, abortedAt: '2026-03-01T11:59:00Z' }));
    expect(p.fields.abortedAt).toBeUndefined();
    expect(p.fields.currentStepIndex).toBe(1);
  });
});

describe('analysis and experiment steps', () => {
  const analysisSteps: CanaryStep[] = [
    { setWeight: 25 },
    { analysis: { templates: [{ templateName: 't' }] } },
  ];
  test.each([
    { name: 'running run holds the step', phase: 'Running', want: 1 },
    { name: 'successful run completes it', phase: 'Successful', want: 2 },
    { name: 'no run yet holds it', phase: undefined, want: 1 },
  ])('$name', ({ phase, want }) => {
    const i = input({ currentStepIndex: 1 }, phase ? { stepRunPhase: phase } : {});
    i.rollout = rollout({ ...i.rollout.status, currentStepIndex: 1 }, {}, analysisSteps);
    expect(canaryProgression(i).fields.currentStepIndex).toBe(want);
  });
});

describe('analysis reactions', () => {
  const analysisSteps: CanaryStep[] = [
    { setWeight: 25 },
    { analysis: { templates: [{ templateName: 't' }] } },
  ];
  const at = (index: number, status: Partial<RolloutStatus> = {}, over: Partial<ProgressionInput> = {}) => {
    const base = input({ currentStepIndex: index, ...status }, over);
    return {
      ...base,
      rollout: {
        ...base.rollout,
        spec: { ...base.rollout.spec, strategy: { canary: { steps: analysisSteps } } },
      },
    };
  };

  test('a Successful step run completes the analysis step', () => {
    const p = canaryProgression(at(1, {}, { stepRunPhase: 'Successful' }));
    expect(p.fields.currentStepIndex).toBe(2);
    expect(p.events.map((e) => e.message)).toEqual(['Rollout step 2/2 completed (analysis)']);
  });

  test('a running step run holds the step', () => {
    expect(canaryProgression(at(1, {}, { stepRunPhase: 'Running' })).fields.currentStepIndex).toBe(1);
  });

  test('a failed run aborts: back to step 0, abortedAt recorded, pauses cleared', () => {
    const p = canaryProgression(
      at(
        1,
        { controllerPause: true },
        { analysis: { kind: 'abort', message: 'Step-based analysis phase error/failed' } },
      ),
    );
    expect(p.fields).toMatchObject({ abort: true, abortedAt: '2026-03-01T12:00:00Z', currentStepIndex: 0 });
    expect(p.fields.controllerPause).toBeUndefined();
  });

  test('an Inconclusive run pauses with InconclusiveAnalysisRun and holds the step', () => {
    const p = canaryProgression(
      at(
        1,
        {},
        { analysis: { kind: 'pause', reason: 'InconclusiveAnalysisRun' }, stepRunPhase: 'Inconclusive' },
      ),
    );
    expect(p.fields).toMatchObject({
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: '2026-03-01T12:00:00Z' }],
    });
  });

  test('an Inconclusive pause already there is kept, with its start time', () => {
    const pause = { reason: 'InconclusiveAnalysisRun', startTime: '2026-03-01T11:00:00Z' };
    const p = canaryProgression(
      at(
        0,
        { pauseConditions: [pause], controllerPause: true },
        { analysis: { kind: 'pause', reason: 'InconclusiveAnalysisRun' } },
      ),
    );
    expect(p.fields.pauseConditions).toEqual([pause]);
  });
});

describe('rollbackWindow', () => {
  test('a new template back to a running ReplicaSet within the window skips every step', () => {
    const p = canaryProgression(
      input(
        { currentPodHash: 'x9', currentStepIndex: 1 },
        { rollbackWithinWindow: true, newRS: rs('web-n2', 1, 1) },
      ),
    );
    expect(p.fields.currentStepIndex).toBe(4);
    expect(p.events).toEqual([
      {
        type: 'Normal',
        reason: 'SkipSteps',
        message: 'Rollback to active ReplicaSets within RollbackWindow',
      },
    ]);
  });

  test('back to a ReplicaSet scaled to zero: the reset pass starts at 0, the next skips to the end', () => {
    const reset = canaryProgression(
      input({ currentPodHash: 'x9' }, { rollbackWithinWindow: true, newRS: rs('web-n2', 0, 0) }),
    );
    expect(reset.fields.currentStepIndex).toBe(0);
    expect(reset.events).toEqual([]);
    const next = canaryProgression(input({}, { rollbackWithinWindow: true, newRS: rs('web-n2', 2, 2) }));
    expect(next.fields.currentStepIndex).toBe(4);
    expect(next.promotedBecause).toBeUndefined();
  });

  test('pauses and an abort do not hold; promoted as "Rollback within window" once available', () => {
    const held = {
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-01T11:00:00Z' }],
      controllerPause: true,
      abort: true,
      abortedAt: '2026-03-01T11:00:00Z',
    };
    const p = canaryProgression(input(held, { rollbackWithinWindow: true, newRS: rs('web-n2', 4, 4) }));
    expect(p.promotedBecause).toBe('Rollback within window');
    expect(p.fields).toMatchObject({ stableRS: 'n2', currentStepIndex: 4 });
    expect(p.fields.abort).toBeUndefined();
    expect(p.fields.pauseConditions).toBeUndefined();
    const outside = canaryProgression(input(held, { newRS: rs('web-n2', 4, 4) }));
    expect(outside.fields.abort).toBe(true);
    expect(outside.promotedBecause).toBeUndefined();
  });
});
