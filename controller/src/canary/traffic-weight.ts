// What traffic a routed canary should get this pass (upstream's reconcileTrafficRouting, v1.9):
// the canary weight, which managed header/mirror routes should exist, whether anything may be
// written at all (the stable ReplicaSet must be able to carry the rest), and the
// status.canary.weights record. Pure; the routers turn this into object edits.
import type {
  Rollout,
  SetHeaderRoute,
  SetMirrorRoute,
  TrafficWeights,
  WeightDestination,
} from '@rollout-kit/api';
import { EVENT_TRAFFIC_WEIGHT_UPDATED } from '@rollout-kit/api';
import type { RolloutEvent } from '../rollout/events.ts';
import { atDesiredReplicaCounts, maxTrafficWeight, specReplicas, type ReplicaSetCounts } from './replicas.ts';
import { canarySteps, currentSetWeight } from './steps.ts';

type RolloutLike = Pick<Rollout, 'spec' | 'status'>;

/** The managed routes that should exist, by kind, in managedRoutes order. */
export interface ManagedRoutes {
  header: SetHeaderRoute[];
  mirror: SetMirrorRoute[];
}

/** Everything a router needs to bring its objects to the desired state. */
export interface DesiredTraffic {
  /** Canary weight, 0..maxWeight. */
  weight: number;
  maxWeight: number;
  /** Experiment template destinations (experiment-weights.ts), while they take traffic. */
  additional: WeightDestination[];
  routes: ManagedRoutes;
  canaryHash: string;
  stableHash: string;
}

export interface TrafficInput {
  /** The Rollout with the status fields this pass decided. */
  rollout: RolloutLike;
  newRS?: ReplicaSetCounts;
  stableRS?: ReplicaSetCounts;
  otherRSs: readonly ReplicaSetCounts[];
  canaryHash: string;
  stableHash: string;
  /** The running step Experiment's template destinations (experiment-weights.ts). */
  experimentDestinations?: readonly WeightDestination[];
}

export interface TrafficDecision {
  desired: DesiredTraffic;
  /**
   * False when the stable ReplicaSet could not carry maxWeight − weight of the traffic: nothing
   * is written this pass (upstream skips SetWeight then).
   */
  write: boolean;
}

const fullyPromoted = (r: RolloutLike) =>
  Boolean(r.status?.stableRS) && r.status?.stableRS === r.status?.currentPodHash;

/** Integer division toward zero, as Go's int32 `/`. */
const div = (a: number, b: number) => Math.trunc(a / b);

/**
 * The canary weight, first matching case of upstream's table:
 * promoted → 0 (dynamicStableScale steps it down while the stable RS recovers); aborted → 0
 * (dynamic: what the stable RS cannot yet carry, never rising); new RS missing or unavailable →
 * 0; promoteFull → the weight already written (dynamic: the canary's available share); the step
 * not yet at its replica counts → the previous setWeight (traffic never runs ahead of pods);
 * inside the steps → the current setWeight; past them → maxWeight; no steps → 0.
 */
export function desiredCanaryWeight(input: TrafficInput): number {
  const { rollout, newRS, stableRS } = input;
  const maxW = maxTrafficWeight(rollout);
  const r = specReplicas(rollout);
  const status = rollout.status ?? {};
  const dynamic = rollout.spec.strategy?.canary?.dynamicStableScale === true;
  const previous = status.canary?.weights?.canary;
  if (fullyPromoted(rollout)) {
    // Rolling back to stable with dynamicStableScale: traffic leaves the old canary only as fast
    // as the stable ReplicaSet becomes available again.
    if (dynamic && previous && previous.podTemplateHash !== input.canaryHash && stableRS && r > 0) {
      if (stableRS.availableReplicas < r) {
        return Math.min(previous.weight, maxW - div(maxW * stableRS.availableReplicas, r));
      }
    }
    return 0;
  }
  if (status.abort) {
    if (!dynamic || !stableRS || r === 0) return 0;
    const carried = maxW - div(maxW * stableRS.availableReplicas, r);
    return previous ? Math.min(carried, previous.weight) : carried;
  }
  if (!newRS || newRS.availableReplicas === 0) return 0;
  if (status.promoteFull) {
    if (dynamic && r > 0) return div(maxW * newRS.availableReplicas, r);
    return previous?.weight ?? 0;
  }
  const steps = canarySteps(rollout);
  if (steps.length === 0) return 0;
  const index = status.currentStepIndex ?? 0;
  if (!atDesiredReplicaCounts({ ...input, weights: undefined })) {
    for (let i = Math.min(index, steps.length) - 1; i >= 0; i--) {
      const w = steps[i]?.setWeight;
      if (w !== undefined) return w;
    }
    return 0;
  }
  if (index < steps.length) return currentSetWeight(rollout, maxW);
  return maxW;
}

/**
 * Whether the experiment destinations go to the router this pass: in upstream's table only
 * while the new ReplicaSet has no available pod yet, or inside the steps at the step's replica
 * counts — never once promoted, aborted or fully promoting, nor while the canary catches up.
 */
