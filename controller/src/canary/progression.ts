// Canary step progression (upstream's syncRolloutStatusCanary and the pause protocol): given
// what the controller observed, which step the Rollout is on, whether it pauses, is promoted,
// aborted or retried, and the events to record. Replica counts and conditions are decided
// elsewhere; this returns only the status fields it owns.
import type { PauseCondition, Rollout, RolloutStatus } from '@rollout-kit/api';
import { PAUSE_REASON_CANARY_PAUSE_STEP } from '@rollout-kit/api';
import type { RunReaction } from '../analysis/rollout-runs.ts';
import { events as rolloutEvents, type CompletedReason, type RolloutEvent } from '../rollout/events.ts';
import {
  atDesiredReplicaCounts,
  specReplicas,
  progressThresholdMet,
  type ReplicaSetCounts,
} from './replicas.ts';
import { canaryPausePlan, canarySteps, currentStepCompleted, pauseEndsAt, stepString } from './steps.ts';

/** The status fields progression decides. */
export type ProgressionFields = Pick<
  RolloutStatus,
  | 'currentPodHash'
  | 'currentStepHash'
  | 'currentStepIndex'
  | 'stableRS'
  | 'pauseConditions'
  | 'controllerPause'
  | 'abort'
  | 'abortedAt'
  | 'promoteFull'
  | 'canary'
>;

export interface ProgressionInput {
  rollout: Rollout;
  /** Hash of the new ReplicaSet (its label when it exists, else the computed hash). */
  currentPodHash: string;
  /** Hash of spec.strategy.canary.steps. */
  stepHash: string;
  newRS?: ReplicaSetCounts;
  /** The RS whose hash is status.stableRS, when it still exists (may be the new RS itself). */
  stableRS?: ReplicaSetCounts;
  otherRSs: readonly ReplicaSetCounts[];
  /** Revision of the new RS, for messages. */
  revision: number;
  /** Phase of the current step's AnalysisRun or Experiment, when the step is one. */
  stepRunPhase?: string;
  /** What the current AnalysisRuns ask of the Rollout: abort (with the reason) or pause for a human. */
  analysis?: RunReaction;
  /** Going back to a ReplicaSet within spec.rollbackWindow: every step is skipped. */
  rollbackWithinWindow?: boolean;
  now: number;
}

