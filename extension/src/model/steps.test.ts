import { canaryAborted, canaryPaused, NOW, STARTED } from './fixtures.ts';
import type { Rollout } from './rollout.ts';
import { stepLabel, stepTimeline } from './steps.ts';

test.each([
  { name: 'setWeight', step: { setWeight: 20 }, want: 'setWeight: 20' },
  { name: 'indefinite pause', step: { pause: {} }, want: 'pause' },
  { name: 'timed pause, string', step: { pause: { duration: '30s' } }, want: 'pause: 30s' },
  { name: 'timed pause, integer prints without unit', step: { pause: { duration: 30 } }, want: 'pause: 30' },
  { name: 'analysis', step: { analysis: { templates: [] } }, want: 'analysis' },
  { name: 'experiment', step: { experiment: {} }, want: 'experiment' },
  {
    name: 'canary scale by weight',
    step: { setCanaryScale: { weight: 10 } },
    want: 'setCanaryScale{weight: 10}',
  },
  {
    name: 'canary scale matching traffic',
    step: { setCanaryScale: { matchTrafficWeight: true } },
    want: 'setCanaryScale{matchTrafficWeight: true}',
  },
  {
    name: 'canary scale by replicas',
    step: { setCanaryScale: { replicas: 2 } },
    want: 'setCanaryScale{replicas: 2}',
  },
  { name: 'header route', step: { setHeaderRoute: { name: 'h1' } }, want: 'setHeaderRoute: h1' },
  { name: 'plugin', step: { plugin: { name: 'acme/step' } }, want: 'plugin: acme/step' },
  { name: 'empty step', step: {}, want: 'invalid' },
  { name: 'not an object', step: 'setWeight: 5', want: 'invalid' },
  { name: 'null', step: null, want: 'invalid' },
])('stepLabel: $name', ({ step, want }) => {
  expect(stepLabel(step)).toBe(want);
});

function states(rollout: Rollout, now = NOW): string[] {
  return stepTimeline(rollout, now).steps.map((s) => s.state);
}

test('paused at an indefinite pause: earlier steps done, the pause current and waiting for promotion', () => {
  const timeline = stepTimeline(canaryPaused(), NOW);
  expect(timeline.steps.map((s) => s.state)).toEqual(['done', 'current', 'pending', 'pending', 'pending']);
  expect(timeline.steps[1]).toMatchObject({ label: 'pause', waitsForPromotion: true });
  expect(timeline.steps[1]?.pauseRemainingMs).toBeUndefined();
});

test('a timed pause counts down from the pause condition start time and stops at 0', () => {
  const rollout = canaryPaused();
  rollout.status!.currentStepIndex = 3;
  const at = (ms: number) => stepTimeline(rollout, Date.parse(STARTED) + ms).steps[3];
  expect(at(10_000)).toMatchObject({ state: 'current', label: 'pause: 30s', pauseRemainingMs: 20_000 });
  expect(at(29_000)?.pauseRemainingMs).toBe(1_000);
  expect(at(45_000)?.pauseRemainingMs).toBe(0);
});

test('a timed pause without its pause condition has no countdown', () => {
  const rollout = canaryPaused();
  rollout.status!.currentStepIndex = 3;
  delete rollout.status!.pauseConditions;
  expect(stepTimeline(rollout, NOW).steps[3]?.pauseRemainingMs).toBeUndefined();
});

test('all steps done when the index is past the last step', () => {
  const rollout = canaryPaused();
  rollout.status!.currentStepIndex = 5;
  expect(states(rollout)).toEqual(['done', 'done', 'done', 'done', 'done']);
});

test('aborted: nothing is current and the timeline says so', () => {
  const timeline = stepTimeline(canaryAborted(), NOW);
  expect(timeline.aborted).toBe(true);
  expect(timeline.steps.map((s) => s.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
});

test.each([
  { name: 'index missing', index: undefined, want: ['pending', 'pending', 'pending', 'pending', 'pending'] },
  { name: 'index as a string', index: '2', want: ['pending', 'pending', 'pending', 'pending', 'pending'] },
  {
    name: 'negative index clamps to 0',
    index: -3,
    want: ['current', 'pending', 'pending', 'pending', 'pending'],
  },
  { name: 'huge index clamps to done', index: 99, want: ['done', 'done', 'done', 'done', 'done'] },
])('malformed currentStepIndex: $name', ({ index, want }) => {
  const rollout = canaryPaused();
  (rollout.status as Record<string, unknown>).currentStepIndex = index;
  expect(states(rollout)).toEqual(want);
});

test.each([
  { name: 'steps is an object', steps: { 0: { setWeight: 5 } } },
  { name: 'steps is null', steps: null },
  { name: 'strategy is a string', strategy: 'canary' },
])('malformed steps give an empty timeline: $name', ({ steps, strategy }) => {
  const rollout = canaryPaused() as Record<string, unknown> & Rollout;
  if (strategy !== undefined) (rollout.spec as Record<string, unknown>).strategy = strategy;
  else (rollout.spec!.strategy!.canary as Record<string, unknown>).steps = steps;
  expect(stepTimeline(rollout, NOW).steps).toEqual([]);
});
