// The canary half of Rollout validation (upstream ValidateRolloutStrategyCanary): maxSurge and
// maxUnavailable, the Services, traffic routing, and each step with its routes. Field paths and
// texts as upstream, `spec.strategy.<field>` without `canary` included (see validate.ts).
import type { CanaryStep, IntOrString, Rollout } from '@rollout-kit/api';
import { intOrPercentCount, InvalidIntOrPercentError } from '../canary/replicas.ts';
import { pauseDurationSeconds } from '../canary/steps.ts';
import { GATEWAY_API_PLUGIN } from '../traffic/gateway-api.ts';
import { invalid, required, type FieldError } from './field-error.ts';
import { MESSAGES } from './validation-messages.ts';

type Spec = Rollout['spec'];

/** Upstream's zero test: a valid percentage's number, otherwise Go's IntValue (0 if not numeric). */
function fencepostValue(v: IntOrString): number {
  if (typeof v === 'number') return v;
  if (/^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return /^[-+]?[0-9]+$/.test(v) ? Number(v) : 0;
}

function stepKinds(step: CanaryStep): string {
  const set = (v: unknown) => v === undefined;
  return (
    `step.Experiment: ${set(step.experiment)} step.Pause: ${set(step.pause)} step.SetWeight: ${set(step.setWeight)} ` +
    `step.Analysis: ${set(step.analysis)} step.SetCanaryScale: ${set(step.setCanaryScale)} ` +
    `step.SetHeaderRoute: ${set(step.setHeaderRoute)} step.SetMirrorRoute: ${set(step.setMirrorRoute)} ` +
    `step.Plugin: ${set(step.plugin)}`
  );
}

function validateStep(spec: Spec, step: CanaryStep, i: number): FieldError[] {
  const canary = spec.strategy?.canary ?? {};
  const tr = canary.trafficRouting;
  const path = `spec.strategy.steps[${i}]`;
  const errors: FieldError[] = [];
  const main = [step.setWeight, step.pause, step.experiment, step.analysis].filter((v) => v !== undefined);
  if (main.length > 1) {
    const value = `step.Experiment: ${step.experiment !== undefined} step.Pause: ${step.pause !== undefined} step.SetWeight: ${step.setWeight !== undefined} step.Analysis: ${step.analysis !== undefined}`;
    errors.push(invalid(path, value, MESSAGES.step));
  }
  const kinds = [
    step.setWeight,
    step.pause,
    step.experiment,
    step.analysis,
    step.setCanaryScale,
    step.setHeaderRoute,
  ];
  if ([...kinds, step.setMirrorRoute, step.plugin].every((v) => v === undefined)) {
    errors.push(invalid(path, stepKinds(step), MESSAGES.step));
  }
  const maxW = tr?.maxTrafficWeight ?? 100;
  if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > maxW)) {
    errors.push(invalid(`${path}.setWeight`, step.setWeight, MESSAGES.setWeight(maxW)));
  }
  if (step.pause !== undefined) {
    const seconds = pauseDurationSeconds(step.pause.duration);
    if (seconds < 0) errors.push(invalid(`${path}.pause.duration`, seconds, MESSAGES.duration));
  }
  if (step.setCanaryScale !== undefined && !tr) {
    errors.push(required('spec.strategy.trafficRouting', MESSAGES.setCanaryScale));
  }
  if (step.setHeaderRoute !== undefined && !(tr?.istio || tr?.alb || tr?.apisix || tr?.plugins)) {
    errors.push(invalid(`${path}.setHeaderRoute`, step.setHeaderRoute, MESSAGES.setHeaderRoute));
  }
  // Not upstream: our built-in Gateway API router mirrors too, so its plugin config is accepted.
  if (step.setMirrorRoute !== undefined && !tr?.istio && !tr?.plugins?.[GATEWAY_API_PLUGIN]) {
    errors.push(invalid(`${path}.setMirrorRoute`, step.setMirrorRoute, MESSAGES.setMirrorRoute));
  }
  errors.push(...routeMatchErrors(step, path, tr?.alb !== undefined));
  if (tr && (step.setHeaderRoute || step.setMirrorRoute)) {
    if (!tr.managedRoutes) {
      const message = MESSAGES.missingField('spec.strategy.canary.trafficRouting.managedRoutes');
      errors.push(required('spec.strategy.trafficRouting.managedRoutes', message));
    } else {
      for (const [kind, route] of [
        ['setHeaderRoute', step.setHeaderRoute],
        ['setMirrorRoute', step.setMirrorRoute],
      ] as const) {
        const name = route?.name;
        if (route && !tr.managedRoutes.some((r) => r.name === name)) {
          errors.push(invalid(`${path}.${kind}`, name ?? '', MESSAGES.routeNotManaged));
        }
      }
    }
  }
  (step.experiment?.templates ?? []).forEach((t, j) => {
    if (t.weight !== undefined && !tr) {
      errors.push(invalid(`${path}.experiment.templates[${j}].weight`, t.weight, MESSAGES.experimentWeight));
    } else if (t.weight !== undefined && tr && !tr.smi && !tr.alb && !tr.istio) {
      // Only these routers take additional destinations upstream.
      const field = `${path}.experiment.templates[${j}].weight`;
      errors.push(invalid(field, t.weight, MESSAGES.experimentWeightRouter));
    }
  });
  return errors;
}

type StringMatch = { exact?: string; regex?: string; prefix?: string };

