// The cluster side of traffic routing: reads the objects each configured router names (direct
// GETs: the router kinds are CRDs that may not even be installed, so no informers), checks the
// references for InvalidSpec, writes what the routers planned, records their events, and
// returns status.canary.weights. The decisions are all pure (canary/traffic-weight.ts,
// traffic/*.ts).
import type { Rollout, TrafficWeights } from '@rollout-kit/api';
import { EVENT_TRAFFIC_ROUTING_ERROR } from '@rollout-kit/api';
import {
  trafficDecision,
  trafficWeightUpdated,
  weightsChanged,
  weightsStatus,
  type TrafficInput,
} from '../canary/traffic-weight.ts';
import { isNotFound, kubeCall } from '../kube/errors.ts';
import { invalidSpecMessage } from '../rollout/validate.ts';
import {
  refKey,
  type KubeObject,
  type LiveObjects,
  type ObjectRef,
  type TrafficRouter,
} from '../traffic/router.ts';
import { recordAll } from './rollout-actions.ts';
import type { RolloutReconcilerDeps } from './rollout.ts';

function objectPath(ref: ObjectRef, named = true): string {
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const collection = `${base}/namespaces/${encodeURIComponent(ref.namespace)}/${ref.resource}`;
  return named ? `${collection}/${encodeURIComponent(ref.name)}` : collection;
}

/** Every object the routers name, as it is now (undefined when missing or its kind is not served). */
export async function readRouterObjects(
  deps: Pick<RolloutReconcilerDeps, 'client'>,
  rollout: Rollout,
  routers: readonly TrafficRouter[],
): Promise<LiveObjects> {
  const live = new Map<string, KubeObject | undefined>();
  for (const ref of routers.flatMap((r) => r.refs(rollout))) {
    if (live.has(refKey(ref))) continue;
    try {
      const obj = await kubeCall(`reading ${ref.kind} ${ref.namespace}/${ref.name}`, () =>
        deps.client.requestJson<KubeObject>('GET', objectPath(ref)),
      );
      live.set(refKey(ref), obj);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      live.set(refKey(ref), undefined);
    }
  }
  return live;
}

// Pure; kept importable from here, where the reconciler looks for the traffic side.
export { trafficReferenceProblem } from '../traffic/reference-problem.ts';

export class TrafficRoutingError extends Error {}

/**
 * How often a routed Rollout in the middle of an update is looked at again. Router objects are
 * not watched (their CRDs may not be installed), so this is how a deleted or edited Ingress,
 * VirtualService or route is noticed while nothing else changes (a long pause, for example).
 */
export const ROUTER_RECHECK_MS = 30_000;

/**
 * Brings every router to the traffic this pass wants and returns the weights to record, or
 * undefined when nothing may be written yet (the stable ReplicaSet cannot carry the rest). A
 * router that cannot do its job records TrafficRoutingError and throws, as upstream's SetWeight
 * error: the pass stops before any scaling and before the status is written (no step advances
 * on weights that were not set), and the worker retries it with back-off.
 */
export async function reconcileTrafficRouting(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  ctx: { routers: readonly TrafficRouter[]; live: LiveObjects; input: TrafficInput },
): Promise<TrafficWeights | undefined> {
  const { desired, write } = trafficDecision(ctx.input);
  if (!write) return undefined;
  const key = `${rollout.metadata.namespace}/${rollout.metadata.name}`;
  for (const router of ctx.routers) {
    const plan = router.plan(rollout, ctx.live, desired);
    if (plan.problem) {
      const message =
        plan.problem.kind === 'error'
          ? plan.problem.message
          : invalidSpecMessage(rollout.metadata.name ?? '', plan.problem.error);
      await recordAll(deps, rollout, [{ type: 'Warning', reason: EVENT_TRAFFIC_ROUTING_ERROR, message }]);
      throw new TrafficRoutingError(`${router.type} traffic routing of Rollout ${key}: ${message}`);
    }
    for (const w of plan.writes) {
      const what = `${w.op === 'create' ? 'creating' : 'updating'} ${w.ref.kind} ${w.ref.namespace}/${w.ref.name}`;
      await kubeCall(what, () =>
        w.op === 'create'
          ? deps.client.requestJson('POST', objectPath(w.ref, false), { body: w.body })
          : deps.client.requestJson('PUT', objectPath(w.ref), { body: w.body }),
      );
      deps.log.info({ rollout: key, router: router.type, object: w.ref.name, weight: desired.weight }, what);
    }
    await recordAll(deps, rollout, plan.events);
  }
  const before = rollout.status?.canary?.weights;
  const after = weightsStatus(
    rollout,
    desired,
    ctx.routers.map((r) => r.verify?.(rollout, ctx.live, desired)).find((v) => v !== undefined),
  );
  if (weightsChanged(before, after)) await recordAll(deps, rollout, [trafficWeightUpdated(before, after)]);
  return after;
}
