// Rollout status rules that clients read: phase and message (Argo CD's health and the kubectl
// plugin show them verbatim), the client-side overlay the plugin applies, and condition updates.
// As Argo Rollouts v1.9 (utils/rollout/rolloututil.go, utils/conditions/conditions.go).
import type { LabelSelector, Rollout, RolloutStatus } from '@rollout-kit/api';
import {
  CONDITION_INVALID_SPEC,
  PHASE_DEGRADED,
  PHASE_HEALTHY,
  PHASE_PAUSED,
  PHASE_PROGRESSING,
  REASON_PROGRESS_DEADLINE_EXCEEDED,
  REASON_ROLLOUT_ABORTED,
  type RolloutPhase,
} from '@rollout-kit/api';

export interface PhaseAndMessage {
  phase: RolloutPhase;
  message: string;
}

const ANALYSIS_COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

function progressing(message: string): PhaseAndMessage {
  return { phase: PHASE_PROGRESSING, message };
}

/** Whether spec.restartAt has not been carried out yet (RFC 3339 strings compared as instants). */
function restartPending(spec: Rollout['spec'], status: RolloutStatus): boolean {
  if (spec.restartAt === undefined) return false;
  if (status.restartedAt === undefined) return true;
  return Date.parse(spec.restartAt) !== Date.parse(status.restartedAt);
}

/**
 * The phase and message the controller writes, from the spec and the status it is about to
 * write. First match wins; the conditions are scanned in list order, so whichever of an
 * InvalidSpec condition or an aborted/timed-out one comes first decides.
 */
export function calculatePhase(spec: Rollout['spec'], status: RolloutStatus): PhaseAndMessage {
  for (const c of status.conditions ?? []) {
    if (c.type === CONDITION_INVALID_SPEC)
      return { phase: PHASE_DEGRADED, message: `InvalidSpec: ${c.message}` };
    if (c.reason === REASON_ROLLOUT_ABORTED || c.reason === REASON_PROGRESS_DEADLINE_EXCEEDED) {
      return { phase: PHASE_DEGRADED, message: `${c.reason}: ${c.message}` };
    }
  }
  if (spec.paused) return { phase: PHASE_PAUSED, message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: PHASE_PAUSED, message: pause.reason };
  if (restartPending(spec, status)) return progressing('rollout is restarting');
  const updated = status.updatedReplicas ?? 0;
  if (updated < (spec.replicas ?? 1)) return progressing('more replicas need to be updated');
  if ((status.availableReplicas ?? 0) < updated)
    return progressing('updated replicas are still becoming available');
  const promoted = !!status.stableRS && status.stableRS === (status.currentPodHash ?? '');
  const blueGreen = spec.strategy?.blueGreen;
  if (blueGreen) {
    const active = status.blueGreen?.activeSelector ?? '';
    if (active === '' || active !== (status.currentPodHash ?? ''))
      return progressing('active service cutover pending');
    if (!promoted) {
      const run = status.blueGreen?.postPromotionAnalysisRunStatus;
      if (blueGreen.postPromotionAnalysis && !(run && ANALYSIS_COMPLETED.has(run.status))) {
        return progressing('waiting for analysis to complete');
      }
      return progressing('waiting for post-promotion verification to complete');
    }
  } else if (spec.strategy?.canary) {
    // Only the basic canary: with traffic routing (and blue-green) old pods may stay up on purpose.
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > updated) {
      return progressing('old replicas are pending termination');
    }
    if (!promoted) return progressing('waiting for all steps to complete');
  }
  return { phase: PHASE_HEALTHY, message: '' };
}

/** Go's strconv.Atoi for the observedGeneration check; undefined where Atoi fails. */
function atoi(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined;
}

/**
 * The phase clients show (the plugin's GetRolloutPhase): a spec change not yet observed, or a
 * resume not yet acted on, shows as Progressing; otherwise the stored phase and message, or
 * the controller's rules when no phase was written yet. A non-numeric observedGeneration (very
 * old controllers wrote a hash) or one greater than the generation counts as observed.
 */
export function clientPhase(rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>): PhaseAndMessage {
  const status = rollout.status ?? {};
  const observed = atoi(status.observedGeneration);
  if (observed !== undefined && observed < (rollout.metadata.generation ?? 0)) {
    return progressing('waiting for rollout spec update to be observed');
  }
  if (status.controllerPause && (status.pauseConditions ?? []).length === 0) {
    return progressing('waiting for rollout to unpause');
  }
  if (status.phase) return { phase: status.phase as RolloutPhase, message: status.message ?? '' };
  return calculatePhase(rollout.spec, status);
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A label selector as k8s FormatLabelSelector prints it, which is what a canary Rollout writes to
 * status.selector for the scale subresource (HPAs and `kubectl scale` read it): requirements
 * sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; "<none>" when it selects
 * everything or nothing, "<error>" for an unknown operator.
 */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort(byteOrder).join(',');
    const text: string | undefined = {
      In: `${e.key} in (${values})`,
      NotIn: `${e.key} notin (${values})`,
      Exists: e.key,
      DoesNotExist: `!${e.key}`,
    }[e.operator];
    if (text === undefined) return '<error>';
    requirements.push({ key: e.key, text });
  }
  // A stable sort by key, as Go's insertion sort for short lists.
  requirements.sort((a, b) => byteOrder(a.key, b.key));
  return requirements.length === 0 ? '<none>' : requirements.map((r) => r.text).join(',');
}
