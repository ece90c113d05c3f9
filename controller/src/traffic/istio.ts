// Istio: weights on the destinations of named VirtualService routes (HTTP by name, TLS by port
// and SNI hosts, TCP by port), either host-level (destinations are the canary and stable
// Services) or subset-level (one host, a DestinationRule whose canary and stable subsets carry
// the pod-template-hash). Managed header and mirror routes are HTTP routes named after
// managedRoutes entries, kept on top in that order (upstream istio.go orderRoutes). Upstream
// replaces the VirtualService and DestinationRule with an update; so do we.
import type { Rollout, RolloutTrafficRouting, WeightDestination } from '@rollout-kit/api';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import {
  invalidRef,
  notFound,
  refKey,
  updateIfChanged,
  type KubeObject,
  type LiveObjects,
  type ObjectRef,
  type RouterPlan,
  type TrafficRouter,
} from './router.ts';
import { headerRoute, mirrorRoute } from './istio-routes.ts';

export const ISTIO_GROUP = 'networking.istio.io';
export const ISTIO_VERSION = 'v1alpha3';

export interface IstioDestination {
  destination: { host: string; subset?: string; port?: { number?: number } };
  weight?: number;
}
export interface IstioRoute {
  name?: string;
  match?: unknown[];
  route?: IstioDestination[];
  [field: string]: unknown;
}
interface TlsMatch {
  port?: number;
  sniHosts?: string[];
}
type VirtualService = KubeObject & { spec?: { http?: IstioRoute[]; tls?: IstioRoute[]; tcp?: IstioRoute[] } };
type DestinationRule = KubeObject & {
  spec?: {
    host?: string;
    subsets?: { name: string; labels?: Record<string, string>; [k: string]: unknown }[];
  };
};

type VirtualServiceConfig = NonNullable<NonNullable<RolloutTrafficRouting['istio']>['virtualService']>;

const istioRef = (resource: string, kind: string, namespace: string, name: string): ObjectRef => ({
  group: ISTIO_GROUP,
  version: ISTIO_VERSION,
  resource,
  kind,
  namespace,
  name,
});

/** `name` or `name.namespace`, as upstream reads a virtualService name. */
export function virtualServiceRef(rolloutNamespace: string, name: string): ObjectRef {
  const dot = name.indexOf('.');
  const [vsName, ns] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, rolloutNamespace];
  return istioRef('virtualservices', 'VirtualService', ns, vsName);
}

/**
 * The configured VirtualServices with the field upstream names in their InvalidSpec messages
 * (`…virtualServices.name` without an index: the value names the VirtualService).
 */
function virtualServices(rollout: Rollout): { config: VirtualServiceConfig; field: string }[] {
  const istio = rollout.spec.strategy?.canary?.trafficRouting?.istio;
  if (istio?.virtualServices) {
    const field = 'spec.strategy.canary.trafficRouting.istio.virtualServices.name';
    return istio.virtualServices.map((config) => ({ config, field }));
  }
  return istio?.virtualService
    ? [
        {
          config: istio.virtualService,
          field: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
        },
      ]
    : [];
}

/** The short Service name of a destination host ("web.ns.svc.cluster.local" → "web"). */
const shortHost = (host: string) => (host.indexOf('.') > 0 ? host.slice(0, host.indexOf('.')) : host);

interface Sides {
  canaryService: string;
  stableService: string;
  canarySubset?: string;
  stableSubset?: string;
}

function sides(rollout: Rollout): Sides {
  const canary = rollout.spec.strategy?.canary;
  const dr = canary?.trafficRouting?.istio?.destinationRule;
  return {
    canaryService: canary?.canaryService ?? '',
    stableService: canary?.stableService ?? '',
    canarySubset: dr?.canarySubsetName,
    stableSubset: dr?.stableSubsetName,
  };
}

const isCanary = (d: IstioDestination, s: Sides) =>
  shortHost(d.destination.host) === s.canaryService ||
  (d.destination.subset !== undefined && d.destination.subset === s.canarySubset);
const isStable = (d: IstioDestination, s: Sides) =>
  shortHost(d.destination.host) === s.stableService ||
  (d.destination.subset !== undefined && d.destination.subset === s.stableSubset);

