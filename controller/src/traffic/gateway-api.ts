// Gateway API, built in: configured as upstream's plugin is (trafficRouting.plugins
// ["argoproj-labs/gatewayAPI"] with httpRoute/httpRoutes, grpcRoute/grpcRoutes, namespace), so a
// Rollout written for Argo Rollouts with that plugin works unchanged. Weights go on the
// backendRefs of the canary and stable Services in every rule that has both. Managed header and
// mirror routes become rules named after the managedRoutes entry (HTTPRouteRule.name): the name
// is how a later pass finds them again, where the plugin keeps a ConfigMap instead.
import type { Rollout, SetHeaderRoute, SetMirrorRoute } from '@rollout-kit/api';
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

export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

interface BackendRef {
  name: string;
  port?: number;
  weight?: number;
  [field: string]: unknown;
}
interface HeaderMatch {
  type?: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}
export interface RouteRule {
  name?: string;
  matches?: { headers?: HeaderMatch[]; [field: string]: unknown }[];
  filters?: unknown[];
  backendRefs?: BackendRef[];
  [field: string]: unknown;
}
type Route = KubeObject & { spec?: { rules?: RouteRule[]; [field: string]: unknown } };

interface RouteConfig {
  kind: 'HTTPRoute' | 'GRPCRoute';
  name: string;
  useHeaderRoutes: boolean;
  field: string;
}

interface PluginConfig {
  httpRoute?: string;
  httpRoutes?: { name: string; useHeaderRoutes?: boolean }[];
  grpcRoute?: string;
  grpcRoutes?: { name: string; useHeaderRoutes?: boolean }[];
  namespace?: string;
}

function pluginConfig(rollout: Rollout): PluginConfig | undefined {
  const plugins = rollout.spec.strategy?.canary?.trafficRouting?.plugins;
  const config = plugins?.[GATEWAY_API_PLUGIN];
  return typeof config === 'object' && config !== null ? (config as PluginConfig) : undefined;
}

function routeConfigs(config: PluginConfig): RouteConfig[] {
  const base = `spec.strategy.canary.trafficRouting.plugins.${GATEWAY_API_PLUGIN}`;
  const out: RouteConfig[] = [];
  if (config.httpRoute)
    out.push({
      kind: 'HTTPRoute',
      name: config.httpRoute,
      useHeaderRoutes: true,
      field: `${base}.httpRoute`,
    });
  (config.httpRoutes ?? []).forEach((r, i) =>
    out.push({
      kind: 'HTTPRoute',
      name: r.name,
      useHeaderRoutes: r.useHeaderRoutes === true,
      field: `${base}.httpRoutes[${i}].name`,
    }),
  );
  if (config.grpcRoute)
    out.push({
      kind: 'GRPCRoute',
      name: config.grpcRoute,
      useHeaderRoutes: true,
      field: `${base}.grpcRoute`,
    });
  (config.grpcRoutes ?? []).forEach((r, i) =>
    out.push({
      kind: 'GRPCRoute',
      name: r.name,
      useHeaderRoutes: r.useHeaderRoutes === true,
      field: `${base}.grpcRoutes[${i}].name`,
    }),
  );
  return out;
}

function routeRef(rollout: Rollout, config: PluginConfig, route: RouteConfig): ObjectRef {
  return {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    resource: route.kind === 'HTTPRoute' ? 'httproutes' : 'grpcroutes',
    kind: route.kind,
    namespace: config.namespace || (rollout.metadata.namespace ?? ''),
    name: route.name,
  };
}

/** A StringMatch as a Gateway API header match (a prefix becomes an anchored expression). */
function headerMatch(name: string, m: { exact?: string; regex?: string; prefix?: string }): HeaderMatch {
  if (m.exact !== undefined) return { type: 'Exact', name, value: m.exact };
  if (m.regex !== undefined) return { type: 'RegularExpression', name, value: m.regex };
  return {
    type: 'RegularExpression',
    name,
    value: `^${(m.prefix ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`,
  };
}

/** The rule sending requests with the headers to the canary only. */
export function headerRule(route: SetHeaderRoute, canary: BackendRef): RouteRule {
  const headers = (route.match ?? []).map((m) => headerMatch(m.headerName, m.headerValue));
  return { name: route.name, matches: [{ headers }], backendRefs: [stripWeight(canary)] };
}

