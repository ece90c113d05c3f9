// One pass of an AnalysisRun, decided: which metrics to measure now, and the run's next status
// from the measurements the providers returned. Pure: the reconciler supplies `now`, calls the
// providers and writes the status this returns.
import type { AnalysisRun, AnalysisRunStatus, Measurement, Metric, MetricResult } from '@rollout-kit/api';
import { measurementVerdict } from './condition.ts';
import {
  assessMetric,
  effectiveCount,
  durationField,
  intField,
  isCompleted,
  nextMeasurementAt,
  withMeasurement,
  type MetricPhase,
} from './metric-assessment.ts';
import { isDryRun, runSummary, runVerdict, type MetricState } from './run-phase.ts';

/** Measurements kept per metric unless `measurementRetention` says otherwise. */
export const DEFAULT_MEASUREMENT_RETENTION = 10;
/** How often a measurement still running (a Job) is looked at again, unless it says `resumeAt`. */
export const RUNNING_POLL_MS = 2_000;
/** The run message upstream writes when `spec.terminate` ends a run that nothing failed. */
export const RUN_TERMINATED_MESSAGE = 'Run Terminated';

/** What a provider answered for one measurement. */
export type ProviderOutcome =
  /** A value for the conditions to judge: `result` as conditions see it, `value` as stored. */
  | { kind: 'value'; result: unknown; value: string; metadata?: Record<string, string> }
  /** A phase decided by the provider itself (a Job), `Running` while it is not done. */
  | {
      kind: 'phase';
      phase: 'Running' | 'Successful' | 'Failed' | 'Inconclusive';
      message?: string;
      metadata?: Record<string, string>;
    }
  | { kind: 'error'; message: string; metadata?: Record<string, string> };

export type MetricAction = 'measure' | 'resume' | 'terminate';

const providerKeys = (metric: Metric) =>
  Object.entries(metric.provider ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k]) => k);

/**
 * The first problem in the run's (argument-substituted) metrics, in words for the run's
 * message, or undefined. `supported` lists the providers this controller implements.
 */
