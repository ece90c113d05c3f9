import type { AnalysisRun, CanaryStep, Rollout, RolloutStatus } from '@rollout-kit/api';
import { canaryAnalysisPlan, canaryAnalysisStatus, otherRunsPlan } from './analysis-step.ts';

const analysis = { templates: [{ templateName: 'success-rate' }] };
const steps: CanaryStep[] = [{ setWeight: 25 }, { analysis }, { setWeight: 50 }, { pause: {} }];

function rollout(status: Partial<RolloutStatus>, background?: { startingStep?: number }): Rollout {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
    spec: {
      strategy: {
        canary: {
          steps,
          ...(background ? { analysis: { templates: [{ templateName: 'bg' }], ...background } } : {}),
        },
      },
    },
    status: { currentPodHash: 'n2', currentStepHash: 'sh', stableRS: 's1', currentStepIndex: 1, ...status },
  };
}

function run(name: string, phase?: string, labels: Record<string, string> = {}): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name, labels: { 'rollouts-pod-template-hash': 'n2', ...labels } },
    spec: { metrics: [] },
    ...(phase ? { status: { phase, message: `${phase} because` } } : {}),
  } as AnalysisRun;
}

const stepStatus = (name: string, status = 'Running') => ({
  canary: { currentStepAnalysisRunStatus: { name, status } },
});
const plan = (r: Rollout, runs: AnalysisRun[] = [], windowed = false) =>
  canaryAnalysisPlan({
    rollout: r,
    runs,
    podHash: 'n2',
    stepHash: 'sh',
    ...(windowed ? { rollbackWithinWindow: true } : {}),
  });

test('at an analysis step with no run, one is created for that step', () => {
  const p = plan(rollout({}));
  expect(p.create).toEqual([{ type: 'Step', analysis, stepIndex: 1 }]);
  expect(p.active).toBe(true);
  expect(p.stepRunPhase).toBeUndefined();
});

test.each([
  { name: 'running', phase: 'Running', reaction: { kind: 'none' } },
  { name: 'successful', phase: 'Successful', reaction: { kind: 'none' } },
  {
    name: 'inconclusive',
    phase: 'Inconclusive',
    reaction: { kind: 'pause', reason: 'InconclusiveAnalysisRun' },
  },
  {
    name: 'failed',
    phase: 'Failed',
    reaction: { kind: 'abort', message: 'Step-based analysis phase error/failed: Failed because' },
  },
])('the current step run, $name, is judged', ({ phase, reaction }) => {
  const current = run('web-n2-2-1', phase, { 'step-index': '1' });
  const p = plan(rollout(stepStatus('web-n2-2-1')), [current]);
  expect(p.create).toEqual([]);
  expect(p.step).toBe(current);
  expect(p.stepRunPhase).toBe(phase);
  expect(p.reaction).toEqual(reaction);
});

test('a run of an earlier step is ended and forgotten', () => {
  const current = run('web-n2-2-0', 'Running', { 'step-index': '0' });
  const p = plan(rollout({ ...stepStatus('web-n2-2-0'), currentStepIndex: 2 }), [current]);
  expect(p.step).toBeUndefined();
  expect(p.terminate).toEqual([current]);
});

test('a pause holds the step run as it is', () => {
  const current = run('web-n2-2-1', 'Inconclusive', { 'step-index': '1' });
  const p = plan(
    rollout({
      ...stepStatus('web-n2-2-1'),
      pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }],
    }),
    [current],
  );
  expect(p.create).toEqual([]);
  expect(p.reaction).toEqual({ kind: 'none' });
  expect(p.step).toBe(current);
});

test('resuming an Inconclusive pause creates a new run', () => {
  const current = run('web-n2-2-1', 'Inconclusive', { 'step-index': '1' });
  const p = plan(rollout({ ...stepStatus('web-n2-2-1'), controllerPause: true }), [current]);
  expect(p.create).toEqual([{ type: 'Step', analysis, stepIndex: 1 }]);
});

