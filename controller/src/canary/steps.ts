// Canary step progression: which step is current, the weight it asks for, pause durations, and
// the step strings used in events. Pure; the reconciler passes `now` where time matters.
import type { CanaryStep, IntOrString, Rollout } from '@rollout-kit/api';
import { parseGoDuration } from '../go-duration.ts';
import { ANALYSIS_PHASE_SUCCESSFUL, PAUSE_REASON_CANARY_PAUSE_STEP } from '@rollout-kit/api';

type RolloutLike = Pick<Rollout, 'spec' | 'status'>;

export function canarySteps(rollout: RolloutLike): readonly CanaryStep[] {
  return rollout.spec.strategy?.canary?.steps ?? [];
}

/**
 * The step at status.currentStepIndex (absent means 0). `step` is undefined when there are no
 * steps or every step has run; `index` is undefined only when there are no steps.
 */
export function currentStep(rollout: RolloutLike): { step?: CanaryStep; index?: number } {
  const steps = canarySteps(rollout);
  if (steps.length === 0) return {};
  const index = rollout.status?.currentStepIndex ?? 0;
  return { step: steps[index], index };
}

/**
 * The weight of the nearest setWeight at or before the current step; `maxWeight` once all steps
 * ran (or with none); 0 when aborted or before the first setWeight.
 * Example: steps [setWeight 20, pause, setWeight 50], index 1 → 20; index 3 → 100.
 */
