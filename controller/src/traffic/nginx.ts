// NGINX Ingress: ingress-nginx splits traffic through a second, "canary" Ingress beside the
// stable one. The controller derives it from each stable Ingress (upstream nginx.go): only the
// rules that reach the stable Service, pointed at the canary Service; TLS and the ingress class
// kept; `<prefix>/canary: "true"` and `<prefix>/canary-weight: "<w>"` (plus canary-weight-total
// with maxTrafficWeight); additionalIngressAnnotations for header or cookie routing; owned by
// the Rollout so it is garbage collected with it. Header routing is those annotations: upstream's
// setHeaderRoute is a no-op for NGINX.
import type { Rollout } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import { ingressRef, type Ingress, type IngressRule } from './ingress.ts';
import {
  controlledBy,
  invalidRef,
  notFound,
  rolloutOwner,
  refKey,
  updateIfChanged,
  type LiveObjects,
  type RouterPlan,
  type TrafficRouter,
} from './router.ts';

export const DEFAULT_NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';
const MAX_NAME = 253;
const CANARY_SUFFIX = '-canary';

/** `<rollout>-<stableIngress>-canary`, the prefix cut so the whole fits 253 characters. */
export function canaryIngressName(rolloutName: string, stableIngress: string): string {
  const prefix = `${rolloutName}-${stableIngress}`.slice(0, MAX_NAME - CANARY_SUFFIX.length);
  return `${prefix}${CANARY_SUFFIX}`;
}

/** The stable Ingresses the Rollout names: stableIngresses when set, else stableIngress. */
export function stableIngresses(rollout: Rollout): string[] {
  const nginx = rollout.spec.strategy?.canary?.trafficRouting?.nginx;
  if (nginx?.stableIngresses) return nginx.stableIngresses;
  return nginx?.stableIngress ? [nginx.stableIngress] : [];
}

/**
 * The canary Ingress for `stable` at `weight`, or the error upstream reports when no rule of
 * the stable Ingress reaches the stable Service.
 */
export function desiredCanaryIngress(
  rollout: Rollout,
  stable: Ingress,
  weight: number,
): { ingress: Ingress } | { error: string } {
  const canary = rollout.spec.strategy?.canary;
  const nginx = canary?.trafficRouting?.nginx;
  const prefix = nginx?.annotationPrefix || DEFAULT_NGINX_ANNOTATION_PREFIX;
  const stableService = canary?.stableService ?? '';
  const rules: IngressRule[] = [];
  for (const rule of stable.spec?.rules ?? []) {
    const copy = structuredClone(rule);
    let reachesStable = false;
    for (const path of copy.http?.paths ?? []) {
      if (path.backend.service?.name === stableService) {
        path.backend.service.name = canary?.canaryService ?? '';
        reachesStable = true;
      }
    }
    if (reachesStable) rules.push(copy);
  }
  const stableName = stable.metadata.name ?? '';
  if (rules.length === 0) {
    return { error: `ingress \`${stableName}\` has no rules using service ${stableService} backend` };
  }
  const annotations: Record<string, string> = {};
  // ingress-nginx matches a canary Ingress to its main one by class: keep it.
  const ingressClass = stable.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (ingressClass !== undefined) annotations['kubernetes.io/ingress.class'] = ingressClass;
  for (const [k, v] of Object.entries(nginx?.additionalIngressAnnotations ?? {})) {
    annotations[k.startsWith(prefix) ? k : `${prefix}/${k}`] = v;
  }
  for (const [k, v] of Object.entries(nginx?.canaryIngressAnnotations ?? {})) annotations[k] = v;
  // Always last: canary-by-header/cookie still take precedence inside ingress-nginx.
  annotations[`${prefix}/canary`] = 'true';
  annotations[`${prefix}/canary-weight`] = String(weight);
  const total = canary?.trafficRouting?.maxTrafficWeight;
  if (total !== undefined) annotations[`${prefix}/canary-weight-total`] = String(total);
  return {
    ingress: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: canaryIngressName(rollout.metadata.name ?? '', stableName),
        namespace: rollout.metadata.namespace,
        annotations,
        ownerReferences: [rolloutOwner(rollout)],
      },
      spec: {
        ...(stable.spec?.ingressClassName !== undefined
          ? { ingressClassName: stable.spec.ingressClassName }
          : {}),
        ...(stable.spec?.tls ? { tls: structuredClone(stable.spec.tls) } : {}),
        rules,
      },
    },
  };
}

