// A blue-green Rollout's pre- and post-promotion AnalysisRuns for one reconcile (upstream
// reconcileAnalysisRuns with reconcilePrePromotionAnalysisRun / reconcilePostPromotionAnalysisRun):
// which runs are current, when a new one is needed, which end, and how the status records them.
// Pure; the adapter creates, terminates and deletes what this decides. The Rollout's reaction to a
// run's outcome (abort, pause, promote) is the sequence's (progression.ts, through analysisGate).
import {
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  POD_TEMPLATE_HASH_LABEL,
  type AnalysisRun,
  type Rollout,
  type RolloutAnalysis,
  type RolloutStatus,
} from '@rollout-kit/api';
import {
  needsNewRun,
  partitionRuns,
  runPhaseEvent,
  runStatusOf,
  runsToTerminate,
} from '../analysis/rollout-runs.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';
import { deadlineOf, isSaturated } from './replicas.ts';

export interface BlueGreenAnalysisInput {
  /** The Rollout with the status as read (before this pass decides anything). */
  rollout: Rollout;
  /** AnalysisRuns whose controller reference is this Rollout. */
  runs: readonly AnalysisRun[];
  /** The ReplicaSet of the current template; undefined while it does not exist. */
  newRS?: ReplicaSet;
  /** Going back within spec.rollbackWindow: nothing is analysed. */
  rollbackWithinWindow?: boolean;
}

export interface BlueGreenRunToCreate {
  type: 'PrePromotion' | 'PostPromotion';
  analysis: RolloutAnalysis;
}

export interface BlueGreenAnalysisPlan {
  /** Runs kept as current (those to create are added by the adapter once created). */
  prePromotion?: AnalysisRun;
  postPromotion?: AnalysisRun;
  create: BlueGreenRunToCreate[];
  /** Every owned run not current: terminated unless created (or found again) as current. */
  others: AnalysisRun[];
  /** Current runs to end now (hook removed, not its time, rollout aborted, …). */
  terminate: AnalysisRun[];
  /** False when analysis is skipped (aborted, promoteFull, first deploy, fast rollback): nothing deleted. */
  active: boolean;
}

const hasInconclusivePause = (status: RolloutStatus | undefined) =>
  (status?.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);

/**
 * Pre-promotion waits (upstream skipPrePromotionAnalysisRun) while the new RS is already the
 * stable or the active one, nothing is active yet, or the new RS is not yet fully up at the size
 * it previews at (previewReplicaCount, else saturated at R).
 */
export function prePromotionWaits(rollout: Rollout, newRS: ReplicaSet | undefined): boolean {
  const hash = newRS ? hashOf(newRS) : undefined;
  const status = rollout.status;
  const active = status?.blueGreen?.activeSelector;
  if (!newRS || !hash || status?.stableRS === hash || !active || active === hash) return true;
  const preview = rollout.spec.strategy?.blueGreen?.previewReplicaCount;
  if (preview !== undefined)
    return (newRS.spec?.replicas ?? 1) !== preview || (newRS.status?.availableReplicas ?? 0) !== preview;
  return !isSaturated(rollout, newRS);
}

/**
 * Post-promotion waits (upstream skipPostPromotionAnalysisRun) until the status records the
 * active Service on the new RS, the new RS is saturated and it is not yet the stable one.
 */
export function postPromotionWaits(rollout: Rollout, newRS: ReplicaSet | undefined): boolean {
  const hash = newRS ? hashOf(newRS) : undefined;
  const status = rollout.status;
  return (
    !newRS ||
    !hash ||
    status?.stableRS === hash ||
    status?.blueGreen?.activeSelector !== hash ||
    !isSaturated(rollout, newRS)
  );
}

