// Which ReplicaSet a canary reconcile scales, and to what (upstream's reconcileCanaryReplicaSets
// without traffic-routing extras): stable first, then new, then the older ones within the
// availability budget. Only the first change is made per reconcile; the next pass, on fresh
// counts, continues, so every move is judged against what the cluster really did.
import type { Rollout } from '@rollout-kit/api';
import { PAUSE_REASON_INCONCLUSIVE_ANALYSIS, PAUSE_REASON_INCONCLUSIVE_EXPERIMENT } from '@rollout-kit/api';
import {
  basicCanaryCounts,
  maxUnavailable,
  specReplicas,
  trafficRoutedCounts,
  type CanaryCounts,
  type ReplicaSetCounts,
} from './replicas.ts';

export interface ScaleAction {
  name: string;
  from: number;
  to: number;
}

export interface ScalingInput {
  rollout: Rollout;
  newRS?: ReplicaSetCounts;
  stableRS?: ReplicaSetCounts;
  /** Every other owned ReplicaSet, newest revision first. */
  otherRSs: readonly ReplicaSetCounts[];
  /** ReplicaSets waiting on a scale-down deadline: left as they are. */
  held?: ReadonlySet<string>;
}

/** Whether scaling waits: spec.paused, or a pause for an inconclusive analysis or experiment. */
export function scalingHeld(rollout: Rollout): boolean {
  if (rollout.spec.paused) return true;
  return (rollout.status?.pauseConditions ?? []).some(
    (c) =>
      c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS || c.reason === PAUSE_REASON_INCONCLUSIVE_EXPERIMENT,
  );
}

/** The sizes the canary strategy wants for the new and stable ReplicaSets now. */
export function desiredCanaryCounts(input: ScalingInput): CanaryCounts {
  const { rollout, newRS, stableRS } = input;
  if (!stableRS || (newRS && stableRS.name === newRS.name))
    return { canary: specReplicas(rollout), stable: 0 };
  if (rollout.spec.strategy?.canary?.trafficRouting) {
    const weights = rollout.status?.canary?.weights;
    return trafficRoutedCounts(rollout, weights, { newRS, stableRS });
  }
  return basicCanaryCounts(input);
}

/**
 * The next scale action, or undefined when every ReplicaSet is where it should be (or scaling is
 * held). Older ReplicaSets first lose their unavailable pods, then shrink, newest first, by as
 * much as the availability budget Σ available − (R − maxUnavailable) allows.
 */
export function nextScaleAction(input: ScalingInput): ScaleAction | undefined {
  const { rollout, newRS, stableRS } = input;
  if (scalingHeld(rollout)) return undefined;
  const otherRSs = input.otherRSs.filter((rs) => !input.held?.has(rs.name));
  const desired = desiredCanaryCounts(input);
  const separateStable = stableRS && (!newRS || stableRS.name !== newRS.name) ? stableRS : undefined;
  if (separateStable && separateStable.specReplicas !== desired.stable) {
    return { name: separateStable.name, from: separateStable.specReplicas, to: desired.stable };
  }
  if (newRS && newRS.specReplicas !== desired.canary && !input.held?.has(newRS.name)) {
    return { name: newRS.name, from: newRS.specReplicas, to: desired.canary };
  }
  const live = otherRSs.filter((rs) => rs.specReplicas > 0);
  // Pods that are not available serve nobody: drop them first, whatever the budget.
  const unhealthy = live.find((rs) => rs.availableReplicas < rs.specReplicas);
  if (unhealthy)
    return { name: unhealthy.name, from: unhealthy.specReplicas, to: unhealthy.availableReplicas };
  const all = [newRS, separateStable, ...input.otherRSs].filter(
    (rs): rs is ReplicaSetCounts => rs !== undefined,
  );
  const available = all.reduce((sum, rs) => sum + rs.availableReplicas, 0);
  const budget = available - (specReplicas(rollout) - maxUnavailable(rollout));
  const first = live[0];
  if (!first || budget <= 0) return undefined;
  return { name: first.name, from: first.specReplicas, to: Math.max(0, first.specReplicas - budget) };
}
