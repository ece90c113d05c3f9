// A Rollout's phase and message, computed from its freshly decided status the way the upstream
// controller does (first matching rule wins). Argo CD's health check and the kubectl plugin read
// these verbatim, so the texts must match upstream's exactly.
import type { Condition, Rollout, RolloutStatus } from '@rollout-kit/api';
import {
  CONDITION_INVALID_SPEC,
  PHASE_DEGRADED,
  PHASE_HEALTHY,
  PHASE_PAUSED,
  PHASE_PROGRESSING,
  REASON_PROGRESS_DEADLINE_EXCEEDED,
  REASON_ROLLOUT_ABORTED,
} from '@rollout-kit/api';

export interface PhaseAndMessage {
  phase: typeof PHASE_HEALTHY | typeof PHASE_DEGRADED | typeof PHASE_PROGRESSING | typeof PHASE_PAUSED;
  message: string;
}

const degradedReasons = new Set([REASON_ROLLOUT_ABORTED, REASON_PROGRESS_DEADLINE_EXCEEDED]);

/**
 * The phase and message for `status` (already updated by this reconcile) of a Rollout with
 * `spec`. `postPromotionRunCompleted` tells whether a blue-green post-promotion analysis run
 * exists and has completed.
 */
export function rolloutPhase(
  spec: Rollout['spec'],
  status: RolloutStatus,
  postPromotionRunCompleted = false,
): PhaseAndMessage {
  const conditions: Condition[] = status.conditions ?? [];
  const invalid = conditions.find((c) => c.type === CONDITION_INVALID_SPEC && c.status === 'True');
  if (invalid) return { phase: PHASE_DEGRADED, message: `${CONDITION_INVALID_SPEC}: ${invalid.message}` };
  const degraded = conditions.find((c) => degradedReasons.has(c.reason));
  if (degraded) return { phase: PHASE_DEGRADED, message: `${degraded.reason}: ${degraded.message}` };
  if (spec.paused) return { phase: PHASE_PAUSED, message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: PHASE_PAUSED, message: pause.reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt) {
    return { phase: PHASE_PROGRESSING, message: 'rollout is restarting' };
  }
  const replicas = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < replicas) return { phase: PHASE_PROGRESSING, message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < updated) {
    return { phase: PHASE_PROGRESSING, message: 'updated replicas are still becoming available' };
  }
  const promoted = Boolean(status.stableRS) && status.stableRS === status.currentPodHash;
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash)
      return { phase: PHASE_PROGRESSING, message: 'active service cutover pending' };
    if (!promoted) {
      return spec.strategy.blueGreen.postPromotionAnalysis && !postPromotionRunCompleted
        ? { phase: PHASE_PROGRESSING, message: 'waiting for analysis to complete' }
        : { phase: PHASE_PROGRESSING, message: 'waiting for post-promotion verification to complete' };
    }
    return { phase: PHASE_HEALTHY, message: '' };
  }
  if (!spec.strategy?.canary?.trafficRouting && (status.replicas ?? 0) > updated) {
    return { phase: PHASE_PROGRESSING, message: 'old replicas are pending termination' };
  }
  if (!promoted) return { phase: PHASE_PROGRESSING, message: 'waiting for all steps to complete' };
  return { phase: PHASE_HEALTHY, message: '' };
}