export function currentSetWeight(rollout: RolloutLike, maxWeight = 100): number {
  if (rollout.status?.abort) return 0;
  const { step, index } = currentStep(rollout);
  if (!step || index === undefined) return maxWeight;
  const steps = canarySteps(rollout);
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

const INT32 = /^[-+]?[0-9]+$/;

/**
 * Seconds of a pause step's `duration`, as upstream's RolloutPause.DurationSeconds: an integer
 * (or a unit-less numeric string) is seconds; otherwise a Go duration truncated to whole seconds
 * ("1500ms" → 1); -1 when unparseable (validation reports it). Undefined duration: 0.
 */
export function pauseDurationSeconds(duration: IntOrString | undefined): number {
  if (duration === undefined) return 0;
  if (typeof duration === 'number') return duration;
  if (INT32.test(duration)) {
    const n = Number(duration);
    if (n >= -(2 ** 31) && n < 2 ** 31) return n === 0 ? 0 : n; // no -0 from "-0"
  }
  const nanos = parseGoDuration(duration);
  return nanos === undefined ? -1 : Math.trunc(nanos / 1e9);
}

/**
 * When a timed pause that started at `startTime` (RFC 3339) is over, in epoch milliseconds;
 * undefined for an indefinite pause (`pause: {}`) or a missing start time.
 */
export function pauseEndsAt(pause: CanaryStep['pause'], startTime: string | undefined): number | undefined {
  if (pause?.duration === undefined || startTime === undefined) return undefined;
  const start = Date.parse(startTime);
  if (Number.isNaN(start)) return undefined;
  return start + pauseDurationSeconds(pause.duration) * 1000;
}

/**
 * Whether a timed pause has elapsed at `now` (epoch ms): upstream completes it when
 * now > startTime + duration, strictly.
 */
export function pauseElapsed(
  pause: CanaryStep['pause'],
  startTime: string | undefined,
  now: number,
): boolean {
  const end = pauseEndsAt(pause, startTime);
  return end !== undefined && now > end;
}

/** The step as written in RolloutStepCompleted events: `setWeight: 20`, `pause: 30s`, … */
export function stepString(step: CanaryStep | undefined): string {
  if (!step) return 'invalid';
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined) {
    return step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`;
  }
  if (step.experiment !== undefined) return 'experiment';
  if (step.analysis !== undefined) return 'analysis';
  if (step.setCanaryScale !== undefined) {
    const scs = step.setCanaryScale;
    if (scs.weight !== undefined) return `setCanaryScale{weight: ${scs.weight}}`;
    if (scs.matchTrafficWeight) return 'setCanaryScale{matchTrafficWeight: true}';
    if (scs.replicas !== undefined) return `setCanaryScale{replicas: ${scs.replicas}}`;
  }
  if (step.plugin !== undefined) return `plugin: ${step.plugin.name}`;
  if (step.setHeaderRoute !== undefined) return `setHeaderRoute: ${step.setHeaderRoute.name ?? ''}`;
  if (step.setMirrorRoute !== undefined) return `setMirrorRoute: ${step.setMirrorRoute.name}`;
  return 'invalid';
}

/** The message of the RolloutStepCompleted event once the step before `newIndex` completed. */
export function stepCompletedMessage(steps: readonly CanaryStep[], newIndex: number): string {
  return `Rollout step ${newIndex}/${steps.length} completed (${stepString(steps[newIndex - 1])})`;
}

function canaryPauseCondition(rollout: RolloutLike) {
  return rollout.status?.pauseConditions?.find((c) => c.reason === PAUSE_REASON_CANARY_PAUSE_STEP);
}

/**
 * What the pause step at the current index needs (upstream reconcileCanaryPause): `add` when a
 * CanaryPauseStep condition must be added now (the controller has not paused yet; a resume leaves
 * controllerPause set with no condition, and must not pause again); `recheckAt` (epoch ms) when a
 * timed pause should be looked at again. `paused` says the step is a pause being held, so
 * nothing else advances this reconcile.
 */
export function canaryPausePlan(rollout: RolloutLike): { paused: boolean; add: boolean; recheckAt?: number } {
  if (rollout.spec.paused || rollout.status?.promoteFull) return { paused: false, add: false };
  const { step } = currentStep(rollout);
  if (!step?.pause) return { paused: false, add: false };
  const condition = canaryPauseCondition(rollout);
  if (!condition) return { paused: true, add: !rollout.status?.controllerPause };
  const recheckAt = pauseEndsAt(step.pause, condition.startTime);
  return recheckAt === undefined ? { paused: true, add: false } : { paused: true, add: false, recheckAt };
}

/** What completing the current step depends on, decided elsewhere (replica math, runs, plugins). */
export interface StepCompletionInput {
  rollout: RolloutLike;
  /** Epoch milliseconds. */
  now: number;
  /** atDesiredReplicaCounts for the current RSs (setWeight and setCanaryScale steps). */
  atDesiredReplicaCounts: boolean;
  /** status.canary.weights.verified as computed this reconcile; false holds a setWeight step. */
  weightsVerified?: boolean;
  /** Phase of the current step's AnalysisRun (analysis) or Experiment (experiment), if any. */
  stepRunPhase?: string;
  /** Whether the step plugin reports the step done. */
  pluginCompleted?: boolean;
}

/**
 * Whether the current canary step is done (upstream completedCurrentCanaryStep). Never while
 * spec.paused or once every step ran. A pause is done when the user resumed it (controllerPause
 * with no CanaryPauseStep condition) or its duration has passed since the condition's start.
 */
export function currentStepCompleted(input: StepCompletionInput): boolean {
  const { rollout } = input;
  if (rollout.spec.paused) return false;
  const { step } = currentStep(rollout);
  if (!step) return false;
  if (step.pause) {
    const condition = canaryPauseCondition(rollout);
    if (rollout.status?.controllerPause && !condition) return true;
    return step.pause.duration !== undefined && pauseElapsed(step.pause, condition?.startTime, input.now);
  }
  if (step.setCanaryScale) return input.atDesiredReplicaCounts;
  if (step.setWeight !== undefined) return input.atDesiredReplicaCounts && input.weightsVerified !== false;
  if (step.experiment || step.analysis) return input.stepRunPhase === ANALYSIS_PHASE_SUCCESSFUL;
  if (step.setHeaderRoute || step.setMirrorRoute) return true;
  if (step.plugin) return input.pluginCompleted === true;
  return false;
}
