import type { CanaryStep, Rollout } from '@rollout-kit/api';
import {
  canaryPausePlan,
  currentSetWeight,
  currentStepCompleted,
  currentStep,
  pauseDurationSeconds,
  pauseElapsed,
  stepCompletedMessage,
  stepString,
} from './steps.ts';
import { parseGoDuration } from '../go-duration.ts';

function rollout(
  steps: CanaryStep[] | undefined,
  index?: number,
  abort?: boolean,
): Pick<Rollout, 'spec' | 'status'> {
  const status: Rollout['status'] = {};
  if (index !== undefined) status.currentStepIndex = index;
  if (abort !== undefined) status.abort = abort;
  return { spec: { strategy: { canary: steps ? { steps } : {} } }, status };
}

const steps: CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '10s' } },
];

describe('currentStep and currentSetWeight', () => {
  test.each([
    { name: 'index absent means the first step', index: undefined, step: steps[0], weight: 20 },
    { name: 'a pause keeps the earlier weight', index: 1, step: steps[1], weight: 20 },
    { name: 'a later setWeight', index: 2, step: steps[2], weight: 50 },
    { name: 'a timed pause after it', index: 3, step: steps[3], weight: 50 },
    { name: 'past the last step is fully promoted', index: 4, step: undefined, weight: 100 },
    { name: 'far past the last step too', index: 9, step: undefined, weight: 100 },
  ])('$name', ({ index, step, weight }) => {
    const ro = rollout(steps, index);
    expect(currentStep(ro).step).toBe(step);
    expect(currentSetWeight(ro)).toBe(weight);
  });

  test.each([
    { name: 'abort wants 0', ro: rollout(steps, 2, true), want: 0 },
    { name: 'no steps means the full weight', ro: rollout(undefined), want: 100 },
    {
      name: 'a pause before any setWeight is 0',
      ro: rollout([{ pause: {} }, { setWeight: 30 }], 0),
      want: 0,
    },
    { name: 'maxTrafficWeight when done', ro: rollout([{ setWeight: 300 }], 1), want: 1000 },
  ])('$name', ({ ro, want }) => {
    expect(currentSetWeight(ro, 1000 === want ? 1000 : 100)).toBe(want);
  });

  test('no steps has no index', () => {
    expect(currentStep(rollout([]))).toEqual({});
  });
});

// Expected values from Go itself: time.ParseDuration, and upstream's RolloutPause.DurationSeconds
// (strconv.ParseInt(s, 10, 32) first, then ParseDuration truncated to seconds, -1 on error).
describe('pause durations', () => {
  test.each([
    { name: 'seconds', input: '10s', nanos: 10e9, seconds: 10 },
    { name: 'minutes', input: '10m', nanos: 600e9, seconds: 600 },
    { name: 'hours', input: '1h', nanos: 3600e9, seconds: 3600 },
    { name: 'compound', input: '1h30m', nanos: 5400e9, seconds: 5400 },
    { name: 'fractional hours', input: '1.5h', nanos: 5400e9, seconds: 5400 },
    { name: 'milliseconds truncate', input: '1500ms', nanos: 1.5e9, seconds: 1 },
    { name: 'under a second is 0', input: '500ms', nanos: 0.5e9, seconds: 0 },
    { name: 'three units', input: '2h45m30s', nanos: 9930e9, seconds: 9930 },
    { name: 'leading dot', input: '.5m', nanos: 30e9, seconds: 30 },
    { name: 'trailing dot', input: '1.m', nanos: 60e9, seconds: 60 },
    { name: 'zero needs no unit', input: '0', nanos: 0, seconds: 0 },
    { name: 'negative zero', input: '-0', nanos: 0, seconds: 0 },
    { name: 'negative', input: '-1m', nanos: -60e9, seconds: -60 },
    { name: 'explicit plus', input: '+1m', nanos: 60e9, seconds: 60 },
    { name: 'micro sign', input: '1µs', nanos: 1000, seconds: 0 },
    { name: 'us', input: '1us', nanos: 1000, seconds: 0 },
    { name: 'ns', input: '1ns', nanos: 1, seconds: 0 },
    { name: 'a unit-less number is seconds', input: '30', nanos: undefined, seconds: 30 },
    { name: 'a signed unit-less number', input: '+5', nanos: undefined, seconds: 5 },
    { name: 'a negative unit-less number', input: '-5', nanos: undefined, seconds: -5 },
    { name: 'beyond int32 without a unit', input: '3000000000', nanos: undefined, seconds: -1 },
    { name: 'empty', input: '', nanos: undefined, seconds: -1 },
    { name: 'a space before the unit', input: '10 s', nanos: undefined, seconds: -1 },
    { name: 'a unit alone', input: 's', nanos: undefined, seconds: -1 },
    { name: 'days are not a Go unit', input: '1d', nanos: undefined, seconds: -1 },
    { name: 'units are case-sensitive', input: '5M', nanos: undefined, seconds: -1 },
    { name: 'a leading space', input: ' 5s', nanos: undefined, seconds: -1 },
    { name: 'no exponents', input: '1e3s', nanos: undefined, seconds: -1 },
  ])('$name: $input', ({ input, nanos, seconds }) => {
    expect(parseGoDuration(input)).toBe(nanos);
    expect(pauseDurationSeconds(input)).toBe(seconds);
  });

  test.each([
    { name: 'an integer is seconds', input: 45, want: 45 },
    { name: 'no duration', input: undefined, want: 0 },
  ])('$name', ({ input, want }) => {
    expect(pauseDurationSeconds(input)).toBe(want);
  });

  const start = '2026-01-01T00:00:00Z';
  const t0 = Date.parse(start);
  test.each([
    { name: 'not yet', pause: { duration: '10s' }, now: t0 + 9_999, want: false },
    { name: 'exactly at the end is not past it', pause: { duration: '10s' }, now: t0 + 10_000, want: false },
    { name: 'just after', pause: { duration: '10s' }, now: t0 + 10_001, want: true },
    { name: 'an integer duration', pause: { duration: 5 }, now: t0 + 5_001, want: true },
    { name: 'an indefinite pause never elapses', pause: {}, now: t0 + 1e12, want: false },
  ])('pauseElapsed: $name', ({ pause, now, want }) => {
    expect(pauseElapsed(pause, start, now)).toBe(want);
  });
});

