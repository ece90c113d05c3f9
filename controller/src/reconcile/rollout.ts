// The Rollout reconciler: reads a Rollout and its ReplicaSets from the informer caches, asks the
// pure deciders what to do, and carries it out. One pass makes at most one structural change
// (create the new ReplicaSet, or scale one ReplicaSet), then writes the status once; the
// informers see the effect and queue the Rollout again, so every decision is made on what the
// cluster really did. Before that, a pass that adopts or releases ReplicaSets, or carries out
// the undo annotation, does only that. Services and ephemeral metadata follow the ReplicaSets'
// roles before any scaling; clean-up and restarts happen only on a pass with nothing to scale.
// The cluster changes themselves live in rollout-actions.ts. Canary only for now; blue-green
// slots in as another strategy here.
import type { Rollout, TrafficWeights } from '@rollout-kit/api';
import { INVALID_SPEC_RECHECK_SECONDS, SCALE_DOWN_DEADLINE_ANNOTATION } from '@rollout-kit/api';
import { scaleDownDelayPlan } from '../canary/scale-down-delay.ts';
import { canaryProgression } from '../canary/progression.ts';
import { nextScaleAction } from '../canary/scaling.ts';
import { canaryServiceSwitches, servicesByName, type Service, type ServiceView } from '../canary/services.ts';
import { currentStepHash } from '../canary/step-hash.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import type { HandlerResult } from '../kube/work-queue.ts';
import type { Logger } from '../observe/logger.ts';
import { canaryStatus } from '../rollout/canary-status.ts';
import { events as rolloutEvents, type RolloutEvent } from '../rollout/events.ts';
import { canaryEphemeralSyncs } from '../rollout/ephemeral-metadata.ts';
import { claimReplicaSets, replicaSetsToDelete, reusedRevision } from '../rollout/ownership.ts';
import { podTemplateHash } from '../rollout/pod-hash.ts';
import {
  countsOf,
  findByHash,
  hashOf,
  nextRevision,
  revisionOf,
  type ReplicaSet,
} from '../rollout/replica-set.ts';
import { findByTemplate, undoPlan } from '../rollout/undo.ts';
import { invalidSpecMessage, validateReferences, validateRollout } from '../rollout/validate.ts';
import {
  deploymentReplicas,
  resolveWorkload,
  workloadGeneration,
  type Deployment,
} from '../rollout/workload-ref.ts';
import type { RestartPlan } from '../rollout/restart.ts';
import { calculatePhase } from '../rollout/status.ts';
import {
  cacheIsStale,
  carryOutUndo,
  claimOwnership,
  createReplicaSet,
  deleteReplicaSet,
  recordAll,
  recordWorkloadGeneration,
  reviseReplicaSet,
  scaleDeployment,
  scaleReplicaSet,
  switchService,
  writeStatus,
} from './rollout-actions.ts';
import { evictPod, planRestart, syncEphemeral } from './rollout-pods.ts';
import {
  carryOutDelay,
  readRouterObjects,
  reconcileTrafficRouting,
  ROUTER_RECHECK_MS,
  trafficReferenceProblem,
} from './traffic-routing.ts';
import type { LiveObjects, TrafficRouter } from '../traffic/router.ts';
import { allRouters, routersFor } from '../traffic/routers.ts';

const DEFAULT_ROUTERS = allRouters();

export interface RolloutReconcilerDeps {
  client: KubeClient;
  rollouts: Informer<Rollout>;
  replicaSets: Informer<ReplicaSet>;
  /** Services, for the canary/stable selectors and the reference checks. */
  services: Informer<Service>;
  /** Deployments, for Rollouts with a workloadRef. */
  deployments: Informer<Deployment>;
  events: Pick<EventRecorder, 'record'>;
  log: Logger;
  now(): number;
  /** Traffic routers the controller knows (default: all, SMI at v1alpha1). */
  routers?: readonly TrafficRouter[];
}

