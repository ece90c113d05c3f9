// Which blue-green ReplicaSet is scaled, and which scale-down deadlines are set or removed, in
// one reconcile (upstream reconcileBlueGreenReplicaSets with scaleDownOldReplicaSetsForBlueGreen
// and the abort delay of reconcileNewReplicaSet). The active RS runs at R; the new RS at its size
// (previewReplicaCount first); every other RS that still runs pods keeps them for
// scaleDownDelaySeconds after it stopped serving (at most scaleDownDelayRevisionLimit of them),
// then goes to 0. An aborted update keeps the new RS up until the stable RS is whole again, then
// for abortScaleDownDelaySeconds. One scale per pass: the next pass continues on fresh counts.
import type { Rollout } from '@rollout-kit/api';
import {
  DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS,
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
} from '@rollout-kit/api';
import { findByHash, hashOf, revisionOf, type ReplicaSet } from '../rollout/replica-set.ts';
import type { DeadlineChange, ReplicaSetScale } from '../rollout/strategy.ts';
import { gatePassed, type AnalysisGate } from './analysis-gate.ts';
import { deadlineOf, newReplicaSetSize, rfc3339, specReplicas } from './replicas.ts';

export interface ScalingInput {
  /** The Rollout with the status this pass decided. */
  rollout: Rollout;
  newRS?: ReplicaSet;
  owned: readonly ReplicaSet[];
  /** Hashes the active and preview Services select after this pass's switches. */
  activeHash?: string;
  previewHash?: string;
  /** The post-promotion gate of this pass (none when not configured or skipped). */
  postGate: AnalysisGate;
  now: number;
}

export interface ScalingPlan {
  deadlines: DeadlineChange[];
  scale?: ReplicaSetScale;
  /** The earliest future deadline (epoch ms), to look at the Rollout again then. */
  recheckAt?: number;
}

const specOf = (rs: ReplicaSet) => rs.spec?.replicas ?? 1;
const scaleTo = (rs: ReplicaSet, to: number, clearDeadline = false): ReplicaSetScale | undefined =>
  specOf(rs) === to
    ? undefined
    : { name: rs.metadata.name ?? '', from: specOf(rs), to, ...(clearDeadline ? { clearDeadline } : {}) };

/** Collects the plan: deadline changes in order, the first scale, the earliest future deadline. */
interface PlanBuilder {
  deadlines: DeadlineChange[];
  offer(scale: ReplicaSetScale | undefined): void;
  wake(at: number): void;
  done(): ScalingPlan;
}

function planBuilder(now: number): PlanBuilder {
  const deadlines: DeadlineChange[] = [];
  let scale: ReplicaSetScale | undefined;
  let recheckAt: number | undefined;
  return {
    deadlines,
    offer: (s) => {
      scale ??= s;
    },
    wake: (at) => {
      if (at > now) recheckAt = Math.min(recheckAt ?? at, at);
    },
    done: () => ({
      deadlines,
      ...(scale ? { scale } : {}),
      // Just after the deadline: upstream scales down only once it has passed.
      ...(recheckAt !== undefined ? { recheckAt: recheckAt + 100 } : {}),
    }),
  };
}

export function blueGreenScaling(input: ScalingInput): ScalingPlan {
  const { rollout, newRS, owned, now } = input;
  const status = rollout.status ?? {};
  const r = specReplicas(rollout);
  const plan = planBuilder(now);
  const stableRS = findByHash(owned, status.stableRS);
  const activeRS = findByHash(owned, input.activeHash);
  const aborted = status.abort === true;

  // Serving RSs never carry a deadline: one left from an earlier role (fast rollback) goes.
  for (const rs of new Set([activeRS, stableRS, aborted ? undefined : newRS])) {
    if (rs && deadlineOf(rs) !== undefined)
      plan.deadlines.push({ name: rs.metadata.name ?? '', deadline: null });
  }
  if (activeRS && activeRS !== newRS) plan.offer(scaleTo(activeRS, r));
  if (newRS) newReplicaSetPlan(input, { stableRS, plan });
  otherReplicaSetsPlan(input, { keep: [newRS, activeRS, stableRS], plan });
  return plan.done();
}

/** The new RS: its size, or on abort kept up until the stable RS is whole, then for the abort delay. */
function newReplicaSetPlan(input: ScalingInput, ctx: { stableRS?: ReplicaSet; plan: PlanBuilder }): void {
  const { rollout, newRS, now } = input;
  const { stableRS, plan } = ctx;
  if (!newRS) return;
  const r = specReplicas(rollout);
  const bg = rollout.spec.strategy?.blueGreen;
  if (rollout.status?.abort && stableRS && stableRS !== newRS) {
    const delay = bg?.abortScaleDownDelaySeconds ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS;
    if (delay === 0) return; // explicit 0: the user keeps the preview running
    const deadline = deadlineOf(newRS);
    if (deadline === undefined) {
      if ((stableRS.status?.availableReplicas ?? 0) >= r) {
        plan.deadlines.push({ name: newRS.metadata.name ?? '', deadline: rfc3339(now + delay * 1000) });
        plan.wake(now + delay * 1000);
      }
      return;
    }
    if (Number.isNaN(deadline) || now >= deadline) plan.offer(scaleTo(newRS, 0));
    else plan.wake(deadline);
    return;
  }
  plan.offer(scaleTo(newRS, newReplicaSetSize(rollout, newRS, input.activeHash)));
}

/**
 * Every RS that is neither new, active, stable nor previewed: kept for scaleDownDelaySeconds
 * after it stopped serving, newest revision first, at most scaleDownDelayRevisionLimit of them.
 * Nothing moves during an Inconclusive pause, nor while post-promotion analysis runs without an
 * explicit scaleDownDelaySeconds (the old RS is the way back until the run succeeds).
 */
function otherReplicaSetsPlan(
  input: ScalingInput,
  ctx: { keep: (ReplicaSet | undefined)[]; plan: PlanBuilder },
): void {
  const { rollout, owned, now } = input;
  const bg = rollout.spec.strategy?.blueGreen;
  const status = rollout.status ?? {};
  const inconclusive = (status.pauseConditions ?? []).some(
    (c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  );
  const awaitingPost =
    bg?.postPromotionAnalysis !== undefined &&
    bg.scaleDownDelaySeconds === undefined &&
    input.postGate.outcome !== 'none' &&
    !gatePassed(input.postGate);
  if (inconclusive || awaitingPost) return;
  const limit = bg?.scaleDownDelayRevisionLimit ?? Number.POSITIVE_INFINITY;
  const delay = bg?.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const referenced = new Set([input.activeHash, input.previewHash]);
  const others = owned
    .filter((rs) => !ctx.keep.includes(rs) && !referenced.has(hashOf(rs)) && specOf(rs) > 0)
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  let delayed = 0;
  for (const rs of others) {
    const deadline = deadlineOf(rs);
    if (deadline === undefined) {
      if (delay > 0 && delayed < limit) {
        delayed += 1;
        ctx.plan.deadlines.push({ name: rs.metadata.name ?? '', deadline: rfc3339(now + delay * 1000) });
        ctx.plan.wake(now + delay * 1000);
      } else {
        ctx.plan.offer(scaleTo(rs, 0));
      }
      continue;
    }
    delayed += 1;
    if (delayed > limit || Number.isNaN(deadline) || now >= deadline) ctx.plan.offer(scaleTo(rs, 0, true));
    else ctx.plan.wake(deadline);
  }
}