/** The rule keeping the weighted backends and mirroring matching requests to the canary. */
export function mirrorRule(route: SetMirrorRoute, canary: BackendRef, weighted: RouteRule): RouteRule {
  const matches = (route.match ?? []).map((m) => ({
    ...(m.path?.exact !== undefined
      ? { path: { type: 'Exact', value: m.path.exact } }
      : m.path?.prefix !== undefined
        ? { path: { type: 'PathPrefix', value: m.path.prefix } }
        : m.path?.regex !== undefined
          ? { path: { type: 'RegularExpression', value: m.path.regex } }
          : {}),
    ...(m.method?.exact !== undefined ? { method: m.method.exact } : {}),
    ...(m.headers ? { headers: Object.entries(m.headers).map(([k, v]) => headerMatch(k, v)) } : {}),
  }));
  const backendRef = stripWeight(canary);
  return {
    name: route.name,
    matches,
    filters: [
      {
        type: 'RequestMirror',
        requestMirror: {
          backendRef,
          ...(route.percentage !== undefined ? { percent: route.percentage } : {}),
        },
      },
    ],
    backendRefs: structuredClone(weighted.backendRefs ?? []),
  };
}

function stripWeight(ref: BackendRef): BackendRef {
  const { weight: _w, ...rest } = ref;
  return rest as BackendRef;
}

/**
 * The route's rules with weights set and the managed rules brought to `desired.routes`; an error
 * when no rule routes to both the canary and the stable Service.
 */
export function desiredRules(
  rollout: Rollout,
  rules: readonly RouteRule[],
  ctx: { desired: DesiredTraffic; kind: RouteConfig['kind']; useHeaderRoutes: boolean },
): { rules: RouteRule[] } | { error: string } {
  const canary = rollout.spec.strategy?.canary;
  const canaryName = canary?.canaryService ?? '';
  const stableName = canary?.stableService ?? '';
  const managedNames = (canary?.trafficRouting?.managedRoutes ?? []).map((m) => m.name);
  const { desired } = ctx;
  const plain = rules.filter((r) => !r.name || !managedNames.includes(r.name)).map((r) => structuredClone(r));
  let weighted: RouteRule | undefined;
  for (const rule of plain) {
    const refs = rule.backendRefs ?? [];
    if (!refs.some((b) => b.name === canaryName) || !refs.some((b) => b.name === stableName)) continue;
    for (const b of refs) {
      if (b.name === canaryName) b.weight = desired.weight;
      else if (b.name === stableName) b.weight = desired.maxWeight - desired.weight;
    }
    weighted ??= rule;
  }
  if (!weighted)
    return { error: `${ctx.kind} has no rule with backendRefs to both ${canaryName} and ${stableName}` };
  const canaryRef = (weighted.backendRefs ?? []).find((b) => b.name === canaryName) as BackendRef;
  const managed: RouteRule[] = [];
  if (ctx.useHeaderRoutes) {
    for (const name of managedNames) {
      const header = desired.routes.header.find((r) => r.name === name);
      if (header) managed.push(headerRule(header, canaryRef));
      const mirror = desired.routes.mirror.find((r) => r.name === name);
      if (mirror && ctx.kind === 'HTTPRoute') managed.push(mirrorRule(mirror, canaryRef, weighted));
    }
  }
  return { rules: [...managed, ...plain] };
}

function plan(rollout: Rollout, live: LiveObjects, desired: DesiredTraffic): RouterPlan {
  const out: RouterPlan = { writes: [], events: [] };
  const config = pluginConfig(rollout);
  if (!config) return out;
  const routes = routeConfigs(config).map((route) => {
    const ref = routeRef(rollout, config, route);
    return { route, ref, current: live.get(refKey(ref)) as Route | undefined };
  });
  // Every route must exist (InvalidSpec) before any is judged by its rules (an error only).
  const missing = routes.find((r) => !r.current);
  if (missing) {
    const error = invalidRef(missing.route.field, missing.route.name, notFound(missing.ref));
    return { ...out, problem: { kind: 'reference', error } };
  }
  for (const { route, ref, current } of routes) {
    if (!current) continue;
    const next = desiredRules(rollout, current.spec?.rules ?? [], {
      desired,
      kind: route.kind,
      useHeaderRoutes: route.useHeaderRoutes,
    });
    if ('error' in next)
      return {
        ...out,
        problem: { kind: 'error', message: `${route.kind} \`${route.name}\`: ${next.error}` },
      };
    const writes = updateIfChanged(ref, current, {
      ...current,
      spec: { ...current.spec, rules: next.rules },
    });
    if (writes.length > 0) {
      out.writes.push(...writes);
      out.events.push({
        type: 'Normal',
        reason: `Updated${route.kind}`,
        message: `${route.kind} \`${route.name}\` set to desiredWeight '${desired.weight}'`,
      });
    }
  }
  return out;
}

export const gatewayApiRouter: TrafficRouter = {
  type: 'GatewayAPI',
  configKey: `plugins.${GATEWAY_API_PLUGIN}`,
  configured: (rollout) => pluginConfig(rollout) !== undefined,
  refs(rollout) {
    const config = pluginConfig(rollout);
    return config ? routeConfigs(config).map((r) => routeRef(rollout, config, r)) : [];
  },
  plan,
};