/** Why a weighted route cannot be used: it must reach both sides (subsets with a DestinationRule). */
export function routeDestinationProblem(
  route: IstioRoute,
  s: Sides,
  subsetLevel: boolean,
): string | undefined {
  const dests = route.route ?? [];
  if (subsetLevel) {
    if (!dests.some((d) => d.destination.subset === s.canarySubset))
      return `Canary DestinationRule subset '${s.canarySubset}' not found in route`;
    if (!dests.some((d) => d.destination.subset === s.stableSubset))
      return `Stable DestinationRule subset '${s.stableSubset}' not found in route`;
    return undefined;
  }
  if (!dests.some((d) => shortHost(d.destination.host) === s.canaryService))
    return `Canary Service '${s.canaryService}' not found in route`;
  if (!dests.some((d) => shortHost(d.destination.host) === s.stableService))
    return `Stable Service '${s.stableService}' not found in route`;
  return undefined;
}

/**
 * The route with canary, stable (100 − canary − experiments: maxTrafficWeight is NGINX/plugins
 * only) and experiment destinations (by Service host, appended when missing) weighted; any other
 * destination removed (an ended experiment's among them), as upstream's Istio router.
 */
export function weightedRoute(
  route: IstioRoute,
  s: Sides,
  weight: number,
  additional: readonly WeightDestination[] = [],
): IstioRoute {
  const extra = new Map(additional.map((d) => [d.serviceName ?? '', d.weight]));
  const stable = 100 - weight - additional.reduce((sum, d) => sum + d.weight, 0);
  const seen = new Set<string>();
  const route2 = (route.route ?? []).flatMap((d) => {
    if (isCanary(d, s)) return [{ ...d, weight }];
    if (isStable(d, s)) return [{ ...d, weight: stable }];
    const host = shortHost(d.destination.host);
    const w = extra.get(host);
    if (w === undefined) return [];
    seen.add(host);
    return [{ ...d, weight: w }];
  });
  for (const [host, w] of extra)
    if (host && !seen.has(host)) route2.push({ destination: { host }, weight: w });
  return { ...route, route: route2 };
}

/** Indexes of the HTTP routes to weigh: the named ones, or the only unnamed one. */
function httpRouteIndexes(
  names: readonly string[],
  http: readonly IstioRoute[],
  managed: ReadonlySet<string>,
): number[] | string {
  if (names.length === 0) {
    const unmanaged = http.filter((r) => !managed.has(r.name ?? ''));
    if (unmanaged.length > 1)
      return 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes';
    const i = http.findIndex((r) => !r.name);
    return i >= 0 ? [i] : [];
  }
  const out: number[] = [];
  for (const name of names) {
    const i = http.findIndex((r) => r.name === name);
    if (i < 0) return `HTTP Route '${name}' is not found in the defined Virtual Service.`;
    out.push(i);
  }
  return out;
}

function portsOf(route: IstioRoute): Set<number> {
  return new Set(((route.match ?? []) as TlsMatch[]).map((m) => m.port ?? 0));
}

/** TLS routes matching each configured {port, sniHosts}; TCP routes matching each port. */
function portRouteIndexes(
  kind: 'tls' | 'tcp',
  wanted: readonly { port?: number; sniHosts?: string[] }[],
  routes: readonly IstioRoute[],
): number[] | string {
  const out: number[] = [];
  for (const w of wanted) {
    const found = routes.flatMap((r, i) => {
      const ports = portsOf(r);
      if (ports.size > 1 || (ports.values().next().value ?? 0) !== (w.port ?? 0)) return [];
      if (kind === 'tcp') return [i];
      const sni = new Set(((r.match ?? []) as TlsMatch[]).flatMap((m) => m.sniHosts ?? []));
      const want = new Set(w.sniHosts ?? []);
      return sni.size === want.size && [...want].every((h) => sni.has(h)) ? [i] : [];
    });
    if (found.length === 0)
      return `No matching ${kind.toUpperCase()} routes found in the defined Virtual Service.`;
    out.push(...found);
  }
  return out;
}

/** Upstream's reference-validation wording for routes that are not as the Rollout describes. */
const invalidRoutes = (kind: 'HTTP' | 'TLS' | 'TCP', error: string) => ({
  invalid: `Istio VirtualService has invalid ${kind} routes. Error: ${error}`,
});

