// status.currentStepHash, as Argo Rollouts v1.9 computes it (utils/conditions ComputeStepHash):
// FNV-1a 32 over Go's JSON of spec.strategy.canary.steps, safe-encoded like the pod-template hash.
// A change of this hash restarts the step sequence, so it must match upstream byte for byte.
import type { CanaryStep, Rollout } from '@rollout-kit/api';
import { goJson } from '../rollout/go-json.ts';
import { fnv1a32, safeEncode } from '../rollout/pod-hash.ts';
import { CANARY_STEP_STRUCTS } from './canary-step-fields.ts';

/** The hash of a steps list; `undefined` (no steps field) and `[]` hash differently, as upstream. */
export function stepsHash(steps: readonly CanaryStep[] | undefined): string {
  return safeEncode(
    String(fnv1a32(new TextEncoder().encode(goJson(CANARY_STEP_STRUCTS, '[]CanaryStep', steps)))),
  );
}

/** status.currentStepHash for a Rollout: "" for blue-green (or no canary strategy). */
export function currentStepHash(rollout: Pick<Rollout, 'spec'>): string {
  const strategy = rollout.spec.strategy;
  if (strategy?.blueGreen || !strategy?.canary) return '';
  return stepsHash(strategy.canary.steps);
}
