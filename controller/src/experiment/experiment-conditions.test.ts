import type { Condition, ExperimentStatus, TemplateStatus } from '@rollout-kit/api';
import { withExperimentConditions } from './experiment-conditions.ts';

const t = (available: number): TemplateStatus => ({
  name: 'a',
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: available,
  availableReplicas: available,
});
const EARLIER = '2026-01-01T00:00:00Z';
const NOW = '2026-01-01T00:10:00Z';
const nowMs = Date.parse(NOW);
const cond = (status: 'True' | 'False', reason: string, message: string, at = EARLIER): Condition => ({
  type: 'Progressing',
  status,
  reason,
  message,
  lastUpdateTime: at,
  lastTransitionTime: at,
});
const progressing = cond('True', 'ReplicaSetUpdated', 'Experiment "exp" is progressing.');
const running = cond('True', 'NewReplicaSetAvailable', 'Experiment "exp" is running.');

test.each([
  {
    name: 'first pass: progressing',
    old: {},
    next: { phase: 'Pending', templateStatuses: [t(0)] },
    duration: undefined,
    want: { ...progressing, lastUpdateTime: NOW, lastTransitionTime: NOW },
  },
  {
    name: 'more pods available: progressing again, transition time kept',
    old: { phase: 'Pending', templateStatuses: [t(0)], conditions: [progressing] },
    next: { phase: 'Pending', templateStatuses: [t(1)] },
    duration: undefined,
    want: { ...progressing, lastUpdateTime: NOW },
  },
  {
    name: 'available and nothing moving: running',
    old: { phase: 'Running', templateStatuses: [t(1)], availableAt: EARLIER, conditions: [progressing] },
    next: { phase: 'Running', templateStatuses: [t(1)] },
    duration: 3600,
    want: { ...running, lastUpdateTime: NOW, lastTransitionTime: NOW },
  },
  {
    name: 'running stays untouched',
    old: { phase: 'Running', templateStatuses: [t(1)], availableAt: EARLIER, conditions: [running] },
    next: { phase: 'Running', templateStatuses: [t(1)] },
    duration: undefined,
    want: running,
  },
  {
    name: 'completed (whatever the verdict, as upstream)',
    old: { phase: 'Running', templateStatuses: [t(1)], availableAt: EARLIER, conditions: [running] },
    next: { phase: 'Failed', templateStatuses: [t(1)] },
    duration: undefined,
    want: cond('False', 'ExperimentCompleted', 'Experiment "exp" has successfully ran and completed.', NOW),
  },
])('$name', ({ old, next, duration, want }) => {
  const out = withExperimentConditions(
    { metadata: { name: 'exp' }, status: old as ExperimentStatus },
    { ...(old as ExperimentStatus), ...(next as ExperimentStatus) },
    { now: NOW, nowMs, durationSeconds: duration },
  );
  expect(out.conditions).toEqual([want]);
});
