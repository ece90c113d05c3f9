// The patches the official plugin sends for each mutating verb, so our CLI, Argo CD and the
// plugin can be mixed freely. Pure: the adapter sends them (status patches to the status
// subresource, falling back to the main resource on 404, as the plugin does).
import type { Rollout } from '@rollout-kit/api';
import { canarySteps } from '../canary/steps.ts';

/** A merge patch for the status subresource and/or the main resource, in the order to send them. */
export interface PatchPlan {
  status?: { status: Record<string, unknown> };
  spec?: { spec: Record<string, unknown> };
}

/**
 * `promote`: by the first matching rule, (a) an inconclusive step analysis that paused the
 * canary moves to the next step; (b) pause conditions are cleared; (c) a canary with steps skips
 * the current step; (d) blue-green without pause conditions sends no status patch. Then a
 * manual pause (`spec.paused`) is lifted. The next index is capped at the number of steps.
 */
export function promotePatch(rollout: Rollout): PatchPlan {
  const status = rollout.status ?? {};
  const canary = rollout.spec.strategy?.canary;
  const steps = canarySteps(rollout);
  const next = Math.min((status.currentStepIndex ?? 0) + 1, steps.length);
  const paused = (status.pauseConditions ?? []).length > 0;
  const plan: PatchPlan = {};
  if (
    canary &&
    status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive' &&
    paused &&
    status.controllerPause
  ) {
    plan.status = { status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
  } else if (paused) {
    plan.status = { status: { pauseConditions: null } };
  } else if (canary && steps.length > 0) {
    plan.status = { status: { pauseConditions: null, currentStepIndex: next } };
  }
  if (rollout.spec.paused) plan.spec = { spec: { paused: false } };
  return plan;
}

/** `promote --full`: promoteFull unless already fully promoted; lifts a manual pause. */
export function promoteFullPatch(rollout: Rollout): PatchPlan {
  const status = rollout.status ?? {};
  const plan: PatchPlan = {};
  if (status.currentPodHash !== status.stableRS) plan.status = { status: { promoteFull: true } };
  if (rollout.spec.paused) plan.spec = { spec: { paused: false } };
  return plan;
}

export const abortPatch = (): PatchPlan => ({ status: { status: { abort: true } } });
export const retryPatch = (): PatchPlan => ({ status: { status: { abort: false } } });
export const pausePatch = (): PatchPlan => ({ spec: { spec: { paused: true } } });

/** `restart [--in D]`: restartAt at now + D, in UTC RFC 3339 with whole seconds. */
export function restartPatch(now: number, inMs = 0): PatchPlan {
  const at = new Date(Math.floor((now + inMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { spec: { spec: { restartAt: at } } };
}

type Container = { name: string; image?: string };

/**
 * `set image CONTAINER=IMAGE` on a copy of the Rollout: every matching container (`*` for all)
 * among initContainers, containers and ephemeralContainers. Throws when none matched.
 */
export function withImage<T extends { spec: { template?: { spec?: unknown } } }>(
  object: T,
  container: string,
  image: string,
): T {
  const copy = structuredClone(object);
  const podSpec = (copy.spec.template?.spec ?? {}) as Record<string, Container[] | undefined>;
  let matched = false;
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of podSpec[key] ?? []) {
      if (container === '*' || c.name === container) {
        c.image = image;
        matched = true;
      }
    }
  }
  if (!matched) throw new Error(`unable to find container named "${container}"`);
  return copy;
}

/** Parses `CONTAINER=IMAGE`. */
export function parseImageArg(arg: string): { container: string; image: string } {
  const at = arg.indexOf('=');
  if (at <= 0 || at === arg.length - 1) throw new Error(`invalid format "${arg}": expected CONTAINER=IMAGE`);
  return { container: arg.slice(0, at), image: arg.slice(at + 1) };
}

/** `terminate analysisrun|experiment`: the run or experiment stops at its next reconcile. */
export const terminatePatch = () => ({ spec: { terminate: true } });
/** `retry experiment`: the status is dropped and the Experiment starts again. */
export const retryExperimentPatch = () => ({ status: null });