export async function reconcileRollout(key: string, deps: RolloutReconcilerDeps): Promise<HandlerResult> {
  const cached = deps.rollouts.get(key);
  if (!cached || cached.metadata.deletionTimestamp) return undefined; // garbage collection removes what it owned
  if (cacheIsStale(key, cached)) return { requeueAfterMs: 250 };
  // Never mutate a cached object: decide on a private copy.
  const asWritten = structuredClone(cached);
  if (!asWritten.spec.strategy?.canary) {
    deps.log.debug({ rollout: key }, 'not a canary Rollout: left alone until its strategy is implemented');
    return undefined;
  }
  const namespace = asWritten.metadata.namespace ?? '';
  const now = deps.now();
  // With workloadRef, everything below works on the Deployment's template (never written back).
  const ref = asWritten.spec.workloadRef;
  const workload = ref?.name ? deps.deployments.get(`${namespace}/${ref.name}`) : undefined;
  const resolved = resolveWorkload(asWritten, workload);
  const rollout = 'rollout' in resolved ? resolved.rollout : asWritten;
  const claim = claimReplicaSets(rollout, deps.replicaSets.list(namespace));
  if (claim.adopt.length > 0 || claim.release.length > 0) {
    // Ownership first: the counts below must be over exactly the ReplicaSets that are ours.
    await claimOwnership(deps, rollout, claim);
    return { requeueAfterMs: 250 };
  }
  const owned = claim.owned;
  const undo = undoPlan(rollout, owned);
  if (undo) {
    await carryOutUndo(deps, key, rollout, undo);
    return { requeueAfterMs: 250 };
  }
  const services = servicesByName(deps.services.list(namespace));
  // Routed canaries: the router objects are read once per pass, for the reference checks and the weights.
  const specInvalid = specProblem(asWritten, resolved, services);
  const routers = specInvalid ? [] : routersFor(rollout, deps.routers ?? DEFAULT_ROUTERS);
  const live = routers.length > 0 ? await readRouterObjects(deps, rollout, routers) : new Map();
  const trafficProblem = routers.length > 0 ? trafficReferenceProblem(rollout, routers, live) : undefined;
  const invalidSpec = specInvalid ?? trafficProblem?.message;
  if (workload && !invalidSpec) await recordWorkloadGeneration(deps, rollout, workloadGeneration(workload));

  const hash = podTemplateHash(rollout.spec.template ?? {}, rollout.status?.collisionCount);
  const found = await ensureNewReplicaSet(deps, key, rollout, { hash, owned, invalidSpec });
  if (found === 'retry') return { requeueAfterMs: 1_000 };
  const newRS = found;

  const stableRS = findByHash(owned, rollout.status?.stableRS);
  const others = owned
    .filter((rs) => rs !== newRS && rs !== stableRS)
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const revision = newRS ? revisionOf(newRS) : nextRevision(owned);
  const counts = {
    newRS: newRS ? countsOf(newRS) : undefined,
    stableRS: stableRS ? countsOf(stableRS) : undefined,
    otherRSs: others.map(countsOf),
  };

  const progression = invalidSpec
    ? { fields: { ...(rollout.status ?? {}) }, events: [] as RolloutEvent[], recheckAt: undefined }
    : canaryProgression({
        rollout,
        currentPodHash: newRS ? (hashOf(newRS) ?? hash) : hash,
        stepHash: currentStepHash(rollout),
        ...counts,
        revision,
        now,
      });
  let restart: RestartPlan = { kind: 'none' };
  let traffic: { weights?: TrafficWeights; recheckAt?: number } = {};
  if (!invalidSpec) {
    const acted = await actOnReplicaSets(deps, rollout, {
      services,
      owned,
      newRS,
      stableRS,
      counts,
      revision,
      now,
      routers,
      live,
      // Scale for the step this pass decided: on a new template the stored status still names the
      // old hash as current, and scaling from it would size the stable RS for 100% and shrink it.
      decided: { ...rollout, status: { ...(rollout.status ?? {}), ...progression.fields } },
    });
    if ('stop' in acted) return acted.stop;
    restart = acted.restart;
    traffic = acted.traffic;
  }

  const result = canaryStatus({
    rollout,
    fields: progression.fields,
    newRS,
    replicaSets: owned,
    revision,
    invalidSpec,
    scaleDownPending: owned.some(
      (rs) => rs !== newRS && rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION],
    ),
    now,
  });
  if (traffic.weights) result.status.canary = { ...result.status.canary, weights: traffic.weights };
  if (restart.kind === 'done') {
    result.status = { ...result.status, restartedAt: restart.restartedAt };
    Object.assign(result.status, calculatePhase(rollout.spec, result.status));
  }
  if (workload && !invalidSpec) {
    result.status = { ...result.status, workloadObservedGeneration: workloadGeneration(workload) };
  }
  await writeStatus(deps, key, rollout, result.status);
  if (workload && !invalidSpec) {
    const to = deploymentReplicas({
      mode: ref?.scaleDown,
      revision,
      healthy: result.status.phase === 'Healthy',
      replicas: rollout.spec.replicas ?? 1,
      readyReplicas: result.status.readyReplicas ?? 0,
      current: workload.spec?.replicas ?? 1,
    });
    if (to !== undefined) await scaleDeployment(deps, rollout, workload, to);
  }
  await recordAll(deps, rollout, [
    ...progression.events,
    ...result.events,
    ...(trafficProblem ? [trafficProblem.event] : []),
  ]);
  if (invalidSpec) deps.log.warn({ rollout: key }, invalidSpec);

  const recheck = [
    progression.recheckAt,
    result.recheckAt,
    traffic.recheckAt,
    // Router objects are not watched: look again for the missing one, and mid-update for changes.
    trafficProblem ? now + INVALID_SPEC_RECHECK_SECONDS * 1000 : undefined,
    routers.length > 0 && result.status.stableRS !== result.status.currentPodHash
      ? now + ROUTER_RECHECK_MS
      : undefined,
    restart.kind === 'later' ? restart.at : undefined,
    restart.kind === 'evict' ? now + restart.recheckAfterMs : undefined,
  ].filter((t): t is number => t !== undefined);
  return recheck.length > 0 ? { requeueAfterMs: Math.max(0, Math.min(...recheck) - now) } : undefined;
}

