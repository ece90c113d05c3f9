import {
  blueGreenPreview,
  CANARY,
  canaryAborted,
  canaryPaused,
  STABLE,
  treeOf,
  twoRevisionTree,
  workloadRefRouted,
} from './fixtures.ts';
import { revisions } from './revisions.ts';
import type { Rollout } from './rollout.ts';
import { displayPhase, rolloutSummary, setWeight, stepLabel, type Summary } from './summary.ts';

function summarize(rollout: Rollout, tree = twoRevisionTree()): Summary {
  return rolloutSummary(rollout, revisions(rollout, tree));
}

test('canary paused at a pause step', () => {
  expect(summarize(canaryPaused())).toEqual({
    name: 'web',
    namespace: 'shop',
    phase: 'Paused',
    reason: 'CanaryPauseStep',
    strategy: 'canary',
    step: { index: 1, total: 5 },
    setWeight: 20,
    actualWeight: 20, // 1 ready canary pod of 5 ready pods, no traffic router
    actualWeightSource: 'replicas',
    maxWeight: 100,
    images: [
      { image: 'nginx:1.25', roles: ['stable'] },
      { image: 'nginx:1.26', roles: ['canary'] },
    ],
    replicas: { desired: 5, current: 5, updated: 1, ready: 5, available: 5 },
    aborted: false,
  });
});

test('canary degraded after abort: reason split from the message, set weight 0', () => {
  const got = summarize(canaryAborted());
  expect(got).toMatchObject({
    phase: 'Degraded',
    reason: 'RolloutAborted',
    message: 'Rollout aborted update to revision 2',
    step: { index: 0, total: 5 },
    setWeight: 0,
    aborted: true,
  });
});

test('blue-green with a preview: roles stable+active and preview, no canary fields', () => {
  const got = summarize(blueGreenPreview());
  expect(got).toMatchObject({ phase: 'Paused', reason: 'BlueGreenPause', strategy: 'blueGreen' });
  expect(got.images).toEqual([
    { image: 'nginx:1.25', roles: ['stable', 'active'] },
    { image: 'nginx:1.26', roles: ['preview'] },
  ]);
  expect(got.step).toBeUndefined();
  expect(got.setWeight).toBeUndefined();
  expect(got.actualWeight).toBeUndefined();
});

test('workloadRef with a traffic router: actual weight from status.canary.weights, not from pods', () => {
  const got = summarize(workloadRefRouted());
  expect(got).toMatchObject({
    workloadRef: 'Deployment/web-deploy',
    phase: 'Paused',
    step: { index: 1, total: 2 },
    setWeight: 30,
    actualWeight: 20,
    actualWeightSource: 'traffic',
    weightVerified: true,
    replicas: { desired: 4 },
  });
  expect(got.images.map((i) => i.image)).toEqual(['nginx:1.25', 'nginx:1.26']);
});

test('a router that reports no weights yet: actual weight unknown rather than guessed from pods', () => {
  const rollout = workloadRefRouted();
  delete rollout.status!.canary;
  expect(summarize(rollout).actualWeight).toBeUndefined();
});

test('maxTrafficWeight scales set weight at full promotion', () => {
  const rollout = workloadRefRouted();
  rollout.spec!.strategy!.canary!.trafficRouting!.maxTrafficWeight = 1000;
  rollout.status!.stableRS = CANARY;
  expect(summarize(rollout)).toMatchObject({ setWeight: 1000, maxWeight: 1000 });
});

test.each([
  { name: 'before any setWeight', index: 0, steps: [{ pause: {} }, { setWeight: 40 }], want: 0 },
  { name: 'pause keeps the earlier weight', index: 1, steps: [{ setWeight: 40 }, { pause: {} }], want: 40 },
  { name: 'past the last step', index: 2, steps: [{ setWeight: 40 }, { pause: {} }], want: 100 },
  { name: 'no steps', index: 0, steps: [], want: undefined },
])('setWeight: $name', ({ index, steps, want }) => {
  const rollout = canaryPaused();
  rollout.spec!.strategy!.canary!.steps = steps;
  rollout.status!.currentStepIndex = index;
  expect(setWeight(rollout, 100)).toBe(want);
});

