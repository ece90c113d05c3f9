// The Events a Rollout gets, with upstream's reasons and message texts (utils/conditions); the
// official plugin, notification triggers and upstream's e2e suite match on both.
import {
  EVENT_NEW_REPLICA_SET_CREATED,
  EVENT_ROLLOUT_ABORTED,
  EVENT_ROLLOUT_COMPLETED,
  EVENT_ROLLOUT_NOT_COMPLETED,
  EVENT_ROLLOUT_PAUSED,
  EVENT_ROLLOUT_RESUMED,
  EVENT_ROLLOUT_STEP_COMPLETED,
  EVENT_ROLLOUT_UPDATED,
  EVENT_SCALING_REPLICA_SET,
  EVENT_SKIP_STEPS,
} from '@rollout-kit/api';

export interface RolloutEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const normal = (reason: string, message: string): RolloutEvent => ({ type: 'Normal', reason, message });

/** Why a rollout completed, as written after the colon of RolloutCompleted. */
export type CompletedReason =
  | 'Initial deploy'
  | `Completed all ${number} canary steps`
  | 'Completed blue-green update'
  | 'Full promotion requested'
  | 'Fast rollback'
  | 'Rollback within window';

export const events = {
  rolloutUpdated: (revision: number) =>
    normal(EVENT_ROLLOUT_UPDATED, `Rollout updated to revision ${revision}`),
  newReplicaSetCreated: (rs: string, revision: number) =>
    normal(EVENT_NEW_REPLICA_SET_CREATED, `Created ReplicaSet ${rs} (revision ${revision})`),
  /** `Scaled up|down ReplicaSet <rs> (revision N) from A to B`. */
  scalingReplicaSet: (rs: string, revision: number, from: number, to: number) =>
    normal(
      EVENT_SCALING_REPLICA_SET,
      `Scaled ${to > from ? 'up' : 'down'} ReplicaSet ${rs} (revision ${revision}) from ${from} to ${to}`,
    ),
  /** `newIndex` is the index after the step (1-based count of completed steps). */
  stepCompleted: (newIndex: number, stepCount: number, step: string) =>
    normal(EVENT_ROLLOUT_STEP_COMPLETED, `Rollout step ${newIndex}/${stepCount} completed (${step})`),
  paused: (firstReason: string) => normal(EVENT_ROLLOUT_PAUSED, `Rollout is paused (${firstReason})`),
  resumed: () => normal(EVENT_ROLLOUT_RESUMED, 'Rollout is resumed'),
  completed: (revision: number, hash: string, why: CompletedReason) =>
    normal(EVENT_ROLLOUT_COMPLETED, `Rollout completed update to revision ${revision} (${hash}): ${why}`),
  notCompleted: (revision: number, hash: string) =>
    normal(
      EVENT_ROLLOUT_NOT_COMPLETED,
      `Rollout not completed, started update to revision ${revision} (${hash})`,
    ),
  aborted: (message: string): RolloutEvent => ({ type: 'Warning', reason: EVENT_ROLLOUT_ABORTED, message }),
  progressDeadlineExceeded: (message: string): RolloutEvent => ({
    type: 'Warning',
    reason: 'ProgressDeadlineExceeded',
    message,
  }),
  skipSteps: (withinWindow: boolean) =>
    normal(
      EVENT_SKIP_STEPS,
      withinWindow
        ? 'Rollback to active ReplicaSets within RollbackWindow'
        : 'Rollback to stable ReplicaSets',
    ),
};

/** The Progressing=False/RolloutAborted message: `Rollout aborted update to revision N[: reason]`. */
export function abortedMessage(revision: number, reason?: string): string {
  return `Rollout aborted update to revision ${revision}${reason ? `: ${reason}` : ''}`;
}
