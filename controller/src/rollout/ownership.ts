// Which ReplicaSets a Rollout owns, adopts, releases, re-uses and deletes: the controller-ref
// manager pattern of Kubernetes controllers, plus upstream's revision and history rules. Pure:
// the reconciler patches and deletes what these functions list.
import type { Rollout } from '@rollout-kit/api';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '@rollout-kit/api';
import { hashOf, isControlledBy, revisionOf, type ReplicaSet } from './replica-set.ts';
import { selectorMatches } from './validate.ts';

/** Upstream's default for `spec.revisionHistoryLimit`. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export interface Claim {
  /** ReplicaSets this Rollout controls and whose labels still match its selector. */
  owned: ReplicaSet[];
  /** Orphans (no controller reference) with the hash label whose labels match the selector. */
  adopt: ReplicaSet[];
  /** ReplicaSets this Rollout controls whose labels no longer match: the controller reference goes. */
  release: ReplicaSet[];
}

const hasController = (rs: ReplicaSet) => (rs.metadata.ownerReferences ?? []).some((o) => o.controller);

/**
 * Sorts the ReplicaSets of the Rollout's namespace (those carrying the hash label) into owned,
 * to adopt and to release. ReplicaSets controlled by anything else are ignored. A Rollout being
 * deleted adopts nothing, and a malformed selector matches nothing (nothing is adopted or released
 * on a selector we cannot read; validation reports it).
 */
export function claimReplicaSets(
  rollout: Pick<Rollout, 'metadata' | 'spec'>,
  replicaSets: readonly ReplicaSet[],
): Claim {
  const claim: Claim = { owned: [], adopt: [], release: [] };
  const selector = rollout.spec.selector;
  for (const rs of replicaSets) {
    if (hashOf(rs) === undefined || rs.metadata.namespace !== rollout.metadata.namespace) continue;
    const labels = rs.metadata.labels ?? {};
    const matches = selector ? selectorMatches(selector, labels) : undefined;
    if (isControlledBy(rs, rollout)) {
      if (matches === false && !rs.metadata.deletionTimestamp) claim.release.push(rs);
      else claim.owned.push(rs);
    } else if (
      matches === true &&
      !hasController(rs) &&
      !rs.metadata.deletionTimestamp &&
      !rollout.metadata.deletionTimestamp
    ) {
      claim.adopt.push(rs);
    }
  }
  return claim;
}

/**
 * What to do when creating `<rollout>-<hash>` answered AlreadyExists with `existing`: if this
 * Rollout controls it, it is ours and the cache had not seen it yet ('reuse'); anything else
 * holding the name is a hash collision ('collision': bump status.collisionCount, which changes
 * the hash, and create again). Upstream also compares templates of its own RSs; a different
 * template under our own name needs an FNV-32 collision between two of our templates, and a
 * template the API server defaulted cannot be compared with the Rollout's undefaulted one anyway.
 */
export function alreadyExistsOutcome(
  existing: ReplicaSet,
  rollout: Pick<Rollout, 'metadata'>,
): 'reuse' | 'collision' {
  return isControlledBy(existing, rollout) ? 'reuse' : 'collision';
}

/** `status.collisionCount` after a collision: absent counts as 0. */
export const nextCollisionCount = (current: number | undefined): number => (current ?? 0) + 1;

/**
 * The annotations an existing ReplicaSet needs when it becomes the new one again (a rollback to
 * an earlier template): the next revision, and its old revision appended to the comma-separated
 * revision history. Undefined when it already has the highest revision.
 * Example: revisions {1, 2, 3}, rolling back to the RS of revision 1 → revision "4", history "1".
 */
export function reusedRevision(
  rs: ReplicaSet,
  others: readonly ReplicaSet[],
): { revision: number; annotations: Record<string, string> } | undefined {
  const current = revisionOf(rs);
  const revision = others.reduce((max, o) => Math.max(max, revisionOf(o)), 0) + 1;
  if (current >= revision) return undefined;
  const annotations: Record<string, string> = { [REVISION_ANNOTATION]: String(revision) };
  if (current > 0) {
    const history = rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION];
    annotations[REVISION_HISTORY_ANNOTATION] = history ? `${history},${current}` : String(current);
  }
  return { revision, annotations };
}

/**
 * ReplicaSets to delete under `spec.revisionHistoryLimit` (default 10): among the owned ones other
 * than the new and the stable, not already being deleted, the oldest (by creation time) beyond the
 * limit; each only if it is scaled to 0, runs no pods and its status has seen its last change.
 */
export function replicaSetsToDelete(input: {
  owned: readonly ReplicaSet[];
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  revisionHistoryLimit?: number;
}): ReplicaSet[] {
  const limit = Math.max(0, input.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
  const candidates = input.owned
    .filter((rs) => rs !== input.newRS && rs !== input.stableRS && !rs.metadata.deletionTimestamp)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  const excess = candidates.length - limit;
  if (excess <= 0) return [];
  return candidates
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.spec?.replicas ?? 1) === 0 &&
        (rs.status?.replicas ?? 0) === 0 &&
        (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0),
    );
}