describe('step strings', () => {
  test.each([
    { name: 'setWeight', step: { setWeight: 20 }, want: 'setWeight: 20' },
    { name: 'indefinite pause', step: { pause: {} }, want: 'pause' },
    { name: 'string duration verbatim', step: { pause: { duration: '30s' } }, want: 'pause: 30s' },
    { name: 'integer duration without unit', step: { pause: { duration: 30 } }, want: 'pause: 30' },
    { name: 'experiment', step: { experiment: { templates: [] } }, want: 'experiment' },
    { name: 'analysis', step: { analysis: {} }, want: 'analysis' },
    {
      name: 'setCanaryScale weight',
      step: { setCanaryScale: { weight: 25 } },
      want: 'setCanaryScale{weight: 25}',
    },
    {
      name: 'setCanaryScale matchTrafficWeight',
      step: { setCanaryScale: { matchTrafficWeight: true } },
      want: 'setCanaryScale{matchTrafficWeight: true}',
    },
    {
      name: 'setCanaryScale replicas',
      step: { setCanaryScale: { replicas: 3 } },
      want: 'setCanaryScale{replicas: 3}',
    },
    { name: 'plugin', step: { plugin: { name: 'x/y' } }, want: 'plugin: x/y' },
    { name: 'header route', step: { setHeaderRoute: { name: 'h' } }, want: 'setHeaderRoute: h' },
    { name: 'mirror route', step: { setMirrorRoute: { name: 'm' } }, want: 'setMirrorRoute: m' },
    { name: 'empty step', step: {}, want: 'invalid' },
  ])('$name', ({ step, want }) => {
    expect(stepString(step)).toBe(want);
  });

  test('the RolloutStepCompleted message names the new index and the completed step', () => {
    expect(stepCompletedMessage(steps, 2)).toBe('Rollout step 2/4 completed (pause)');
    expect(stepCompletedMessage(steps, 4)).toBe('Rollout step 4/4 completed (pause: 10s)');
  });
});

