// The Rollout reconciler: reads a Rollout and its ReplicaSets from the informer caches, asks the
// pure deciders what to do, and carries it out. One pass makes at most one structural change
// (create the new ReplicaSet, or scale one ReplicaSet), then writes the status once; the
// informers see the effect and queue the Rollout again, so every decision is made on what the
// cluster really did. Before that, a pass that adopts or releases ReplicaSets, or carries out
// the undo annotation, does only that. Services and ephemeral metadata follow the ReplicaSets'
// roles before any scaling; clean-up and restarts happen only on a pass with nothing to scale.
// The cluster changes themselves live in rollout-actions.ts. What to do in the middle of the
// pass is the strategy's decision (canary or blue-green, rollout/strategy.ts).
import type { AnalysisRun, Experiment, Rollout, TrafficWeights } from '@rollout-kit/api';
import { INVALID_SPEC_RECHECK_SECONDS } from '@rollout-kit/api';
import { experimentWeightDestinations } from '../canary/experiment-weights.ts';
import { servicesByName, type Service, type ServiceView } from '../canary/services.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import type { HandlerResult } from '../kube/work-queue.ts';
import type { Logger } from '../observe/logger.ts';
import { affinityUpdate } from '../rollout/anti-affinity.ts';
import { events as rolloutEvents } from '../rollout/events.ts';
import { claimReplicaSets, replicaSetsToDelete, reusedRevision } from '../rollout/ownership.ts';
import { podTemplateHash } from '../rollout/pod-hash.ts';
import { findByHash, hashOf, nextRevision, revisionOf, type ReplicaSet } from '../rollout/replica-set.ts';
import type { StrategyPass } from '../rollout/strategy.ts';
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
import { setReplicaSetAffinity } from './anti-affinity.ts';
import { reconcileBlueGreenRuns } from './bluegreen-runs.ts';
import { reconcileCanaryRuns } from './canary-runs.ts';
import { evictPod, planRestart, syncEphemeral } from './rollout-pods.ts';
import { setScaleDownDeadline } from './scale-down-deadline.ts';
import { strategyFor } from './strategy.ts';
import {
  readRouterObjects,
  reconcileTrafficRouting,
  ROUTER_RECHECK_MS,
  trafficReferenceProblem,
} from './traffic-routing.ts';
import type { LiveObjects, TrafficRouter } from '../traffic/router.ts';
import { allRouters, routersFor } from '../traffic/routers.ts';
import { rollbackWithinWindow } from '../rollout/rollback-window.ts';

const DEFAULT_ROUTERS = allRouters();

export interface RolloutReconcilerDeps {
  client: KubeClient;
  rollouts: Informer<Rollout>;
  replicaSets: Informer<ReplicaSet>;
  /** Services, for the canary/stable selectors and the reference checks. */
  services: Informer<Service>;
  /** Deployments, for Rollouts with a workloadRef. */
  deployments: Informer<Deployment>;
  /** AnalysisRuns and Experiments, for those the Rollout owns. */
  analysisRuns: Informer<AnalysisRun>;
  experiments: Informer<Experiment>;
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
  const strategy = strategyFor(asWritten);
  if (!strategy) {
    deps.log.debug({ rollout: key }, 'no strategy in the spec: left alone');
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
  let invalidSpec = specInvalid ?? trafficProblem?.message;
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
  const withinWindow = rollbackWithinWindow(rollout, newRS, stableRS, owned);
  // Analysis and experiments (issue 6): runs created, ended and judged before the step is decided.
  const runCtx = { newRS, stableRS, owned, revision, rollbackWithinWindow: withinWindow };
  const runs = invalidSpec
    ? undefined
    : strategy.name === 'canary'
      ? await reconcileCanaryRuns(deps, rollout, runCtx)
      : await reconcileBlueGreenRuns(deps, rollout, runCtx);
  if (runs?.invalid) invalidSpec = invalidSpecMessage(rollout.metadata.name ?? '', runs.invalid);
  const pass = strategy.begin({
    rollout,
    currentPodHash: newRS ? (hashOf(newRS) ?? hash) : hash,
    owned,
    newRS,
    stableRS,
    others,
    services,
    revision,
    invalidSpec,
    ...(runs?.analysis ? { analysis: runs.analysis } : {}),
    rollbackWithinWindow: withinWindow,
    now,
  });
  let restart: RestartPlan = { kind: 'none' };
  let weights: TrafficWeights | undefined;
  if (!invalidSpec) {
    const acted = await actOnReplicaSets(deps, rollout, pass, { owned, revision, now, routers, live });
    if ('stop' in acted) return acted.stop;
    restart = acted.restart;
    weights = acted.weights;
  }

  const result = pass.status();
  if (weights) result.status.canary = { ...result.status.canary, weights };
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
    ...pass.events,
    ...result.events,
    ...(trafficProblem ? [trafficProblem.event] : []),
  ]);
  if (invalidSpec) deps.log.warn({ rollout: key }, invalidSpec);

  const recheck = [
    pass.recheckAt,
    result.recheckAt,
    // Router objects are not watched: look again for the missing one, and mid-update for changes.
    trafficProblem ? now + INVALID_SPEC_RECHECK_SECONDS * 1000 : undefined,
    // Nor are templates: look again for the missing one.
    runs?.invalid ? now + INVALID_SPEC_RECHECK_SECONDS * 1000 : undefined,
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
 * create must be tried again). A re-used earlier RS gets the next revision; an existing one's
 * injected anti-affinity term follows status.stableRS (renewed, or dropped once it is the stable).
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
  let current = found;
  if (bump) {
    current = await reviseReplicaSet(deps, rollout, found, bump);
    owned[owned.indexOf(found)] = current; // one object per RS: the others are told apart by identity
  }
  const affinity = affinityUpdate(rollout, current);
  if (!affinity) return current;
  const updated = await setReplicaSetAffinity(deps, rollout, current, affinity.to);
  owned[owned.indexOf(current)] = updated;
  return updated;
}

