// The managed HTTP routes the Istio router adds for setHeaderRoute and setMirrorRoute steps
// (upstream istio.go createHeaderRoute / createMirrorRoute): a header route sends matching
// requests to the canary only; a mirror route keeps the weighted destinations and mirrors a
// percentage (default 100) of matching requests to the canary.
import type { SetHeaderRoute, SetMirrorRoute } from '@rollout-kit/api';
import type { IstioRoute } from './istio.ts';

interface CanaryDestination {
  host: string;
  subset?: string;
  port?: number;
}

function destination(d: CanaryDestination) {
  return {
    host: d.host,
    ...(d.subset ? { subset: d.subset } : {}),
    ...(d.port ? { port: { number: d.port } } : {}),
  };
}

/** A string match with only the fields set, as upstream writes it. */
function stringMatch(m: { exact?: string; regex?: string; prefix?: string } | undefined) {
  return {
    ...(m?.exact ? { exact: m.exact } : {}),
    ...(m?.regex ? { regex: m.regex } : {}),
    ...(m?.prefix ? { prefix: m.prefix } : {}),
  };
}

export function headerRoute(route: SetHeaderRoute, canary: CanaryDestination): IstioRoute {
  return {
    name: route.name,
    match: (route.match ?? []).map((m) => ({ headers: { [m.headerName]: stringMatch(m.headerValue) } })),
    route: [{ destination: destination(canary), weight: 100 }],
  };
}

export function mirrorRoute(
  route: SetMirrorRoute,
  canary: CanaryDestination,
  weighted: IstioRoute | undefined,
): IstioRoute {
  return {
    name: route.name,
    match: (route.match ?? []).map((m) => ({
      ...(m.method ? { method: stringMatch(m.method) } : {}),
      ...(m.path ? { uri: stringMatch(m.path) } : {}),
      ...(m.headers
        ? { headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, stringMatch(v)])) }
        : {}),
    })),
    route: structuredClone(weighted?.route ?? []),
    mirror: destination(canary),
    mirrorPercentage: { value: route.percentage ?? 100 },
  };
}