export function invalidMetrics(metrics: readonly Metric[], supported: readonly string[]): string | undefined {
  if (metrics.length === 0) return 'at least one metric is required';
  const seen = new Set<string>();
  for (const [i, metric] of metrics.entries()) {
    if (!metric.name) return `metrics[${i}]: name is required`;
    if (seen.has(metric.name)) return `metrics[${i}]: duplicate name "${metric.name}"`;
    seen.add(metric.name);
    const keys = providerKeys(metric);
    if (keys.length !== 1)
      return `metric "${metric.name}": exactly one provider is required, found ${keys.length === 0 ? 'none' : keys.join(', ')}`;
    const key = keys[0] ?? '';
    if (!supported.includes(key))
      return `metric "${metric.name}": provider "${key}" is not supported (supported: ${supported.join(', ')})`;
    try {
      const count = intField(metric, 'count', 0);
      durationField(metric, 'initialDelay');
      if (count < 0) return `metric "${metric.name}": count must be >= 0`;
      if (count > 1 && durationField(metric, 'interval') === undefined)
        return `metric "${metric.name}": interval must be specified when count > 1`;
      for (const f of ['failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit'] as const)
        intField(metric, f, 0);
      const successLimit = intField(metric, 'consecutiveSuccessLimit', 0);
      if (intField(metric, 'failureLimit', 0) < 0 && successLimit <= 0)
        return `metric "${metric.name}": failureLimit -1 requires consecutiveSuccessLimit`;
      effectiveCount(metric);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

const resultOf = (run: AnalysisRun, name: string): MetricResult | undefined =>
  run.status?.metricResults?.find((r) => r.name === name);
const lastOf = (result: MetricResult | undefined): Measurement | undefined =>
  result?.measurements?.[result.measurements.length - 1];
const startedAtOf = (run: AnalysisRun, now: number) =>
  run.status?.startedAt ? Date.parse(run.status.startedAt) : now;

/** Whether the run was terminating before this pass: asked to, or a counted metric already decided badly. */
function wasTerminating(run: AnalysisRun): boolean {
  if (run.spec.terminate === true) return true;
  return (run.status?.metricResults ?? []).some(
    (r) => !isDryRun(r.name, run.spec.dryRun) && ['Failed', 'Error', 'Inconclusive'].includes(r.phase),
  );
}

/**
 * What to do for each metric now: `measure` when its next measurement is due, `resume` when
 * a measurement is still running, `terminate` when the run is terminating and one still runs.
 * Completed metrics and metrics not yet due get no entry.
 */
export function metricActions(
  run: AnalysisRun,
  metrics: readonly Metric[],
  now: number,
): Map<string, MetricAction> {
  const actions = new Map<string, MetricAction>();
  const terminating = wasTerminating(run);
  const startedAt = startedAtOf(run, now);
  for (const metric of metrics) {
    const result = resultOf(run, metric.name);
    if (result && isCompleted(result.phase)) continue;
    const last = lastOf(result);
    if (last && !isCompleted(last.phase)) {
      const resumeAt = last.resumeAt ? Date.parse(last.resumeAt) : undefined;
      if (terminating) actions.set(metric.name, 'terminate');
      else if (resumeAt === undefined || resumeAt <= now) actions.set(metric.name, 'resume');
      continue;
    }
    if (terminating) continue;
    const due = nextMeasurementAt(metric, result, startedAt);
    if (due !== undefined && due <= now) actions.set(metric.name, 'measure');
  }
  return actions;
}

/**
 * The measurement a provider outcome makes. Values are judged by the metric's conditions; when
 * the verdict is not Successful its explanation (the values compared) is the message, so users
 * see why. Running measurements keep their start and get no `finishedAt`.
 */
export function measurementOf(
  metric: Metric,
  outcome: ProviderOutcome,
  times: { startedAt: string; finishedAt: string },
): Measurement {
  const base: Measurement = { phase: 'Running', startedAt: times.startedAt };
  if (outcome.metadata && Object.keys(outcome.metadata).length > 0) base.metadata = outcome.metadata;
  if (outcome.kind === 'error')
    return { ...base, phase: 'Error', message: outcome.message, finishedAt: times.finishedAt };
  if (outcome.kind === 'phase') {
    if (outcome.phase === 'Running') return outcome.message ? { ...base, message: outcome.message } : base;
    const m: Measurement = { ...base, phase: outcome.phase, finishedAt: times.finishedAt };
    return outcome.message ? { ...m, message: outcome.message } : m;
  }
  const verdict = measurementVerdict(metric, outcome.result);
  const m: Measurement = {
    ...base,
    value: outcome.value,
    finishedAt: times.finishedAt,
    phase: verdict.phase,
  };
  if (verdict.phase === 'Error') m.message = verdict.message;
  else if (verdict.phase !== 'Successful') m.message = whyNotSuccessful(metric, verdict);
  return m;
}

/** Which condition decided a Failed or Inconclusive measurement, with the values it compared. */
function whyNotSuccessful(metric: Metric, verdict: { phase: string; explanation: string }): string {
  const what =
    verdict.phase === 'Inconclusive'
      ? 'met neither successCondition nor failureCondition'
      : metric.failureCondition
        ? 'met failureCondition'
        : 'did not meet successCondition';
  return verdict.explanation ? `${what} (${verdict.explanation})` : what;
}

function retentionLimit(run: AnalysisRun, metricName: string): number {
  for (const r of run.spec.measurementRetention ?? []) {
    let matches: boolean;
    try {
      matches = new RegExp(r.metricName).test(metricName);
    } catch {
      matches = r.metricName === metricName;
    }
    if (matches) return r.limit;
  }
  return DEFAULT_MEASUREMENT_RETENTION;
}

/** A result with one measurement added, or replacing the last one when that one was still running. */
function recorded(result: MetricResult, measurement: Measurement): MetricResult {
  const measurements = result.measurements ?? [];
  const last = measurements[measurements.length - 1];
  const base =
    last && !isCompleted(last.phase) ? { ...result, measurements: measurements.slice(0, -1) } : result;
  return withMeasurement(base, measurement);
}

export interface RunStatusPlan {
  status: AnalysisRunStatus;
  /** When to look at the run again (ms since the epoch); undefined once it completed. */
  recheckAt?: number;
}

/**
 * The run's next status: `measured` (metric name → new or updated measurement) recorded,
 * counters kept, measurements trimmed to their retention, each metric assessed, the run's phase
 * and message from its non-dry-run metrics, summaries, `startedAt` and `completedAt`.
 */
export function nextRunStatus(
  run: AnalysisRun,
  metrics: readonly Metric[],
  measured: ReadonlyMap<string, Measurement>,
  now: number,
): RunStatusPlan {
  const startedAt = run.status?.startedAt ?? new Date(now).toISOString();
  const updated = metrics.map((metric) => {
    const dryRun = isDryRun(metric.name, run.spec.dryRun);
    let result: MetricResult = resultOf(run, metric.name) ?? { name: metric.name, phase: 'Pending' };
    const measurement = measured.get(metric.name);
    if (measurement) result = recorded(result, measurement);
    const limit = retentionLimit(run, metric.name);
    if (result.measurements && result.measurements.length > limit)
      result = { ...result, measurements: result.measurements.slice(-Math.max(limit, 1)) };
    if (dryRun) result = { ...result, dryRun: true };
    return { metric, result, dryRun };
  });

  const assessAll = (terminating: boolean) =>
    updated.map(({ metric, result, dryRun }) => {
      const assessment = assessMetric(metric, result, terminating);
      const last = lastOf(result);
      const state: MetricState = { name: metric.name, phase: assessment.phase, dryRun };
      if (assessment.reason) state.reason = assessment.reason;
      if (last?.message) state.lastMessage = last.message;
      return { state, lastValue: last?.value };
    });
  let assessed = assessAll(wasTerminating(run));
  let verdict = runVerdict(
    run.spec.terminate,
    assessed.map((a) => a.state),
  );
  if (verdict.terminating && !wasTerminating(run)) {
    // A metric decided the run badly in this pass: the others stop where they are, as upstream.
    assessed = assessAll(true);
    verdict = runVerdict(
      run.spec.terminate,
      assessed.map((a) => a.state),
    );
  }

  const metricResults = updated.map(({ result }, i) => {
    const state = assessed[i]?.state;
    const phase = state?.phase ?? result.phase;
    const next: MetricResult = { ...result, phase };
    if (isCompleted(phase) && phase !== 'Successful' && state?.reason) next.message = state.reason;
    return next;
  });
  const status: AnalysisRunStatus = {
    ...run.status,
    phase: verdict.phase === 'Pending' ? 'Running' : verdict.phase,
    startedAt,
    metricResults,
    runSummary: runSummary(metricResults, false),
    dryRunSummary: runSummary(metricResults, true),
  };
  delete status.message;
  const message = runMessage(verdict.phase, verdict.message, assessed, run.spec.terminate === true);
  if (message) status.message = message;
  if (isCompleted(status.phase)) {
    status.completedAt = run.status?.completedAt ?? new Date(now).toISOString();
    return { status };
  }
  return { status, recheckAt: recheckAt(run, metrics, metricResults, Date.parse(startedAt), now) };
}

/**
 * Upstream's message, plus, for a Failed or Inconclusive metric, the last value and the condition
 * that decided it: `Metric "m" assessed Failed due to failed (1) > failureLimit (0): [0.91] did
 * not meet successCondition (result[0] >= 0.95: result[0] = 0.91; false)`.
 */
function runMessage(
  phase: MetricPhase,
  upstream: string | undefined,
  assessed: readonly { state: MetricState; lastValue: string | undefined }[],
  terminate: boolean,
): string | undefined {
  if (phase === 'Successful' && terminate) return RUN_TERMINATED_MESSAGE;
  if (!upstream || (phase !== 'Failed' && phase !== 'Inconclusive')) return upstream;
  const decider = assessed.find((a) => !a.state.dryRun && a.state.phase === phase);
  if (!decider) return upstream;
  // runVerdict quotes the last message as an error's; here it says which condition decided.
  const base = upstream.replace(/: "Error Message: [\s\S]*"$/, '');
  const why = [decider.lastValue, decider.state.lastMessage].filter((p) => p !== undefined && p !== '');
  return why.length > 0 ? `${base}: ${why.join(' ')}` : base;
}

function recheckAt(
  run: AnalysisRun,
  metrics: readonly Metric[],
  results: readonly MetricResult[],
  startedAt: number,
  now: number,
): number | undefined {
  const times: number[] = [];
  for (const [i, metric] of metrics.entries()) {
    const result = results[i];
    if (!result || isCompleted(result.phase)) continue;
    const last = lastOf(result);
    if (last && !isCompleted(last.phase)) {
      times.push(last.resumeAt ? Date.parse(last.resumeAt) : now + RUNNING_POLL_MS);
      continue;
    }
    const due = nextMeasurementAt(metric, result, startedAt);
    if (due !== undefined) times.push(due);
  }
  if (run.spec.terminate === true) times.push(now);
  return times.length > 0 ? Math.max(now, Math.min(...times)) : undefined;
}

/** The status of a run that cannot be measured at all (invalid spec, unresolvable args). */
export function runErrorStatus(run: AnalysisRun, message: string, now: number): AnalysisRunStatus {
  const at = new Date(now).toISOString();
  return {
    ...run.status,
    phase: 'Error',
    message,
    startedAt: run.status?.startedAt ?? at,
    completedAt: at,
  };
}
