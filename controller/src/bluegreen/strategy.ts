// The blue-green strategy behind the reconciler's strategy seam: the sequence (progression.ts)
// decides the status fields and Service switches, scaling.ts the ReplicaSet sizes and scale-down
// deadlines on that result, and the shared status pipeline the rest of the status.
import type { Rollout } from '@rollout-kit/api';
import { canaryStatus } from '../rollout/canary-status.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { findByHash, type ReplicaSet } from '../rollout/replica-set.ts';
import type { PassInput, RolloutStrategy, StrategyPass } from '../rollout/strategy.ts';
import { analysisGate, NO_GATE } from './analysis-gate.ts';
import { blueGreenEphemeralSyncs } from './ephemeral-metadata.ts';
import { blueGreenProgression, type BlueGreenProgression } from './progression.ts';
import { deadlineOf } from './replicas.ts';
import { blueGreenScaling } from './scaling.ts';
import { blueGreenStatusView } from './status.ts';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';

/**
 * The analysis gates: from this pass's current runs when the analysis wiring supplied them, else
 * from the run statuses recorded in the Rollout's status.
 */
function gatesOf(rollout: Rollout, analysis: PassInput['analysis']) {
  const bg = rollout.spec.strategy?.blueGreen;
  const stored = rollout.status?.blueGreen;
  const pre = analysis?.promotionRuns
    ? analysis.promotionRuns.prePromotion
    : stored?.prePromotionAnalysisRunStatus;
  const post = analysis?.promotionRuns
    ? analysis.promotionRuns.postPromotion
    : stored?.postPromotionAnalysisRunStatus;
  return {
    pre: analysisGate(bg?.prePromotionAnalysis !== undefined, pre),
    post: analysisGate(bg?.postPromotionAnalysis !== undefined, post),
  };
}

/** What an invalid Rollout's pass decides: nothing moves, the selectors are read back. */
function unchanged(input: PassInput): BlueGreenProgression {
  const bg = input.rollout.spec.strategy?.blueGreen;
  const selected = (name: string | undefined) =>
    name ? input.services[name]?.selector?.[POD_TEMPLATE_HASH_LABEL] : undefined;
  const activeHash = selected(bg?.activeService);
  const previewHash = selected(bg?.previewService);
  return {
    fields: { ...(input.rollout.status ?? {}) },
    events: [] as RolloutEvent[],
    switches: [],
    ...(activeHash !== undefined ? { activeHash } : {}),
    ...(previewHash !== undefined ? { previewHash } : {}),
    fastRollback: false,
    postGate: NO_GATE,
  };
}

export const blueGreenStrategy: RolloutStrategy = {
  name: 'blueGreen',
  begin(input: PassInput): StrategyPass {
    const { rollout, newRS, owned, currentPodHash, revision, invalidSpec, now } = input;
    const gates = gatesOf(rollout, input.analysis);
    let progression = invalidSpec
      ? unchanged(input)
      : blueGreenProgression({
          rollout,
          currentPodHash,
          newRS,
          owned,
          services: input.services,
          gates,
          revision,
          ...(input.rollbackWithinWindow ? { rollbackWithinWindow: true } : {}),
          now,
        });
    if (input.analysis && !invalidSpec) {
      // The current AnalysisRuns, as the status records them after this pass.
      const recorded = input.analysis.record(progression.fields);
      progression = {
        ...progression,
        fields: recorded.fields,
        events: [...recorded.events, ...progression.events],
      };
    }
    const decided: Rollout = { ...rollout, status: { ...(rollout.status ?? {}), ...progression.fields } };
    const stableRS = findByHash(owned, decided.status?.stableRS);
    const scaling = blueGreenScaling({
      rollout: decided,
      newRS,
      owned,
      ...(progression.activeHash !== undefined ? { activeHash: progression.activeHash } : {}),
      ...(progression.previewHash !== undefined ? { previewHash: progression.previewHash } : {}),
      postGate: progression.postGate,
      now,
    });
    const recheck = [progression.recheckAt, scaling.recheckAt].filter((t): t is number => t !== undefined);
    const scaleDownPending = owned.some((rs: ReplicaSet) => rs !== newRS && deadlineOf(rs) !== undefined);
    return {
      fields: progression.fields,
      events: progression.events,
      ...(recheck.length > 0 ? { recheckAt: Math.min(...recheck) } : {}),
      serviceSwitches: () => progression.switches,
      ephemeralSyncs: () => blueGreenEphemeralSyncs({ rollout, newRS, stableRS: input.stableRS }),
      scaleDownDeadlines: () => scaling.deadlines,
      nextScaleAction: () => scaling.scale,
      keep: () => ({ newRS, stableRS }),
      status: () =>
        canaryStatus({
          rollout,
          fields: progression.fields,
          newRS,
          replicaSets: owned,
          revision,
          invalidSpec,
          scaleDownPending,
          view: blueGreenStatusView({
            rollout,
            owned,
            currentPodHash,
            ...(progression.activeHash !== undefined ? { activeHash: progression.activeHash } : {}),
            ...(progression.previewHash !== undefined ? { previewHash: progression.previewHash } : {}),
            gates,
            ...(progression.abortReason ? { abortReason: progression.abortReason } : {}),
          }),
          now,
        }),
    };
  },
};
