// The types are derived from the schemas; these checks run in `tsc` (the @ts-expect-error lines
// fail the typecheck if a derived type stops rejecting them) and in jest.
import type { AnalysisRun, CanaryStep, Experiment, Rollout, RolloutStatus } from './index.ts';

test('a Rollout literal with the usual fields has the derived type', () => {
  const rollout: Rollout = {
    metadata: { name: 'demo', generation: 2 },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      strategy: { canary: { maxSurge: '25%', maxUnavailable: 0, steps: [{ setWeight: 20 }, { pause: {} }] } },
    },
    status: { observedGeneration: '2', HPAReplicas: 3, currentStepIndex: 0 },
  };
  expect(rollout.spec.strategy?.canary?.steps?.length).toBe(2);
});

test('derived types reject what the schema rejects', () => {
  // @ts-expect-error observedGeneration is a string on the wire
  const status: RolloutStatus = { observedGeneration: 2 };
  // @ts-expect-error setWeight is an integer
  const step: CanaryStep = { setWeight: '20' };
  // @ts-expect-error spec.metrics is required on an AnalysisRun
  const run: AnalysisRun = { metadata: {}, spec: {} };
  // @ts-expect-error a template needs its name, selector and template
  const experiment: Experiment = { metadata: {}, spec: { templates: [{ name: 'x' }] } };
  expect([status, step, run, experiment]).toHaveLength(4);
});
