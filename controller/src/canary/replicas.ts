// Canary replica math, as Argo Rollouts v1.9 (utils/replicaset/canary.go): fence posts from
// maxSurge/maxUnavailable, the weight → (canary, stable) split, the bounded next step of a basic
// canary, traffic-routed counts, and the step-completion check. All counts are int32 in Go; the
// float divisions below are evaluated in the same order as upstream so doubles give equal results.
import type { IntOrString, Rollout, SetCanaryScale } from '@rollout-kit/api';
import { DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE } from '@rollout-kit/api';
import { currentSetWeight, currentStep, canarySteps } from './steps.ts';

type RolloutLike = Pick<Rollout, 'spec' | 'status'>;

/** What the replica math reads from a ReplicaSet. `name` identifies it (new vs stable). */
export interface ReplicaSetCounts {
  name: string;
  /** spec.replicas */
  specReplicas: number;
  /** status.replicas */
  replicas: number;
  /** status.availableReplicas */
  availableReplicas: number;
}

/** Replica counts for the new (canary) and stable ReplicaSets. */
export interface CanaryCounts {
  canary: number;
  stable: number;
}

export function specReplicas(rollout: RolloutLike): number {
  return rollout.spec.replicas ?? 1;
}

export function maxTrafficWeight(rollout: RolloutLike): number {
  return rollout.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;
}

export class InvalidIntOrPercentError extends Error {}

/**
 * An IntOrString as a count of `total`: an int is itself; any string is a percentage (every "%"
 * removed, so "25" means 25%), rounded up or down. Example: ("25%", 5, up) → ceil(1.25) = 2.
 */
