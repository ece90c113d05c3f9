// Rollout spec validation: the checks of Argo Rollouts v1.9 (pkg/apis/rollouts/validation), in
// upstream order and with upstream's field paths and texts, so the first error becomes the same
// InvalidSpec message. [quirk] Upstream names canary fields `spec.strategy.<field>` (without
// `canary`) and the strategy itself `spec.strategy.strategy`; clients may match on it, so we do too.
import type { AntiAffinity, CanaryStep, IntOrString, LabelSelector, Rollout } from '@rollout-kit/api';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { intOrPercentCount, InvalidIntOrPercentError } from '../canary/replicas.ts';
import { pauseDurationSeconds } from '../canary/steps.ts';
import { GATEWAY_API_PLUGIN } from '../traffic/gateway-api.ts';

/** A k8s field.Error: `<field>: <Type>[: <value>][: <detail>]`. */
export interface FieldError {
  type: 'Required value' | 'Invalid value' | 'Unsupported value' | 'Forbidden' | 'Internal error';
  field: string;
  value?: unknown;
  detail: string;
}

/** JSON as Go marshals the values we report: map keys sorted, LabelSelector in struct order. */
function goJsonValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJsonValue).join(',')}]`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v ?? null);
  const isEmpty = (x: unknown) =>
    x === undefined || (typeof x === 'object' && x !== null && Object.keys(x).length === 0);
  // The structs we print (LabelSelector, steps) mark every optional field omitempty.
  const keys = Object.keys(v).filter((k) => !isEmpty((v as Record<string, unknown>)[k]));
  const selectorOrder = ['matchLabels', 'matchExpressions'];
  keys.sort((a, b) => {
    if (selectorOrder.includes(a) && selectorOrder.includes(b))
      return selectorOrder.indexOf(a) - selectorOrder.indexOf(b);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return `{${keys.map((k) => `${JSON.stringify(k)}:${goJsonValue((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The text of a field error as Go's field.Error.Error() prints it. */
export function fieldErrorString(e: FieldError): string {
  let body: string = e.type;
  if (e.type === 'Invalid value' || e.type === 'Unsupported value') {
    const v = e.value;
    body += `: ${typeof v === 'number' || typeof v === 'boolean' ? String(v) : goJsonValue(v)}`;
  }
  return `${e.field}: ${body}${e.detail ? `: ${e.detail}` : ''}`;
}

/** The InvalidSpec condition message for the first error. */
export function invalidSpecMessage(rolloutName: string, error: FieldError): string {
  return `The Rollout "${rolloutName}" is invalid: ${fieldErrorString(error)}`;
}

const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'Invalid value',
  field,
  value,
  detail,
});
const required = (field: string, detail: string): FieldError => ({ type: 'Required value', field, detail });
const NONNEGATIVE = 'must be greater than or equal to 0';

export const MESSAGES = {
  missingField: (f: string) => `Rollout has missing field '${f}'`,
  setWeight: (max: number) => `SetWeight needs to be between 0 and ${max}`,
  duration: 'Duration needs to be greater than 0',
  maxSurgeMaxUnavailable: 'MaxSurge and MaxUnavailable both can not be zero',
  step: 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  strategy: 'Multiple Strategies can not be listed',
  duplicateBlueGreen:
    'This rollout uses the same service for the active and preview services, but two different services are required.',
  duplicateCanary:
    'This rollout uses the same service for the stable and canary services, but two different services are required.',
  antiAffinityStrategy: 'AntiAffinity must have exactly one strategy listed',
  antiAffinityWeight: 'AntiAffinity weight must be between 1-100',
  scaleDownLimit:
    "This rollout's revision history limit can not be smaller than the rollout's scale down limit",
  trafficRoutingServices: 'Canary service and Stable service must to be set to use Traffic Routing',
  scaleDownDelay: 'Canary scaleDownDelaySeconds can only be used with traffic routing',
  dynamicStableScale: 'Canary dynamicStableScale can only be used with traffic routing',
  dynamicWithDelay: 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
  maxTrafficWeight: 'Canary maxTrafficWeight in traffic routing only support in Nginx and Plugins',
  setCanaryScale: 'SetCanaryScale requires TrafficRouting to be set',
  setHeaderRoute: 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  setMirrorRoute: 'SetMirrorRoute requires TrafficRouting, supports Istio only',
  stringMatchMultiple: 'StringMatch match value must have exactly one of the following: exact, regex, prefix',
  stringMatchMissing:
    'StringMatch value missed, match value must have one of the following: exact, regex, prefix',
  headerRouteAlb: "SetHeaderRoute match value invalid. ALB supports 'exact' value only",
  routerTarget: (router: string, fields: string) => `${router} traffic routing needs one of ${fields}`,
  routeNotManaged:
    'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  experimentWeight: 'Experiment template weight cannot be set unless TrafficRouting is enabled',
  experimentWeightRouter:
    'Experiment template weight is only available for TrafficRouting with SMI, ALB, and Istio at this time',
  selectorMismatch: '`selector` does not match template `labels`',
  intOrPercent: 'must be an integer or a percentage (e.g. 1 or "25%")',
} as const;

type Spec = Rollout['spec'];

/** Whether `labels` satisfy `selector` (matchLabels and matchExpressions); undefined if malformed. */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean | undefined {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (values.length === 0) return undefined;
        if (!has || !values.includes(labels[e.key] ?? '')) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return undefined;
        if (has && values.includes(labels[e.key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return undefined;
    }
  }
  return true;
}

/** The operator and values rules of k8s ValidateLabelSelector (label syntax is not checked). */
function validateLabelSelector(selector: LabelSelector, field: string): FieldError[] {
  const errors: FieldError[] = [];
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const path = `${field}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) {
        errors.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) {
        const detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
        errors.push({ type: 'Forbidden', field: `${path}.values`, detail });
      }
    } else {
      errors.push(invalid(`${path}.operator`, e.operator, 'not a valid selector operator'));
    }
  });
  return errors;
}