export function experimentTrafficApplies(input: TrafficInput): boolean {
  const { rollout, newRS } = input;
  const status = rollout.status ?? {};
  if (fullyPromoted(rollout) || status.abort) return false;
  if (!newRS || newRS.availableReplicas === 0) return true;
  if (status.promoteFull) return false;
  const steps = canarySteps(rollout);
  const index = status.currentStepIndex ?? 0;
  return index < steps.length && atDesiredReplicaCounts({ ...input, weights: undefined });
}

/**
 * The managed routes in effect at the current step: every setHeaderRoute / setMirrorRoute step
 * up to and including it, the later one of a name winning, one without `match` removing it.
 * None once promoted, aborted or fully promoting: upstream removes managed routes then.
 * Ordered as trafficRouting.managedRoutes lists them (that order is their precedence).
 */
export function activeManagedRoutes(rollout: RolloutLike): ManagedRoutes {
  const status = rollout.status ?? {};
  if (fullyPromoted(rollout) || status.abort || status.promoteFull) return { header: [], mirror: [] };
  const steps = canarySteps(rollout);
  const last = Math.min(status.currentStepIndex ?? 0, steps.length - 1);
  const byName = new Map<string, { header?: SetHeaderRoute; mirror?: SetMirrorRoute }>();
  for (let i = 0; i <= last; i++) {
    const step = steps[i];
    const header = step?.setHeaderRoute;
    const mirror = step?.setMirrorRoute;
    if (header?.name !== undefined) byName.set(header.name, header.match ? { header } : {});
    if (mirror) byName.set(mirror.name, mirror.match ? { mirror } : {});
  }
  const order = (rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((m) => m.name);
  const routes: ManagedRoutes = { header: [], mirror: [] };
  for (const name of order) {
    const active = byName.get(name);
    if (active?.header) routes.header.push(active.header);
    if (active?.mirror) routes.mirror.push(active.mirror);
  }
  return routes;
}

/** The weights to write this pass, and whether the stable ReplicaSet allows writing them. */
export function trafficDecision(input: TrafficInput): TrafficDecision {
  const { rollout, stableRS } = input;
  const maxW = maxTrafficWeight(rollout);
  const r = specReplicas(rollout);
  const weight = desiredCanaryWeight(input);
  const needed = Math.floor(((maxW - weight) * r) / maxW);
  const write = stableRS !== undefined && stableRS.availableReplicas >= needed;
  return {
    desired: {
      weight,
      maxWeight: maxW,
      additional: experimentTrafficApplies(input) ? [...(input.experimentDestinations ?? [])] : [],
      routes: activeManagedRoutes(rollout),
      canaryHash: input.canaryHash,
      stableHash: input.stableHash,
    },
    write,
  };
}

function destination(weight: number, serviceName?: string, podTemplateHash?: string): WeightDestination {
  return {
    weight,
    ...(serviceName ? { serviceName } : {}),
    ...(podTemplateHash ? { podTemplateHash } : {}),
  };
}

/**
 * status.canary.weights after writing `desired`: the canary weight with its Service and hash,
 * the stable one with what is left (maxWeight − canary − additional), `additional` when any,
 * and `verified` as the router reported it (undefined when it cannot verify).
 */
export function weightsStatus(
  rollout: RolloutLike,
  desired: DesiredTraffic,
  verified?: boolean,
): TrafficWeights {
  const canary = rollout.spec.strategy?.canary;
  const extra = desired.additional.reduce((sum, d) => sum + d.weight, 0);
  return {
    canary: destination(desired.weight, canary?.canaryService, desired.canaryHash),
    stable: destination(
      desired.maxWeight - desired.weight - extra,
      canary?.stableService,
      desired.stableHash,
    ),
    ...(desired.additional.length > 0 ? { additional: desired.additional } : {}),
    ...(verified !== undefined ? { verified } : {}),
  };
}

const sameDestination = (a?: WeightDestination, b?: WeightDestination) =>
  a?.weight === b?.weight && a?.serviceName === b?.serviceName && a?.podTemplateHash === b?.podTemplateHash;

/** Whether the recorded weights changed (verified aside), which is when the event is recorded. */
export function weightsChanged(before: TrafficWeights | undefined, after: TrafficWeights): boolean {
  if (!before) return true;
  return (
    !sameDestination(before.canary, after.canary) ||
    !sameDestination(before.stable, after.stable) ||
    JSON.stringify(before.additional ?? []) !== JSON.stringify(after.additional ?? [])
  );
}

/** TrafficWeightUpdated: `Traffic weight updated to 20` / `… from 20 to 40`. */
export function trafficWeightUpdated(
  before: TrafficWeights | undefined,
  after: TrafficWeights,
): RolloutEvent {
  const details: string[] = [];
  if (!before) details.push(`to ${after.canary.weight}`);
  else if (before.canary.weight !== after.canary.weight)
    details.push(`from ${before.canary.weight} to ${after.canary.weight}`);
  if (before && JSON.stringify(before.additional ?? []) !== JSON.stringify(after.additional ?? [])) {
    details.push(`additional: ${JSON.stringify(after.additional ?? [])}`);
  }
  return {
    type: 'Normal',
    reason: EVENT_TRAFFIC_WEIGHT_UPDATED,
    message: `Traffic weight updated ${details.join(', ')}`,
  };
}
