import type { KubeObject } from './argocd-tree.ts';
import { actionTarget, builtinActionPatches, discoverActions } from './rollout-actions.ts';

function rollout(
  status: Record<string, unknown> | undefined,
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop', annotations: { 'rollout.argoproj.io/revision': '3' } },
    spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } }, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

const paused = {
  stableRS: 'a',
  currentPodHash: 'b',
  currentStepIndex: 1,
  pauseConditions: [{ reason: 'CanaryPauseStep' }],
};

test.each([
  {
    name: 'paused canary',
    r: rollout(paused),
    enabled: ['restart', 'resume', 'abort', 'pause', 'promote-full', 'skip-current-step', 'undo'],
  },
  {
    name: 'aborted canary',
    r: rollout({ ...paused, pauseConditions: undefined, abort: true }),
    enabled: ['restart', 'retry', 'promote-full', 'skip-current-step', 'undo'],
  },
  {
    name: 'fully promoted',
    r: rollout({ stableRS: 'a', currentPodHash: 'a', currentStepIndex: 2 }),
    enabled: ['restart', 'undo'],
  },
  {
    name: 'empty pauseConditions hide spec.paused',
    r: rollout({ ...paused, pauseConditions: [] }, { paused: true }),
    enabled: ['restart', 'abort', 'promote-full', 'skip-current-step', 'undo'],
  },
  // Both hashes missing counts as fully promoted, as in Argo CD's discovery.lua.
  { name: 'no status', r: rollout(undefined), enabled: ['restart', 'skip-current-step'] },
])('discoverActions: $name', ({ r, enabled }) => {
  const { actions } = discoverActions(r);
  expect(actions.filter((a) => a.disabled === false).map((a) => a.name)).toEqual(enabled);
  expect(actions.find((a) => a.name === 'undo')?.params).toEqual([{ name: 'revision', default: '2' }]);
});

const now = new Date('2026-11-23T10:11:12.345Z');
test.each([
  {
    action: 'resume',
    r: rollout(paused, { paused: true }),
    want: { status: { pauseConditions: null }, main: { spec: { paused: false } } },
  },
  { action: 'resume', r: rollout({}), want: {} },
  { action: 'abort', r: rollout(paused), want: { status: { abort: true } } },
  { action: 'retry', r: rollout(paused), want: { status: { abort: null } } },
  { action: 'pause', r: rollout(paused), want: { main: { spec: { paused: true } } } },
  { action: 'promote-full', r: rollout(paused), want: { status: { promoteFull: true } } },
  { action: 'restart', r: rollout(paused), want: { main: { spec: { restartAt: '2026-11-23T10:11:12Z' } } } },
  {
    action: 'skip-current-step',
    r: rollout(paused),
    want: { status: { pauseConditions: null, currentStepIndex: 2 } },
  },
  { action: 'undo', r: rollout(paused), want: undefined },
  { action: 'explode', r: rollout(paused), want: undefined },
])('builtinActionPatches: $action', ({ action, r, want }) => {
  expect(builtinActionPatches(r, action, now)).toEqual(want);
});

test('actionTarget reads the v2 body and the v1 query', () => {
  const target = {
    namespace: 'shop',
    resourceName: 'web',
    group: 'argoproj.io',
    kind: 'Rollout',
    version: 'v1alpha1',
  };
  expect(
    actionTarget(
      '/api/v1/applications/a/resource/actions/v2',
      {},
      JSON.stringify({
        ...target,
        action: 'undo',
        resourceActionParameters: [{ name: 'revision', value: '2' }],
      }),
    ),
  ).toEqual({ ...target, action: 'undo', parameters: { revision: '2' } });
  expect(actionTarget('/api/v1/applications/a/resource/actions', target, '"resume"')).toEqual({
    ...target,
    action: 'resume',
    parameters: {},
  });
});

test.each([
  { name: 'not JSON', path: '/v2', body: '{', error: 'the request body is not JSON' },
  { name: 'v2 body not an object', path: '/v2', body: '"abort"', error: 'the v2 body must be an object' },
  {
    name: 'no action',
    path: '/v2',
    body: '{"resourceName":"web","kind":"Rollout","version":"v1"}',
    error: 'no action named',
  },
  {
    name: 'no target',
    path: '/v2',
    body: '{"action":"abort"}',
    error: 'resourceName, version and kind are required',
  },
])('actionTarget refuses $name', ({ path, body, error }) => {
  expect(() => actionTarget(path, {}, body)).toThrow(error);
});
