// What the AnalysisRun and Experiment side of a Rollout pass is given: the ReplicaSets the pass
// found and the revision, read once in reconcileRollout and shared by both strategies' runs.
import type { ReplicaSet } from '../rollout/replica-set.ts';

export interface RunContext {
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  /** Every ReplicaSet the Rollout owns. */
  owned: readonly ReplicaSet[];
  /** Revision of the new RS (or the one it will get). */
  revision: number;
  /** Going back within spec.rollbackWindow: nothing is analysed, no step Experiment runs. */
  rollbackWithinWindow?: boolean;
}

/** A canary's runs also know the steps' hash, to tell a sequence that restarts this pass. */
export interface CanaryRunContext extends RunContext {
  stepHash: string;
}
