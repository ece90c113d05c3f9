import type { Condition, Rollout, RolloutStatus } from '@rollout-kit/api';
import { rolloutPhase } from './phase.ts';

const cond = (type: string, status: Condition['status'], reason: string, message: string): Condition => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: 't',
  lastTransitionTime: 't',
});

const canary: Rollout['spec'] = { replicas: 4, strategy: { canary: { steps: [{ setWeight: 50 }] } } };
const blueGreen: Rollout['spec'] = { replicas: 2, strategy: { blueGreen: { activeService: 'a' } } };
const healthy: RolloutStatus = {
  stableRS: 'h',
  currentPodHash: 'h',
  replicas: 4,
  updatedReplicas: 4,
  availableReplicas: 4,
};

test.each([
  {
    name: 'InvalidSpec first',
    spec: { ...canary, paused: true },
    status: {
      ...healthy,
      conditions: [
        cond('InvalidSpec', 'True', 'InvalidSpec', 'The Rollout "web" is invalid: spec.replicas: bad'),
      ],
    },
    want: ['Degraded', 'InvalidSpec: The Rollout "web" is invalid: spec.replicas: bad'],
  },
  {
    name: 'aborted',
    spec: canary,
    status: {
      ...healthy,
      conditions: [cond('Progressing', 'False', 'RolloutAborted', 'Rollout aborted update to revision 2')],
    },
    want: ['Degraded', 'RolloutAborted: Rollout aborted update to revision 2'],
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
          'ReplicaSet "web-x" has timed out progressing.',
        ),
      ],
    },
    want: ['Degraded', 'ProgressDeadlineExceeded: ReplicaSet "web-x" has timed out progressing.'],
  },
  {
    name: 'manually paused',
    spec: { ...canary, paused: true },
    status: healthy,
    want: ['Paused', 'manually paused'],
  },
  {
    name: 'a pause condition',
    spec: canary,
    status: { ...healthy, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }] },
    want: ['Paused', 'CanaryPauseStep'],
  },
  {
    name: 'restarting',
    spec: { ...canary, restartAt: '2026-01-01T00:00:00Z' },
    status: healthy,
    want: ['Progressing', 'rollout is restarting'],
  },
  {
    name: 'restart done',
    spec: { ...canary, restartAt: 'x' },
    status: { ...healthy, restartedAt: 'x' },
    want: ['Healthy', ''],
  },
  {
    name: 'not all updated',
    spec: canary,
    status: { ...healthy, updatedReplicas: 2 },
    want: ['Progressing', 'more replicas need to be updated'],
  },
  {
    name: 'updated but not available',
    spec: canary,
    status: { ...healthy, availableReplicas: 3 },
    want: ['Progressing', 'updated replicas are still becoming available'],
  },
  {
    name: 'old replicas left',
    spec: canary,
    status: { ...healthy, replicas: 5 },
    want: ['Progressing', 'old replicas are pending termination'],
  },
  {
    name: 'old replicas do not count with traffic routing',
    spec: { ...canary, strategy: { canary: { trafficRouting: { nginx: { stableIngress: 'i' } } } } },
    status: { ...healthy, replicas: 5 },
    want: ['Healthy', ''],
  },
  {
    name: 'steps not done',
    spec: canary,
    status: { ...healthy, stableRS: 'old' },
    want: ['Progressing', 'waiting for all steps to complete'],
  },
  { name: 'healthy canary', spec: canary, status: healthy, want: ['Healthy', ''] },
  {
    name: 'blue-green cutover pending',
    spec: blueGreen,
    status: {
      ...healthy,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      blueGreen: { activeSelector: 'old' },
    },
    want: ['Progressing', 'active service cutover pending'],
  },
  {
    name: 'blue-green waiting for post-promotion analysis',
    spec: {
      ...blueGreen,
      strategy: {
        blueGreen: { activeService: 'a', postPromotionAnalysis: { templates: [{ templateName: 't' }] } },
      },
    },
    status: {
      stableRS: 'old',
      currentPodHash: 'h',
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      blueGreen: { activeSelector: 'h' },
    },
    want: ['Progressing', 'waiting for analysis to complete'],
  },
  {
    name: 'blue-green post-promotion verification',
    spec: blueGreen,
    status: {
      stableRS: 'old',
      currentPodHash: 'h',
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      blueGreen: { activeSelector: 'h' },
    },
    want: ['Progressing', 'waiting for post-promotion verification to complete'],
  },
  {
    name: 'healthy blue-green',
    spec: blueGreen,
    status: {
      ...healthy,
      replicas: 4,
      updatedReplicas: 2,
      availableReplicas: 2,
      blueGreen: { activeSelector: 'h' },
    },
    want: ['Healthy', ''],
  },
])('$name', ({ spec, status, want }) => {
  const { phase, message } = rolloutPhase(spec as Rollout['spec'], status as RolloutStatus);
  expect([phase, message]).toEqual(want);
});
