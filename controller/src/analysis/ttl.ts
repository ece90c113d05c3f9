// When a completed AnalysisRun is deleted under its `spec.ttlStrategy`, as upstream: the
// success or failure setting for that outcome when given, else `secondsAfterCompletion`.
import type { AnalysisRun } from '@rollout-kit/api';
import { isCompleted } from './metric-assessment.ts';

/**
 * The time (ms since the epoch) at which the run should be deleted, or undefined when it is not
 * completed, has no `completedAt`, or no TTL applies. Successful uses `secondsAfterSuccess`;
 * Failed and Error use `secondsAfterFailure`; either falls back to `secondsAfterCompletion`
 * (the only one for Inconclusive).
 */
export function ttlDeleteAt(run: AnalysisRun): number | undefined {
  const ttl = run.spec.ttlStrategy;
  const phase = run.status?.phase;
  const completedAt = run.status?.completedAt ? Date.parse(run.status.completedAt) : NaN;
  if (!ttl || !isCompleted(phase) || Number.isNaN(completedAt)) return undefined;
  const specific =
    phase === 'Successful'
      ? ttl.secondsAfterSuccess
      : phase === 'Failed' || phase === 'Error'
        ? ttl.secondsAfterFailure
        : undefined;
  const seconds = specific ?? ttl.secondsAfterCompletion;
  return seconds === undefined || seconds < 0 ? undefined : completedAt + seconds * 1000;
}
