// The Rollout reconciler: reads a Rollout and its ReplicaSets from the informer caches, asks the
// pure deciders what to do, and carries it out. One pass makes at most one structural change
// (create the new ReplicaSet, or scale one ReplicaSet), then writes the status once; the
// informers see the effect and queue the Rollout again, so every decision is made on what the
// cluster really did. Canary only for now; blue-green slots in as another strategy here.
import type { Rollout } from '@rollout-kit/api';
import { DESIRED_REPLICAS_ANNOTATION, REVISION_ANNOTATION } from '@rollout-kit/api';
import { canaryProgression } from '../canary/progression.ts';
import { nextScaleAction } from '../canary/scaling.ts';
import { currentStepHash } from '../canary/step-hash.ts';
import type { EventRecorder, InvolvedObject } from '../kube/events.ts';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, kubeCall } from '../kube/errors.ts';
import type { Informer } from '../kube/informer.ts';
import { mergePatch } from '../kube/merge-patch.ts';
import type { HandlerResult } from '../kube/work-queue.ts';
import type { Logger } from '../observe/logger.ts';
import { canaryStatus } from '../rollout/canary-status.ts';
import { events as rolloutEvents, type RolloutEvent } from '../rollout/events.ts';
import { podTemplateHash } from '../rollout/pod-hash.ts';
import {
  countsOf,
  findByHash,
  hashOf,
  isControlledBy,
  newReplicaSet,
  nextRevision,
  revisionOf,
  type ReplicaSet,
} from '../rollout/replica-set.ts';
import { invalidSpecMessage, validateRollout } from '../rollout/validate.ts';

export interface RolloutReconcilerDeps {
  client: KubeClient;
  rollouts: Informer<Rollout>;
  replicaSets: Informer<ReplicaSet>;
  events: Pick<EventRecorder, 'record'>;
  log: Logger;
  now(): number;
}

/** Keys whose status we wrote, with the resourceVersion the API server gave back. */
const written = new Map<string, string>();

/** Whether the cached object is older than our last write to it (informer not caught up yet). */
function cacheIsStale(key: string, rollout: Rollout): boolean {
  const mine = written.get(key);
  const seen = rollout.metadata.resourceVersion;
  if (!mine || !seen || !/^\d+$/.test(mine) || !/^\d+$/.test(seen)) return false;
  return BigInt(seen) < BigInt(mine);
}

const rolloutsPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/rollouts/${encodeURIComponent(name)}`;
const replicaSetsPath = (namespace: string) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`;

function involved(rollout: Rollout): InvolvedObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    namespace: rollout.metadata.namespace ?? '',
    name: rollout.metadata.name ?? '',
    uid: rollout.metadata.uid,
    resourceVersion: rollout.metadata.resourceVersion,
  };
}

export async function reconcileRollout(key: string, deps: RolloutReconcilerDeps): Promise<HandlerResult> {
  const cached = deps.rollouts.get(key);
  if (!cached || cached.metadata.deletionTimestamp) return undefined; // garbage collection removes what it owned
  if (cacheIsStale(key, cached)) return { requeueAfterMs: 250 };
  // Never mutate a cached object: decide on a private copy.
  const rollout = structuredClone(cached);
  if (!rollout.spec.strategy?.canary) {
    deps.log.debug({ rollout: key }, 'not a canary Rollout: left alone until its strategy is implemented');
    return undefined;
  }
  const namespace = rollout.metadata.namespace ?? '';
  const name = rollout.metadata.name ?? '';
  const now = deps.now();
  const owned = deps.replicaSets
    .list(namespace)
    .filter((rs) => isControlledBy(rs, rollout) && hashOf(rs) !== undefined);
  const errors = validateRollout(rollout);
  const invalidSpec = errors[0] ? invalidSpecMessage(name, errors[0]) : undefined;

  const hash = podTemplateHash(rollout.spec.template ?? {}, rollout.status?.collisionCount);
  let newRS = findByHash(owned, hash);

  if (!newRS && !invalidSpec) {
    const revision = nextRevision(owned);
    const created = await createReplicaSet(deps, rollout, hash, revision);
    if (!created) return { requeueAfterMs: 1_000 };
    newRS = created;
    owned.push(created);
  }

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

  if (!invalidSpec) {
    const scale = nextScaleAction({ rollout, ...counts });
    if (scale) {
      const rs = owned.find((r) => r.metadata.name === scale.name);
      await scaleReplicaSet(deps, namespace, scale.name, scale.to, rollout.spec.replicas ?? 1);
      // Recorded at once, not with the status: a failed status write must not lose what was done.
      await recordAll(deps, rollout, [
        rolloutEvents.scalingReplicaSet(scale.name, rs ? revisionOf(rs) : revision, scale.from, scale.to),
      ]);
    }
  }

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
  const result = canaryStatus({
    rollout,
    fields: progression.fields,
    newRS,
    replicaSets: owned,
    revision,
    invalidSpec,
    now,
  });
  await writeStatus(deps, key, rollout, result.status);
  await recordAll(deps, rollout, [...progression.events, ...result.events]);
  if (invalidSpec) deps.log.warn({ rollout: key }, invalidSpec);

  const recheck = [progression.recheckAt, result.recheckAt].filter((t): t is number => t !== undefined);
  return recheck.length > 0 ? { requeueAfterMs: Math.max(0, Math.min(...recheck) - now) } : undefined;
}

