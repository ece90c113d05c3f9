// spec.restartAt (upstream rollout/restart.go): pods created before restartAt are evicted a few
// at a time, never taking more than maxUnavailable (at least one) out of service, stable pods
// first, then the new RS's, then older ones; once none is left, status.restartedAt catches up.
// Pure: the reconciler lists the pods and sends the evictions.
import type { ObjectMeta } from '@rollout-kit/api';

/** The core/v1 Pod fields the restart reads. */
export interface Pod {
  metadata: ObjectMeta;
  status?: {
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/** Re-check while old pods remain, as upstream does. */
export const RESTART_RECHECK_MS = 30_000;

/** Ready, and Ready for at least minReadySeconds, at `now` (epoch ms). */
export function podAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

export type RestartPlan =
  /** Nothing to restart (no restartAt, or already carried out). */
  | { kind: 'none' }
  /** restartAt lies ahead: look again then (epoch ms). */
  | { kind: 'later'; at: number }
  /** Old pods remain: evict these now (maybe none, when the budget is used up), look again later. */
  | { kind: 'evict'; pods: string[]; recheckAfterMs: number }
  /** Every pod is newer than restartAt: status.restartedAt becomes restartAt. */
  | { kind: 'done'; restartedAt: string };

export interface RestartInput {
  restartAt?: string;
  restartedAt?: string;
  now: number;
  /** Pods of the Rollout's ReplicaSets. */
  pods: readonly Pod[];
  /** UIDs of the owned ReplicaSets in restart order: stable, new, then older by creation time. */
  replicaSetOrder: readonly string[];
  /** spec.replicas and the sum of the ReplicaSets' spec.replicas. */
  replicas: number;
  specReplicaSum: number;
  maxUnavailable: number;
  minReadySeconds: number;
}

const ownerUid = (pod: Pod) => pod.metadata.ownerReferences?.find((o) => o.controller)?.uid ?? '';

/**
 * The next restart action. Budget: available − (max(R, Σ RS spec) − max(maxUnavailable, 1)).
 * Example: 4 replicas all available, maxUnavailable 1 → one pod evicted per pass.
 */
export function restartPlan(input: RestartInput): RestartPlan {
  if (input.restartAt === undefined) return { kind: 'none' };
  const at = Date.parse(input.restartAt);
  if (Number.isNaN(at)) return { kind: 'none' };
  if (input.restartedAt !== undefined && Date.parse(input.restartedAt) === at) return { kind: 'none' };
  if (input.now <= at) return { kind: 'later', at: at + 1 };
  const rank = (pod: Pod) => {
    const i = input.replicaSetOrder.indexOf(ownerUid(pod));
    return i < 0 ? input.replicaSetOrder.length : i;
  };
  const pods = [...input.pods]
    .filter((p) => input.replicaSetOrder.includes(ownerUid(p)))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  const terminating = (p: Pod) => p.metadata.deletionTimestamp !== undefined;
  const available = pods.filter(
    (p) => !terminating(p) && podAvailable(p, input.minReadySeconds, input.now),
  ).length;
  const batch = Math.max(input.maxUnavailable, 1);
  let budget = available - (Math.max(input.replicas, input.specReplicaSum) - batch);
  let old = 0;
  const evict: string[] = [];
  for (const pod of pods) {
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    if (Number.isNaN(created) || created >= at) continue;
    old += 1;
    if (budget > 0 && !terminating(pod)) {
      evict.push(pod.metadata.name ?? '');
      budget -= 1;
    }
  }
  if (old > 0) return { kind: 'evict', pods: evict, recheckAfterMs: RESTART_RECHECK_MS };
  return { kind: 'done', restartedAt: input.restartAt };
}
