// A canary's analysis for one reconcile (upstream reconcileAnalysisRuns for the canary strategy):
// whether the current `analysis` step and the background analysis need a new AnalysisRun, which
// runs are current, how the Rollout reacts to their phases (abort, pause for a human, or step
// completion), which runs end and which old ones go. Pure; the adapter creates, terminates and
// deletes what this decides, then asks `canaryAnalysisStatus` for the status fields and Events.
import {
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  STEP_INDEX_LABEL,
  type AnalysisRun,
  type Rollout,
  type RolloutAnalysis,
  type RolloutStatus,
} from '@rollout-kit/api';
import {
  needsNewRun,
  partitionRuns,
  runPhaseEvent,
  runReaction,
  runStatusOf,
  runsToDelete,
  runsToTerminate,
  type RunReaction,
} from '../analysis/rollout-runs.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { canarySteps } from './steps.ts';

export interface CanaryAnalysisInput {
  /** The Rollout with the status as read (before this pass decides anything). */
  rollout: Rollout;
  /** AnalysisRuns whose controller reference is this Rollout. */
  runs: readonly AnalysisRun[];
  /** Hash of the new ReplicaSet; undefined while it does not exist. */
  podHash?: string;
  /** Hash of the steps, to tell a step sequence that restarts this pass. */
  stepHash: string;
  /** Going back within spec.rollbackWindow: nothing is analysed. */
  rollbackWithinWindow?: boolean;
}

/** A run to create: the analysis it is made from, its type and (for a step) its index. */
export interface RunToCreate {
  type: 'Step' | 'Background';
  analysis: RolloutAnalysis;
  stepIndex?: number;
}

export interface CanaryAnalysisPlan {
  /** Runs kept as current (those to create are added by the adapter once created). */
  step?: AnalysisRun;
  background?: AnalysisRun;
  create: RunToCreate[];
  /** Every owned run not current: terminated unless created (or found again) as current. */
  others: AnalysisRun[];
  /** Current runs to end now (the step moved on, analysis removed, rollout aborted, …). */
  terminate: AnalysisRun[];
  /** False when analysis is skipped (aborted, promoted, first deploy): statuses kept, nothing deleted. */
  active: boolean;
  /** A new template or new steps: the status forgets the runs. */
  reset: boolean;
  /** What the Rollout does about the current runs' phases (an abort wins over a pause). */
  reaction: RunReaction;
  /** Phase of the current step's run when the step is an analysis (completes it when Successful). */
  stepRunPhase?: string;
}

const hasInconclusivePause = (status: RolloutStatus | undefined) =>
  (status?.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);

/** Decides the canary's analysis for this pass. */
export function canaryAnalysisPlan(input: CanaryAnalysisInput): CanaryAnalysisPlan {
  const { rollout, podHash } = input;
  const status = rollout.status;
  const { current, others } = partitionRuns(input.runs, status);
  const plan: CanaryAnalysisPlan = {
    create: [],
    others,
    terminate: [],
    active: false,
    reset: false,
    reaction: { kind: 'none' },
  };
  // A new pod template or new steps start over: the runs of the old sequence end.
  if (status?.currentPodHash !== podHash || status?.currentStepHash !== input.stepHash) {
    plan.reset = true;
    plan.terminate = runsToTerminate([current.step, current.background]);
    return plan;
  }
  plan.step = current.step;
  plan.background = current.background;
  if (!podHash || status?.abort || status?.promoteFull || !status?.stableRS || input.rollbackWithinWindow) {
    // Nothing is analysed now: every run ends, the statuses keep the last ones as they were.
    plan.terminate = runsToTerminate([current.step, current.background]);
    return plan;
  }
  plan.active = true;
  stepRun(plan, rollout, current.step);
  backgroundRun(plan, rollout, current.background);
  return plan;
}

