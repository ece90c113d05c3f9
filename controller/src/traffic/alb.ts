// AWS ALB: the AWS Load Balancer Controller reads a forward action from an Ingress annotation
// `<prefix>/actions.<rootService>` (prefix default alb.ingress.kubernetes.io; rootService
// default the stable Service): target groups for the canary and stable Services on servicePort
// with their weights. Header routes add `actions.<route>` and `conditions.<route>` annotations
// and, in every rule, a path whose backend is the action (`<route>`, port `use-annotation`).
// Every annotation the Rollout manages is listed in rollouts.argoproj.io/managed-alb-actions
// (upstream alb.go). Verifying the weights against AWS target groups is out of scope.
import type { Rollout, SetHeaderRoute } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import {
  hasRuleWithService,
  ingressRef,
  type Ingress,
  type IngressPath,
  type IngressRule,
} from './ingress.ts';
import {
  invalidRef,
  notFound,
  refKey,
  updateIfChanged,
  type RouterPlan,
  type TrafficRouter,
} from './router.ts';

export const DEFAULT_ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io';
export const MANAGED_ALB_ACTIONS_ANNOTATION = 'rollouts.argoproj.io/managed-alb-actions';

type AlbConfig = NonNullable<
  NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['trafficRouting']
>['alb'];

function albConfig(rollout: Rollout): NonNullable<AlbConfig> | undefined {
  return rollout.spec.strategy?.canary?.trafficRouting?.alb;
}

function albIngresses(rollout: Rollout): string[] {
  const alb = albConfig(rollout);
  if (alb?.ingresses?.length) return alb.ingresses;
  return alb?.ingress ? [alb.ingress] : [];
}

/** The Services the action names: ping/pong when pingPong is used, else stable/canary. */
function services(rollout: Rollout): { stable: string; canary: string } {
  const canary = rollout.spec.strategy?.canary;
  if (canary?.pingPong)
    return { stable: canary.pingPong.pingService ?? '', canary: canary.pingPong.pongService ?? '' };
  return { stable: canary?.stableService ?? '', canary: canary?.canaryService ?? '' };
}

const prefixOf = (rollout: Rollout) => albConfig(rollout)?.annotationPrefix || DEFAULT_ALB_ANNOTATION_PREFIX;
const actionService = (rollout: Rollout) => albConfig(rollout)?.rootService || services(rollout).stable;

export const actionAnnotationKey = (rollout: Rollout, name = actionService(rollout)) =>
  `${prefixOf(rollout)}/actions.${name}`;
export const conditionAnnotationKey = (rollout: Rollout, name: string) =>
  `${prefixOf(rollout)}/conditions.${name}`;

function stickiness(rollout: Rollout) {
  const s = albConfig(rollout)?.stickinessConfig;
  return s?.enabled
    ? { TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: s.durationSeconds } }
    : {};
}

/** The forward action JSON: canary, experiment destinations, then stable with the rest of 100. */
export function forwardAction(rollout: Rollout, desired: DesiredTraffic): string {
  const { stable, canary } = services(rollout);
  const port = String(albConfig(rollout)?.servicePort ?? 0);
  const extra = desired.additional.reduce((sum, d) => sum + d.weight, 0);
  const groups = [
    { ServiceName: canary, ServicePort: port, Weight: desired.weight },
    ...desired.additional.map((d) => ({
      ServiceName: d.serviceName ?? '',
      ServicePort: port,
      Weight: d.weight,
    })),
    { ServiceName: stable, ServicePort: port, Weight: 100 - desired.weight - extra },
  ];
  return JSON.stringify({ Type: 'forward', ForwardConfig: { TargetGroups: groups, ...stickiness(rollout) } });
}

function headerAction(rollout: Rollout): string {
  const port = String(albConfig(rollout)?.servicePort ?? 0);
  const groups = [{ ServiceName: services(rollout).canary, ServicePort: port, Weight: 100 }];
  return JSON.stringify({ Type: 'forward', ForwardConfig: { TargetGroups: groups, ...stickiness(rollout) } });
}

function headerConditions(route: SetHeaderRoute): string {
  return JSON.stringify(
    (route.match ?? []).map((m) => ({
      Field: 'http-header',
      HttpHeaderConfig: { HttpHeaderName: m.headerName, Values: [m.headerValue.exact ?? ''] },
    })),
  );
}

