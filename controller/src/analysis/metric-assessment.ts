// How one metric of an AnalysisRun stands after its measurements, as Argo Rollouts assesses it:
// counters kept per measurement, limits checked in a fixed order, and when the next measurement
// is due. Pure: the run reconciler supplies `now` and writes the results.
import type { Measurement, Metric, MetricResult } from '@rollout-kit/api';
import { parseGoDuration } from '../go-duration.ts';

export type MetricPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

const COMPLETED = new Set<string>(['Successful', 'Failed', 'Inconclusive', 'Error']);
export const isCompleted = (phase: string | undefined): boolean =>
  phase !== undefined && COMPLETED.has(phase);

/** After an Error measurement the next attempt comes this long after it finished, whatever `interval` says. */
export const ERROR_RETRY_MS = 10_000;

export class MetricSpecError extends Error {
  override name = 'MetricSpecError';
}

/** An IntOrString limit after argument substitution: an integer, or a string holding one. */
export function intField(
  metric: Metric,
  field: 'count' | 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'consecutiveSuccessLimit',
  fallback: number,
): number {
  const v = metric[field];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : /^[-+]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n))
    throw new MetricSpecError(`metric "${metric.name}": ${field} ${JSON.stringify(v)} is not an integer`);
  return n;
}

/** Milliseconds of a Go duration field, or undefined when unset; a bad duration is a spec error. */
export function durationField(metric: Metric, field: 'interval' | 'initialDelay'): number | undefined {
  const v = metric[field];
  if (v === undefined || v === '') return undefined;
  const nanos = parseGoDuration(v);
  if (nanos === undefined || nanos < 0)
    throw new MetricSpecError(
      `metric "${metric.name}": ${field} ${JSON.stringify(v)} is not a valid duration`,
    );
  return nanos / 1e6;
}

/**
 * How many measurements the metric takes: `count`, or 1 when neither count nor interval is
 * set; undefined (unbounded, until terminated or a limit trips) when only `interval` is set.
 */
export function effectiveCount(metric: Metric): number | undefined {
  const count = intField(metric, 'count', 0);
  if (count > 0) return count;
  return durationField(metric, 'interval') === undefined ? 1 : undefined;
}

/**
 * The result after one more measurement: Successful, Failed and Inconclusive count towards
 * `count` and reset consecutiveError; only Successful extends consecutiveSuccess; an Error
 * counts as error and consecutiveError and does not count towards `count`.
 */
export function withMeasurement(result: MetricResult, measurement: Measurement): MetricResult {
  const next: MetricResult = { ...result, measurements: [...(result.measurements ?? []), measurement] };
  const add = (
    k:
      | 'count'
      | 'successful'
      | 'failed'
      | 'inconclusive'
      | 'error'
      | 'consecutiveError'
      | 'consecutiveSuccess',
  ) => (next[k] = (next[k] ?? 0) + 1);
  switch (measurement.phase) {
    case 'Error':
      add('error');
      add('consecutiveError');
      next.consecutiveSuccess = 0;
      break;
    case 'Successful':
    case 'Failed':
    case 'Inconclusive':
      add('count');
      add(
        measurement.phase === 'Successful'
          ? 'successful'
          : measurement.phase === 'Failed'
            ? 'failed'
            : 'inconclusive',
      );
      next.consecutiveError = 0;
      if (measurement.phase === 'Successful') add('consecutiveSuccess');
      else next.consecutiveSuccess = 0;
      break;
    default:
      // A measurement still running changes no counter.
      break;
  }
  return next;
}

export interface Assessment {
  phase: MetricPhase;
  /** The limit that decided a completed phase, in upstream's words, e.g. `failed (1) > failureLimit (0)`. */
  reason?: string;
}

/** The metric's phase from its result, following upstream's order of checks (later ones win). */
export function assessMetric(
  metric: Metric,
  result: MetricResult | undefined,
  terminating: boolean,
): Assessment {
  if (result && isCompleted(result.phase)) return { phase: result.phase as MetricPhase };
  const measurements = result?.measurements ?? [];
  if (!result || measurements.length === 0) return { phase: terminating ? 'Successful' : 'Pending' };
  if (!isCompleted(measurements[measurements.length - 1]?.phase)) return { phase: 'Running' };

  const failureLimit = intField(metric, 'failureLimit', 0);
  const inconclusiveLimit = intField(metric, 'inconclusiveLimit', 0);
  const consecutiveErrorLimit = intField(metric, 'consecutiveErrorLimit', 4);
  const consecutiveSuccessLimit = intField(metric, 'consecutiveSuccessLimit', 0);
  const { failed = 0, inconclusive = 0, consecutiveError = 0, consecutiveSuccess = 0, count = 0 } = result;

  let verdict: Assessment | undefined;
  if (failureLimit >= 0 && failed > failureLimit) {
    verdict = { phase: 'Failed', reason: `failed (${failed}) > failureLimit (${failureLimit})` };
  }
  if (inconclusive > inconclusiveLimit) {
    verdict = {
      phase: 'Inconclusive',
      reason: `inconclusive (${inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
    };
  }
  if (consecutiveError > consecutiveErrorLimit) {
    verdict = {
      phase: 'Error',
      reason: `consecutiveErrors (${consecutiveError}) > consecutiveErrorLimit (${consecutiveErrorLimit})`,
    };
  }
  if (verdict) return verdict;
  if (consecutiveSuccessLimit > 0 && consecutiveSuccess >= consecutiveSuccessLimit) {
    return {
      phase: 'Successful',
      reason: `consecutiveSuccess (${consecutiveSuccess}) >= consecutiveSuccessLimit (${consecutiveSuccessLimit})`,
    };
  }
  const wanted = effectiveCount(metric);
  if (wanted !== undefined && count >= wanted) {
    if (consecutiveSuccessLimit > 0) {
      return metric.failureLimit === undefined || failureLimit >= 0
        ? {
            phase: 'Inconclusive',
            reason: `count (${count}) reached before consecutiveSuccessLimit (${consecutiveSuccessLimit})`,
          }
        : {
            phase: 'Failed',
            reason: `count (${count}) reached before consecutiveSuccessLimit (${consecutiveSuccessLimit})`,
          };
    }
    return { phase: 'Successful' };
  }
  return { phase: terminating ? 'Successful' : 'Running' };
}

/**
 * When the next measurement should start (ms since the epoch), or undefined when none is due
 * any more. The first waits `initialDelay` after the run started; after an Error the next
 * comes ERROR_RETRY_MS after it finished; otherwise `interval` after the last one finished.
 */
export function nextMeasurementAt(
  metric: Metric,
  result: MetricResult | undefined,
  runStartedAt: number,
): number | undefined {
  if (result && isCompleted(result.phase)) return undefined;
  const measurements = result?.measurements ?? [];
  const last = measurements[measurements.length - 1];
  if (!last) return runStartedAt + (durationField(metric, 'initialDelay') ?? 0);
  if (!isCompleted(last.phase)) return undefined; // still measuring: the provider says when to look again
  const finished = last.finishedAt ? Date.parse(last.finishedAt) : runStartedAt;
  if (last.phase === 'Error') return finished + ERROR_RETRY_MS;
  const wanted = effectiveCount(metric);
  if (wanted !== undefined && (result?.count ?? 0) >= wanted) return undefined;
  return finished + (durationField(metric, 'interval') ?? 0);
}
