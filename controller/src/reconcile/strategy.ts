// Which strategy reconciles a Rollout: the one its spec names. Both or neither is InvalidSpec
// (validation says so); canary is asked then, as it was before blue-green existed, so that the
// status still gets written.
import type { Rollout } from '@rollout-kit/api';
import { blueGreenStrategy } from '../bluegreen/strategy.ts';
import { canaryStrategy } from '../canary/strategy.ts';
import type { RolloutStrategy } from '../rollout/strategy.ts';

export function strategyFor(rollout: Pick<Rollout, 'spec'>): RolloutStrategy | undefined {
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  if (canary) return canaryStrategy;
  if (blueGreen) return blueGreenStrategy;
  return undefined;
}
