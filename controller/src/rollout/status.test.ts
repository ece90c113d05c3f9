import type { Condition, LabelSelector, Rollout, RolloutStatus } from '@rollout-kit/api';
import { calculatePhase, clientPhase, formatLabelSelector } from './status.ts';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';

const canary: Rollout['spec'] = { replicas: 4, strategy: { canary: { steps: [{ setWeight: 50 }] } } };
const blueGreen: Rollout['spec'] = {
  replicas: 4,
  strategy: {
    blueGreen: { activeService: 'active', postPromotionAnalysis: { templates: [{ templateName: 't' }] } },
  },
};
/** A healthy, fully promoted status with 4 of 4 pods. */
const healthy: RolloutStatus = {
  replicas: 4,
  updatedReplicas: 4,
  availableReplicas: 4,
  currentPodHash: 'abc',
  stableRS: 'abc',
  blueGreen: { activeSelector: 'abc' },
};

function cond(type: string, status: Condition['status'], reason: string, message: string): Condition {
  return { type, status, reason, message, lastUpdateTime: T0, lastTransitionTime: T0 };
}

describe('calculatePhase', () => {
  test.each<{ name: string; spec: Rollout['spec']; status: RolloutStatus; phase: string; message: string }>([
    { name: 'healthy canary', spec: canary, status: healthy, phase: 'Healthy', message: '' },
    {
      name: 'InvalidSpec wins',
      spec: { ...canary, paused: true },
      status: {
        ...healthy,
        conditions: [cond('InvalidSpec', 'True', 'InvalidSpec', 'The Rollout "r" is invalid: x')],
      },
      phase: 'Degraded',
      message: 'InvalidSpec: The Rollout "r" is invalid: x',
    },
    {
      name: 'aborted',
      spec: canary,
      status: {
        ...healthy,
        conditions: [cond('Progressing', 'False', 'RolloutAborted', 'Rollout aborted update to revision 2')],
      },
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
    },
    {
      name: 'progress deadline exceeded',
      spec: canary,
      status: {
        ...healthy,
        conditions: [
          cond(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            'ReplicaSet "r-1" has timed out progressing.',
          ),
        ],
      },
      phase: 'Degraded',
      message: 'ProgressDeadlineExceeded: ReplicaSet "r-1" has timed out progressing.',
    },
    {
      name: 'the first matching condition decides',
      spec: canary,
      status: {
        ...healthy,
        conditions: [
          cond('Progressing', 'False', 'RolloutAborted', 'aborted'),
          cond('InvalidSpec', 'True', 'InvalidSpec', 'bad'),
        ],
      },
      phase: 'Degraded',
      message: 'RolloutAborted: aborted',
    },
    {
      name: 'other conditions do not degrade',
      spec: canary,
      status: { ...healthy, conditions: [cond('Available', 'False', 'AvailableReason', 'x')] },
      phase: 'Healthy',
      message: '',
    },
    {
      name: 'manually paused',
      spec: { ...canary, paused: true },
      status: healthy,
      phase: 'Paused',
      message: 'manually paused',
    },
    {
      name: 'a pause condition gives its reason',
      spec: canary,
      status: {
        ...healthy,
        pauseConditions: [
          { reason: 'CanaryPauseStep', startTime: T0 },
          { reason: 'InconclusiveAnalysisRun', startTime: T1 },
        ],
      },
      phase: 'Paused',
      message: 'CanaryPauseStep',
    },
    {
      name: 'a restart not yet done',
      spec: { ...canary, restartAt: T1 },
      status: { ...healthy, restartedAt: T0 },
      phase: 'Progressing',
      message: 'rollout is restarting',
    },
    {
      name: 'a restart done (same instant, other spelling)',
      spec: { ...canary, restartAt: '2026-01-01T00:05:00.000Z' },
      status: { ...healthy, restartedAt: T1 },
      phase: 'Healthy',
      message: '',
    },
    {
      name: 'replicas to update',
      spec: canary,
      status: { ...healthy, updatedReplicas: 1 },
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    },
    {
      name: 'updated replicas not yet available',
      spec: canary,
      status: { ...healthy, availableReplicas: 3 },
      phase: 'Progressing',
      message: 'updated replicas are still becoming available',
    },
    {
      name: 'basic canary with old pods left',
      spec: canary,
      status: { ...healthy, replicas: 5 },
      phase: 'Progressing',
      message: 'old replicas are pending termination',
    },
    {
      name: 'traffic-routed canary ignores old pods',
      spec: { replicas: 4, strategy: { canary: { trafficRouting: { nginx: { stableIngress: 'i' } } } } },
      status: { ...healthy, replicas: 8 },
      phase: 'Healthy',
      message: '',
    },
    {
      name: 'canary not yet promoted',
      spec: canary,
      status: { ...healthy, stableRS: 'old' },
      phase: 'Progressing',
      message: 'waiting for all steps to complete',
    },
    {
      name: 'replicas default to 1',
      spec: { strategy: { canary: {} } },
      status: { ...healthy, updatedReplicas: 1, availableReplicas: 1, replicas: 1 },
      phase: 'Healthy',
      message: '',
    },
    {
      name: 'blue-green before the active switch',
      spec: blueGreen,
      status: { ...healthy, blueGreen: { activeSelector: 'old' } },
      phase: 'Progressing',
      message: 'active service cutover pending',
    },
    {
      name: 'blue-green waiting for post-promotion analysis',
      spec: blueGreen,
      status: {
        ...healthy,
        stableRS: 'old',
        blueGreen: {
          activeSelector: 'abc',
          postPromotionAnalysisRunStatus: { name: 'r', status: 'Running' },
        },
      },
      phase: 'Progressing',
      message: 'waiting for analysis to complete',
    },
    {
      name: 'blue-green with analysis done, not yet marked stable',
      spec: blueGreen,
      status: {
        ...healthy,
        stableRS: 'old',
        blueGreen: {
          activeSelector: 'abc',
          postPromotionAnalysisRunStatus: { name: 'r', status: 'Successful' },
        },
      },
      phase: 'Progressing',
      message: 'waiting for post-promotion verification to complete',
    },
    { name: 'healthy blue-green', spec: blueGreen, status: healthy, phase: 'Healthy', message: '' },
  ])('$name', ({ spec, status, phase, message }) => {
    expect(calculatePhase(spec, status)).toEqual({ phase, message });
  });
});