describe('step completion', () => {
  const start = '2026-01-01T00:00:00Z';
  const t0 = Date.parse(start);
  const paused = (reason = 'CanaryPauseStep') => [{ reason, startTime: start }];
  function at(
    step: CanaryStep,
    status: Rollout['status'] = {},
    specPaused = false,
  ): Pick<Rollout, 'spec' | 'status'> {
    return {
      spec: { paused: specPaused, strategy: { canary: { steps: [step, { setWeight: 100 }] } } },
      status,
    };
  }
  const base = { now: t0 + 60_000, atDesiredReplicaCounts: true };

  test.each<{ name: string; ro: Pick<Rollout, 'spec' | 'status'>; input?: object; want: boolean }>([
    { name: 'setWeight at its counts', ro: at({ setWeight: 20 }), want: true },
    {
      name: 'setWeight not at its counts',
      ro: at({ setWeight: 20 }),
      input: { atDesiredReplicaCounts: false },
      want: false,
    },
    {
      name: 'setWeight with weights not verified',
      ro: at({ setWeight: 20 }),
      input: { weightsVerified: false },
      want: false,
    },
    {
      name: 'setWeight with weights verified',
      ro: at({ setWeight: 20 }),
      input: { weightsVerified: true },
      want: true,
    },
    {
      name: 'setCanaryScale ignores verification',
      ro: at({ setCanaryScale: { replicas: 1 } }),
      input: { weightsVerified: false },
      want: true,
    },
    { name: 'nothing completes while spec.paused', ro: at({ setWeight: 20 }, {}, true), want: false },
    {
      name: 'an indefinite pause holds',
      ro: at({ pause: {} }, { controllerPause: true, pauseConditions: paused() }),
      want: false,
    },
    { name: 'a resumed pause completes', ro: at({ pause: {} }, { controllerPause: true }), want: true },
    { name: 'a pause not yet started', ro: at({ pause: { duration: '10s' } }, {}), want: false },
    {
      name: 'a timed pause past its duration',
      ro: at({ pause: { duration: '10s' } }, { controllerPause: true, pauseConditions: paused() }),
      want: true,
    },
    {
      name: 'a timed pause still running',
      ro: at({ pause: { duration: '10m' } }, { controllerPause: true, pauseConditions: paused() }),
      want: false,
    },
    {
      name: 'controllerPause without a CanaryPauseStep condition counts as resumed (as upstream)',
      ro: at(
        { pause: { duration: '10s' } },
        { controllerPause: true, pauseConditions: paused('InconclusiveAnalysisRun') },
      ),
      want: true,
    },
    {
      name: 'a successful step analysis',
      ro: at({ analysis: {} }),
      input: { stepRunPhase: 'Successful' },
      want: true,
    },
    {
      name: 'a running step analysis',
      ro: at({ analysis: {} }),
      input: { stepRunPhase: 'Running' },
      want: false,
    },
    { name: 'an experiment without its run', ro: at({ experiment: { templates: [] } }), want: false },
    { name: 'a header route is immediate', ro: at({ setHeaderRoute: { name: 'h' } }), want: true },
    { name: 'a plugin step waits for the plugin', ro: at({ plugin: { name: 'p' } }), want: false },
    {
      name: 'past the last step nothing completes',
      ro: { spec: { strategy: { canary: { steps: [{ setWeight: 20 }] } } }, status: { currentStepIndex: 1 } },
      want: false,
    },
  ])('$name', ({ ro, input, want }) => {
    expect(currentStepCompleted({ rollout: ro, ...base, ...input })).toBe(want);
  });

  test.each<{ name: string; ro: Pick<Rollout, 'spec' | 'status'>; want: ReturnType<typeof canaryPausePlan> }>(
    [
      {
        name: 'a pause step reached: add the condition',
        ro: at({ pause: {} }),
        want: { paused: true, add: true },
      },
      {
        name: 'a resumed pause is not paused again',
        ro: at({ pause: {} }, { controllerPause: true }),
        want: { paused: true, add: false },
      },
      {
        name: 'a timed pause rechecks at its end',
        ro: at({ pause: { duration: 30 } }, { controllerPause: true, pauseConditions: paused() }),
        want: { paused: true, add: false, recheckAt: t0 + 30_000 },
      },
      {
        name: 'an indefinite pause waits for the user',
        ro: at({ pause: {} }, { controllerPause: true, pauseConditions: paused() }),
        want: { paused: true, add: false },
      },
      { name: 'not a pause step', ro: at({ setWeight: 10 }), want: { paused: false, add: false } },
      {
        name: 'spec.paused adds nothing',
        ro: at({ pause: {} }, {}, true),
        want: { paused: false, add: false },
      },
      {
        name: 'promoteFull skips pauses',
        ro: at({ pause: {} }, { promoteFull: true }),
        want: { paused: false, add: false },
      },
    ],
  )('canaryPausePlan: $name', ({ ro, want }) => {
    expect(canaryPausePlan(ro)).toEqual(want);
  });
});