/** Decides the blue-green analysis for this pass. */
export function blueGreenAnalysisPlan(input: BlueGreenAnalysisInput): BlueGreenAnalysisPlan {
  const { rollout, newRS } = input;
  const status = rollout.status;
  const bg = rollout.spec.strategy?.blueGreen;
  const hash = newRS ? hashOf(newRS) : undefined;
  const { current, others } = partitionRuns(input.runs, status);
  // A run of another template is not current any more (a new template starts the sequence again),
  // nor is one of the attempt a retry starts over from (its failure would abort the retry at once).
  const retrying = status?.abortedAt !== undefined && !status.abort;
  const ofNewRS = (run: AnalysisRun | undefined) =>
    run && !retrying && hash !== undefined && run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash
      ? run
      : undefined;
  const plan: BlueGreenAnalysisPlan = { create: [], others: [...others], terminate: [], active: false };
  for (const run of [current.prePromotion, current.postPromotion, current.step, current.background])
    if (run && !ofNewRS(run)) plan.others.push(run);
  const pre = ofNewRS(current.prePromotion);
  const post = ofNewRS(current.postPromotion);
  if (pre) plan.prePromotion = pre;
  if (post) plan.postPromotion = post;

  const rollbackToScaleDownDelay = newRS !== undefined && deadlineOf(newRS) !== undefined;
  const skipped = status?.abort || status?.promoteFull || input.rollbackWithinWindow;
  if (!hash || skipped || !status?.stableRS || rollbackToScaleDownDelay) {
    // Nothing is analysed now: every run ends, the statuses keep the last ones as they were.
    plan.terminate = runsToTerminate([pre, post]);
    return plan;
  }
  plan.active = true;
  hook(plan, {
    type: 'PrePromotion',
    analysis: bg?.prePromotionAnalysis,
    run: pre,
    waits: prePromotionWaits(rollout, newRS),
    status,
  });
  hook(plan, {
    type: 'PostPromotion',
    analysis: bg?.postPromotionAnalysis,
    run: post,
    waits: postPromotionWaits(rollout, newRS),
    status,
  });
  return plan;
}

/** One hook: ended when removed or waiting, held while paused for Inconclusive, else created once. */
function hook(
  plan: BlueGreenAnalysisPlan,
  ctx: {
    type: BlueGreenRunToCreate['type'];
    analysis: RolloutAnalysis | undefined;
    run: AnalysisRun | undefined;
    waits: boolean;
    status: RolloutStatus | undefined;
  },
): void {
  const forget = () => {
    if (ctx.type === 'PrePromotion') delete plan.prePromotion;
    else delete plan.postPromotion;
  };
  if (!ctx.analysis) {
    plan.terminate.push(...runsToTerminate([ctx.run]));
    forget();
    return;
  }
  if (ctx.waits) {
    // Kept as the status names it (a finished pre-promotion run stays visible after the switch).
    plan.terminate.push(...runsToTerminate([ctx.run]));
    return;
  }
  if (hasInconclusivePause(ctx.status)) return;
  if (needsNewRun(ctx.run, ctx.status)) {
    forget();
    plan.create.push({ type: ctx.type, analysis: ctx.analysis });
  }
}

/**
 * status.blueGreen's run fields after this pass, and the Events of phase changes (upstream
 * reconcileAnalysisRunStatusChanges). A hook without a current run is cleared.
 */
export function blueGreenAnalysisStatus(
  old: RolloutStatus | undefined,
  runs: { prePromotion?: AnalysisRun; postPromotion?: AnalysisRun },
): {
  blueGreen: Pick<
    NonNullable<RolloutStatus['blueGreen']>,
    'prePromotionAnalysisRunStatus' | 'postPromotionAnalysisRunStatus'
  >;
  events: RolloutEvent[];
} {
  const events = [
    runPhaseEvent(old?.blueGreen?.postPromotionAnalysisRunStatus, runs.postPromotion, 'PostPromotion'),
    runPhaseEvent(old?.blueGreen?.prePromotionAnalysisRunStatus, runs.prePromotion, 'PrePromotion'),
  ].filter((e): e is RolloutEvent => e !== undefined);
  return {
    blueGreen: {
      prePromotionAnalysisRunStatus: runs.prePromotion ? runStatusOf(runs.prePromotion) : undefined,
      postPromotionAnalysisRunStatus: runs.postPromotion ? runStatusOf(runs.postPromotion) : undefined,
    },
    events,
  };
}
