// Blue-green replica sizes: how many pods the new ReplicaSet gets (previewReplicaCount before
// promotion), when it is "ready for the pause" and "saturated" (the active Service may move to
// it), and reading the scale-down deadline annotation. Upstream: utils/replicaset NewRSNewReplicas,
// ReadyForPause, utils/annotations IsSaturated.
import type { Rollout } from '@rollout-kit/api';
import { DESIRED_REPLICAS_ANNOTATION, SCALE_DOWN_DEADLINE_ANNOTATION } from '@rollout-kit/api';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';

type RolloutLike = Pick<Rollout, 'spec' | 'status'>;

export const specReplicas = (rollout: Pick<Rollout, 'spec'>): number => rollout.spec.replicas ?? 1;

/**
 * The size the new RS should have while it is the new one (abort aside). R, unless
 * previewReplicaCount is set and the update is still in preview: then previewReplicaCount until
 * the pause is over and the preview scale-up checkpoint was passed (the status given is the one
 * this pass decided). `activeHash` is the hash the active Service selects now.
 * Example: R 3, previewReplicaCount 1, paused in preview → 1; promoted, checkpoint set → 3.
 */
export function newReplicaSetSize(rollout: RolloutLike, newRS: ReplicaSet, activeHash?: string): number {
  const r = specReplicas(rollout);
  const preview = rollout.spec.strategy?.blueGreen?.previewReplicaCount;
  const status = rollout.status ?? {};
  if (preview === undefined) return r;
  // First deploy (nothing active yet) and an already promoted RS run at full size.
  if (!activeHash || activeHash === hashOf(newRS)) return r;
  if (status.promoteFull) return r;
  if (hashOf(newRS) !== status.currentPodHash) return preview;
  const paused = rollout.spec.paused === true || (status.pauseConditions?.length ?? 0) > 0;
  if (!paused && status.blueGreen?.scaleUpPreviewCheckPoint) return r;
  return preview;
}

/** The new RS runs at `size` and every pod of it is available: the pause may start. */
export function readyForPause(newRS: ReplicaSet, size: number): boolean {
  return (newRS.spec?.replicas ?? 1) === size && (newRS.status?.availableReplicas ?? 0) === size;
}

/**
 * Whether the RS can take all the traffic: spec, desired-replicas annotation and available
 * count all equal R (upstream's IsSaturated). The annotation guards against an RS scaled for an
 * older R that happens to have as many pods.
 */
export function isSaturated(rollout: Pick<Rollout, 'spec'>, rs: ReplicaSet): boolean {
  const r = specReplicas(rollout);
  const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return (rs.spec?.replicas ?? 1) === r && desired === String(r) && (rs.status?.availableReplicas ?? 0) === r;
}

/**
 * The RS's scale-down deadline as epoch ms: undefined without one, NaN when unreadable (upstream
 * then scales the RS down as if it had passed).
 */
export function deadlineOf(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  if (raw === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
}

/** An RFC 3339 UTC time with seconds precision, as upstream writes deadlines. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
