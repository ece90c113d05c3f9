// The blue-green pause (upstream reconcileBlueGreenPause and the pause protocol): whether the
// Rollout pauses before the active Service switches, and when that pause is over — the user
// promoted (removed the condition, leaving controllerPause) or autoPromotionSeconds elapsed since
// the condition's startTime. With the defaults (autoPromotionEnabled true, no seconds) there is
// no pause at all.
import type { PauseCondition } from '@rollout-kit/api';
import { PAUSE_REASON_BLUE_GREEN_PAUSE } from '@rollout-kit/api';

export interface PauseInput {
  autoPromotionEnabled: boolean;
  /** 0 when unset. */
  autoPromotionSeconds: number;
  pauseConditions: readonly PauseCondition[] | undefined;
  controllerPause: boolean;
  /** spec.paused or an Inconclusive pause: nothing moves. */
  halted: boolean;
  aborted: boolean;
  /** The new RS runs at its size with every pod available. */
  readyForPause: boolean;
  /** No pause for this update: first deploy, already active, promoteFull, fast rollback. */
  fastTracked: boolean;
  /** The preview scale-up checkpoint was passed: the pause is behind us. */
  checkpoint: boolean;
  /** The pre-promotion gate let the sequence go on (the pause starts after it). */
  prePromotionPassed: boolean;
  now: number;
}

export type PauseState = 'waiting' | 'paused' | 'completed';

export interface PauseDecision {
  /** waiting: not at the pause yet; paused: holding; completed: the pause no longer holds. */
  state: PauseState;
  /** Add a BlueGreenPause condition now. */
  add?: boolean;
  /** Remove the BlueGreenPause condition (auto-promotion, or no longer needed). */
  remove?: boolean;
  /** When auto-promotion ends the pause (epoch ms). */
  recheckAt?: number;
}

const startOf = (c: PauseCondition) => Date.parse(c.startTime);

export function blueGreenPause(input: PauseInput): PauseDecision {
  if (input.aborted) return { state: 'waiting' };
  const cond = input.pauseConditions?.find((c) => c.reason === PAUSE_REASON_BLUE_GREEN_PAUSE);
  const timed = input.autoPromotionSeconds > 0;
  if (cond) {
    if (input.fastTracked) return { state: 'completed', remove: true };
    const ends = startOf(cond) + input.autoPromotionSeconds * 1000;
    // Upstream ends it strictly after startTime + autoPromotionSeconds.
    if (timed && input.now > ends) return { state: 'completed', remove: true };
    return { state: 'paused', ...(timed && !Number.isNaN(ends) ? { recheckAt: ends + 1_000 } : {}) };
  }
  // No condition but controllerPause still set: the user promoted (or Argo CD resumed).
  if (input.controllerPause) return { state: 'completed' };
  if (input.halted) return { state: 'waiting' };
  if (input.fastTracked || input.checkpoint) return { state: 'completed' };
  if (!input.readyForPause || !input.prePromotionPassed) return { state: 'waiting' };
  if (input.autoPromotionEnabled && !timed) return { state: 'completed' };
  return {
    state: 'paused',
    add: true,
    ...(timed ? { recheckAt: input.now + input.autoPromotionSeconds * 1000 + 1_000 } : {}),
  };
}