/**
 * The cluster side of a valid pass, as the strategy decided it, in order: Services follow the
 * ReplicaSets first (so on promotion the stable or active Service moves before the old RS is
 * scaled down), then ephemeral metadata, traffic weights (routed canaries), scale-down
 * deadlines, then one scale action; a pass with nothing to scale cleans up old revisions and
 * restarts pods. `stop` ends the pass (pods were evicted: the availability counts are stale).
 */
async function actOnReplicaSets(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  pass: StrategyPass,
  ctx: {
    owned: ReplicaSet[];
    revision: number;
    now: number;
    routers: readonly TrafficRouter[];
    live: LiveObjects;
  },
): Promise<{ restart: RestartPlan; weights?: TrafficWeights } | { stop: HandlerResult }> {
  const { owned, revision, now } = ctx;
  const namespace = rollout.metadata.namespace ?? '';
  for (const s of pass.serviceSwitches()) await switchService(deps, rollout, s);
  for (const sync of pass.ephemeralSyncs()) await syncEphemeral(deps, rollout, sync);
  // Before any scaling: traffic leaves a ReplicaSet before its pods do.
  const traffic = ctx.routers.length > 0 ? pass.traffic?.() : undefined;
  const weights = traffic
    ? await reconcileTrafficRouting(deps, rollout, {
        routers: ctx.routers,
        live: ctx.live,
        input: { ...traffic, experimentDestinations: experimentDestinations(deps, rollout) },
      })
    : undefined;
  for (const change of pass.scaleDownDeadlines()) await setScaleDownDeadline(deps, rollout, change);
  const scale = pass.nextScaleAction();
  if (scale) {
    const rs = owned.find((r) => r.metadata.name === scale.name);
    await scaleReplicaSet(deps, namespace, scale.name, scale.to, rollout.spec.replicas ?? 1, {
      clearDeadline: scale.clearDeadline === true,
    });
    // Recorded at once, not with the status: a failed status write must not lose what was done.
    await recordAll(deps, rollout, [
      rolloutEvents.scalingReplicaSet(scale.name, rs ? revisionOf(rs) : revision, scale.from, scale.to),
    ]);
    return { restart: { kind: 'none' }, weights };
  }
  const { newRS, stableRS } = pass.keep();
  const revisionHistoryLimit = rollout.spec.revisionHistoryLimit;
  for (const rs of replicaSetsToDelete({ owned, newRS, stableRS, revisionHistoryLimit }))
    await deleteReplicaSet(deps, rollout, rs);
  const restart = await planRestart(deps, rollout, { owned, newRS, stableRS, now });
  if (restart.kind === 'evict' && restart.pods.length > 0) {
    for (const pod of restart.pods) await evictPod(deps, namespace, pod);
    return { stop: { requeueAfterMs: restart.recheckAfterMs } };
  }
  return { restart, weights };
}

/** The destinations of the step Experiment's weighted templates (issue 6), from the cache. */
function experimentDestinations(deps: RolloutReconcilerDeps, rollout: Rollout) {
  const name = rollout.status?.canary?.currentExperiment;
  const experiment = name ? deps.experiments.get(`${rollout.metadata.namespace ?? ''}/${name}`) : undefined;
  return experimentWeightDestinations(rollout, experiment);
}

/** The Rollout key that owns a ReplicaSet (its controller reference), for queueing on RS changes. */
export function ownerRolloutKey(owned: Pick<ReplicaSet, 'metadata'>): string | undefined {
  const owner = owned.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Rollout');
  return owner && owned.metadata.namespace ? `${owned.metadata.namespace}/${owner.name}` : undefined;
}
