// The pure helpers of the analysis adapter: how reactions combine, how the status records the
// current runs and Experiment, and the key-order-blind JSON used to recognise our own run.
import type { AnalysisRun, Experiment } from '@rollout-kit/api';
import {
  canonical,
  combinedReaction,
  withCanaryAnalysis,
  type CanaryAnalysisOutcome,
} from './rollout-analysis.ts';

test.each([
  { name: 'nothing', reactions: [undefined, { kind: 'none' as const }], want: { kind: 'none' } },
  {
    name: 'an abort wins over a pause',
    reactions: [
      { kind: 'pause' as const, reason: 'InconclusiveAnalysisRun' },
      { kind: 'abort' as const, message: 'x' },
    ],
    want: { kind: 'abort', message: 'x' },
  },
  {
    name: 'a pause alone',
    reactions: [{ kind: 'none' as const }, { kind: 'pause' as const, reason: 'InconclusiveExperiment' }],
    want: { kind: 'pause', reason: 'InconclusiveExperiment' },
  },
])('combinedReaction: $name', ({ reactions, want }) => {
  expect(combinedReaction(...reactions)).toEqual(want);
});

test('canonical ignores key order and undefined fields', () => {
  expect(canonical({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
    canonical({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }),
  );
  expect(canonical({ a: 1 })).not.toBe(canonical({ a: 2 }));
});

const run = (name: string, phase: string) =>
  ({ metadata: { name }, spec: { metrics: [] }, status: { phase } }) as AnalysisRun;
const outcome = (over: Partial<CanaryAnalysisOutcome> = {}): CanaryAnalysisOutcome => ({
  plan: { create: [], others: [], terminate: [], active: true, reset: false, reaction: { kind: 'none' } },
  ...over,
});
const experiment = { metadata: { name: 'web-h-2-1' }, spec: { templates: [] } } as Experiment;

test('withCanaryAnalysis records the runs and the Experiment, keeping the other canary fields', () => {
  const old = {
    currentStepIndex: 1,
    canary: { weights: { canary: { weight: 20 }, stable: { weight: 80 } } },
  };
  const { fields } = withCanaryAnalysis(
    old,
    { currentStepIndex: 1, canary: old.canary },
    outcome({ step: run('web-h-2-1', 'Running'), background: run('web-h-2', 'Running') }),
    { current: experiment, plan: { recordCurrent: true } },
  );
  expect(fields.canary).toEqual({
    weights: { canary: { weight: 20 }, stable: { weight: 80 } },
    currentStepAnalysisRunStatus: { name: 'web-h-2-1', status: 'Running' },
    currentBackgroundAnalysisRunStatus: { name: 'web-h-2', status: 'Running' },
    currentExperiment: 'web-h-2-1',
  });
});

test('withCanaryAnalysis drops the step run and Experiment once the step moved on', () => {
  const old = {
    currentStepIndex: 1,
    canary: {
      currentStepAnalysisRunStatus: { name: 'web-h-2-1', status: 'Running' },
      currentExperiment: 'x',
    },
  };
  const { fields, events } = withCanaryAnalysis(
    old,
    { currentStepIndex: 2, canary: old.canary },
    outcome({ step: run('web-h-2-1', 'Successful') }),
    { current: experiment, plan: { recordCurrent: true } },
  );
  expect(fields.canary).toBeUndefined();
  expect(events.map((e) => e.reason)).toEqual(['AnalysisRunSuccessful']);
});
