// Undo to a chosen revision. Argo CD's action Lua sees only the Rollout, so it cannot copy an old
// ReplicaSet's template; our `undo` action (extension/argocd/) records the wanted revision in an
// annotation and the controller performs the undo, then removes the annotation.
import { asNumber, asString, asStringMap } from './read.ts';
import type { RevisionView } from './revisions.ts';
import type { Rollout } from './rollout.ts';

/** Annotation the `undo` action sets on the Rollout: the revision to go back to, as a string. */
export const UNDO_TO_REVISION = 'rollout-kit.io/undo-to-revision';
/** The resource action's name and its one parameter, as the Lua declares them. */
export const UNDO_ACTION = 'undo';
export const UNDO_REVISION_PARAMETER = 'revision';

export interface UndoChoice {
  revision: number;
  replicaSet: string;
  images: string[];
}

/**
 * Revisions the Rollout can go back to: every ReplicaSet in the tree with a revision number that
 * does not run the current pod template, newest first. The newest revision is always the current
 * one (an undo gives the reused ReplicaSet a new revision number), so it is never offered, even
 * when its hash cannot be told; a Rollout with one revision offers nothing.
 */
export function undoChoices(rollout: Rollout, revisions: readonly RevisionView[]): UndoChoice[] {
  const current = asString(rollout.status?.currentPodHash);
  const numbers = revisions.map((r) => asNumber(r.revision)).filter((n): n is number => n !== undefined);
  const newest = numbers.length === 0 ? undefined : Math.max(...numbers);
  const seen = new Set<number>();
  const out: UndoChoice[] = [];
  for (const r of revisions) {
    const revision = asNumber(r.revision);
    if (revision === undefined || seen.has(revision) || revision === newest) continue;
    if (current !== undefined && r.hash === current) continue;
    seen.add(revision);
    out.push({ revision, replicaSet: r.replicaSet, images: r.images });
  }
  return out.sort((a, b) => b.revision - a.revision);
}

/** The revision of an undo requested but not yet carried out by the controller, if any. */
export function pendingUndo(rollout: Rollout): string | undefined {
  const value = asStringMap(rollout.metadata?.annotations)[UNDO_TO_REVISION];
  return value === undefined || value === '' ? undefined : value;
}
