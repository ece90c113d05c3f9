// Shared builders for the router tests: a routed Rollout and the desired traffic.
import type { Rollout, RolloutTrafficRouting } from '@rollout-kit/api';
import type { DesiredTraffic, ManagedRoutes } from '../canary/traffic-weight.ts';
import { refKey, type KubeObject, type LiveObjects, type ObjectRef } from './router.ts';

export function routedRollout(
  trafficRouting: RolloutTrafficRouting,
  extra: Record<string, unknown> = {},
): Rollout {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'uid-1' },
    spec: {
      replicas: 4,
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          trafficRouting,
          steps: [{ setWeight: 25 }],
          ...extra,
        },
      },
    },
  };
}

export function desired(
  weight: number,
  routes: Partial<ManagedRoutes> = {},
  maxWeight = 100,
): DesiredTraffic {
  return {
    weight,
    maxWeight,
    additional: [],
    routes: { header: routes.header ?? [], mirror: routes.mirror ?? [] },
    canaryHash: 'c1',
    stableHash: 's1',
  };
}

export function liveOf(entries: [ObjectRef, KubeObject | undefined][]): LiveObjects {
  return new Map(entries.map(([ref, obj]) => [refKey(ref), obj]));
}
