import { abortedMessage, events } from './events.ts';

// Texts from Argo Rollouts v1.9.1 utils/conditions and rollout/*.go (format strings filled in).
test.each([
  {
    name: 'updated',
    event: events.rolloutUpdated(2),
    reason: 'RolloutUpdated',
    message: 'Rollout updated to revision 2',
  },
  {
    name: 'new ReplicaSet',
    event: events.newReplicaSetCreated('demo-5f6989b587', 2),
    reason: 'NewReplicaSetCreated',
    message: 'Created ReplicaSet demo-5f6989b587 (revision 2)',
  },
  {
    name: 'scaled up',
    event: events.scalingReplicaSet('demo-5f6989b587', 2, 0, 1),
    reason: 'ScalingReplicaSet',
    message: 'Scaled up ReplicaSet demo-5f6989b587 (revision 2) from 0 to 1',
  },
  {
    name: 'scaled down',
    event: events.scalingReplicaSet('demo-7c859447c9', 1, 4, 3),
    reason: 'ScalingReplicaSet',
    message: 'Scaled down ReplicaSet demo-7c859447c9 (revision 1) from 4 to 3',
  },
  {
    name: 'step completed',
    event: events.stepCompleted(1, 5, 'setWeight: 25'),
    reason: 'RolloutStepCompleted',
    message: 'Rollout step 1/5 completed (setWeight: 25)',
  },
  {
    name: 'paused',
    event: events.paused('CanaryPauseStep'),
    reason: 'RolloutPaused',
    message: 'Rollout is paused (CanaryPauseStep)',
  },
  { name: 'resumed', event: events.resumed(), reason: 'RolloutResumed', message: 'Rollout is resumed' },
  {
    name: 'completed',
    event: events.completed(2, '5f6989b587', 'Completed all 5 canary steps'),
    reason: 'RolloutCompleted',
    message: 'Rollout completed update to revision 2 (5f6989b587): Completed all 5 canary steps',
  },
  {
    name: 'not completed',
    event: events.notCompleted(3, 'd46d89f46'),
    reason: 'RolloutNotCompleted',
    message: 'Rollout not completed, started update to revision 3 (d46d89f46)',
  },
  {
    name: 'skip steps',
    event: events.skipSteps(false),
    reason: 'SkipSteps',
    message: 'Rollback to stable ReplicaSets',
  },
  {
    name: 'skip steps within the window',
    event: events.skipSteps(true),
    reason: 'SkipSteps',
    message: 'Rollback to active ReplicaSets within RollbackWindow',
  },
])('$name', ({ event, reason, message }) => {
  expect(event).toEqual({ type: 'Normal', reason, message });
});

test('abort is a Warning with the condition message', () => {
  expect(abortedMessage(2)).toBe('Rollout aborted update to revision 2');
  const message = abortedMessage(2, 'Step-based analysis phase error/failed: Metric "m" assessed Failed');
  expect(message).toBe(
    'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "m" assessed Failed',
  );
  expect(events.aborted(message)).toEqual({ type: 'Warning', reason: 'RolloutAborted', message });
});