/** The live canary Ingress brought to `desired`: annotations, labels and spec replaced. */
export function patchedCanaryIngress(live: Ingress, desired: Ingress): Ingress {
  const { annotations: _a, labels: _l, ...meta } = live.metadata;
  return {
    ...live,
    metadata: {
      ...meta,
      ...(desired.metadata.annotations ? { annotations: desired.metadata.annotations } : {}),
      ...(desired.metadata.labels ? { labels: desired.metadata.labels } : {}),
    },
    spec: desired.spec,
  };
}

function plan(rollout: Rollout, live: LiveObjects, desired: DesiredTraffic): RouterPlan {
  const namespace = rollout.metadata.namespace ?? '';
  const out: RouterPlan = { writes: [], events: [] };
  const field = rollout.spec.strategy?.canary?.trafficRouting?.nginx?.stableIngresses
    ? 'spec.strategy.canary.trafficRouting.nginx.stableIngresses'
    : 'spec.strategy.canary.trafficRouting.nginx.stableIngress';
  // Upstream's reference validation first (every stable Ingress exists and reaches the stable
  // Service: InvalidSpec), then the writes, where a foreign canary Ingress is only an error.
  const built: { ingress: Ingress }[] = [];
  for (const name of stableIngresses(rollout)) {
    const stableRef = ingressRef(namespace, name);
    const stable = live.get(refKey(stableRef)) as Ingress | undefined;
    if (!stable)
      return { ...out, problem: { kind: 'reference', error: invalidRef(field, name, notFound(stableRef)) } };
    const canary = desiredCanaryIngress(rollout, stable, desired.weight);
    if ('error' in canary)
      return { ...out, problem: { kind: 'reference', error: invalidRef(field, name, canary.error) } };
    built.push(canary);
  }
  for (const canary of built) {
    const canaryName = canary.ingress.metadata.name ?? '';
    const canaryRef = ingressRef(namespace, canaryName);
    const current = live.get(refKey(canaryRef)) as Ingress | undefined;
    if (!current) {
      out.writes.push({ op: 'create', ref: canaryRef, body: canary.ingress });
      out.events.push({
        type: 'Normal',
        reason: 'CreatingCanaryIngress',
        message: `Creating canary ingress \`${canaryName}\` with weight \`${desired.weight}\``,
      });
      continue;
    }
    if (!controlledBy(current, rollout)) {
      return {
        ...out,
        problem: {
          kind: 'error',
          message: `canary ingress \`${canaryName}\` controlled by different object`,
        },
      };
    }
    const writes = updateIfChanged(canaryRef, current, patchedCanaryIngress(current, canary.ingress));
    if (writes.length > 0) {
      out.writes.push(...writes);
      out.events.push({
        type: 'Normal',
        reason: 'PatchingCanaryIngress',
        message: `Updating Ingress \`${canaryName}\` to desiredWeight '${desired.weight}'`,
      });
    }
  }
  return out;
}

export const nginxRouter: TrafficRouter = {
  type: 'Nginx',
  configKey: 'nginx',
  configured: (rollout) => rollout.spec.strategy?.canary?.trafficRouting?.nginx !== undefined,
  refs(rollout) {
    const namespace = rollout.metadata.namespace ?? '';
    return stableIngresses(rollout).flatMap((name) => [
      ingressRef(namespace, name),
      ingressRef(namespace, canaryIngressName(rollout.metadata.name ?? '', name)),
    ]);
  },
  plan,
};