async function recordAll(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  events: readonly RolloutEvent[],
): Promise<void> {
  for (const event of events) await deps.events.record(involved(rollout), event);
}

async function createReplicaSet(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  hash: string,
  revision: number,
): Promise<ReplicaSet | undefined> {
  const namespace = rollout.metadata.namespace ?? '';
  const body = newReplicaSet(rollout, hash, revision);
  const rsName = body.metadata.name ?? '';
  try {
    const created = await kubeCall(`creating ReplicaSet ${namespace}/${rsName}`, () =>
      deps.client.requestJson<ReplicaSet>('POST', replicaSetsPath(namespace), { body }),
    );
    const patched = await kubeCall(
      `recording revision ${revision} on Rollout ${namespace}/${rollout.metadata.name}`,
      () =>
        deps.client.requestJson<Rollout>('PATCH', rolloutsPath(namespace, rollout.metadata.name ?? ''), {
          body: { metadata: { annotations: { [REVISION_ANNOTATION]: String(revision) } } },
          contentType: 'application/merge-patch+json',
        }),
    );
    // The status write of this pass is guarded by resourceVersion: go on from the one just made.
    rollout.metadata.resourceVersion = patched.metadata.resourceVersion;
    await recordAll(deps, rollout, [
      rolloutEvents.rolloutUpdated(revision),
      rolloutEvents.newReplicaSetCreated(rsName, revision),
    ]);
    deps.log.info(
      { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName, revision },
      'created the new ReplicaSet',
    );
    return created;
  } catch (error) {
    if (isConflict(error)) {
      // The name is taken: by a ReplicaSet of ours the cache has not seen yet (the next pass finds
      // it), or by one with another template, a hash collision a later issue handles.
      deps.log.warn(
        { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName },
        'ReplicaSet name already taken; retrying',
      );
      return undefined;
    }
    throw error;
  }
}

async function scaleReplicaSet(
  deps: RolloutReconcilerDeps,
  namespace: string,
  name: string,
  replicas: number,
  desired: number,
): Promise<void> {
  await kubeCall(`scaling ReplicaSet ${namespace}/${name} to ${replicas}`, () =>
    deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(name)}`, {
      body: {
        metadata: { annotations: { [DESIRED_REPLICAS_ANNOTATION]: String(desired) } },
        spec: { replicas },
      },
      contentType: 'application/merge-patch+json',
    }),
  );
}

/**
 * Sends the status as a JSON merge patch of what changed, guarded by the resourceVersion we read:
 * if the Rollout changed meanwhile (a user resumed or aborted it), the API answers 409 and the
 * worker retries on fresh state instead of overwriting theirs.
 */
async function writeStatus(
  deps: RolloutReconcilerDeps,
  key: string,
  rollout: Rollout,
  status: Rollout['status'],
): Promise<void> {
  const patch = mergePatch(
    (rollout.status ?? {}) as Record<string, unknown>,
    (status ?? {}) as Record<string, unknown>,
  );
  if (!patch) return;
  const namespace = rollout.metadata.namespace ?? '';
  const name = rollout.metadata.name ?? '';
  const updated = await kubeCall(`writing the status of Rollout ${key}`, () =>
    deps.client.requestJson<Rollout>('PATCH', `${rolloutsPath(namespace, name)}/status`, {
      body: { metadata: { resourceVersion: rollout.metadata.resourceVersion }, status: patch },
      contentType: 'application/merge-patch+json',
    }),
  );
  if (updated.metadata.resourceVersion) written.set(key, updated.metadata.resourceVersion);
}

/** The Rollout key that owns a ReplicaSet (its controller reference), for queueing on RS changes. */
export function ownerRolloutKey(rs: ReplicaSet): string | undefined {
  const owner = rs.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Rollout');
  return owner && rs.metadata.namespace ? `${rs.metadata.namespace}/${owner.name}` : undefined;
}
