import type { AnalysisRun, RolloutStatus } from '@rollout-kit/api';
import {
  needsNewRun,
  partitionRuns,
  runPhaseEvent,
  runReaction,
  runStatusOf,
  runsToDelete,
  runsToTerminate,
} from './rollout-runs.ts';

function run(
  name: string,
  fields: { phase?: string; message?: string; hash?: string; created?: string; terminate?: boolean } = {},
): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      creationTimestamp: fields.created ?? '2026-01-01T00:00:00Z',
      labels: fields.hash === undefined ? {} : { 'rollouts-pod-template-hash': fields.hash },
    },
    spec: { metrics: [], ...(fields.terminate ? { terminate: true } : {}) },
    ...(fields.phase
      ? { status: { phase: fields.phase, ...(fields.message ? { message: fields.message } : {}) } }
      : {}),
  } as AnalysisRun;
}

test('partitionRuns: the runs the status names are current, the rest are others', () => {
  const status: RolloutStatus = {
    canary: {
      currentStepAnalysisRunStatus: { name: 'step', status: 'Running' },
      currentBackgroundAnalysisRunStatus: { name: 'bg', status: 'Running' },
    },
  };
  const { current, others } = partitionRuns([run('old'), run('step'), run('bg')], status);
  expect(current.step?.metadata.name).toBe('step');
  expect(current.background?.metadata.name).toBe('bg');
  expect(others.map((r) => r.metadata.name)).toEqual(['old']);
});

test.each([
  { name: 'no run yet', current: undefined, status: {}, want: true },
  { name: 'a running run', current: run('a', { phase: 'Running' }), status: {}, want: false },
  {
    name: 'a resumed Inconclusive pause',
    current: run('a', { phase: 'Inconclusive' }),
    status: { controllerPause: true },
    want: true,
  },
  {
    name: 'controllerPause held by a pause step',
    current: run('a', { phase: 'Inconclusive' }),
    status: { controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }] },
    want: false,
  },
  {
    name: 'resumed, but the run was not Inconclusive',
    current: run('a', { phase: 'Successful' }),
    status: { controllerPause: true, abortedAt: 'x' },
    want: false,
  },
  {
    name: 'the pass that retries an abort',
    current: run('a', { phase: 'Failed' }),
    status: { abortedAt: 'x' },
    want: true,
  },
])('needsNewRun: $name', ({ current, status, want }) => {
  expect(needsNewRun(current, status as RolloutStatus)).toBe(want);
});

test.each([
  { name: 'running', phase: 'Running', message: undefined, type: 'Step' as const, want: { kind: 'none' } },
  {
    name: 'successful',
    phase: 'Successful',
    message: undefined,
    type: 'Step' as const,
    want: { kind: 'none' },
  },
  {
    name: 'inconclusive pauses',
    phase: 'Inconclusive',
    message: undefined,
    type: 'Step' as const,
    want: { kind: 'pause', reason: 'InconclusiveAnalysisRun' },
  },
  {
    name: 'failed step aborts with its message',
    phase: 'Failed',
    message: 'Metric "m" assessed Failed due to failed (1) > failureLimit (0)',
    type: 'Step' as const,
    want: {
      kind: 'abort',
      message:
        'Step-based analysis phase error/failed: Metric "m" assessed Failed due to failed (1) > failureLimit (0)',
    },
  },
  {
    name: 'error background without a message',
    phase: 'Error',
    message: undefined,
    type: 'Background' as const,
    want: { kind: 'abort', message: 'Background analysis phase error/failed' },
  },
  {
    name: 'post-promotion',
    phase: 'Failed',
    message: 'x',
    type: 'PostPromotion' as const,
    want: { kind: 'abort', message: 'Blue/green post-promotion analysis phase error/failed: x' },
  },
])('runReaction: $name', ({ phase, message, type, want }) => {
  expect(runReaction(run('a', { phase, ...(message ? { message } : {}) }), type)).toEqual(want);
});

