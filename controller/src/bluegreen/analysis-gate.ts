// The pre- and post-promotion analysis hooks of the blue-green sequence, as pure inputs. A gate
// is what the sequence waits on; the AnalysisRuns behind it are created and read elsewhere (the
// analysis wiring). Until a run reports, a configured gate is pending and the sequence waits.
import type { RolloutAnalysisRunStatus } from '@rollout-kit/api';
import {
  ANALYSIS_PHASE_ERROR,
  ANALYSIS_PHASE_FAILED,
  ANALYSIS_PHASE_INCONCLUSIVE,
  ANALYSIS_PHASE_SUCCESSFUL,
} from '@rollout-kit/api';

export type GateOutcome = 'none' | 'pending' | 'successful' | 'failed' | 'inconclusive';

export interface AnalysisGate {
  outcome: GateOutcome;
  /** The run's message, used in the abort message when it failed. */
  message?: string;
}

export const NO_GATE: AnalysisGate = { outcome: 'none' };

/**
 * The gate of a hook: none when the hook is not configured, else the outcome of its run
 * (Error counts as failed, as upstream aborts on both); pending while there is no run or it is
 * still Pending/Running.
 */
export function analysisGate(configured: boolean, run: RolloutAnalysisRunStatus | undefined): AnalysisGate {
  if (!configured) return NO_GATE;
  if (!run) return { outcome: 'pending' };
  const message = run.message ? { message: run.message } : {};
  switch (run.status) {
    case ANALYSIS_PHASE_SUCCESSFUL:
      return { outcome: 'successful', ...message };
    case ANALYSIS_PHASE_FAILED:
    case ANALYSIS_PHASE_ERROR:
      return { outcome: 'failed', ...message };
    case ANALYSIS_PHASE_INCONCLUSIVE:
      return { outcome: 'inconclusive', ...message };
    default:
      return { outcome: 'pending' };
  }
}

/** Whether the gate lets the sequence go on. */
export const gatePassed = (gate: AnalysisGate): boolean =>
  gate.outcome === 'none' || gate.outcome === 'successful';

/** Upstream's abort reason for a failed hook, e.g. `Blue/green pre-promotion analysis phase error/failed: …`. */
export function gateAbortReason(hook: 'pre' | 'post', gate: AnalysisGate): string {
  const base = `Blue/green ${hook}-promotion analysis phase error/failed`;
  return gate.message ? `${base}: ${gate.message}` : base;
}