test.each([
  { name: 'aborted', status: { abort: true }, windowed: false },
  { name: 'promoteFull', status: { promoteFull: true }, windowed: false },
  { name: 'the first deploy', status: { stableRS: undefined }, windowed: false },
  { name: 'a rollback within the window', status: {}, windowed: true },
])('nothing is analysed when $name: running runs end, the status keeps them', ({ status, windowed }) => {
  const current = run('web-n2-2-1', 'Running', { 'step-index': '1' });
  const p = plan(rollout({ ...stepStatus('web-n2-2-1'), ...status }), [current], windowed);
  expect(p).toMatchObject({ active: false, reset: false, create: [], terminate: [current], step: current });
  const s = canaryAnalysisStatus(rollout(stepStatus('web-n2-2-1')).status, p, {
    step: current,
    stepMovedOn: false,
  });
  expect(s.canary.currentStepAnalysisRunStatus).toEqual({
    name: 'web-n2-2-1',
    status: 'Running',
    message: 'Running because',
  });
  expect(s.events).toEqual([]);
});

test('a new template ends the old runs and the status forgets them', () => {
  const current = run('web-old-1-1', 'Running', { 'step-index': '1' });
  const p = plan(rollout({ ...stepStatus('web-old-1-1'), currentPodHash: 'old' }), [current]);
  expect(p).toMatchObject({ reset: true, create: [], terminate: [current] });
  expect(canaryAnalysisStatus(undefined, p, { step: current, stepMovedOn: false }).canary).toEqual({});
});

describe('background analysis', () => {
  test('starts at startingStep, not before', () => {
    expect(plan(rollout({ currentStepIndex: 0 }, { startingStep: 1 })).create).toEqual([]);
    expect(plan(rollout({ currentStepIndex: 2 }, { startingStep: 1 })).create).toEqual([
      { type: 'Background', analysis: { templates: [{ templateName: 'bg' }] } },
    ]);
  });

  test('a failed background run aborts, and wins over an Inconclusive step run', () => {
    const bg = run('web-n2-2', 'Failed');
    const step = run('web-n2-2-1', 'Inconclusive', { 'step-index': '1' });
    const p = plan(
      rollout(
        {
          canary: {
            currentBackgroundAnalysisRunStatus: { name: 'web-n2-2', status: 'Running' },
            currentStepAnalysisRunStatus: { name: 'web-n2-2-1', status: 'Running' },
          },
        },
        {},
      ),
      [bg, step],
    );
    expect(p.reaction).toEqual({
      kind: 'abort',
      message: 'Background analysis phase error/failed: Failed because',
    });
  });

  test('ends once the canary is fully promoted', () => {
    const bg = run('web-n2-2', 'Running');
    const p = plan(
      rollout(
        {
          stableRS: 'n2',
          currentStepIndex: 4,
          canary: { currentBackgroundAnalysisRunStatus: { name: 'web-n2-2', status: 'Running' } },
        },
        {},
      ),
      [bg],
    );
    expect(p.terminate).toEqual([bg]);
    expect(p.background).toBeUndefined();
  });
});

test('other runs are ended and old ones deleted, sparing the runs current after creation', () => {
  const old = run('web-n2-2-1', 'Failed', { 'step-index': '1' });
  const again = run('web-n2-2-1.1', 'Running', { 'step-index': '1' });
  const gone = {
    ...run('web-x-1-1', 'Successful'),
    metadata: { name: 'web-x-1-1', labels: { 'rollouts-pod-template-hash': 'x' } },
  };
  const p = plan(rollout({}), [old, again, gone]);
  const rest = otherRunsPlan(p, ['web-n2-2-1.1'], {
    replicaSets: [{ hash: 'n2', deleting: false }],
    limits: undefined,
  });
  expect(rest.terminate).toEqual([]);
  expect(rest.delete.map((r) => r.metadata.name)).toEqual(['web-x-1-1']);
});

test('canaryAnalysisStatus drops the step run once the step moved on, and records phase Events', () => {
  const step = run('web-n2-2-1', 'Successful', { 'step-index': '1' });
  const old = rollout(stepStatus('web-n2-2-1')).status;
  const moved = canaryAnalysisStatus(old, { active: true, reset: false }, { step, stepMovedOn: true });
  expect(moved.canary).toEqual({});
  expect(moved.events).toEqual([
    {
      type: 'Normal',
      reason: 'AnalysisRunSuccessful',
      message: "Step Analysis Run 'web-n2-2-1' Status New: 'Successful' Previous: 'Running'",
    },
  ]);
});