/** The `analysis` step at the current index (upstream reconcileStepBasedAnalysisRun). */
function stepRun(plan: CanaryAnalysisPlan, rollout: Rollout, currentRun: AnalysisRun | undefined): void {
  const status = rollout.status;
  // Held by a pause (ours or a user's) or aborted: the run stays as it is.
  if ((status?.pauseConditions?.length ?? 0) > 0 || status?.abort) return;
  const index = status?.currentStepIndex ?? 0;
  const step = canarySteps(rollout)[index];
  const fromEarlierStep =
    currentRun !== undefined && currentRun.metadata.labels?.[STEP_INDEX_LABEL] !== String(index);
  if (!step?.analysis || fromEarlierStep) {
    plan.terminate.push(...runsToTerminate([currentRun]));
    plan.step = undefined;
    return;
  }
  if (needsNewRun(currentRun, status)) {
    plan.step = undefined;
    plan.create.push({ type: 'Step', analysis: step.analysis, stepIndex: index });
    return;
  }
  plan.stepRunPhase = currentRun?.status?.phase;
  react(plan, runReaction(currentRun, 'Step'));
}

/** The background analysis (upstream reconcileBackgroundAnalysisRun). */
function backgroundRun(
  plan: CanaryAnalysisPlan,
  rollout: Rollout,
  currentRun: AnalysisRun | undefined,
): void {
  const status = rollout.status;
  const background = rollout.spec.strategy?.canary?.analysis;
  const index = status?.currentStepIndex ?? 0;
  const steps = canarySteps(rollout);
  const beforeStart =
    background?.startingStep !== undefined && index < steps.length && index < background.startingStep;
  const fullyPromoted = status?.stableRS === status?.currentPodHash;
  if (!background?.templates?.length || fullyPromoted || beforeStart) {
    plan.terminate.push(...runsToTerminate([currentRun]));
    plan.background = undefined;
    return;
  }
  if (hasInconclusivePause(status)) return;
  if (needsNewRun(currentRun, status)) {
    plan.background = undefined;
    const { startingStep: _start, ...analysis } = background;
    plan.create.push({ type: 'Background', analysis });
    return;
  }
  react(plan, runReaction(currentRun, 'Background'));
}

function react(plan: CanaryAnalysisPlan, reaction: RunReaction): void {
  if (plan.reaction.kind === 'abort' || reaction.kind === 'none') return;
  plan.reaction = reaction;
}

/** Old runs to end and to delete, once the current ones (created this pass included) are known. */
export function otherRunsPlan(
  plan: Pick<CanaryAnalysisPlan, 'others' | 'active'>,
  currentNames: readonly string[],
  ctx: { replicaSets: readonly { hash?: string; deleting: boolean }[]; limits: Rollout['spec']['analysis'] },
): { terminate: AnalysisRun[]; delete: AnalysisRun[] } {
  const others = plan.others.filter((r) => !currentNames.includes(r.metadata.name ?? ''));
  return {
    terminate: runsToTerminate(others),
    delete: plan.active ? runsToDelete(others, ctx.replicaSets, ctx.limits) : [],
  };
}

/**
 * The analysis fields of status.canary after this pass and the Events of phase changes. A step
 * that completed this pass (index moved) or a restarted sequence drops the step run; a plan that
 * was not active keeps what the status had, with the phases refreshed.
 */
export function canaryAnalysisStatus(
  old: RolloutStatus | undefined,
  plan: Pick<CanaryAnalysisPlan, 'active' | 'reset'>,
  runs: { step?: AnalysisRun; background?: AnalysisRun; stepMovedOn: boolean },
): {
  canary: Pick<
    NonNullable<RolloutStatus['canary']>,
    'currentStepAnalysisRunStatus' | 'currentBackgroundAnalysisRunStatus'
  >;
  events: RolloutEvent[];
} {
  if (plan.reset) return { canary: {}, events: [] };
  const events: RolloutEvent[] = [];
  if (plan.active) {
    const stepEvent = runPhaseEvent(old?.canary?.currentStepAnalysisRunStatus, runs.step, 'Step');
    const backgroundEvent = runPhaseEvent(
      old?.canary?.currentBackgroundAnalysisRunStatus,
      runs.background,
      'Background',
    );
    if (stepEvent) events.push(stepEvent);
    if (backgroundEvent) events.push(backgroundEvent);
  }
  const canary: ReturnType<typeof canaryAnalysisStatus>['canary'] = {};
  if (runs.step && !runs.stepMovedOn) canary.currentStepAnalysisRunStatus = runStatusOf(runs.step);
  if (runs.background) canary.currentBackgroundAnalysisRunStatus = runStatusOf(runs.background);
  return { canary, events };
}
