// `history NAME` (ours): one row per revision with its images, whether it is stable or the
// canary/preview now, and when the controller promoted or aborted it and why (from the
// Rollout's Events).
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import type { Rollout } from '@rollout-kit/api';
import type { ReplicaSetObject } from './objects.ts';
import { revisionOf } from './rollout-info.ts';
import { alignColumns } from './table.ts';

/** A Rollout Event as history reads it. */
export interface HistoryEvent {
  reason: string;
  message: string;
  /** RFC 3339 time of the last occurrence. */
  time?: string;
}

export interface HistoryRow {
  revision: number;
  replicaSet: string;
  podTemplateHash: string;
  images: string[];
  created?: string;
  role: string;
  /** Events whose message names this revision (e.g. "Rollout aborted update to revision 2"). */
  events: HistoryEvent[];
}

const mentions = (message: string, revision: number) =>
  new RegExp(`\\brevision ${revision}\\b`).test(message);

export function historyRows(
  rollout: Rollout,
  replicaSets: readonly ReplicaSetObject[],
  events: readonly HistoryEvent[],
): HistoryRow[] {
  const status = rollout.status ?? {};
  return replicaSets
    .filter((rs) => revisionOf(rs.metadata) > 0)
    .map((rs) => {
      const revision = revisionOf(rs.metadata);
      const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
      const role =
        hash === status.stableRS
          ? 'stable'
          : hash === status.currentPodHash
            ? rollout.spec.strategy?.blueGreen
              ? 'preview'
              : 'canary'
            : '';
      return {
        revision,
        replicaSet: rs.metadata.name ?? '',
        podTemplateHash: hash,
        images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
        created: rs.metadata.creationTimestamp,
        role,
        events: events.filter((e) => e.reason !== 'ScalingReplicaSet' && mentions(e.message, revision)),
      };
    })
    .sort((a, b) => a.revision - b.revision);
}

export function renderHistory(rows: readonly HistoryRow[]): string {
  const table = [['REVISION', 'REPLICASET', 'IMAGES', 'ROLE', 'CREATED', 'EVENTS']];
  for (const r of rows) {
    table.push([
      String(r.revision),
      r.replicaSet,
      r.images.join(','),
      r.role || '-',
      r.created ?? '',
      r.events.map((e) => `${e.time ?? ''} ${e.reason}: ${e.message}`.trim()).join('; ') || '-',
    ]);
  }
  return alignColumns(table);
}
