// The phase of an AnalysisRun from its metrics' phases, and its message and summaries, as Argo
// Rollouts computes them. Dry-run metrics are measured and summarised but never decide the run.
import type { DryRun, MetricResult, RunSummary } from '@rollout-kit/api';
import { isCompleted, type MetricPhase } from './metric-assessment.ts';

/** Worse phases later: a run takes the worst phase of its (non-dry-run) metrics. */
const ORDER: MetricPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];
const rank = (p: string) => ORDER.indexOf(p as MetricPhase);

/** Whether a metric is dry-run: `dryRun[].metricName` are unanchored regular expressions. */
export function isDryRun(metricName: string, dryRun: readonly DryRun[] | undefined): boolean {
  return (dryRun ?? []).some(({ metricName: pattern }) => {
    try {
      return new RegExp(pattern).test(metricName);
    } catch {
      return pattern === metricName;
    }
  });
}

export interface MetricState {
  name: string;
  phase: MetricPhase;
  dryRun: boolean;
  /** Upstream's limit text for a completed phase, e.g. `failed (2) > failureLimit (1)`. */
  reason?: string;
  /** The last measurement's message, if any (errors from providers). */
  lastMessage?: string;
}

export interface RunVerdict {
  phase: MetricPhase;
  /** True when the run must stop measuring: terminate was asked, or a metric already decided it badly. */
  terminating: boolean;
  message?: string;
}

/** Whether the run is terminating: `spec.terminate`, or any non-dry-run metric Failed, Error or Inconclusive. */
export function isTerminating(terminate: boolean | undefined, metrics: readonly MetricState[]): boolean {
  return (
    terminate === true ||
    metrics.some((m) => !m.dryRun && ['Failed', 'Error', 'Inconclusive'].includes(m.phase))
  );
}

/**
 * The run's phase: Running until every metric completed (a terminating run completes at once),
 * then the worst completed phase among non-dry-run metrics (Successful when there is none).
 * The message names the metric that decided it: `Metric "m" assessed Failed due to <reason>`.
 */
export function runVerdict(terminate: boolean | undefined, metrics: readonly MetricState[]): RunVerdict {
  const terminating = isTerminating(terminate, metrics);
  const counted = metrics.filter((m) => !m.dryRun);
  const allDone = metrics.every((m) => isCompleted(m.phase));
  if (!allDone && !terminating) return { phase: 'Running', terminating };
  let worst: MetricState | undefined;
  for (const m of counted) {
    if (!isCompleted(m.phase)) continue;
    if (!worst || rank(m.phase) > rank(worst.phase)) worst = m;
  }
  if (!worst || worst.phase === 'Successful') return { phase: 'Successful', terminating };
  let message = `Metric "${worst.name}" assessed ${worst.phase} due to ${worst.reason ?? worst.phase.toLowerCase()}`;
  if (worst.lastMessage) message += `: "Error Message: ${worst.lastMessage}"`;
  return { phase: worst.phase, terminating, message };
}

/** Totals over metric results, for `runSummary` (non-dry-run) or `dryRunSummary` (dry-run). */
export function runSummary(results: readonly MetricResult[], dryRun: boolean): RunSummary {
  const summary = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const r of results) {
    if ((r.dryRun === true) !== dryRun) continue;
    summary.count++;
    if (r.phase === 'Successful') summary.successful++;
    else if (r.phase === 'Failed') summary.failed++;
    else if (r.phase === 'Inconclusive') summary.inconclusive++;
    else if (r.phase === 'Error') summary.error++;
  }
  return summary;
}
