// Rollout spec validation: the checks of Argo Rollouts v1.9 (pkg/apis/rollouts/validation), in
// upstream order and with upstream's field paths and texts, so the first error becomes the same
// InvalidSpec message. [quirk] Upstream names canary fields `spec.strategy.<field>` (without
// `canary`) and the strategy itself `spec.strategy.strategy`; clients may match on it, so we do too.
import type { AntiAffinity, LabelSelector, Rollout } from '@rollout-kit/api';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { invalid, NONNEGATIVE, required, type FieldError } from './field-error.ts';
import { validateCanary } from './validate-canary.ts';
import { MESSAGES } from './validation-messages.ts';

export { fieldErrorString, invalidSpecMessage, type FieldError } from './field-error.ts';
export { MESSAGES } from './validation-messages.ts';

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

function validateStrategy(spec: Spec): FieldError[] {
  const { canary, blueGreen } = spec.strategy ?? {};
  if (!canary && !blueGreen) {
    const message = MESSAGES.missingField('.spec.strategy.canary or .spec.strategy.blueGreen');
    return [required('spec.strategy.strategy', message)];
  }
  if (canary && blueGreen) {
    return [invalid('spec.strategy.strategy', 'blueGreen: true canary: true', MESSAGES.strategy)];
  }
  if (blueGreen) return validateBlueGreen(spec);
  return validateCanary(spec).concat(
    validateAntiAffinity(canary?.antiAffinity, 'spec.strategy.antiAffinity'),
  );
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