test.each([
  {
    name: 'generation not observed',
    patch: (r: Rollout) => (r.metadata!.generation = 3),
    want: { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' },
  },
  {
    name: 'observed generation ahead counts as observed',
    patch: (r: Rollout) => (r.status!.observedGeneration = '9'),
    want: { phase: 'Paused', reason: 'CanaryPauseStep' },
  },
  {
    name: 'resume requested but not yet processed',
    patch: (r: Rollout) => delete r.status!.pauseConditions,
    want: { phase: 'Progressing', message: 'waiting for rollout to unpause' },
  },
  {
    name: 'manually paused',
    patch: (r: Rollout) => Object.assign(r.status!, { message: 'manually paused', controllerPause: false }),
    want: { phase: 'Paused', reason: 'manually paused' },
  },
  {
    name: 'healthy has no message',
    patch: (r: Rollout) => (r.status = { phase: 'Healthy', message: '' }),
    want: { phase: 'Healthy' },
  },
  {
    name: 'no phase yet',
    patch: (r: Rollout) => (r.status = {}),
    want: { phase: 'Unknown', message: 'no phase reported yet' },
  },
])('displayPhase: $name', ({ patch, want }) => {
  const rollout = canaryPaused();
  patch(rollout);
  expect(displayPhase(rollout)).toEqual(want);
});

test('workloadRef: a referenced workload generation not yet observed', () => {
  const rollout = workloadRefRouted();
  rollout.metadata!.annotations!['rollout.argoproj.io/workload-generation'] = '4';
  expect(displayPhase(rollout)).toEqual({
    phase: 'Progressing',
    message: 'waiting for rollout spec update to be observed for the reference workload',
  });
});

test.each([
  { name: 'no status', rollout: { metadata: { name: 'web' }, spec: { strategy: { canary: {} } } } },
  { name: 'status is a string', rollout: { metadata: { name: 'web' }, status: 'broken' } },
  {
    name: 'fields of the wrong types',
    rollout: {
      metadata: { name: 7, generation: 'x', annotations: 'a' },
      spec: {
        replicas: '3',
        strategy: { canary: { steps: [null, 5], trafficRouting: 'nginx' } },
        workloadRef: 'web',
      },
      status: {
        phase: 5,
        message: { text: 'x' },
        currentStepIndex: 'one',
        pauseConditions: 'yes',
        canary: { weights: { canary: { weight: 'ten' } } },
        replicas: null,
        abort: 'true',
      },
    },
  },
  { name: 'empty object', rollout: {} },
])('malformed Rollouts never throw: $name', ({ rollout }) => {
  const tree = treeOf('web', [{ hash: STABLE, revision: 1, image: 'x', pods: [true] }]);
  expect(() => summarize(rollout as Rollout, tree)).not.toThrow();
  expect(summarize(rollout as Rollout, tree).replicas.current).toBe(0);
});

test.each([
  { step: { index: 0, total: 5 }, want: '1/5' },
  { step: { index: 1, total: 5 }, want: '2/5' },
  { step: { index: 4, total: 5 }, want: '5/5' },
  { step: { index: 5, total: 5 }, want: '5/5 done' },
  { step: { index: 7, total: 5 }, want: '5/5 done' },
  { step: { total: 5 }, want: '–/5' },
])('stepLabel($step) numbers steps from 1 like the timeline: $want', ({ step, want }) => {
  expect(stepLabel(step)).toBe(want);
});

test('aborted canary with its ReplicaSet at 0: the summary names the canary image from the template', () => {
  const rollout = canaryAborted();
  const tree = treeOf('web', [
    { hash: STABLE, revision: 1, image: 'nginx:1.25', pods: [true, true, true, true] },
    { hash: CANARY, revision: 2, image: 'nginx:1.26', pods: [] },
  ]);
  expect(summarize(rollout, tree).images).toEqual([
    { image: 'nginx:1.25', roles: ['stable'] },
    { image: 'nginx:1.26', roles: ['canary'] },
  ]);
});

test('no status yet: the images the revision cards show are listed without roles, never "none"', () => {
  const rollout = { ...canaryPaused(), status: {} } as Rollout;
  const got = summarize(rollout, twoRevisionTree());
  expect(got.images.map((i) => i.image).sort()).toEqual(['nginx:1.25', 'nginx:1.26']);
  expect(got.images.every((i) => i.roles.length === 0)).toBe(true);
});

test('fully promoted: the new version has all the weight, routed or not, as the plugin shows', () => {
  const routed = workloadRefRouted();
  routed.status!.currentStepIndex = 2;
  routed.status!.stableRS = CANARY;
  routed.status!.canary = { weights: { canary: { weight: 0 }, stable: { weight: 100 } } } as never;
  expect(summarize(routed)).toMatchObject({ actualWeight: 100, actualWeightSource: 'traffic' });
  routed.spec!.strategy!.canary!.trafficRouting!.maxTrafficWeight = 1000;
  expect(summarize(routed).actualWeight).toBe(1000);
});