export function intOrPercentCount(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const digits = value.replaceAll('%', '');
  if (!/^[-+]?[0-9]+$/.test(digits))
    throw new InvalidIntOrPercentError(`invalid value for IntOrString: ${value}`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * Resolved maxSurge (rounded up) and maxUnavailable (rounded down) for `replicas` pods; when
 * both come out 0, maxUnavailable becomes 1 so that the rollout can still move.
 */
export function resolveFenceposts(
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
  replicas: number,
): { surge: number; unavailable: number } {
  const surge = intOrPercentCount(maxSurge, replicas, true);
  const unavailable = intOrPercentCount(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) return { surge: 0, unavailable: 1 };
  return { surge, unavailable };
}

function canaryFenceposts(rollout: RolloutLike): { surge: number; unavailable: number } {
  const canary = rollout.spec.strategy?.canary;
  return resolveFenceposts(
    canary?.maxSurge ?? DEFAULT_MAX_SURGE,
    canary?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE,
    specReplicas(rollout),
  );
}

/** Pods allowed above R during an update: canary only (blue-green does not surge). */
export function maxSurge(rollout: RolloutLike): number {
  return rollout.spec.strategy?.canary ? canaryFenceposts(rollout).surge : 0;
}

/** Pods allowed below R: capped at R; blue-green rounds down with no forcing to 1. */
export function maxUnavailable(rollout: RolloutLike): number {
  const r = specReplicas(rollout);
  if (r === 0) return 0;
  const blueGreen = rollout.spec.strategy?.blueGreen;
  if (blueGreen && !rollout.spec.strategy?.canary) {
    return Math.min(intOrPercentCount(blueGreen.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, r, false), r);
  }
  return Math.min(canaryFenceposts(rollout).unavailable, r);
}

/**
 * The setCanaryScale in effect (traffic routing only): the nearest one at or before the current
 * step, unless that one is matchTrafficWeight. Ignored once aborted, unless
 * abortScaleDownDelaySeconds is explicitly 0 (the user asked to keep the canary up).
 */
export function setCanaryScaleInEffect(rollout: RolloutLike): SetCanaryScale | undefined {
  const canary = rollout.spec.strategy?.canary;
  if (!canary?.trafficRouting) return undefined;
  if (rollout.status?.abort && canary.abortScaleDownDelaySeconds !== 0) return undefined;
  const { step, index } = currentStep(rollout);
  if (!step || index === undefined) return undefined;
  const steps = canarySteps(rollout);
  for (let i = index; i >= 0; i--) {
    const scs = steps[i]?.setCanaryScale;
    if (!scs) continue;
    return scs.matchTrafficWeight ? undefined : scs;
  }
  return undefined;
}

/**
 * What the canary should get: an explicit replica count (setCanaryScale.replicas) or a weight.
 * Fully promoted, promoteFull and first deploy all mean the full weight. An aborted canary with
 * dynamicStableScale steps its weight down as the stable RS recovers (needs both RSs).
 */
export function canaryReplicasOrWeight(
  rollout: RolloutLike,
  replicaSets: { newRS?: ReplicaSetCounts; stableRS?: ReplicaSetCounts } = {},
): { replicas?: number; weight: number } {
  const status = rollout.status;
  const maxW = maxTrafficWeight(rollout);
  if (status?.promoteFull || !status?.stableRS || status.currentPodHash === status.stableRS) {
    return { weight: maxW };
  }
  const scs = setCanaryScaleInEffect(rollout);
  if (scs?.replicas !== undefined) return { replicas: scs.replicas, weight: 0 };
  if (scs?.weight !== undefined) return { weight: scs.weight };
  const { newRS, stableRS } = replicaSets;
  if (status.abort && rollout.spec.strategy?.canary?.dynamicStableScale && newRS && stableRS) {
    return { weight: abortStepDownWeight(rollout, newRS, stableRS) };
  }
  return { weight: currentSetWeight(rollout, maxW) };
}

/**
 * The (canary, stable) split that best approximates `weight` of `replicas` pods. The total is
 * R, or R+1 when surge is allowed and that comes closer. A weight strictly between 0 and
 * maxWeight never gives 0 canary pods when 2+ pods exist (surge included).
 * Example: R=5, w=30, surge 1 → 5·0.3 = 1.5 is a tie so (1,4) is skipped; (2,4) of 6 is
 * closest (33.3%) → canary 2, stable 4.
 */
export function approximateSplit(
  replicas: number,
  weight: number,
  surge: number,
  maxWeight = 100,
): CanaryCounts {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / maxWeight);
  const floor = Math.floor((replicas * weight) / maxWeight);
  const tied = (total: number) => {
    const x = total * (weight / maxWeight);
    return x - Math.trunc(x) === 0.5;
  };
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && surge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (surge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed))
      options.push({ canary: floor, total: replicas + 1 });
  }
  const delta = (o: { canary: number; total: number }) => Math.abs((o.canary * maxWeight) / o.total - weight);
  let best = options[0];
  if (!best) return { canary: 0, stable: replicas };
  for (const option of options.slice(1)) {
    if (delta(option) < delta(best)) best = option;
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/** Pods an RS contributes to availability when deciding how far to scale down. */
function countedForScaleDown(rs: ReplicaSetCounts | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  // Extra available pods above spec are going away anyway; never count them.
  if (rs.specReplicas < rs.availableReplicas) return rs.specReplicas;
  return ignoreAvailability ? rs.specReplicas : rs.availableReplicas;
}

/**
 * Keeps `keep` + `drain` within maxTotal pods and availability at or above minAvailable after
 * `drain` was scaled down: `keep` gives back what exceeds the total, regains what availability
 * needs, and `drain` absorbs what is then still over.
 */
function rebalance(
  drainRS: ReplicaSetCounts | undefined,
  keepRS: ReplicaSetCounts | undefined,
  counts: { drain: number; keep: number },
  limits: { maxTotal: number; minAvailable: number },
): { drain: number; keep: number } {
  let { drain, keep } = counts;
  let over = Math.max(0, keep + drain - limits.maxTotal);
  let available = drainRS ? Math.min(drainRS.availableReplicas, drain) : 0;
  if (keepRS) {
    keep -= over;
    available += Math.min(keepRS.availableReplicas, keep);
    const lost = Math.max(0, keepRS.availableReplicas - keep);
    const needed = Math.max(0, limits.minAvailable - available);
    keep += Math.min(lost, needed);
    over = Math.max(0, keep + drain - limits.maxTotal);
    drain -= over;
  }
  return { drain, keep };
}

export interface BasicCanaryInput {
  rollout: RolloutLike;
  newRS?: ReplicaSetCounts;
  /** The RS whose hash is status.stableRS; may be the new RS itself. */
  stableRS?: ReplicaSetCounts;
  /** Every other owned RS. */
  otherRSs: readonly ReplicaSetCounts[];
}

/**
 * The next sizes for the new and stable RS of a canary without traffic routing: a bounded move
 * toward the split of the current weight that never exceeds R + maxSurge pods nor drops below
 * R − maxUnavailable available pods. Stable scales up before new; older RSs drain first.
 * Example (R=5, defaults → surge 2, unavailable 1; setWeight 40 → split (2,3)): stable 5/5 and
 * new 0/0 → stable 4 (new would get 2, but the next reconcile does that).
 */
export function basicCanaryCounts({ rollout, newRS, stableRS, otherRSs }: BasicCanaryInput): CanaryCounts {
  const r = specReplicas(rollout);
  const { weight } = canaryReplicasOrWeight(rollout, { newRS, stableRS });
  const surge = maxSurge(rollout);
  let desired = approximateSplit(r, weight, surge);

  let canary = newRS?.specReplicas ?? 0;
  let stable = 0;
  const scaleStable = stableRS !== undefined && (newRS === undefined || newRS.name !== stableRS.name);
  if (scaleStable) stable = stableRS.specReplicas;
  else desired = { canary: r, stable: 0 }; // first deploy, or promoted: the new RS goes to R

  const maxTotal = r + surge;
  const counted = [...otherRSs, ...(newRS ? [newRS] : []), ...(scaleStable ? [stableRS] : [])];
  let room = maxTotal - counted.reduce((sum, rs) => sum + rs.specReplicas, 0);

  if (scaleStable && stableRS.specReplicas < desired.stable && room > 0) {
    stable = Math.min(desired.stable, stableRS.specReplicas + room);
    room -= stable - stableRS.specReplicas;
  }
  if (newRS && newRS.specReplicas < desired.canary && room > 0) {
    canary = Math.min(desired.canary, newRS.specReplicas + room);
  }
  if (otherRSs.reduce((sum, rs) => sum + rs.specReplicas, 0) > 0) return { canary, stable };

  const minAvailable = r - maxUnavailable(rollout);
  const increasing = newRS === undefined || desired.canary >= newRS.specReplicas;
  // [quirk] upstream counts stableRS here even when it is the new RS.
  const pool = countedForScaleDown(newRS, !increasing) + countedForScaleDown(stableRS, increasing);
  if (pool <= minAvailable) return { canary, stable };
  const excess = pool - minAvailable;
  const limits = { maxTotal, minAvailable };
  if (!increasing) {
    if (newRS && newRS.specReplicas > desired.canary)
      canary = Math.max(desired.canary, newRS.specReplicas - excess);
    const out = rebalance(newRS, stableRS, { drain: canary, keep: stable }, limits);
    return { canary: out.drain, stable: out.keep };
  }
  if (scaleStable) {
    if (stableRS.specReplicas > desired.stable)
      stable = Math.max(desired.stable, stableRS.specReplicas - excess);
    const out = rebalance(stableRS, newRS, { drain: stable, keep: canary }, limits);
    return { canary: out.keep, stable: out.drain };
  }
  return { canary, stable };
}

/** Pods for `weight` of `replicas`, rounded up: ceil(w·R / maxW). */
export function weightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

function withMinPods(rollout: RolloutLike, count: number): number {
  const min = rollout.spec.strategy?.canary?.minPodsPerReplicaSet;
  if (count === 0 || min === undefined || !rollout.spec.strategy?.canary?.trafficRouting) return count;
  return Math.max(count, min);
}

/**
 * Sizes with traffic routing: traffic protects users, so maxSurge/maxUnavailable do not apply and
 * stable stays at R unless dynamicStableScale. `weights` is status.canary.weights as persisted
 * (the stable RS shrinks only after traffic left it; an aborted canary only after traffic is back).
 */
export function trafficRoutedCounts(
  rollout: RolloutLike,
  weights?: { canary: { weight: number }; stable: { weight: number } },
  replicaSets: { newRS?: ReplicaSetCounts; stableRS?: ReplicaSetCounts } = {},
): CanaryCounts {
  const r = specReplicas(rollout);
  const maxW = maxTrafficWeight(rollout);
  const { replicas, weight } = canaryReplicasOrWeight(rollout, replicaSets);
  let canary = replicas ?? withMinPods(rollout, weightToReplicas(r, weight, maxW));
  if (!rollout.spec.strategy?.canary?.dynamicStableScale) return { canary, stable: r };
  let stable = weightToReplicas(r, maxW - weight, maxW);
  if (weights) {
    stable = Math.max(stable, weightToReplicas(r, weights.stable.weight, maxW));
    if (rollout.status?.abort) canary = Math.max(canary, weightToReplicas(r, weights.canary.weight, maxW));
  }
  return { canary: withMinPods(rollout, canary), stable: withMinPods(rollout, stable) };
}

/**
 * With dynamicStableScale, an aborted canary's weight steps back down through the setWeight
 * steps as the stable RS becomes available again: the last setWeight whose pods are fewer than
 * the canary pods still needed.
 */
export function abortStepDownWeight(
  rollout: RolloutLike,
  newRS: ReplicaSetCounts,
  stableRS: ReplicaSetCounts,
): number {
  const r = specReplicas(rollout);
  const maxW = maxTrafficWeight(rollout);
  const canaryPods = Math.max(r - stableRS.availableReplicas, newRS.availableReplicas);
  const steps = canarySteps(rollout);
  for (let i = steps.length - 1; i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (w !== undefined && weightToReplicas(r, w, maxW) < canaryPods) return w;
  }
  return 0;
}

/** The replicaProgressThreshold test (1.9): availability of `rs` against its desired size. */
export function progressThresholdMet(
  rollout: RolloutLike,
  rs: ReplicaSetCounts | undefined,
  desired: number,
): boolean {
  const t = rollout.spec.strategy?.canary?.replicaProgressThreshold;
  if (!t || !rs || t.value < 0) {
    return rs !== undefined && rs.specReplicas === desired && rs.availableReplicas === desired;
  }
  if (t.type === 'Percent') {
    if (desired === 0) return true;
    const pct = (rs.availableReplicas / desired) * 100;
    return pct >= t.value || Math.abs(pct - t.value) <= 1e-10;
  }
  return rs.availableReplicas >= t.value;
}

/**
 * Whether a setWeight/setCanaryScale step is done: the new RS at its target and available, the
 * stable RS at its target (count only, availability not checked), and — without traffic
 * routing — no other RS with available pods. With no stable RS this is false: the first
 * deploy is promoted as "Initial deploy" instead.
 */
export function atDesiredReplicaCounts(
  input: BasicCanaryInput & { weights?: { canary: { weight: number }; stable: { weight: number } } },
): boolean {
  const canaryStrategy = input.rollout.spec.strategy?.canary;
  const routed = canaryStrategy?.trafficRouting !== undefined;
  const desired = routed
    ? trafficRoutedCounts(input.rollout, input.weights, input)
    : basicCanaryCounts(input);
  if (!progressThresholdMet(input.rollout, input.newRS, desired.canary)) return false;
  if (!(routed && canaryStrategy?.dynamicStableScale)) {
    const stable = input.stableRS;
    if (!stable || stable.specReplicas !== desired.stable || stable.replicas !== desired.stable) return false;
  }
  if (!routed && input.otherRSs.some((rs) => rs.availableReplicas !== 0)) return false;
  return true;
}
