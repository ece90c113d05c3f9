// Scale-down delays of a traffic-routed canary (upstream rollout/replicaset.go and canary.go):
// after a promotion the previous stable ReplicaSet keeps its pods for scaleDownDelaySeconds
// (default 30) so that routers and clients that still send it traffic drain first; after an
// abort the canary keeps its pods until the stable ReplicaSet is fully available again, then
// for abortScaleDownDelaySeconds (default 30; 0 keeps it up). The wait is recorded on the
// ReplicaSet as the `scale-down-deadline` annotation (RFC 3339 UTC), so a restart loses nothing.
// Basic canaries have no delays; dynamicStableScale shrinks progressively instead.
import type { Rollout } from '@rollout-kit/api';
import { DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS, DEFAULT_SCALE_DOWN_DELAY_SECONDS } from '@rollout-kit/api';
import { specReplicas, type ReplicaSetCounts } from './replicas.ts';

/** A ReplicaSet as the delay logic reads it: counts and its scale-down-deadline, if any. */
export interface DelayedReplicaSet extends ReplicaSetCounts {
  deadline?: string;
}

export type DelayAction =
  | { kind: 'annotate'; name: string; deadline: string }
  | { kind: 'removeDeadline'; name: string }
  | { kind: 'scaleDown'; name: string; from: number };

export interface DelayPlan {
  /** The one change to make now, if any. */
  action?: DelayAction;
  /** ReplicaSets the ordinary scaling must leave alone (they wait on a deadline). */
  held: Set<string>;
  /** When the earliest future deadline passes (epoch ms). */
  recheckAt?: number;
}

export interface DelayInput {
  rollout: Pick<Rollout, 'spec' | 'status'>;
  newRS?: DelayedReplicaSet;
  stableRS?: DelayedReplicaSet;
  /** Every other owned ReplicaSet, newest revision first. */
  otherRSs: readonly DelayedReplicaSet[];
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The deadline as epoch ms; an unreadable one counts as passed (upstream scales it down). */
function deadlineMs(deadline: string): number {
  const t = Date.parse(deadline);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Whether an aborted canary waits before scaling down (upstream shouldDelayScaleDownOnAbort):
 * traffic routing, a separate stable RS, and not dynamicStableScale without an explicit delay.
 * Returns the delay in seconds (0 = never scale it down), or undefined when there is no delay.
 */
export function abortDelaySeconds(rollout: DelayInput['rollout']): number | undefined {
  const canary = rollout.spec.strategy?.canary;
  if (!rollout.status?.abort || !canary?.trafficRouting) return undefined;
  if (canary.dynamicStableScale && canary.abortScaleDownDelaySeconds === undefined) return undefined;
  return canary.abortScaleDownDelaySeconds ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS;
}

/** Waits on `rs`'s deadline: scale it down once passed, else hold it until then. */
function waitOn(
  rs: DelayedReplicaSet,
  deadline: string,
  plan: DelayPlan,
  now: number,
): DelayAction | undefined {
  const at = deadlineMs(deadline);
  if (at <= now) return { kind: 'scaleDown', name: rs.name, from: rs.specReplicas };
  plan.held.add(rs.name);
  plan.recheckAt = Math.min(plan.recheckAt ?? Infinity, at);
  return undefined;
}

/**
 * The delay bookkeeping for one pass, in upstream's order: stale deadlines on the new and
 * stable ReplicaSets removed; the aborted canary held, annotated, then scaled down; after a
 * promotion each older ReplicaSet still running annotated, held, then scaled down, keeping at
 * most scaleDownDelayRevisionLimit of them waiting.
 */
export function scaleDownDelayPlan(input: DelayInput): DelayPlan {
  const { rollout, newRS, stableRS, otherRSs, now } = input;
  const plan: DelayPlan = { held: new Set() };
  const canary = rollout.spec.strategy?.canary;
  if (!canary?.trafficRouting) return plan;
  const separateStable = stableRS && stableRS.name !== newRS?.name ? stableRS : undefined;
  const abortDelay = separateStable ? abortDelaySeconds(rollout) : undefined;

  if (separateStable?.deadline)
    return { ...plan, action: { kind: 'removeDeadline', name: separateStable.name } };
  if (newRS?.deadline && abortDelay === undefined)
    return { ...plan, action: { kind: 'removeDeadline', name: newRS.name } };

  if (newRS && separateStable && abortDelay !== undefined && newRS.specReplicas > 0) {
    if (abortDelay === 0) {
      plan.held.add(newRS.name); // the user asked to keep the aborted canary running
    } else if (newRS.deadline) {
      const action = waitOn(newRS, newRS.deadline, plan, now);
      if (action) return { ...plan, action };
    } else {
      plan.held.add(newRS.name);
      // The deadline starts only once the stable RS can take all the traffic back.
      if (separateStable.availableReplicas >= specReplicas(rollout)) {
        return {
          ...plan,
          action: { kind: 'annotate', name: newRS.name, deadline: iso(now + abortDelay * 1000) },
        };
      }
    }
  }

  const promoted =
    Boolean(rollout.status?.stableRS) && rollout.status?.stableRS === rollout.status?.currentPodHash;
  if (!promoted || canary.dynamicStableScale) return plan;
  const delay = canary.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const limit = canary.scaleDownDelayRevisionLimit;
  let waiting = 0;
  for (const rs of otherRSs) {
    if (rs.specReplicas === 0) continue;
    if (limit !== undefined && waiting >= limit)
      return { ...plan, action: { kind: 'scaleDown', name: rs.name, from: rs.specReplicas } };
    waiting++;
    if (!rs.deadline) {
      if (delay <= 0) return { ...plan, action: { kind: 'scaleDown', name: rs.name, from: rs.specReplicas } };
      plan.held.add(rs.name);
      return { ...plan, action: { kind: 'annotate', name: rs.name, deadline: iso(now + delay * 1000) } };
    }
    const action = waitOn(rs, rs.deadline, plan, now);
    if (action) return { ...plan, action };
  }
  return plan;
}
