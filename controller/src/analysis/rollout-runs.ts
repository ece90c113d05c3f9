// The AnalysisRuns a Rollout owns, as upstream's rollout controller sees them: which ones are
// current (named in the Rollout's status), when a new one is needed, how the Rollout reacts to a
// run's phase, the Events of a phase change, and which old runs the history limits delete. Pure
// and strategy-neutral: the canary plan uses it for step and background runs, and blue-green for
// its pre- and post-promotion runs.
import {
  ANALYSIS_PHASE_ERROR,
  ANALYSIS_PHASE_FAILED,
  ANALYSIS_PHASE_INCONCLUSIVE,
  ANALYSIS_PHASE_SUCCESSFUL,
  DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT,
  PAUSE_REASON_BLUE_GREEN_PAUSE,
  PAUSE_REASON_CANARY_PAUSE_STEP,
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  POD_TEMPLATE_HASH_LABEL,
  type AnalysisRun,
  type Rollout,
  type RolloutAnalysisRunStatus,
  type RolloutStatus,
} from '@rollout-kit/api';
import type { RolloutEvent } from '../rollout/events.ts';
import { isCompleted } from './metric-assessment.ts';
import type { RolloutRunType } from './rollout-run.ts';

export interface CurrentRuns {
  step?: AnalysisRun;
  background?: AnalysisRun;
  prePromotion?: AnalysisRun;
  postPromotion?: AnalysisRun;
}

/** The status fields that name the current runs, by run type. */
export function currentRunNames(
  status: RolloutStatus | undefined,
): Record<keyof CurrentRuns, string | undefined> {
  return {
    step: status?.canary?.currentStepAnalysisRunStatus?.name,
    background: status?.canary?.currentBackgroundAnalysisRunStatus?.name,
    prePromotion: status?.blueGreen?.prePromotionAnalysisRunStatus?.name,
    postPromotion: status?.blueGreen?.postPromotionAnalysisRunStatus?.name,
  };
}

/** The owned runs split into those the status names as current and the others. */
export function partitionRuns(
  runs: readonly AnalysisRun[],
  status: RolloutStatus | undefined,
): { current: CurrentRuns; others: AnalysisRun[] } {
  const names = currentRunNames(status);
  const current: CurrentRuns = {};
  const others: AnalysisRun[] = [];
  for (const run of runs) {
    const name = run.metadata.name;
    const slot = (Object.keys(names) as (keyof CurrentRuns)[]).find((k) => names[k] === name);
    if (slot && !current[slot]) current[slot] = run;
    else others.push(run);
  }
  return { current, others };
}

const hasPause = (status: RolloutStatus | undefined, reason: string) =>
  (status?.pauseConditions ?? []).some((c) => c.reason === reason);

/**
 * Whether a new run must replace `current` (upstream needsNewAnalysisRun): when there is none;
 * after a user resumed an Inconclusive pause (controllerPause left set with no pause step or
 * blue-green pause); or on the pass that retries an aborted Rollout (abortedAt still set).
 */
export function needsNewRun(current: AnalysisRun | undefined, status: RolloutStatus | undefined): boolean {
  if (!current) return true;
  if (
    status?.controllerPause &&
    !hasPause(status, PAUSE_REASON_CANARY_PAUSE_STEP) &&
    !hasPause(status, PAUSE_REASON_BLUE_GREEN_PAUSE)
  )
    return current.status?.phase === ANALYSIS_PHASE_INCONCLUSIVE;
  return status?.abortedAt !== undefined;
}

/** What a run's phase asks of the Rollout: pause for a human, abort with a reason, or nothing. */
export type RunReaction =
  { kind: 'none' } | { kind: 'pause'; reason: string } | { kind: 'abort'; message: string };

const ABORT_PREFIX: Record<RolloutRunType, string> = {
  Step: 'Step-based analysis phase error/failed',
  Background: 'Background analysis phase error/failed',
  PrePromotion: 'Blue/green pre-promotion analysis phase error/failed',
  PostPromotion: 'Blue/green post-promotion analysis phase error/failed',
};

/**
 * Failed or Error aborts, with upstream's reason plus the run's message (which says which metric,
 * value and condition decided); Inconclusive pauses. Example: a step run Failed with message
 * `Metric "m" assessed Failed due to failed (1) > failureLimit (0)` aborts with
 * `Step-based analysis phase error/failed: Metric "m" assessed Failed due to failed (1) > failureLimit (0)`.
 */