/**
 * The InvalidSpec message, if any: the spec as written first, then the workloadRef, then the
 * Services it names (checked on the resolved Rollout, whose template labels they must match).
 */
function specProblem(
  asWritten: Rollout,
  resolved: ReturnType<typeof resolveWorkload>,
  services: Readonly<Record<string, ServiceView>>,
): string | undefined {
  const specErrors = validateRollout(asWritten);
  const errors =
    specErrors.length > 0
      ? specErrors
      : 'error' in resolved
        ? [resolved.error]
        : validateReferences(resolved.rollout, services);
  return errors[0] ? invalidSpecMessage(asWritten.metadata.name ?? '', errors[0]) : undefined;
}

/**
 * The ReplicaSet of the Rollout's current template: found by hash, else by template (an undo
 * copies an RS's API-defaulted template, whose hash differs), else created ('retry' when the
 * create must be tried again). A re-used earlier RS gets the next revision.
 */
async function ensureNewReplicaSet(
  deps: RolloutReconcilerDeps,
  key: string,
  rollout: Rollout,
  ctx: { hash: string; owned: ReplicaSet[]; invalidSpec: string | undefined },
): Promise<ReplicaSet | undefined | 'retry'> {
  const { hash, owned, invalidSpec } = ctx;
  const found = findByHash(owned, hash) ?? findByTemplate(owned, rollout.spec.template ?? {});
  if (invalidSpec) return found;
  if (!found) {
    const created = await createReplicaSet(deps, key, rollout, hash, nextRevision(owned));
    if (!created) return 'retry';
    owned.push(created);
    return created;
  }
  // Back to an earlier template (undo, or a rollback by hand): the old RS is the new one again.
  const bump = reusedRevision(
    found,
    owned.filter((rs) => rs !== found),
  );
  if (!bump) return found;
  const revised = await reviseReplicaSet(deps, rollout, found, bump);
  owned[owned.indexOf(found)] = revised; // one object per RS: the others are told apart by identity
  return revised;
}

/**
 * The cluster side of a valid canary pass, in order: Services follow the ReplicaSets first (so on
 * promotion the stable Service moves before the old RS is scaled down), then ephemeral metadata,
 * then one scale action; a pass with nothing to scale cleans up old revisions and restarts pods.
 * `stop` ends the pass (pods were evicted: the availability counts are stale).
 */
