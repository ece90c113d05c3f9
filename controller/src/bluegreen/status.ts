// The parts of a blue-green Rollout's status that differ from canary (upstream
// syncRolloutStatusBlueGreen): the counts and the scale selector come from the RS the active
// Service selects (HPAs scale what serves), the Rollout is complete only when both Services
// select the new RS, a selector change is progress, and waiting on an analysis hook does not
// count against the progress deadline. The shared status pipeline does the rest.
import type { Rollout } from '@rollout-kit/api';
import type { StrategyStatusView } from '../rollout/canary-status.ts';
import { findByHash, type ReplicaSet } from '../rollout/replica-set.ts';
import { formatLabelSelector } from '../rollout/status.ts';
import type { AnalysisGate } from './analysis-gate.ts';

export interface BlueGreenStatusInput {
  rollout: Rollout;
  owned: readonly ReplicaSet[];
  currentPodHash: string;
  /** Hashes the active and preview Services select after this pass. */
  activeHash?: string;
  previewHash?: string;
  gates: { pre: AnalysisGate; post: AnalysisGate };
  abortReason?: string;
}

const sum = (rss: readonly ReplicaSet[], pick: (rs: ReplicaSet) => number | undefined) =>
  rss.reduce((total, rs) => total + (pick(rs) ?? 0), 0);

export function blueGreenStatusView(input: BlueGreenStatusInput): StrategyStatusView {
  const { rollout, owned, currentPodHash, activeHash, previewHash } = input;
  const old = rollout.status?.blueGreen ?? {};
  const activeRS = findByHash(owned, activeHash);
  const counts = activeRS
    ? {
        availableReplicas: activeRS.status?.availableReplicas ?? 0,
        readyReplicas: activeRS.status?.readyReplicas ?? 0,
        HPAReplicas: activeRS.status?.replicas ?? 0,
        selector: formatLabelSelector(activeRS.spec?.selector),
      }
    : {
        // Nothing active yet: accounted over every RS, on the Rollout's own selector.
        availableReplicas: sum(owned, (rs) => rs.status?.availableReplicas),
        readyReplicas: sum(owned, (rs) => rs.status?.readyReplicas),
        HPAReplicas: sum(owned, (rs) => rs.status?.replicas),
        selector: formatLabelSelector(rollout.spec.selector),
      };
  const hasPreview = Boolean(rollout.spec.strategy?.blueGreen?.previewService);
  const { pre, post } = input.gates;
  return {
    ...counts,
    complete: activeHash === currentPodHash && (!hasPreview || previewHash === currentPodHash),
    progressed: old.activeSelector !== activeHash || old.previewSelector !== previewHash,
    waiting:
      (pre.outcome === 'pending' && activeHash !== currentPodHash) ||
      (post.outcome === 'pending' && activeHash === currentPodHash),
    ...(input.abortReason ? { abortReason: input.abortReason } : {}),
  };
}