export function runReaction(run: AnalysisRun | undefined, type: RolloutRunType): RunReaction {
  const phase = run?.status?.phase;
  if (phase === ANALYSIS_PHASE_INCONCLUSIVE)
    return { kind: 'pause', reason: PAUSE_REASON_INCONCLUSIVE_ANALYSIS };
  if (phase === ANALYSIS_PHASE_FAILED || phase === ANALYSIS_PHASE_ERROR) {
    const why = run?.status?.message;
    return { kind: 'abort', message: why ? `${ABORT_PREFIX[type]}: ${why}` : ABORT_PREFIX[type] };
  }
  return { kind: 'none' };
}

/** A run as the Rollout's status records it: `{name, status: <phase or "">, message}`. */
export function runStatusOf(run: AnalysisRun): RolloutAnalysisRunStatus {
  const status: RolloutAnalysisRunStatus = { name: run.metadata.name ?? '', status: run.status?.phase ?? '' };
  if (run.status?.message) status.message = run.status.message;
  return status;
}

/** Runs to patch with `spec.terminate: true`: those not completed and not already terminating. */
export function runsToTerminate(runs: readonly (AnalysisRun | undefined)[]): AnalysisRun[] {
  return runs.filter(
    (r): r is AnalysisRun => r !== undefined && r.spec.terminate !== true && !isCompleted(r.status?.phase),
  );
}

/**
 * Upstream's Event when the current run of a type changed phase: reason `AnalysisRun<Phase>`,
 * message `<Type> Analysis Run '<name>' Status New: '<phase>' Previous: '<phase>'`. None for a run
 * without a phase yet, nor for a run that replaced the one the status named.
 */
export function runPhaseEvent(
  previous: RolloutAnalysisRunStatus | undefined,
  run: AnalysisRun | undefined,
  type: RolloutRunType,
): RolloutEvent | undefined {
  const phase = run?.status?.phase;
  if (!run || !phase) return undefined;
  if (previous && (previous.name !== run.metadata.name || previous.status === phase)) return undefined;
  const failed = phase === ANALYSIS_PHASE_FAILED || phase === ANALYSIS_PHASE_ERROR;
  return {
    type: failed ? 'Warning' : 'Normal',
    reason: `AnalysisRun${phase}`,
    message: `${type} Analysis Run '${run.metadata.name}' Status New: '${phase}' Previous: '${previous ? previous.status : 'NoPreviousStatus'}'`,
  };
}

const created = (run: AnalysisRun) => Date.parse(run.metadata.creationTimestamp ?? '') || 0;

/**
 * Newest first. creationTimestamp has whole seconds, and a retry often creates its run in the
 * second the last one failed; as upstream, the greater name is then the newer (a retry's run
 * takes the next `.N` suffix of the same base name).
 */
function newestFirst(a: AnalysisRun, b: AnalysisRun): number {
  const byTime = created(b) - created(a);
  if (byTime !== 0) return byTime;
  const an = a.metadata.name ?? '';
  const bn = b.metadata.name ?? '';
  return an < bn ? 1 : an > bn ? -1 : 0;
}

/**
 * Old runs to delete (upstream FilterAnalysisRunsToDelete): those of a revision whose ReplicaSet
 * is gone or being deleted (or with no hash label), and, newest first, the Successful ones beyond
 * `successfulRunHistoryLimit` and the Failed/Error/Inconclusive ones beyond
 * `unsuccessfulRunHistoryLimit` (5 and 5 by default). Runs still going are kept.
 */
export function runsToDelete(
  others: readonly AnalysisRun[],
  replicaSets: readonly { hash?: string; deleting: boolean }[],
  limits: Rollout['spec']['analysis'],
): AnalysisRun[] {
  const deletingByHash = new Map<string, boolean>();
  for (const rs of replicaSets) if (rs.hash) deletingByHash.set(rs.hash, rs.deleting);
  const limitSuccessful = limits?.successfulRunHistoryLimit ?? DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT;
  const limitUnsuccessful = limits?.unsuccessfulRunHistoryLimit ?? DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT;
  let successful = 0;
  let unsuccessful = 0;
  const out: AnalysisRun[] = [];
  for (const run of [...others].sort(newestFirst)) {
    if (run.metadata.deletionTimestamp) continue;
    const hash = run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (hash === undefined || !deletingByHash.has(hash) || deletingByHash.get(hash)) {
      out.push(run);
      continue;
    }
    const phase = run.status?.phase;
    if (phase === ANALYSIS_PHASE_SUCCESSFUL) {
      if (successful < limitSuccessful) successful++;
      else out.push(run);
    } else if (
      phase === ANALYSIS_PHASE_FAILED ||
      phase === ANALYSIS_PHASE_ERROR ||
      phase === ANALYSIS_PHASE_INCONCLUSIVE
    ) {
      if (unsuccessful < limitUnsuccessful) unsuccessful++;
      else out.push(run);
    }
  }
  return out;
}
