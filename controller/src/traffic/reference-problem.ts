// Which router problems are InvalidSpec: upstream 1.9 checks the objects a Rollout references at
// the start of every reconcile (getRolloutReferencedResources, ValidateRolloutReferencedResources)
// and reports what it finds there as InvalidSpec; what it meets only while writing is an event.
import type { Rollout } from '@rollout-kit/api';
import { EVENT_TRAFFIC_ROUTING_ERROR } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { invalidSpecMessage } from '../rollout/validate.ts';
import type { LiveObjects, TrafficRouter } from './router.ts';

const NO_TRAFFIC: DesiredTraffic = {
  weight: 0,
  maxWeight: 100,
  additional: [],
  routes: { header: [], mirror: [] },
  canaryHash: '',
  stableHash: '',
};

/**
 * The first reference problem of the routers' objects (upstream's reference validation: a
 * missing object or route, an Ingress or route that does not reach the Services), as the
 * InvalidSpec message, with the Warning event to record. Problems upstream only meets while
 * writing (an object owned by someone else) are not InvalidSpec: reconcileTrafficRouting
 * reports them.
 */
export function trafficReferenceProblem(
  rollout: Rollout,
  routers: readonly TrafficRouter[],
  live: LiveObjects,
): { message: string; event: RolloutEvent } | undefined {
  for (const router of routers) {
    const problem = router.plan(rollout, live, NO_TRAFFIC).problem;
    if (problem?.kind !== 'reference') continue;
    const message = invalidSpecMessage(rollout.metadata.name ?? '', problem.error);
    return {
      message,
      event: problem.event ?? { type: 'Warning', reason: EVENT_TRAFFIC_ROUTING_ERROR, message },
    };
  }
  return undefined;
}
