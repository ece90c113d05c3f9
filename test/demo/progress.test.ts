import type { Rollout } from '@rollout-kit/api';
import { atIndefinitePause, describeStep, passedSteps, progressLine, setWeight } from './progress.ts';

function rollout(status: Rollout['status']): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'demo' } },
      template: { spec: { containers: [{ name: 'demo', image: 'demo:yellow' }] } },
      strategy: {
        canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: 10 } }] },
      },
    },
    ...(status === undefined ? {} : { status }),
  };
}

const rs = (hash: string, tag: string, revision: string, replicas: number, ready: number) => ({
  metadata: {
    name: `demo-${hash}`,
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': revision },
  },
  spec: { replicas, template: { spec: { containers: [{ image: `demo:${tag}` }] } } },
  status: { readyReplicas: ready },
});

test.each([
  { step: undefined, want: 'done' },
  { step: { setWeight: 30 }, want: 'setWeight 30%' },
  { step: { pause: {} }, want: 'pause (until promoted)' },
  { step: { pause: { duration: 10 } }, want: 'pause 10s' },
  { step: { pause: { duration: '1m' } }, want: 'pause 1m' },
  { step: { analysis: { templates: [{ templateName: 'success-rate' }] } }, want: 'analysis success-rate' },
])('describeStep($step) is $want', ({ step, want }) => {
  expect(describeStep(step)).toBe(want);
});

test.each([
  { name: 'first step', status: { currentStepIndex: 0 }, want: 20 },
  { name: 'a pause keeps the earlier weight', status: { currentStepIndex: 3 }, want: 40 },
  { name: 'past the last step is 100', status: { currentStepIndex: 4 }, want: 100 },
  { name: 'aborted is 0', status: { currentStepIndex: 3, abort: true }, want: 0 },
])('setWeight: $name', ({ status, want }) => {
  expect(setWeight(rollout(status))).toBe(want);
});

test('progressLine counts steps from 1 and lists ReplicaSets newest first with roles', () => {
  const r = rollout({
    phase: 'Paused',
    message: 'CanaryPauseStep',
    currentStepIndex: 1,
    currentPodHash: 'bbb',
    stableRS: 'aaa',
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-23T10:00:00Z' }],
  });
  expect(
    progressLine(r, [
      rs('aaa', 'blue', '1', 4, 4),
      rs('bbb', 'yellow', '2', 1, 1),
      rs('ccc', 'x', '0', 0, 0),
    ]),
  ).toBe(
    'Paused (CanaryPauseStep) · step 2/4 pause (until promoted) · set weight 20% · yellow (canary) 1/1 ready, blue (stable) 4/4 ready',
  );
  expect(atIndefinitePause(r)).toBe(true);
  expect(atIndefinitePause(rollout({ ...r.status, currentStepIndex: 3 }))).toBe(false);
  expect(atIndefinitePause(rollout({ ...r.status, abort: true }))).toBe(false);
  expect(atIndefinitePause(rollout({ ...r.status, pauseConditions: undefined }))).toBe(false);
});

test("progressLine shows the phase of the current analysis step's run", () => {
  const r = rollout({
    phase: 'Progressing',
    currentStepIndex: 1,
    currentPodHash: 'bbb',
    stableRS: 'aaa',
    canary: { currentStepAnalysisRunStatus: { name: 'demo-bbb-2-1', status: 'Running' } },
  });
  r.spec.strategy!.canary!.steps![1] = { analysis: { templates: [{ templateName: 'success-rate' }] } };
  expect(progressLine(r, [rs('aaa', 'blue', '1', 4, 4), rs('bbb', 'yellow', '2', 1, 1)])).toBe(
    'Progressing · step 2/4 analysis success-rate (AnalysisRun Running) · set weight 20% · yellow (canary) 1/1 ready, blue (stable) 4/4 ready',
  );
  // Back at the first step after an abort, the failed run is not the step's.
  const aborted = { ...r, status: { ...r.status, currentStepIndex: 0, abort: true } };
  expect(progressLine(aborted, [])).toBe('Progressing · step 1/4 setWeight 20% · set weight 0% · no pods');
});

test('passedSteps names the steps completed between two reads', () => {
  expect(passedSteps(rollout({ currentStepIndex: 3 }), 1)).toEqual(['step 3/4 setWeight 40% completed']);
  expect(passedSteps(rollout({ currentStepIndex: 2 }), 1)).toEqual([]);
  expect(passedSteps(rollout({ currentStepIndex: 2 }), undefined)).toEqual([]);
});

test('progressLine for blue-green names what the active and preview Services select', () => {
  const r: Rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'bg', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'bg' } },
      strategy: { blueGreen: { activeService: 'a', previewService: 'p', autoPromotionEnabled: false } },
    },
    status: {
      phase: 'Paused',
      message: 'BlueGreenPause',
      currentPodHash: 'bbb',
      stableRS: 'aaa',
      blueGreen: { activeSelector: 'aaa', previewSelector: 'bbb' },
      pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-11-23T10:00:00Z' }],
    },
  };
  expect(progressLine(r, [rs('aaa', 'blue', '1', 3, 3), rs('bbb', 'green', '2', 3, 3)])).toBe(
    'Paused (BlueGreenPause) · active → blue · preview → green · green (preview) 3/3 ready, blue (stable, active) 3/3 ready',
  );
  expect(atIndefinitePause(r)).toBe(true);
  const timed = {
    ...r,
    spec: { ...r.spec, strategy: { blueGreen: { activeService: 'a', autoPromotionSeconds: 5 } } },
  };
  expect(atIndefinitePause(timed)).toBe(false);
});