export interface Progression {
  fields: ProgressionFields;
  events: RolloutEvent[];
  /** Why the Rollout was promoted in this pass, when it was (upstream's RolloutCompleted reasons). */
  promotedBecause?: CompletedReason;
  /** When a timed pause ends and the Rollout should be looked at again (epoch ms). */
  recheckAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function withoutPause(
  conditions: PauseCondition[] | undefined,
  reason: string,
): PauseCondition[] | undefined {
  const left = (conditions ?? []).filter((c) => c.reason !== reason);
  // Never an empty list: Argo CD enables its resume action only when pauseConditions is absent.
  return left.length > 0 ? left : undefined;
}

/** Decides the canary's step, pause, abort and promotion fields for one reconcile. */
export function canaryProgression(input: ProgressionInput): Progression {
  const { rollout, currentPodHash, stepHash, now } = input;
  const steps = canarySteps(rollout);
  const old = rollout.status ?? {};
  const events: RolloutEvent[] = [];
  const fields: ProgressionFields = {
    currentPodHash,
    currentStepHash: stepHash,
    currentStepIndex: old.currentStepIndex,
    stableRS: old.stableRS,
    pauseConditions: old.pauseConditions,
    controllerPause: old.controllerPause,
    abort: old.abort,
    abortedAt: old.abortedAt,
    promoteFull: old.promoteFull,
    canary: old.canary,
  };
  const allDone = steps.length;
  const isStable = old.stableRS !== undefined && old.stableRS === currentPodHash;

  // A new template or new steps start the sequence again.
  if (old.currentPodHash !== currentPodHash || old.currentStepHash !== stepHash) {
    fields.currentStepIndex = steps.length > 0 ? (isStable ? allDone : 0) : undefined;
    fields.pauseConditions = undefined;
    fields.controllerPause = undefined;
    fields.abort = undefined;
    fields.abortedAt = undefined;
    fields.promoteFull = undefined;
    fields.canary = old.canary?.weights ? { weights: old.canary.weights } : undefined;
    if (isStable && steps.length > 0 && old.currentPodHash !== undefined) {
      events.push(rolloutEvents.skipSteps(false));
    } else if (input.rollbackWithinWindow && steps.length > 0 && (input.newRS?.specReplicas ?? 0) > 0) {
      // Back to a ReplicaSet that still runs pods, within the window: straight to the end.
      fields.currentStepIndex = allDone;
      events.push(rolloutEvents.skipSteps(true));
    }
    return { fields, events };
  }

  // Within the rollback window every pass skips what is left, as promoteFull does, and an abort
  // does not hold (upstream removes it).
  const windowed = input.rollbackWithinWindow === true && !isStable;
  if (windowed) {
    fields.pauseConditions = undefined;
    fields.controllerPause = undefined;
    fields.abort = undefined;
    if (steps.length > 0) fields.currentStepIndex = allDone;
  }

  // A Failed or Error analysis aborts as a user would (the reason goes into the condition).
  if (!windowed && (old.abort || input.analysis?.kind === 'abort')) {
    fields.abort = true;
    fields.abortedAt = old.abortedAt ?? iso(now);
    fields.pauseConditions = undefined;
    fields.controllerPause = undefined;
    if (steps.length > 0) fields.currentStepIndex = isStable ? allDone : 0;
    return { fields, events };
  }
  // Retry: abort was cleared by a user; forget when it happened.
  fields.abortedAt = undefined;

  if (old.promoteFull && !isStable) {
    fields.pauseConditions = undefined;
    fields.controllerPause = undefined;
    if (steps.length > 0) fields.currentStepIndex = allDone;
  }

  const reason = promotionReason(input, fields);
  if (reason) {
    const changed = fields.stableRS !== currentPodHash;
    fields.stableRS = currentPodHash;
    fields.pauseConditions = undefined;
    fields.controllerPause = undefined;
    fields.promoteFull = undefined;
    fields.currentStepIndex = steps.length > 0 ? allDone : undefined;
    if (changed) {
      events.push(rolloutEvents.completed(input.revision, currentPodHash, reason));
    }
    return { fields, events, promotedBecause: reason };
  }

  // An Inconclusive analysis or experiment pauses for a human (scaling waits meanwhile; the step
  // itself cannot complete, its run not being Successful).
  const pauseFor = input.analysis?.kind === 'pause' ? input.analysis.reason : undefined;
  if (pauseFor && !fields.pauseConditions?.some((c) => c.reason === pauseFor)) {
    fields.pauseConditions = [...(fields.pauseConditions ?? []), { reason: pauseFor, startTime: iso(now) }];
    fields.controllerPause = true;
  }

  const index = fields.currentStepIndex ?? 0;
  if (!steps[index] || rollout.spec.paused) return { fields, events };
  // The step rules read the status as this pass has decided it so far.
  const view: Rollout = { ...rollout, status: { ...old, ...fields } };
  const pause = canaryPausePlan(view);
  if (pause.add) {
    fields.pauseConditions = [
      ...(fields.pauseConditions ?? []),
      { reason: PAUSE_REASON_CANARY_PAUSE_STEP, startTime: iso(now) },
    ];
    fields.controllerPause = true;
    const ends = pauseEndsAt(steps[index]?.pause, iso(now));
    return { fields, events, ...(ends !== undefined ? { recheckAt: ends + 1_000 } : {}) };
  }
  const weights = old.canary?.weights;
  const completed = currentStepCompleted({
    rollout: view,
    now,
    atDesiredReplicaCounts: atDesiredReplicaCounts({
      rollout,
      newRS: input.newRS,
      stableRS: input.stableRS,
      otherRSs: input.otherRSs,
      weights,
    }),
    weightsVerified: weights?.verified,
    stepRunPhase: input.stepRunPhase,
  });
  if (!completed) {
    // A timed pause is looked at again just after it ends (upstream completes it strictly after).
    return {
      fields,
      events,
      ...(pause.recheckAt !== undefined ? { recheckAt: pause.recheckAt + 1_000 } : {}),
    };
  }

  fields.currentStepIndex = index + 1;
  fields.pauseConditions = withoutPause(fields.pauseConditions, PAUSE_REASON_CANARY_PAUSE_STEP);
  if (!fields.pauseConditions) fields.controllerPause = undefined;
  if (fields.canary?.currentStepAnalysisRunStatus) {
    const { currentStepAnalysisRunStatus: _done, ...rest } = fields.canary;
    fields.canary = Object.keys(rest).length > 0 ? rest : undefined;
  }
  events.push(rolloutEvents.stepCompleted(index + 1, steps.length, stepString(steps[index])));
  return { fields, events };
}

/** Upstream's promotion checks, in order; undefined when the Rollout is not promoted now. */
function promotionReason(input: ProgressionInput, fields: ProgressionFields): CompletedReason | undefined {
  const { rollout, newRS } = input;
  if (!fields.stableRS) return 'Initial deploy';
  if (fields.abort) return undefined;
  if (fields.stableRS === input.currentPodHash) return undefined;
  const r = specReplicas(rollout);
  if (!newRS || (newRS.availableReplicas < r && !progressThresholdMet(rollout, newRS, r))) return undefined;
  if (rollout.status?.promoteFull) return 'Full promotion requested';
  if (input.rollbackWithinWindow) return 'Rollback within window';
  const steps = canarySteps(rollout);
  if ((fields.currentStepIndex ?? 0) >= steps.length) return `Completed all ${steps.length} canary steps`;
  return undefined;
}