/** Exactly one of exact/regex/prefix in each header or mirror match (ALB: exact only). */
function stringMatchError(
  match: StringMatch | undefined,
  field: string,
  albOnly: boolean,
): FieldError | undefined {
  if (albOnly) {
    if (!match) return invalid(field, null, MESSAGES.stringMatchMissing);
    return !match.exact || match.regex || match.prefix
      ? invalid(field, match, MESSAGES.headerRouteAlb)
      : undefined;
  }
  const set = [match?.exact, match?.regex, match?.prefix].filter((v) => v).length;
  if (set === 1) return undefined;
  return invalid(field, match ?? null, set > 1 ? MESSAGES.stringMatchMultiple : MESSAGES.stringMatchMissing);
}

function routeMatchErrors(step: CanaryStep, path: string, alb: boolean): FieldError[] {
  const errors: (FieldError | undefined)[] = [];
  (step.setHeaderRoute?.match ?? []).forEach((m, j) =>
    errors.push(stringMatchError(m.headerValue, `${path}.setHeaderRoute.match[${j}]`, alb)),
  );
  (step.setMirrorRoute?.match ?? []).forEach((m, j) => {
    const field = `${path}.setMirrorRoute.match[${j}]`;
    if (m.method) errors.push(stringMatchError(m.method, field, false));
    if (m.path) errors.push(stringMatchError(m.path, field, false));
  });
  return errors.filter((e): e is FieldError => e !== undefined);
}

/** Not upstream (it fails later, at the reference check): each router must name its objects. */
function routerTargetErrors(
  tr: NonNullable<NonNullable<Spec['strategy']>['canary']>['trafficRouting'],
): FieldError[] {
  const base = 'spec.strategy.canary.trafficRouting';
  const errors: FieldError[] = [];
  if (tr?.nginx && !tr.nginx.stableIngress && !tr.nginx.stableIngresses?.length)
    errors.push(required(`${base}.nginx`, MESSAGES.routerTarget('NGINX', 'stableIngress, stableIngresses')));
  if (tr?.istio && !tr.istio.virtualService && !tr.istio.virtualServices?.length)
    errors.push(required(`${base}.istio`, MESSAGES.routerTarget('Istio', 'virtualService, virtualServices')));
  if (tr?.alb && !tr.alb.ingress && !tr.alb.ingresses?.length)
    errors.push(required(`${base}.alb`, MESSAGES.routerTarget('ALB', 'ingress, ingresses')));
  const gateway = tr?.plugins?.[GATEWAY_API_PLUGIN] as Record<string, unknown> | undefined;
  if (gateway && !['httpRoute', 'httpRoutes', 'grpcRoute', 'grpcRoutes'].some((k) => gateway[k])) {
    errors.push(
      required(
        `${base}.plugins.${GATEWAY_API_PLUGIN}`,
        MESSAGES.routerTarget('Gateway API', 'httpRoute, httpRoutes, grpcRoute, grpcRoutes'),
      ),
    );
  }
  return errors;
}

export function validateCanary(spec: Spec): FieldError[] {
  const canary = spec.strategy?.canary;
  if (!canary) return [];
  const errors: FieldError[] = [];
  const surge = canary.maxSurge ?? '25%';
  const unavailable = canary.maxUnavailable ?? '25%';
  if (fencepostValue(surge) === 0 && fencepostValue(unavailable) === 0) {
    errors.push(invalid('spec.strategy.maxSurge', surge, MESSAGES.maxSurgeMaxUnavailable));
  }
  // Not an upstream check: upstream silently treats an unparseable value as 0; we name the field.
  for (const [name, value] of [
    ['maxSurge', canary.maxSurge],
    ['maxUnavailable', canary.maxUnavailable],
  ] as const) {
    if (value === undefined) continue;
    try {
      intOrPercentCount(value, 100, true);
    } catch (e) {
      if (!(e instanceof InvalidIntOrPercentError)) throw e;
      errors.push(invalid(`spec.strategy.canary.${name}`, value, MESSAGES.intOrPercent));
    }
  }
  if (canary.canaryService && canary.stableService && canary.canaryService === canary.stableService) {
    errors.push(invalid('spec.strategy.stableService', canary.stableService, MESSAGES.duplicateCanary));
  }
  const tr = canary.trafficRouting;
  const needsServices =
    tr &&
    ((tr.alb && !canary.pingPong) ||
      (tr.istio && !tr.istio.destinationRule) ||
      tr.smi ||
      tr.apisix ||
      tr.ambassador ||
      tr.nginx ||
      tr.appMesh ||
      tr.traefik);
  if (needsServices) {
    if (!canary.stableService) {
      errors.push(invalid('spec.strategy.stableService', '', MESSAGES.trafficRoutingServices));
    }
    if (!canary.canaryService) {
      errors.push(invalid('spec.strategy.canaryService', '', MESSAGES.trafficRoutingServices));
    }
  }
  if (!tr) {
    if (canary.scaleDownDelaySeconds !== undefined) {
      errors.push(
        invalid('spec.strategy.scaleDownDelaySeconds', canary.scaleDownDelaySeconds, MESSAGES.scaleDownDelay),
      );
    }
    if (canary.dynamicStableScale) {
      errors.push(invalid('spec.strategy.dynamicStableScale', true, MESSAGES.dynamicStableScale));
    }
  } else {
    if (canary.scaleDownDelaySeconds !== undefined && canary.dynamicStableScale) {
      errors.push(invalid('spec.strategy.dynamicStableScale', true, MESSAGES.dynamicWithDelay));
    }
    if (tr.maxTrafficWeight !== undefined && !tr.nginx && Object.keys(tr.plugins ?? {}).length === 0) {
      errors.push(
        invalid(
          'spec.strategy.trafficRouting.maxTrafficWeight',
          tr.maxTrafficWeight,
          MESSAGES.maxTrafficWeight,
        ),
      );
    }
  }
  errors.push(...routerTargetErrors(tr));
  (canary.steps ?? []).forEach((step, i) => errors.push(...validateStep(spec, step, i)));
  return errors;
}