test('runStatusOf: a run without a phase is recorded with an empty status', () => {
  expect(runStatusOf(run('a'))).toEqual({ name: 'a', status: '' });
  expect(runStatusOf(run('a', { phase: 'Failed', message: 'why' }))).toEqual({
    name: 'a',
    status: 'Failed',
    message: 'why',
  });
});

test('runsToTerminate skips completed and already terminating runs', () => {
  const runs = [
    run('going', { phase: 'Running' }),
    run('new'),
    run('done', { phase: 'Successful' }),
    run('ending', { phase: 'Running', terminate: true }),
    undefined,
  ];
  expect(runsToTerminate(runs).map((r) => r.metadata.name)).toEqual(['going', 'new']);
});

test.each([
  {
    name: 'a first phase',
    previous: undefined,
    phase: 'Running',
    want: "Step Analysis Run 'a' Status New: 'Running' Previous: 'NoPreviousStatus'",
  },
  {
    name: 'a change',
    previous: { name: 'a', status: 'Running' },
    phase: 'Failed',
    want: "Step Analysis Run 'a' Status New: 'Failed' Previous: 'Running'",
  },
  { name: 'no change', previous: { name: 'a', status: 'Running' }, phase: 'Running', want: undefined },
  { name: 'a different run', previous: { name: 'b', status: 'Failed' }, phase: 'Running', want: undefined },
  { name: 'no phase yet', previous: undefined, phase: undefined, want: undefined },
])('runPhaseEvent: $name', ({ previous, phase, want }) => {
  const event = runPhaseEvent(previous, run('a', phase ? { phase } : {}), 'Step');
  expect(event?.message).toBe(want);
  if (event) expect(event.reason).toBe(`AnalysisRun${phase}`);
  if (phase === 'Failed') expect(event?.type).toBe('Warning');
});

test('runsToDelete: runs created in the same second are ordered by name, whatever the list order', () => {
  const same = '2026-01-01T00:00:05Z';
  const first = run('web-abc-2-1', { phase: 'Failed', hash: 'h', created: same });
  const retried = run('web-abc-2-1.1', { phase: 'Failed', hash: 'h', created: same });
  const replicaSets = [{ hash: 'h', deleting: false }];
  for (const order of [
    [first, retried],
    [retried, first],
  ]) {
    const deleted = runsToDelete(order, replicaSets, { unsuccessfulRunHistoryLimit: 1 });
    expect(deleted.map((r) => r.metadata.name)).toEqual(['web-abc-2-1']);
  }
});

test('runsToDelete: runs of a gone or deleted ReplicaSet go, then the oldest beyond the limits', () => {
  const runs = [
    run('no-hash', { phase: 'Successful' }),
    run('gone', { phase: 'Successful', hash: 'gone' }),
    run('deleting', { phase: 'Successful', hash: 'dying' }),
    run('s1', { phase: 'Successful', hash: 'h', created: '2026-01-01T00:00:01Z' }),
    run('s2', { phase: 'Successful', hash: 'h', created: '2026-01-01T00:00:02Z' }),
    run('s3', { phase: 'Successful', hash: 'h', created: '2026-01-01T00:00:03Z' }),
    run('f1', { phase: 'Failed', hash: 'h', created: '2026-01-01T00:00:01Z' }),
    run('e2', { phase: 'Error', hash: 'h', created: '2026-01-01T00:00:02Z' }),
    run('running', { phase: 'Running', hash: 'h', created: '2026-01-01T00:00:00Z' }),
  ];
  const replicaSets = [
    { hash: 'h', deleting: false },
    { hash: 'dying', deleting: true },
  ];
  const deleted = runsToDelete(runs, replicaSets, {
    successfulRunHistoryLimit: 2,
    unsuccessfulRunHistoryLimit: 1,
  });
  expect(deleted.map((r) => r.metadata.name).sort()).toEqual(['deleting', 'f1', 'gone', 'no-hash', 's1']);
  // Defaults: 5 and 5.
  expect(
    runsToDelete(runs, replicaSets, undefined)
      .map((r) => r.metadata.name)
      .sort(),
  ).toEqual(['deleting', 'gone', 'no-hash']);
});