function isEmptyTemplate(template: Spec['template']): boolean {
  if (!template) return true;
  const meta = template.metadata ?? {};
  const hasMeta = Object.keys(meta.labels ?? {}).length + Object.keys(meta.annotations ?? {}).length > 0;
  return !hasMeta && Object.keys(template.spec ?? {}).length === 0;
}

function validateTop(spec: Spec): FieldError[] {
  const errors: FieldError[] = [];
  const replicas = spec.replicas ?? 1;
  if (replicas < 0) errors.push(invalid('spec.replicas', replicas, NONNEGATIVE));
  if (!spec.workloadRef) {
    const selector = spec.selector;
    if (!selector) errors.push(required('spec.selector', MESSAGES.missingField('.spec.selector')));
    else {
      errors.push(...validateLabelSelector(selector, 'spec.selector'));
      const terms = Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length;
      if (terms === 0)
        errors.push(invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
    }
  }
  if (spec.workloadRef && !isEmptyTemplate(spec.template)) {
    errors.push({
      type: 'Internal error',
      field: 'spec.template',
      detail: 'template must be empty for workload reference rollout',
    });
  }
  if (!spec.workloadRef) errors.push(...validateTemplate(spec));
  const minReady = spec.minReadySeconds ?? 0;
  if (minReady < 0) errors.push(invalid('spec.minReadySeconds', minReady, NONNEGATIVE));
  const history = spec.revisionHistoryLimit ?? 10;
  if (history < 0) errors.push(invalid('spec.revisionHistoryLimit', history, NONNEGATIVE));
  const deadline = spec.progressDeadlineSeconds ?? 600;
  if (deadline < 0) errors.push(invalid('spec.progressDeadlineSeconds', deadline, NONNEGATIVE));
  if (deadline <= minReady) {
    errors.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errors;
}

/** The ReplicaSet template checks we reproduce: selector match, containers, restartPolicy. */
function validateTemplate(spec: Spec): FieldError[] {
  const errors: FieldError[] = [];
  const labels = spec.template?.metadata?.labels ?? {};
  const matches = spec.selector ? selectorMatches(spec.selector, labels) : true;
  if (matches === undefined) errors.push(invalid('spec.selector', spec.selector, 'invalid label selector'));
  else if (!matches) errors.push(invalid('spec.template.metadata.labels', labels, MESSAGES.selectorMismatch));
  const podSpec = spec.template?.spec;
  if (!Array.isArray(podSpec?.containers) || podSpec.containers.length === 0) {
    errors.push(required('spec.template.spec.containers', ''));
  }
  const restartPolicy = podSpec?.['restartPolicy'];
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errors.push({
      type: 'Unsupported value',
      field: 'spec.template.spec.restartPolicy',
      value: restartPolicy,
      detail: 'supported values: "Always"',
    });
  }
  return errors;
}

function validateAntiAffinity(a: AntiAffinity | undefined, field: string): FieldError[] {
  if (!a) return [];
  const errors: FieldError[] = [];
  const preferred = a.preferredDuringSchedulingIgnoredDuringExecution;
  const requiredRule = a.requiredDuringSchedulingIgnoredDuringExecution;
  if ((preferred === undefined) === (requiredRule === undefined)) {
    const value = `antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: ${preferred !== undefined} antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: ${requiredRule !== undefined}`;
    errors.push(invalid(field, value, MESSAGES.antiAffinityStrategy));
  }
  if (preferred && (preferred.weight < 1 || preferred.weight > 100)) {
    errors.push(invalid(`${field}.weight`, preferred.weight, MESSAGES.antiAffinityWeight));
  }
  return errors;
}

function validateBlueGreen(spec: Spec): FieldError[] {
  const bg = spec.strategy?.blueGreen;
  if (!bg) return [];
  const errors: FieldError[] = [];
  if (bg.activeService === (bg.previewService ?? '')) {
    errors.push(invalid('spec.strategy.activeService', bg.activeService, MESSAGES.duplicateBlueGreen));
  }
  const limit = bg.scaleDownDelayRevisionLimit;
  if (limit !== undefined && (spec.revisionHistoryLimit ?? 10) < limit) {
    errors.push(invalid('spec.strategy.scaleDownDelayRevisionLimit', limit, MESSAGES.scaleDownLimit));
  }
  return errors.concat(validateAntiAffinity(bg.antiAffinity, 'spec.strategy.antiAffinity'));
}

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

function validateCanary(spec: Spec): FieldError[] {
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
  return errors.concat(validateAntiAffinity(canary.antiAffinity, 'spec.strategy.antiAffinity'));
}

function validateStrategy(spec: Spec): FieldError[] {
  const { canary, blueGreen } = spec.strategy ?? {};
  if (!canary && !blueGreen) {
    const message = MESSAGES.missingField('.spec.strategy.canary or .spec.strategy.blueGreen');
    return [required('spec.strategy.strategy', message)];
  }
  if (canary && blueGreen) {
    return [invalid('spec.strategy.strategy', 'blueGreen: true canary: true', MESSAGES.strategy)];
  }
  return blueGreen ? validateBlueGreen(spec) : validateCanary(spec);
}

/** A Service as the reference check reads it. */
export interface ServiceInfo {
  annotations?: Record<string, string>;
  selector?: Record<string, string>;
}

/**
 * Checks of objects the Rollout references (upstream validation_references): each named Service
 * exists, is not managed by another Rollout, and its selector (the hash key aside) matches the
 * template labels. `services` holds the Services found, by name; a missing name is not found.
 */
export function validateReferences(
  rollout: Pick<Rollout, 'metadata' | 'spec'>,
  services: Readonly<Record<string, ServiceInfo>>,
): FieldError[] {
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  const refs: [string, string | undefined][] = [
    ['spec.strategy.blueGreen.activeService', blueGreen?.activeService],
    ['spec.strategy.blueGreen.previewService', blueGreen?.previewService],
    ['spec.strategy.canary.canaryService', canary?.canaryService],
    ['spec.strategy.canary.stableService', canary?.stableService],
  ];
  const errors: FieldError[] = [];
  const labels = rollout.spec.template?.metadata?.labels ?? {};
  for (const [field, name] of refs) {
    if (!name) continue;
    const svc = services[name];
    if (!svc) {
      errors.push(invalid(field, name, `service "${name}" not found`));
      continue;
    }
    const manager = svc.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION];
    if (manager !== undefined && manager !== rollout.metadata.name) {
      errors.push(invalid(field, name, `Service "${name}" is managed by another Rollout`));
    }
    for (const [k, v] of Object.entries(svc.selector ?? {}).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )) {
      if (k === POD_TEMPLATE_HASH_LABEL) continue;
      if (labels[k] !== v)
        errors.push(invalid(field, labels, `Service "${name}" has unmatch label "${k}" in rollout`));
    }
  }
  return errors;
}

/**
 * Every spec error, in upstream's order; the first one becomes the InvalidSpec condition.
 * With `services`, the referenced Services are checked after the spec (as upstream does).
 */
export function validateRollout(
  rollout: Pick<Rollout, 'metadata' | 'spec'>,
  services?: Readonly<Record<string, ServiceInfo>>,
): FieldError[] {
  const spec = rollout.spec;
  const errors = [...validateTop(spec), ...validateStrategy(spec)];
  if (services && errors.length === 0) errors.push(...validateReferences(rollout, services));
  return errors;
}
