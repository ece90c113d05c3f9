// Every router the controller knows, in upstream's order (Istio, NGINX, ALB, SMI, then plugins:
// Gateway API). Several may be configured on one Rollout; each gets the same desired traffic.
import type { Rollout } from '@rollout-kit/api';
import { albRouter } from './alb.ts';
import { gatewayApiRouter } from './gateway-api.ts';
import { istioRouter } from './istio.ts';
import { nginxRouter } from './nginx.ts';
import type { TrafficRouter } from './router.ts';
import { smiRouter, type SmiApiVersion } from './smi.ts';

export function allRouters(options: { smiApiVersion?: SmiApiVersion } = {}): TrafficRouter[] {
  return [istioRouter, nginxRouter, albRouter, smiRouter(options.smiApiVersion), gatewayApiRouter];
}

/** The routers a Rollout uses. */
export function routersFor(rollout: Rollout, routers: readonly TrafficRouter[]): TrafficRouter[] {
  return routers.filter((r) => r.configured(rollout));
}
