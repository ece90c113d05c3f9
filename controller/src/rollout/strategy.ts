// The seam between the Rollout reconciler and a delivery strategy (canary, blue-green). One pass
// reads the cluster, hands the strategy what it read, and the strategy decides, in the order the
// pass acts on it: the status fields of its sequence (steps, pauses, promotion), which Services
// switch, which ReplicaSets' ephemeral metadata changes, which scale-down deadlines are added or
// removed, the one scale action of the pass, and finally the whole status. Everything shared
// (ownership, undo, creating the new ReplicaSet, restarts, workloadRef, writing status, events)
// stays in the reconciler. Pure: a strategy never does I/O.
import type { Rollout, RolloutAnalysisRunStatus, RolloutStatus } from '@rollout-kit/api';
import type { RunReaction } from '../analysis/rollout-runs.ts';
import type { ScaleAction } from '../canary/scaling.ts';
import type { ServiceSwitch, ServiceView } from '../canary/services.ts';
import type { TrafficInput } from '../canary/traffic-weight.ts';
import type { EphemeralSync } from './ephemeral-metadata.ts';
import type { RolloutEvent } from './events.ts';
import type { ReplicaSet } from './replica-set.ts';

/** What one reconcile pass read, as every strategy sees it. */
export interface PassInput {
  /** The Rollout (a workloadRef already resolved into its template). */
  rollout: Rollout;
  /** Hash of the new ReplicaSet (its label when it exists, else the computed hash). */
  currentPodHash: string;
  /** Every owned ReplicaSet, the new one included. */
  owned: readonly ReplicaSet[];
  newRS?: ReplicaSet;
  /** The RS whose hash is status.stableRS, when it still exists (may be the new RS itself). */
  stableRS?: ReplicaSet;
  /** Owned ReplicaSets other than the new and the stable one, newest revision first. */
  others: readonly ReplicaSet[];
  services: Readonly<Record<string, ServiceView>>;
  /** Revision of the new RS (or the one it will get), for messages. */
  revision: number;
  /** The InvalidSpec message: the strategy then changes nothing but the status. */
  invalidSpec?: string;
  /** What the Rollout's AnalysisRuns and Experiments decided this pass, when any. */
  analysis?: PassAnalysis;
  /** Going back to a ReplicaSet within spec.rollbackWindow: no steps, pauses or analysis. */
  rollbackWithinWindow?: boolean;
  now: number;
}

/**
 * The analysis side of a pass, decided before the strategy's sequence: the phase of the current
 * step's run or Experiment (completes it when Successful), what the runs ask of the Rollout
 * (abort with a reason, pause for a human), and how the status records the current runs.
 */
export interface PassAnalysis {
  stepRunPhase?: string;
  reaction: RunReaction;
  /**
   * Blue-green: the current pre- and post-promotion runs after this pass (created ones included),
   * which the sequence's analysis gates read instead of the stored status.
   */
  promotionRuns?: { prePromotion?: RolloutAnalysisRunStatus; postPromotion?: RolloutAnalysisRunStatus };
  /** The sequence's fields with the runs recorded in the status, and the Events of run changes. */
  record(fields: Partial<RolloutStatus>): { fields: Partial<RolloutStatus>; events: RolloutEvent[] };
}

/** A scale-down deadline to set on a ReplicaSet (RFC 3339 UTC) or to remove (null). */
export interface DeadlineChange {
  name: string;
  deadline: string | null;
}

/** A scale action; `clearDeadline` also removes the scale-down deadline in the same patch. */
export interface ReplicaSetScale extends ScaleAction {
  clearDeadline?: boolean;
}

export interface StatusResult {
  status: RolloutStatus;
  events: RolloutEvent[];
  /** When the Rollout should be looked at again for the status' sake (epoch ms). */
  recheckAt?: number;
}

/** One pass of a strategy: its decisions, asked for in the order the reconciler acts. */
export interface StrategyPass {
  /** The status fields the strategy's sequence decided (written by status()). */
  fields: Partial<RolloutStatus>;
  /** Events of the sequence (promotion, steps), recorded with the status. */
  events: RolloutEvent[];
  /** When a timed wait (pause, deadline) ends (epoch ms). */
  recheckAt?: number;
  serviceSwitches(): ServiceSwitch[];
  ephemeralSyncs(): EphemeralSync[];
  scaleDownDeadlines(): DeadlineChange[];
  /** The one scale of this pass, or undefined when every ReplicaSet is where it should be. */
  nextScaleAction(): ReplicaSetScale | undefined;
  /**
   * What the traffic routers need this pass (canary with trafficRouting only): the Rollout with
   * the status this pass decided, the counts and the hashes. Absent: no traffic routing.
   */
  traffic?(): TrafficInput;
  /** The new RS and the stable one as this pass decided them (for revision clean-up). */
  keep(): { newRS?: ReplicaSet; stableRS?: ReplicaSet };
  status(): StatusResult;
}

export interface RolloutStrategy {
  name: 'canary' | 'blueGreen';
  begin(input: PassInput): StrategyPass;
}
