// The canary strategy behind the reconciler's strategy seam: step progression, the canary and
// stable Services, canary/stable ephemeral metadata, the basic or traffic-routed replica math and
// the canary status, each decided by the canary's own pure modules.
import type { Rollout } from '@rollout-kit/api';
import { canaryStatus } from '../rollout/canary-status.ts';
import { canaryEphemeralSyncs } from '../rollout/ephemeral-metadata.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { countsOf } from '../rollout/replica-set.ts';
import type { PassInput, RolloutStrategy, StrategyPass } from '../rollout/strategy.ts';
import { canaryProgression, type Progression } from './progression.ts';
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
    const progression: Progression = invalidSpec
      ? { fields: { ...(rollout.status ?? {}) }, events: [] as RolloutEvent[] }
      : canaryProgression({
          rollout,
          currentPodHash: input.currentPodHash,
          stepHash: currentStepHash(rollout),
          ...counts,
          revision,
          now,
        });
    // Scale for the step this pass decided: on a new template the stored status still names the
    // old hash as current, and scaling from it would size the stable RS for 100% and shrink it.
    const decided: Rollout = { ...rollout, status: { ...(rollout.status ?? {}), ...progression.fields } };
    return {
      fields: progression.fields,
      events: progression.events,
      ...(progression.recheckAt !== undefined ? { recheckAt: progression.recheckAt } : {}),
      serviceSwitches: () => canaryServiceSwitches({ rollout, services, newRS, stableRS }),
      ephemeralSyncs: () => canaryEphemeralSyncs({ rollout, newRS, stableRS }),
      scaleDownDeadlines: () => [],
      nextScaleAction: () => nextScaleAction({ rollout: decided, ...counts }),
      keep: () => ({ newRS, stableRS }),
      status: () =>
        canaryStatus({
          rollout,
          fields: progression.fields,
          newRS,
          replicaSets: owned,
          revision,
          invalidSpec,
          now,
        }),
    };
  },
};