/** The annotations after this pass: the forward action, managed header routes, the managed list. */
export function desiredAlbAnnotations(
  rollout: Rollout,
  current: Record<string, string> | undefined,
  desired: DesiredTraffic,
): Record<string, string> {
  const out = new Map(Object.entries(current ?? {}));
  let managedMap: Record<string, string[]> = {};
  try {
    const parsed: unknown = JSON.parse(out.get(MANAGED_ALB_ACTIONS_ANNOTATION) ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) managedMap = parsed as Record<string, string[]>;
  } catch {
    // An unreadable list is rebuilt from what this Rollout manages.
  }
  const mine = new Set(managedMap[rollout.metadata.name ?? ''] ?? []);
  const action = actionAnnotationKey(rollout);
  out.set(action, forwardAction(rollout, desired));
  mine.add(action);
  for (const { name } of rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []) {
    const keys = [actionAnnotationKey(rollout, name), conditionAnnotationKey(rollout, name)];
    const route = desired.routes.header.find((r) => r.name === name);
    if (route) {
      out.set(keys[0] as string, headerAction(rollout));
      out.set(keys[1] as string, headerConditions(route));
      keys.forEach((k) => mine.add(k));
    } else {
      keys.forEach((k) => {
        out.delete(k);
        mine.delete(k);
      });
    }
  }
  managedMap[rollout.metadata.name ?? ''] = [...mine];
  out.set(MANAGED_ALB_ACTIONS_ANNOTATION, JSON.stringify(managedMap));
  return Object.fromEntries(out);
}

/** The path the AWS Load Balancer Controller reads as "use the `actions.<route>` annotation". */
export function annotationPath(route: string): IngressPath {
  return {
    path: '/*',
    pathType: 'ImplementationSpecific',
    backend: { service: { name: route, port: { name: 'use-annotation' } } },
  };
}

/**
 * The Ingress rules with a header route's action reachable: an active managed header route
 * without a path yet gets `annotationPath` first in every rule; an inactive one loses its path.
 * Managed paths then lead in managedRoutes order (their precedence), other paths keep theirs.
 * Example (managedRoutes [a, b], both active): paths [/ → stable] → [a, b, / → stable].
 */
export function rulesWithHeaderRoutes(
  rollout: Rollout,
  rules: readonly IngressRule[],
  active: readonly SetHeaderRoute[],
): IngressRule[] {
  const managed = (rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((m) => m.name);
  const next = structuredClone(rules) as IngressRule[];
  const hasPath = (name: string) =>
    next.some((rule) => (rule.http?.paths ?? []).some((p) => p.backend.service?.name === name));
  for (const name of managed) {
    const on = active.some((r) => r.name === name);
    if (on && !hasPath(name)) {
      for (const rule of next) rule.http?.paths.unshift(annotationPath(name));
    } else if (!on) {
      for (const rule of next) {
        const paths = rule.http?.paths ?? [];
        const i = paths.findIndex((p) => p.backend.service?.name === name);
        if (i >= 0) paths.splice(i, 1);
      }
    }
  }
  const rank = (p: IngressPath) => {
    const i = managed.indexOf(p.backend.service?.name ?? '');
    return i < 0 ? managed.length : i;
  };
  for (const rule of next) rule.http?.paths.sort((a, b) => rank(a) - rank(b)); // stable sort
  return next;
}

function plan(rollout: Rollout, live: ReadonlyMap<string, unknown>, desired: DesiredTraffic): RouterPlan {
  const out: RouterPlan = { writes: [], events: [] };
  const namespace = rollout.metadata.namespace ?? '';
  const field = albConfig(rollout)?.ingresses?.length
    ? 'spec.strategy.canary.trafficRouting.alb.ingresses'
    : 'spec.strategy.canary.trafficRouting.alb.ingress';
  // Upstream's reference validation: every Ingress exists and reaches the action Service.
  const ingresses: [string, Ingress][] = [];
  for (const name of albIngresses(rollout)) {
    const ref = ingressRef(namespace, name);
    const ingress = live.get(refKey(ref)) as Ingress | undefined;
    if (!ingress)
      return { ...out, problem: { kind: 'reference', error: invalidRef(field, name, notFound(ref)) } };
    const service = actionService(rollout);
    if (!hasRuleWithService(ingress, service)) {
      const detail = `ingress \`${name}\` has no rules using service ${service} backend`;
      return { ...out, problem: { kind: 'reference', error: invalidRef(field, name, detail) } };
    }
    ingresses.push([name, ingress]);
  }
  for (const [name, ingress] of ingresses) {
    const ref = ingressRef(namespace, name);
    const annotations = desiredAlbAnnotations(rollout, ingress.metadata.annotations, desired);
    const spec = ingress.spec?.rules
      ? { ...ingress.spec, rules: rulesWithHeaderRoutes(rollout, ingress.spec.rules, desired.routes.header) }
      : ingress.spec;
    const writes = updateIfChanged(ref, ingress, {
      ...ingress,
      metadata: { ...ingress.metadata, annotations },
      ...(spec ? { spec } : {}),
    });
    if (writes.length > 0) {
      out.writes.push(...writes);
      out.events.push({
        type: 'Normal',
        reason: 'PatchingALBIngress',
        message: `Updating Ingress \`${name}\` to desiredWeight '${desired.weight}'`,
      });
    }
  }
  return out;
}

export const albRouter: TrafficRouter = {
  type: 'ALB',
  configKey: 'alb',
  configured: (rollout) => albConfig(rollout) !== undefined,
  refs: (rollout) => albIngresses(rollout).map((name) => ingressRef(rollout.metadata.namespace ?? '', name)),
  plan,
};
