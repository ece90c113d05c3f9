// Which pod-template hash the canary and stable Services select, and when they switch. Upstream
// (rollout/service.go ensureSVCTargets) patches only the hash key of the Service's selector and
// marks the Service with the managed-by annotation; it never points a Service at a ReplicaSet with
// no available pod, and it adopts a Service it does not manage yet only once the ReplicaSet is
// fully available, so that taking over a live Service never sends its traffic to too few pods.
import type { ObjectMeta, Rollout } from '@rollout-kit/api';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';

/** The core/v1 Service fields the controller reads. */
export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { selector?: Record<string, string> };
}

/** Services by name, as the switch logic and the reference validation read them. */
export function servicesByName(services: readonly Service[]): Record<string, ServiceView> {
  const out: Record<string, ServiceView> = {};
  for (const s of services) {
    const name = s.metadata.name;
    if (name) out[name] = { name, annotations: s.metadata.annotations, selector: s.spec?.selector };
  }
  return out;
}

/** A Service as the selector logic reads it. */
export interface ServiceView {
  name: string;
  annotations?: Record<string, string>;
  selector?: Record<string, string>;
}

/** One Service to patch: its selector's hash key becomes `hash`, managed by `rollout`. */
export interface ServiceSwitch {
  service: string;
  from: string | undefined;
  hash: string;
  rollout: string;
}

/** Whether every replica the RS wants is available (and it wants some or none at all). */
const fullyAvailable = (rs: ReplicaSet) => (rs.status?.availableReplicas ?? 0) >= (rs.spec?.replicas ?? 1);
const partiallyAvailable = (rs: ReplicaSet) => (rs.status?.availableReplicas ?? 0) > 0;

/**
 * The switch that points Service `service` at `rs`, or undefined when it already does, when
 * there is nothing to point at, or when the RS is not available enough yet (then the next
 * ReplicaSet status change brings the Rollout back).
 */
export function serviceSwitch(
  rollout: Pick<Rollout, 'metadata'>,
  service: ServiceView | undefined,
  rs: ReplicaSet | undefined,
): ServiceSwitch | undefined {
  if (!service || !rs) return undefined;
  const hash = hashOf(rs);
  const from = service.selector?.[POD_TEMPLATE_HASH_LABEL];
  if (!hash || from === hash) return undefined;
  const managed = service.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] !== undefined;
  if (!managed && !fullyAvailable(rs)) return undefined;
  if (!partiallyAvailable(rs)) return undefined;
  return { service: service.name, from, hash, rollout: rollout.metadata.name ?? '' };
}

/**
 * The Service switches of a canary without traffic routing: the stable Service follows the
 * stable RS, the canary Service the new RS (the stable one first, as upstream orders them).
 */
export function canaryServiceSwitches(input: {
  rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>;
  services: Readonly<Record<string, ServiceView>>;
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
}): ServiceSwitch[] {
  const canary = input.rollout.spec.strategy?.canary;
  if (!canary) return [];
  const lookup = (name: string | undefined) => (name ? input.services[name] : undefined);
  return [
    serviceSwitch(input.rollout, lookup(canary.stableService), input.stableRS),
    // An aborted canary sends its canary Service back to stable: nothing should reach the pods
    // being drained. With dynamicStableScale, only once the router's canary weight is down to 0.
    serviceSwitch(
      input.rollout,
      lookup(canary.canaryService),
      canaryServiceBackToStable(input.rollout) ? input.stableRS : input.newRS,
    ),
  ].filter((s): s is ServiceSwitch => s !== undefined);
}

function canaryServiceBackToStable(rollout: Pick<Rollout, 'spec' | 'status'>): boolean {
  if (!rollout.status?.abort) return false;
  const canary = rollout.spec.strategy?.canary;
  if (!canary?.trafficRouting || !canary.dynamicStableScale) return true;
  return (rollout.status.canary?.weights?.canary.weight ?? 0) === 0;
}

/** The JSON merge patch of a switch: only the hash key of the selector and the annotation. */
export function serviceSwitchPatch(s: ServiceSwitch): object {
  return {
    metadata: { annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: s.rollout } },
    spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: s.hash } },
  };
}

/** Keys of the Rollouts (of one namespace) that name Service `svc` in their strategy. */
export function rolloutsReferencingService(rollouts: readonly Rollout[], svc: Service): string[] {
  const name = svc.metadata.name;
  if (!name) return [];
  return rollouts
    .filter((r) => {
      const { canary, blueGreen } = r.spec.strategy ?? {};
      return [
        canary?.canaryService,
        canary?.stableService,
        blueGreen?.activeService,
        blueGreen?.previewService,
      ].includes(name);
    })
    .map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
}
