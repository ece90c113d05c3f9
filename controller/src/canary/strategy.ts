// The canary strategy behind the reconciler's strategy seam: step progression, the canary and
// stable Services, canary/stable ephemeral metadata, the traffic routers' input, the basic or
// traffic-routed replica math with its scale-down delays, and the canary status, each decided by
// the canary's own pure modules.
import type { Rollout } from '@rollout-kit/api';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '@rollout-kit/api';
import { canaryStatus } from '../rollout/canary-status.ts';
import { canaryEphemeralSyncs } from '../rollout/ephemeral-metadata.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { countsOf, hashOf, type ReplicaSet } from '../rollout/replica-set.ts';
import type { PassInput, RolloutStrategy, StrategyPass } from '../rollout/strategy.ts';
import { canaryProgression, type Progression } from './progression.ts';
import { scaleDownDelayPlan } from './scale-down-delay.ts';
import { nextScaleAction } from './scaling.ts';
import { canaryServiceSwitches } from './services.ts';
import { currentStepHash } from './step-hash.ts';

export const canaryStrategy: RolloutStrategy = {
  name: 'canary',
  begin(input: PassInput): StrategyPass {
    const { rollout, newRS, stableRS, services, owned, revision, invalidSpec, now } = input;
    const counts = {
      newRS: newRS ? countsOf(newRS) : undefined,
      stableRS: stableRS ? countsOf(stableRS) : undefined,
      otherRSs: input.others.map(countsOf),
    };
    const runs = input.analysis;
    let progression: Progression = invalidSpec
      ? { fields: { ...(rollout.status ?? {}) }, events: [] as RolloutEvent[] }
      : canaryProgression({
          rollout,
          currentPodHash: input.currentPodHash,
          stepHash: currentStepHash(rollout),
          ...counts,
          revision,
          ...(runs?.stepRunPhase ? { stepRunPhase: runs.stepRunPhase } : {}),
          ...(runs ? { analysis: runs.reaction } : {}),
          ...(input.rollbackWithinWindow ? { rollbackWithinWindow: true } : {}),
          now,
        });
    if (runs && !invalidSpec) {
      // The current AnalysisRuns and Experiment, as the status records them after this pass.
      const recorded = runs.record(progression.fields);
      progression = {
        ...progression,
        fields: recorded.fields,
        events: [...recorded.events, ...progression.events],
      };
    }
    // Scale for the step this pass decided: on a new template the stored status still names the
    // old hash as current, and scaling from it would size the stable RS for 100% and shrink it.
    const decided: Rollout = { ...rollout, status: { ...(rollout.status ?? {}), ...progression.fields } };
    // Traffic-routed only: the previous stable after a promotion, and an aborted canary, wait on
    // a scale-down deadline before they lose their pods.
    const deadline = (rs?: ReplicaSet) => rs?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
    const delay = scaleDownDelayPlan({
      rollout: decided,
      newRS: counts.newRS && { ...counts.newRS, deadline: deadline(newRS) },
      stableRS: counts.stableRS && { ...counts.stableRS, deadline: deadline(stableRS) },
      otherRSs: input.others.map((rs) => ({ ...countsOf(rs), deadline: deadline(rs) })),
      now,
    });
    const action = delay.action;
    const recheckAt = Math.min(progression.recheckAt ?? Infinity, delay.recheckAt ?? Infinity);
    return {
      fields: progression.fields,
      events: progression.events,
      ...(recheckAt !== Infinity ? { recheckAt } : {}),
      serviceSwitches: () => canaryServiceSwitches({ rollout, services, newRS, stableRS }),
      ephemeralSyncs: () => canaryEphemeralSyncs({ rollout, newRS, stableRS }),
      scaleDownDeadlines: () =>
        action?.kind === 'annotate'
          ? [{ name: action.name, deadline: action.deadline }]
          : action?.kind === 'removeDeadline'
            ? [{ name: action.name, deadline: null }]
            : [],
      nextScaleAction: () =>
        action?.kind === 'scaleDown'
          ? { name: action.name, from: action.from, to: 0, clearDeadline: true }
          : nextScaleAction({ rollout: decided, ...counts, held: delay.held }),
      ...(rollout.spec.strategy?.canary?.trafficRouting
        ? {
            traffic: () => ({
              rollout: decided,
              ...counts,
              canaryHash: (newRS && hashOf(newRS)) ?? '',
              stableHash: (stableRS && hashOf(stableRS)) ?? '',
            }),
          }
        : {}),
      keep: () => ({ newRS, stableRS }),
      status: () =>
        canaryStatus({
          rollout,
          fields: progression.fields,
          newRS,
          replicaSets: owned,
          revision,
          invalidSpec,
          ...(runs?.reaction.kind === 'abort' ? { abortReason: runs.reaction.message } : {}),
          scaleDownPending: input.others.some((rs) => deadline(rs) !== undefined),
          now,
        }),
    };
  },
};