/**
 * The VirtualService with weights set on its configured routes and the managed routes brought
 * to `desired.routes`; `invalid` (upstream's InvalidSpec detail) when a configured route is
 * missing or lacks the canary or stable destination.
 */
export function desiredVirtualService(
  rollout: Rollout,
  vs: VirtualService,
  config: VirtualServiceConfig,
  ctx: { desired: DesiredTraffic; destinationRuleHost?: string },
): { vs: VirtualService } | { invalid: string } {
  const s = sides(rollout);
  const subsetLevel = rollout.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule !== undefined;
  const managedNames = new Set(
    (rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((m) => m.name),
  );
  const spec = structuredClone(vs.spec ?? {});
  const http = (spec.http ?? []).filter((r) => !managedNames.has(r.name ?? ''));
  const weight = ctx.desired.weight;
  let first: IstioRoute | undefined;
  if (spec.http) {
    const indexes = httpRouteIndexes(config.routes ?? [], http, managedNames);
    if (typeof indexes === 'string') return invalidRoutes('HTTP', indexes);
    for (const i of indexes) {
      const problem = routeDestinationProblem(http[i] as IstioRoute, s, subsetLevel);
      if (problem) return invalidRoutes('HTTP', problem);
      http[i] = weightedRoute(http[i] as IstioRoute, s, weight, ctx.desired.additional);
      first ??= http[i];
    }
  }
  for (const kind of ['tls', 'tcp'] as const) {
    const routes = spec[kind];
    const wanted = kind === 'tls' ? config.tlsRoutes : config.tcpRoutes;
    if (!routes || !wanted?.length) continue;
    const indexes = portRouteIndexes(kind, wanted, routes);
    const kindName = kind === 'tls' ? 'TLS' : 'TCP';
    if (typeof indexes === 'string') return invalidRoutes(kindName, indexes);
    for (const i of indexes) {
      const problem = routeDestinationProblem(routes[i] as IstioRoute, s, subsetLevel);
      if (problem) return invalidRoutes(kindName, problem);
      routes[i] = weightedRoute(
        routes[i] as IstioRoute,
        s,
        weight,
        kind === 'tls' ? ctx.desired.additional : [],
      );
    }
  }
  if (spec.http) {
    const canaryHost = ctx.destinationRuleHost || s.canaryService;
    const port = first?.route?.find((d) => isCanary(d, s))?.destination.port?.number;
    const managed: IstioRoute[] = [];
    for (const name of managedNames) {
      const header = ctx.desired.routes.header.find((r) => r.name === name);
      if (header) managed.push(headerRoute(header, { host: canaryHost, subset: s.canarySubset, port }));
      const mirror = ctx.desired.routes.mirror.find((r) => r.name === name);
      if (mirror)
        managed.push(mirrorRoute(mirror, { host: canaryHost, subset: s.canarySubset, port }, first));
    }
    spec.http = [...managed, ...http];
  }
  return { vs: { ...vs, spec } };
}

/** The DestinationRule: canary, stable and experiment (Service-named) subsets select their hash. */
export function desiredDestinationRule(
  rollout: Rollout,
  dr: DestinationRule,
  desired: DesiredTraffic,
): DestinationRule {
  const config = rollout.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  const experiment = new Map(
    desired.additional.flatMap((d) => (d.serviceName ? [[d.serviceName, d.podTemplateHash ?? '']] : [])),
  );
  const subsets = (dr.spec?.subsets ?? []).map((subset) => {
    const hash =
      subset.name === config?.canarySubsetName
        ? desired.canaryHash
        : subset.name === config?.stableSubsetName
          ? desired.stableHash
          : experiment.get(subset.name);
    if (hash === undefined) return subset;
    const { [POD_TEMPLATE_HASH_LABEL]: _old, ...labels } = subset.labels ?? {};
    return { ...subset, labels: hash ? { ...labels, [POD_TEMPLATE_HASH_LABEL]: hash } : labels };
  });
  for (const [name, hash] of experiment)
    if (!subsets.some((s) => s.name === name))
      subsets.push({ name, labels: { [POD_TEMPLATE_HASH_LABEL]: hash } });
  // An experiment's subset goes with its Experiment. Upstream drops every subset that is not the
  // canary's, the stable's or a current experiment's; we drop only those shaped as we add them
  // (a pod-template-hash label and nothing else), so a subset of the user's own stays.
  const current = (name: string) =>
    name === config?.canarySubsetName || name === config?.stableSubsetName || experiment.has(name);
  const leftover = (s: (typeof subsets)[number]) =>
    !current(s.name) &&
    Object.keys(s).every((k) => k === 'name' || k === 'labels') &&
    Object.keys(s.labels ?? {}).length === 1 &&
    s.labels?.[POD_TEMPLATE_HASH_LABEL] !== undefined;
  return {
    ...dr,
    metadata: {
      ...dr.metadata,
      annotations: {
        ...dr.metadata.annotations,
        [MANAGED_BY_ROLLOUTS_ANNOTATION]: rollout.metadata.name ?? '',
      },
    },
    spec: { ...dr.spec, subsets: subsets.filter((s) => !leftover(s)) },
  };
}

function destinationRuleRef(rollout: Rollout): ObjectRef | undefined {
  const dr = rollout.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  return dr
    ? istioRef('destinationrules', 'DestinationRule', rollout.metadata.namespace ?? '', dr.name)
    : undefined;
}

function plan(rollout: Rollout, live: LiveObjects, desired: DesiredTraffic): RouterPlan {
  const out: RouterPlan = { writes: [], events: [] };
  const namespace = rollout.metadata.namespace ?? '';
  const drRef = destinationRuleRef(rollout);
  let drHost: string | undefined;
  if (drRef) {
    const dr = live.get(refKey(drRef)) as DestinationRule | undefined;
    if (!dr) {
      const error = invalidRef(
        'spec.strategy.canary.trafficRouting.istio.destinationRule.name',
        drRef.name,
        notFound(drRef),
      );
      const event = {
        type: 'Warning' as const,
        reason: 'DestinationRuleNotFound',
        message: `DestinationRule \`${drRef.name}\` not found`,
      };
      return { ...out, problem: { kind: 'reference', error, event } };
    }
    drHost = dr.spec?.host;
    const writes = updateIfChanged(drRef, dr, desiredDestinationRule(rollout, dr, desired));
    out.writes.push(...writes);
    if (writes.length > 0) {
      const c = rollout.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule;
      out.events.push({
        type: 'Normal',
        reason: 'UpdatedDestinationRule',
        message: `DestinationRule ${drRef.name} subset updated (${c?.canarySubsetName}: ${desired.canaryHash}, ${c?.stableSubsetName}: ${desired.stableHash})`,
      });
    }
  }
  for (const { config, field } of virtualServices(rollout)) {
    const ref = virtualServiceRef(namespace, config.name ?? '');
    const vs = live.get(refKey(ref)) as VirtualService | undefined;
    if (!vs) {
      const error = invalidRef(field, config.name ?? '', notFound(ref));
      const event = {
        type: 'Warning' as const,
        reason: 'VirtualServiceNotFound',
        message: `VirtualService \`${ref.name}\` not found`,
      };
      return { ...out, problem: { kind: 'reference', error, event } };
    }
    const next = desiredVirtualService(rollout, vs, config, { desired, destinationRuleHost: drHost });
    if ('invalid' in next) {
      return { ...out, problem: { kind: 'reference', error: invalidRef(field, ref.name, next.invalid) } };
    }
    const writes = updateIfChanged(ref, vs, next.vs);
    if (writes.length > 0) {
      out.writes.push(...writes);
      out.events.push({
        type: 'Normal',
        reason: 'Updated VirtualService',
        message: `VirtualService \`${ref.name}\` set to desiredWeight '${desired.weight}'`,
      });
    }
  }
  return out;
}

export const istioRouter: TrafficRouter = {
  type: 'Istio',
  configKey: 'istio',
  configured: (rollout) => rollout.spec.strategy?.canary?.trafficRouting?.istio !== undefined,
  refs(rollout) {
    const namespace = rollout.metadata.namespace ?? '';
    const dr = destinationRuleRef(rollout);
    return [
      ...(dr ? [dr] : []),
      ...virtualServices(rollout).map(({ config }) => virtualServiceRef(namespace, config.name ?? '')),
    ];
  },
  plan,
};
