import { availableActions } from './actions.ts';
import { blueGreenPreview, CANARY, canaryAborted, canaryPaused, workloadRefRouted } from './fixtures.ts';
import type { Rollout } from './rollout.ts';

function with_(base: () => Rollout, patch: (r: Rollout) => void): Rollout {
  const rollout = base();
  patch(rollout);
  return rollout;
}

const promoted = with_(canaryPaused, (r) => {
  r.status = { stableRS: CANARY, currentPodHash: CANARY, currentStepIndex: 5, phase: 'Healthy' };
});

test.each([
  {
    name: 'canary at a pause step: promote resumes it',
    rollout: canaryPaused(),
    want: ['promote=resume', 'promote-full', 'pause', 'abort', 'restart'],
  },
  {
    name: 'canary at a setWeight step, not paused: promote skips the step',
    rollout: with_(canaryPaused, (r) => {
      r.status!.currentStepIndex = 2;
      delete r.status!.pauseConditions;
      r.status!.controllerPause = false;
    }),
    want: ['promote=skip-current-step', 'promote-full', 'pause', 'abort', 'restart'],
  },
  {
    name: 'resume already requested, not yet processed: no promote',
    rollout: with_(canaryPaused, (r) => delete r.status!.pauseConditions),
    want: ['promote-full', 'pause', 'abort', 'restart'],
  },
  {
    name: 'aborted: retry instead of abort, no promote or pause',
    rollout: canaryAborted(),
    want: ['promote-full', 'retry', 'restart'],
  },
  { name: 'fully promoted: restart only', rollout: promoted, want: ['restart'] },
  {
    name: 'manually paused: resume, no pause',
    rollout: with_(canaryPaused, (r) => {
      r.spec!.paused = true;
      delete r.status!.pauseConditions;
      r.status!.controllerPause = false;
      r.status!.currentStepIndex = 2;
    }),
    want: ['promote=skip-current-step', 'promote-full', 'resume', 'abort', 'restart'],
  },
  {
    name: 'manual pause hidden by an empty pauseConditions list, as in discovery.lua',
    rollout: with_(canaryPaused, (r) => {
      r.spec!.paused = true;
      r.status!.pauseConditions = [];
      r.status!.controllerPause = false;
      r.status!.currentStepIndex = 2;
    }),
    want: ['promote=skip-current-step', 'promote-full', 'abort', 'restart'],
  },
  {
    name: 'inconclusive analysis pause: resume offered, promote skips the step',
    rollout: with_(canaryPaused, (r) => {
      r.status!.pauseConditions = [{ reason: 'InconclusiveAnalysisRun' }];
      r.status!.currentStepIndex = 2;
    }),
    want: ['promote=skip-current-step', 'promote-full', 'resume', 'pause', 'abort', 'restart'],
  },
  {
    name: 'blue-green waiting for promotion',
    rollout: blueGreenPreview(),
    want: ['promote=resume', 'promote-full', 'pause', 'abort', 'restart'],
  },
  {
    name: 'blue-green not paused: no step to skip',
    rollout: with_(blueGreenPreview, (r) => {
      delete r.status!.pauseConditions;
      r.status!.controllerPause = false;
    }),
    want: ['promote-full', 'pause', 'abort', 'restart'],
  },
  {
    name: 'workloadRef canary at a timed pause',
    rollout: workloadRefRouted(),
    want: ['promote=resume', 'promote-full', 'pause', 'abort', 'restart'],
  },
  { name: 'no status: nothing (Argo CD cannot list actions either)', rollout: { spec: {} }, want: [] },
  { name: 'status not an object', rollout: { status: 'x' } as unknown as Rollout, want: [] },
])('$name', ({ rollout, want }) => {
  const got = availableActions(rollout).map((a) => (a.id === a.action ? a.id : `${a.id}=${a.action}`));
  expect(got).toEqual(want);
});

test('abort asks for confirmation, promote does not', () => {
  const byId = new Map(availableActions(canaryPaused()).map((a) => [a.id, a]));
  expect(byId.get('abort')?.confirm).toMatch(/abort/i);
  expect(byId.get('promote')?.confirm).toBeUndefined();
});
