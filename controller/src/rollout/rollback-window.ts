// spec.rollbackWindow (upstream isRollbackWithinWindow): going back to a ReplicaSet created before
// the stable one, with fewer than `revisions` ReplicaSets created between the two, is a rollback
// within the window, and the update skips its steps, pauses and analysis. Experiment ReplicaSets
// are not revisions. creationTimestamp has whole seconds: ReplicaSets created in the same second
// are not before one another, so such a rollback is outside the window (as upstream).
import { EXPERIMENT_NAME_ANNOTATION, type Rollout } from '@rollout-kit/api';
import type { ReplicaSet } from './replica-set.ts';

const createdAt = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '');

export function rollbackWithinWindow(
  rollout: Pick<Rollout, 'spec'>,
  newRS: ReplicaSet | undefined,
  stableRS: ReplicaSet | undefined,
  owned: readonly ReplicaSet[],
): boolean {
  const revisions = rollout.spec.rollbackWindow?.revisions ?? 0;
  if (!newRS || !stableRS || revisions <= 0) return false;
  const newAt = createdAt(newRS);
  const stableAt = createdAt(stableRS);
  if (!(newAt < stableAt)) return false;
  const between = owned.filter((rs) => {
    if (rs.metadata.annotations?.[EXPERIMENT_NAME_ANNOTATION]) return false;
    const at = createdAt(rs);
    return newAt < at && at < stableAt;
  }).length;
  return between < revisions;
}
