// Which actions the tab offers in which state. Each maps onto one of Argo CD's built-in Rollout
// resource actions, and is offered only when Argo CD's own discovery.lua would enable it, so the
// button never promises something the server refuses.
import { asArray, asRecord, asString, isTrue } from './read.ts';
import { strategyOf } from './revisions.ts';
import type { Rollout } from './rollout.ts';
import { canarySteps } from './steps.ts';

/** Argo CD's built-in action names for argoproj.io/Rollout. */
export type ResourceAction =
  'resume' | 'skip-current-step' | 'promote-full' | 'abort' | 'retry' | 'pause' | 'restart';

export type ActionId = 'promote' | 'promote-full' | 'resume' | 'pause' | 'retry' | 'abort' | 'restart';

export interface ActionOption {
  id: ActionId;
  label: string;
  action: ResourceAction;
  /** Question to confirm before running, for actions that undo progress. */
  confirm?: string;
}

const STEP_PAUSES = new Set(['CanaryPauseStep', 'BlueGreenPause']);

/**
 * The actions valid now, in display order.
 * - Promote: at a step pause (canary pause step, blue-green pause) it runs `resume`, which the
 *   controller reads as "this step is done"; otherwise, for a canary with steps left, it runs
 *   `skip-current-step`, as `kubectl argo rollouts promote` does.
 * - Resume is for other pauses: a manual pause (`spec.paused`) or an inconclusive analysis.
 */
export function availableActions(rollout: Rollout): ActionOption[] {
  const status = asRecord(rollout.status);
  if (status === undefined) return [];
  // discovery.lua compares with nil semantics: both hashes absent counts as fully promoted.
  const promoted = asString(status.currentPodHash) === asString(status.stableRS);
  const aborted = isTrue(status.abort);
  const manuallyPaused = isTrue(rollout.spec?.paused);
  const reasons = asArray(status.pauseConditions).map((c) => asString(asRecord(c)?.reason) ?? '');
  const paused = Array.isArray(status.pauseConditions) ? reasons.length > 0 : manuallyPaused;
  const resuming = isTrue(status.controllerPause) && reasons.length === 0;
  const steps = canarySteps(rollout);
  const out: ActionOption[] = [];

  if (!promoted && !aborted) {
    if (paused && reasons.some((r) => STEP_PAUSES.has(r))) {
      out.push({ id: 'promote', label: 'Promote', action: 'resume' });
    } else if (
      strategyOf(rollout) === 'canary' &&
      steps.length > 0 &&
      status.currentStepIndex !== steps.length &&
      !resuming
    ) {
      out.push({ id: 'promote', label: 'Promote', action: 'skip-current-step' });
    }
  }
  if (!promoted) out.push({ id: 'promote-full', label: 'Promote full', action: 'promote-full' });
  if (paused && (manuallyPaused || reasons.some((r) => !STEP_PAUSES.has(r)))) {
    out.push({ id: 'resume', label: 'Resume', action: 'resume' });
  }
  if (!promoted && !aborted && !manuallyPaused) out.push({ id: 'pause', label: 'Pause', action: 'pause' });
  if (!promoted && aborted) out.push({ id: 'retry', label: 'Retry', action: 'retry' });
  if (!promoted && !aborted) {
    out.push({
      id: 'abort',
      label: 'Abort',
      action: 'abort',
      confirm: 'Abort this update? Traffic and replicas go back to the stable version.',
    });
  }
  out.push({ id: 'restart', label: 'Restart', action: 'restart' });
  return out;
}