describe('clientPhase', () => {
  const stored: RolloutStatus = {
    ...healthy,
    phase: 'Paused',
    message: 'CanaryPauseStep',
    observedGeneration: '3',
  };
  test.each<{ name: string; generation: number; status: RolloutStatus; phase: string; message: string }>([
    {
      name: 'the stored phase when observed',
      generation: 3,
      status: stored,
      phase: 'Paused',
      message: 'CanaryPauseStep',
    },
    {
      name: 'a newer generation not yet observed',
      generation: 4,
      status: stored,
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    },
    {
      name: 'an observedGeneration ahead counts as observed',
      generation: 2,
      status: stored,
      phase: 'Paused',
      message: 'CanaryPauseStep',
    },
    {
      name: 'a hash-like observedGeneration counts as observed',
      generation: 9,
      status: { ...stored, observedGeneration: '7d9f' },
      phase: 'Paused',
      message: 'CanaryPauseStep',
    },
    {
      name: 'resumed by a user, not yet acted on',
      generation: 3,
      status: { ...stored, controllerPause: true },
      phase: 'Progressing',
      message: 'waiting for rollout to unpause',
    },
    {
      name: 'controllerPause with its pause condition still there',
      generation: 3,
      status: {
        ...stored,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: T0 }],
      },
      phase: 'Paused',
      message: 'CanaryPauseStep',
    },
    {
      name: 'no stored phase falls back to the rules',
      generation: 3,
      status: { ...healthy, observedGeneration: '3' },
      phase: 'Healthy',
      message: '',
    },
  ])('$name', ({ generation, status, phase, message }) => {
    expect(clientPhase({ metadata: { generation }, spec: canary, status })).toEqual({ phase, message });
  });
});

describe('formatLabelSelector', () => {
  test.each<{ name: string; selector: LabelSelector | undefined; want: string }>([
    { name: 'one label', selector: { matchLabels: { app: 'demo' } }, want: 'app=demo' },
    {
      name: 'labels sorted by key',
      selector: { matchLabels: { tier: 'web', app: 'demo' } },
      want: 'app=demo,tier=web',
    },
    {
      name: 'expressions, values sorted',
      selector: {
        matchLabels: { app: 'demo' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      want: 'app=demo,canary,env notin (dev),!legacy,zone in (a,b)',
    },
    { name: 'empty selects everything', selector: {}, want: '<none>' },
    { name: 'absent selects nothing', selector: undefined, want: '<none>' },
    {
      name: 'an unknown operator',
      selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] },
      want: '<error>',
    },
  ])('$name', ({ selector, want }) => {
    expect(formatLabelSelector(selector)).toBe(want);
  });
});