async function actOnReplicaSets(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  ctx: {
    services: Readonly<Record<string, ServiceView>>;
    owned: ReplicaSet[];
    newRS?: ReplicaSet;
    stableRS?: ReplicaSet;
    counts: Omit<Parameters<typeof nextScaleAction>[0], 'rollout'>;
    revision: number;
    now: number;
    routers: readonly TrafficRouter[];
    live: LiveObjects;
    /** The Rollout with the status fields progression decided in this pass. */
    decided: Rollout;
  },
): Promise<
  | { restart: RestartPlan; traffic: { weights?: TrafficWeights; recheckAt?: number } }
  | { stop: HandlerResult }
> {
  const { services, owned, newRS, stableRS, counts, revision, now } = ctx;
  const namespace = rollout.metadata.namespace ?? '';
  for (const s of canaryServiceSwitches({ rollout, services, newRS, stableRS }))
    await switchService(deps, rollout, s);
  for (const sync of canaryEphemeralSyncs({ rollout, newRS, stableRS }))
    await syncEphemeral(deps, rollout, sync);
  const weights =
    ctx.routers.length > 0
      ? await reconcileTrafficRouting(deps, rollout, {
          routers: ctx.routers,
          live: ctx.live,
          input: {
            rollout: ctx.decided,
            ...counts,
            canaryHash: (newRS && hashOf(newRS)) ?? '',
            stableHash: (stableRS && hashOf(stableRS)) ?? '',
          },
        })
      : undefined;
  const deadline = (rs?: ReplicaSet) => rs?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  const delay = scaleDownDelayPlan({
    rollout: ctx.decided,
    newRS: counts.newRS && { ...counts.newRS, deadline: deadline(newRS) },
    stableRS: counts.stableRS && { ...counts.stableRS, deadline: deadline(stableRS) },
    otherRSs: counts.otherRSs.map((c) => ({
      ...c,
      deadline: deadline(owned.find((rs) => rs.metadata.name === c.name)),
    })),
    now,
  });
  const traffic = { weights, recheckAt: delay.recheckAt };
  if (delay.action) {
    await carryOutDelay(deps, rollout, delay.action);
    if (delay.action.kind === 'scaleDown') {
      const rs = owned.find((r) => r.metadata.name === delay.action?.name);
      await recordAll(deps, rollout, [
        rolloutEvents.scalingReplicaSet(
          delay.action.name,
          rs ? revisionOf(rs) : revision,
          delay.action.from,
          0,
        ),
      ]);
    }
    return { restart: { kind: 'none' }, traffic };
  }
  const scale = nextScaleAction({ rollout: ctx.decided, ...counts, held: delay.held });
  if (scale) {
    const rs = owned.find((r) => r.metadata.name === scale.name);
    await scaleReplicaSet(deps, namespace, scale.name, scale.to, rollout.spec.replicas ?? 1);
    // Recorded at once, not with the status: a failed status write must not lose what was done.
    await recordAll(deps, rollout, [
      rolloutEvents.scalingReplicaSet(scale.name, rs ? revisionOf(rs) : revision, scale.from, scale.to),
    ]);
    return { restart: { kind: 'none' }, traffic };
  }
  const revisionHistoryLimit = rollout.spec.revisionHistoryLimit;
  for (const rs of replicaSetsToDelete({ owned, newRS, stableRS, revisionHistoryLimit }))
    await deleteReplicaSet(deps, rollout, rs);
  const restart = await planRestart(deps, rollout, { owned, newRS, stableRS, now });
  if (restart.kind === 'evict' && restart.pods.length > 0) {
    for (const pod of restart.pods) await evictPod(deps, namespace, pod);
    return { stop: { requeueAfterMs: restart.recheckAfterMs } };
  }
  return { restart, traffic };
}

/** The Rollout key that owns a ReplicaSet (its controller reference), for queueing on RS changes. */
export function ownerRolloutKey(rs: ReplicaSet): string | undefined {
  const owner = rs.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Rollout');
  return owner && rs.metadata.namespace ? `${rs.metadata.namespace}/${owner.name}` : undefined;
}
