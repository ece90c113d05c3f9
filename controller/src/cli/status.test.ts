import type { Rollout } from '@rollout-kit/api';
import { statusOnceLine, statusOutcome } from './status.ts';

const ro = (status: Rollout['status'], generation = 1): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', generation },
  spec: { strategy: { canary: {} } },
  status,
});

test.each([
  {
    name: 'healthy',
    rollout: ro({ phase: 'Healthy', observedGeneration: '1' }),
    line: 'Healthy',
    result: 'healthy',
    once: 'Healthy',
  },
  {
    name: 'degraded',
    rollout: ro({ phase: 'Degraded', message: 'RolloutAborted: x', observedGeneration: '1' }),
    line: 'Degraded - RolloutAborted: x',
    result: 'degraded',
    once: 'Degraded',
  },
  {
    name: 'paused',
    rollout: ro({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }],
      observedGeneration: '1',
    }),
    line: 'Paused - CanaryPauseStep',
    result: 'pending',
    once: 'Paused - CanaryPauseStep',
  },
  {
    name: 'a spec change not yet observed',
    rollout: ro({ phase: 'Healthy', observedGeneration: '1' }, 2),
    line: 'Progressing - waiting for rollout spec update to be observed',
    result: 'pending',
    once: 'Progressing - waiting for rollout spec update to be observed',
  },
])('$name', ({ rollout, line, result, once }) => {
  const outcome = statusOutcome(rollout);
  expect(outcome).toMatchObject({ line, result });
  expect(statusOnceLine(outcome)).toBe(once);
});
