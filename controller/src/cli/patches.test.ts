import type { Rollout } from '@rollout-kit/api';
import {
  abortPatch,
  parseImageArg,
  pausePatch,
  promoteFullPatch,
  promotePatch,
  restartPatch,
  retryExperimentPatch,
  retryPatch,
  terminatePatch,
  withImage,
} from './patches.ts';

const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }];
function ro(status: Rollout['status'], spec: Partial<Rollout['spec']> = {}, blueGreen = false): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      template: { spec: { containers: [{ name: 'web', image: 'a:1' }] } },
      strategy: blueGreen ? { blueGreen: { activeService: 'a' } } : { canary: { steps } },
      ...spec,
    },
    status,
  };
}
const pause = [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }];

test.each([
  {
    name: '(a) inconclusive step analysis moves on and clears the controller pause',
    rollout: ro({
      currentStepIndex: 1,
      pauseConditions: pause,
      controllerPause: true,
      canary: { currentStepAnalysisRunStatus: { name: 'r', status: 'Inconclusive' } },
    }),
    want: { status: { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } } },
  },
  {
    name: '(b) pause conditions are cleared, the index is left alone',
    rollout: ro({ currentStepIndex: 1, pauseConditions: pause, controllerPause: true }),
    want: { status: { status: { pauseConditions: null } } },
  },
  {
    name: '(c) an unpaused canary skips its current step',
    rollout: ro({ currentStepIndex: 0 }),
    want: { status: { status: { pauseConditions: null, currentStepIndex: 1 } } },
  },
  {
    name: '(c) the next index is capped at the number of steps',
    rollout: ro({ currentStepIndex: 3 }),
    want: { status: { status: { pauseConditions: null, currentStepIndex: 3 } } },
  },
  {
    name: '(c) an absent index counts as 0',
    rollout: ro({}),
    want: { status: { status: { pauseConditions: null, currentStepIndex: 1 } } },
  },
  {
    name: '(d) blue-green without pause sends nothing',
    rollout: ro({}, {}, true),
    want: {},
  },
  {
    name: 'a manual pause is lifted on the main resource too',
    rollout: ro({ pauseConditions: pause }, { paused: true }),
    want: { status: { status: { pauseConditions: null } }, spec: { spec: { paused: false } } },
  },
])('promote: $name', ({ rollout, want }) => {
  expect(promotePatch(rollout)).toEqual(want);
});

test.each([
  {
    name: 'not fully promoted: promoteFull',
    rollout: ro({ currentPodHash: 'a', stableRS: 'b' }),
    want: { status: { status: { promoteFull: true } } },
  },
  { name: 'fully promoted: nothing', rollout: ro({ currentPodHash: 'a', stableRS: 'a' }), want: {} },
  {
    name: 'paused: also unpause',
    rollout: ro({ currentPodHash: 'a', stableRS: 'b' }, { paused: true }),
    want: { status: { status: { promoteFull: true } }, spec: { spec: { paused: false } } },
  },
])('promote --full: $name', ({ rollout, want }) => {
  expect(promoteFullPatch(rollout)).toEqual(want);
});

test.each([
  { name: 'abort', plan: abortPatch(), want: { status: { status: { abort: true } } } },
  { name: 'retry', plan: retryPatch(), want: { status: { status: { abort: false } } } },
  { name: 'pause', plan: pausePatch(), want: { spec: { spec: { paused: true } } } },
  {
    name: 'restart now, whole seconds in UTC',
    plan: restartPatch(Date.parse('2026-03-04T05:06:07.890Z')),
    want: { spec: { spec: { restartAt: '2026-03-04T05:06:07Z' } } },
  },
  {
    name: 'restart in 90s',
    plan: restartPatch(Date.parse('2026-03-04T05:06:07.890Z'), 90_000),
    want: { spec: { spec: { restartAt: '2026-03-04T05:07:37Z' } } },
  },
])('$name', ({ plan, want }) => {
  expect(plan).toEqual(want);
});

describe('set image', () => {
  const pod = {
    spec: {
      template: {
        spec: {
          initContainers: [{ name: 'init', image: 'i:1' }],
          containers: [
            { name: 'web', image: 'w:1' },
            { name: 'side', image: 's:1' },
          ],
        },
      },
    },
  };
  test.each([
    { name: 'one container', arg: 'web', want: ['i:1', 'w:2', 's:1'] },
    { name: 'an init container', arg: 'init', want: ['w:2', 'w:1', 's:1'] },
    { name: 'every container with *', arg: '*', want: ['w:2', 'w:2', 'w:2'] },
  ])('$name', ({ arg, want }) => {
    const out = withImage(pod, arg, 'w:2');
    const spec = out.spec.template.spec;
    expect([...spec.initContainers, ...spec.containers].map((c) => c.image)).toEqual(want);
    expect(pod.spec.template.spec.containers[0]?.image).toBe('w:1');
  });
  test('no matching container is an error naming it', () => {
    expect(() => withImage(pod, 'nope', 'x')).toThrow('unable to find container named "nope"');
  });
  test.each([
    { name: 'plain', arg: 'web=nginx:1', want: { container: 'web', image: 'nginx:1' } },
    {
      name: 'registry with port',
      arg: 'web=reg:5000/a/b:1',
      want: { container: 'web', image: 'reg:5000/a/b:1' },
    },
  ])('parses $name', ({ arg, want }) => {
    expect(parseImageArg(arg)).toEqual(want);
  });
  test.each(['web', '=x', 'web='])('rejects %s', (arg) => {
    expect(() => parseImageArg(arg)).toThrow(/expected CONTAINER=IMAGE/);
  });
});

test.each([
  {
    name: 'terminate an analysis run or experiment',
    patch: terminatePatch(),
    want: { spec: { terminate: true } },
  },
  { name: 'retry an experiment drops its status', patch: retryExperimentPatch(), want: { status: null } },
])('$name', ({ patch, want }) => {
  expect(patch).toEqual(want);
});
