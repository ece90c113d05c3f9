// The one interface every traffic router implements. A router names the objects it reads, then
// decides, from those objects as they are and the traffic wanted, what they should become:
// weights, header and mirror routes set or removed, ownership. Routers are pure: the adapter
// (reconcile/traffic-routing.ts) reads and writes the objects, so adding a router never touches
// the reconciler. Upstream's SetWeight/SetHeaderRoute/SetMirrorRoute/RemoveManagedRoutes calls
// collapse into one desired state here (the managed routes that should exist are computed from
// the steps), which makes every pass idempotent.
import type { ObjectMeta, OwnerReference, Rollout } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import type { FieldError } from '../rollout/validate.ts';

/** Where an object lives: enough to build its URL. */
export interface ObjectRef {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name as in the URL. */
  resource: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Any Kubernetes object a router reads or writes; the router knows its shape. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: unknown;
  [field: string]: unknown;
}

/** The objects read for a router, by `refKey`; undefined when the object does not exist. */
export type LiveObjects = ReadonlyMap<string, KubeObject | undefined>;

export const refKey = (ref: ObjectRef) => `${ref.resource}.${ref.group}/${ref.namespace}/${ref.name}`;

/** One write: create a missing object, or replace one (guarded by its resourceVersion). */
export type RouterWrite =
  { op: 'create'; ref: ObjectRef; body: KubeObject } | { op: 'update'; ref: ObjectRef; body: KubeObject };

/**
 * What keeps a router from doing its job, split as upstream 1.9 splits it:
 * - `reference`: what upstream checks at the start of every reconcile (getRolloutReferencedResources
 *   and ValidateRolloutReferencedResources): a named Ingress, VirtualService, DestinationRule or
 *   route that does not exist, an Ingress without a rule for the stable Service, a VirtualService
 *   route without the canary and stable destinations. InvalidSpec condition + Warning event,
 *   nothing is written, the stable version keeps serving.
 * - `error`: what upstream only meets while writing (a canary Ingress or TrafficSplit of that
 *   name owned by someone else, an HTTPRoute without the Services): a TrafficRoutingError event
 *   and the pass fails and is retried with back-off; the status is left as it was.
 */
export type RouterProblem =
  { kind: 'reference'; error: FieldError; event?: RolloutEvent } | { kind: 'error'; message: string };

export interface RouterPlan {
  writes: RouterWrite[];
  /** Events upstream records along with the writes (CreatingCanaryIngress, …). */
  events: RolloutEvent[];
  problem?: RouterProblem;
}

export interface TrafficRouter {
  /** Upstream's Type(): "Nginx", "Istio", "SMI", "GatewayAPI", "ALB". */
  type: string;
  /** Where its configuration sits under spec.strategy.canary.trafficRouting (for messages). */
  configKey: string;
  /** Whether the Rollout uses this router. */
  configured(rollout: Rollout): boolean;
  /** The objects to read before planning. */
  refs(rollout: Rollout): ObjectRef[];
  /** The writes that bring the live objects to `desired`, or the problem that prevents it. */
  plan(rollout: Rollout, live: LiveObjects, desired: DesiredTraffic): RouterPlan;
  /**
   * Whether the data plane carries the weight (status.canary.weights.verified); undefined when
   * the router cannot tell, which never holds a step.
   */
  verify?(rollout: Rollout, live: LiveObjects, desired: DesiredTraffic): boolean | undefined;
}

export const noChange = (): RouterPlan => ({ writes: [], events: [] });

/** The Rollout as a controller owner reference, as upstream sets on objects it creates. */
export function rolloutOwner(rollout: Pick<Rollout, 'metadata'>): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.metadata.name ?? '',
    uid: rollout.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether `obj` has the Rollout as its controller. */
export function controlledBy(obj: KubeObject, rollout: Pick<Rollout, 'metadata'>): boolean {
  return (obj.metadata.ownerReferences ?? []).some(
    (o) => o.controller === true && o.uid === rollout.metadata.uid,
  );
}

/** Deep equality of JSON values (key order ignored), to skip writes that change nothing. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** An `update` of `live` to `next` when they differ, else nothing. */
export function updateIfChanged(ref: ObjectRef, live: KubeObject, next: KubeObject): RouterWrite[] {
  return sameJson(live, next) ? [] : [{ op: 'update', ref, body: next }];
}

/** The k8s NotFound text, as upstream's reference checks quote it. */
export const notFound = (ref: ObjectRef) =>
  `${ref.resource}${ref.group ? `.${ref.group}` : ''} "${ref.name}" not found`;

export const invalidRef = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'Invalid value',
  field,
  value,
  detail,
});
