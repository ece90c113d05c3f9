// What the Rollout reconciler does to the cluster, one function per kind of change: create,
// adopt, release, revise, scale and delete ReplicaSets, switch Services, carry out an undo, keep
// the workloadRef generation and scale the Deployment down, write the status and record Events
// (pods: rollout-pods.ts). Each carries out a decision the pure modules made.
import type { Rollout } from '@rollout-kit/api';
import {
  DESIRED_REPLICAS_ANNOTATION,
  EPHEMERAL_METADATA_ANNOTATION,
  EVENT_SWITCH_SERVICE,
  REVISION_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '@rollout-kit/api';
import { serviceSwitchPatch, type ServiceSwitch } from '../canary/services.ts';
import type { InvolvedObject } from '../kube/events.ts';
import { isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import { mergePatch } from '../kube/merge-patch.ts';
import { replicaSetAffinity } from '../rollout/anti-affinity.ts';
import { events as rolloutEvents, type RolloutEvent } from '../rollout/events.ts';
import { newReplicaSetMetadata, recordValue } from '../rollout/ephemeral-metadata.ts';
import { alreadyExistsOutcome, nextCollisionCount } from '../rollout/ownership.ts';
import { controllerReference, newReplicaSet, type ReplicaSet } from '../rollout/replica-set.ts';
import { UNDO_FAILED_REASON, UNDO_TO_REVISION_ANNOTATION, type UndoPlan } from '../rollout/undo.ts';
import { WORKLOAD_GENERATION, type Deployment } from '../rollout/workload-ref.ts';
import type { RolloutReconcilerDeps } from './rollout.ts';

/** Keys whose status we wrote, with the resourceVersion the API server gave back. */
const written = new Map<string, string>();

/** Whether the cached object is older than our last write to it (informer not caught up yet). */
export function cacheIsStale(key: string, rollout: Rollout): boolean {
  const mine = written.get(key);
  const seen = rollout.metadata.resourceVersion;
  if (!mine || !seen || !/^\d+$/.test(mine) || !/^\d+$/.test(seen)) return false;
  return BigInt(seen) < BigInt(mine);
}

export const rolloutsPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/rollouts/${encodeURIComponent(name)}`;
export const replicaSetsPath = (namespace: string) =>
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

export async function recordAll(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  events: readonly RolloutEvent[],
): Promise<void> {
  for (const event of events) await deps.events.record(involved(rollout), event);
}

export async function createReplicaSet(
  deps: RolloutReconcilerDeps,
  key: string,
  rollout: Rollout,
  hash: string,
  revision: number,
): Promise<ReplicaSet | undefined> {
  const namespace = rollout.metadata.namespace ?? '';
  const injected = newReplicaSetMetadata(rollout, hash);
  const body = newReplicaSet(rollout, hash, revision, injected ?? {});
  // The stable's hash goes into the RS's template only: the Rollout's template (and hash) stay.
  const affinity = replicaSetAffinity(rollout, hash);
  const template = body.spec?.template;
  if (affinity && template?.spec) template.spec = { ...template.spec, affinity };
  const record = recordValue(injected);
  if (record)
    body.metadata.annotations = { ...body.metadata.annotations, [EPHEMERAL_METADATA_ANNOTATION]: record };
  const rsName = body.metadata.name ?? '';
  let created: ReplicaSet;
  try {
    created = await kubeCall(`creating ReplicaSet ${namespace}/${rsName}`, () =>
      deps.client.requestJson<ReplicaSet>('POST', replicaSetsPath(namespace), { body }),
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
    return handleNameTaken(deps, key, rollout, rsName);
  }
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
  deps.log.info({ rollout: key, replicaSet: rsName, revision }, 'created the new ReplicaSet');
  return created;
}

/**
 * Creating `<rollout>-<hash>` answered AlreadyExists. Our own RS the cache has not seen yet is
 * used on the next pass; anything else holding the name is a hash collision: status.collisionCount
 * goes up by one (guarded by resourceVersion), which changes the hash the next pass computes.
 */
export async function handleNameTaken(
  deps: RolloutReconcilerDeps,
  key: string,
  rollout: Rollout,
  rsName: string,
): Promise<undefined> {
  const namespace = rollout.metadata.namespace ?? '';
  let existing: ReplicaSet;
  try {
    existing = await kubeCall(`reading ReplicaSet ${namespace}/${rsName}`, () =>
      deps.client.requestJson<ReplicaSet>(
        'GET',
        `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`,
      ),
    );
  } catch (error) {
    if (isNotFound(error)) return undefined; // deleted meanwhile: create again next pass
    throw error;
  }
  if (alreadyExistsOutcome(existing, rollout) === 'reuse') return undefined;
  const before = rollout.status?.collisionCount;
  const collisionCount = nextCollisionCount(before);
  await writeStatus(deps, key, rollout, { ...(rollout.status ?? {}), collisionCount });
  deps.log.warn(
    { rollout: key, replicaSet: rsName, collisionCount },
    `Found a hash collision - bumped collisionCount (${before ?? 0}->${collisionCount}) to resolve it`,
  );
  return undefined;
}

/** Adopts orphans (controller reference added) and releases RSs whose labels no longer match. */
export async function claimOwnership(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  claim: { adopt: readonly ReplicaSet[]; release: readonly ReplicaSet[] },
): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  const key = `${namespace}/${rollout.metadata.name}`;
  const change = async (rs: ReplicaSet, verb: string, ownerReferences: object[]) => {
    const rsName = rs.metadata.name ?? '';
    try {
      // Guarded by resourceVersion: a merge patch replaces the whole list, so it must be the list we read.
      await kubeCall(`${verb} ReplicaSet ${namespace}/${rsName}`, () =>
        deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`, {
          body: { metadata: { resourceVersion: rs.metadata.resourceVersion, ownerReferences } },
          contentType: 'application/merge-patch+json',
        }),
      );
      deps.log.info({ rollout: key, replicaSet: rsName }, `${verb} ReplicaSet`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  };
  for (const rs of claim.adopt) {
    await change(rs, 'adopting', [...(rs.metadata.ownerReferences ?? []), controllerReference(rollout)]);
  }
  for (const rs of claim.release) {
    const others = (rs.metadata.ownerReferences ?? []).filter((o) => o.uid !== rollout.metadata.uid);
    await change(rs, 'releasing', others);
  }
}

/** Gives a re-used RS the next revision (and history), and the Rollout that revision. */
export async function reviseReplicaSet(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  rs: ReplicaSet,
  bump: { revision: number; annotations: Record<string, string> },
): Promise<ReplicaSet> {
  const namespace = rollout.metadata.namespace ?? '';
  const rsName = rs.metadata.name ?? '';
  const updated = await kubeCall(
    `setting revision ${bump.revision} on ReplicaSet ${namespace}/${rsName}`,
    () =>
      deps.client.requestJson<ReplicaSet>(
        'PATCH',
        `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`,
        {
          body: { metadata: { annotations: bump.annotations } },
          contentType: 'application/merge-patch+json',
        },
      ),
  );
  const patched = await kubeCall(
    `recording revision ${bump.revision} on Rollout ${namespace}/${rollout.metadata.name}`,
    () =>
      deps.client.requestJson<Rollout>('PATCH', rolloutsPath(namespace, rollout.metadata.name ?? ''), {
        body: { metadata: { annotations: { [REVISION_ANNOTATION]: String(bump.revision) } } },
        contentType: 'application/merge-patch+json',
      }),
  );
  rollout.metadata.resourceVersion = patched.metadata.resourceVersion;
  await recordAll(deps, rollout, [rolloutEvents.rolloutUpdated(bump.revision)]);
  deps.log.info(
    { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName, revision: bump.revision },
    're-used an earlier ReplicaSet as the new one',
  );
  return updated;
}

export async function switchService(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  s: ServiceSwitch,
): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  await kubeCall(`switching Service ${namespace}/${s.service} to ${s.hash}`, () =>
    deps.client.requestJson(
      'PATCH',
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(s.service)}`,
      { body: serviceSwitchPatch(s), contentType: 'application/merge-patch+json' },
    ),
  );
  deps.log.info(
    { rollout: `${namespace}/${rollout.metadata.name}`, service: s.service, from: s.from, to: s.hash },
    'switched Service selector',
  );
  // Upstream's wording, with an empty "from" when the Service had no hash key yet.
  const message = `Switched selector for service '${s.service}' from '${s.from ?? ''}' to '${s.hash}'`;
  await recordAll(deps, rollout, [{ type: 'Normal', reason: EVENT_SWITCH_SERVICE, message }]);
}

/**
 * Carries out the undo annotation in one JSON patch guarded by resourceVersion: the chosen
 * revision's template into spec.template (a rollback), and the annotation removed in any case.
 */
export async function carryOutUndo(
  deps: RolloutReconcilerDeps,
  key: string,
  rollout: Rollout,
  plan: UndoPlan,
) {
  const namespace = rollout.metadata.namespace ?? '';
  const pointer = UNDO_TO_REVISION_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1');
  const ops = [
    { op: 'test', path: '/metadata/resourceVersion', value: rollout.metadata.resourceVersion },
    ...(plan.kind === 'rollback' ? [{ op: 'replace', path: '/spec/template', value: plan.template }] : []),
    { op: 'remove', path: `/metadata/annotations/${pointer}` },
  ];
  await kubeCall(`carrying out the undo of Rollout ${key}`, () =>
    deps.client.requestJson('PATCH', rolloutsPath(namespace, rollout.metadata.name ?? ''), {
      body: ops,
      contentType: 'application/json-patch+json',
    }),
  );
  if (plan.kind === 'invalid') {
    await recordAll(deps, rollout, [{ type: 'Warning', reason: UNDO_FAILED_REASON, message: plan.message }]);
    deps.log.warn({ rollout: key }, plan.message);
  } else if (plan.kind === 'skip') {
    deps.log.info({ rollout: key, revision: plan.revision }, plan.message);
  } else {
    deps.log.info({ rollout: key, revision: plan.revision, replicaSet: plan.replicaSet }, 'rolled back');
  }
}

/** Keeps the workload-generation annotation on the Rollout at the Deployment's generation. */
export async function recordWorkloadGeneration(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  generation: string,
): Promise<void> {
  if (rollout.metadata.annotations?.[WORKLOAD_GENERATION] === generation) return;
  const namespace = rollout.metadata.namespace ?? '';
  const patched = await kubeCall(
    `recording workload generation ${generation} on Rollout ${namespace}/${rollout.metadata.name}`,
    () =>
      deps.client.requestJson<Rollout>('PATCH', rolloutsPath(namespace, rollout.metadata.name ?? ''), {
        body: { metadata: { annotations: { [WORKLOAD_GENERATION]: generation } } },
        contentType: 'application/merge-patch+json',
      }),
  );
  rollout.metadata.resourceVersion = patched.metadata.resourceVersion;
  rollout.metadata.annotations = { ...rollout.metadata.annotations, [WORKLOAD_GENERATION]: generation };
}

/** workloadRef scaleDown: lowers the referenced Deployment's replicas. */
export async function scaleDeployment(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  deployment: Deployment,
  replicas: number,
): Promise<void> {
  const namespace = deployment.metadata.namespace ?? '';
  const name = deployment.metadata.name ?? '';
  await kubeCall(`scaling Deployment ${namespace}/${name} to ${replicas}`, () =>
    deps.client.requestJson(
      'PATCH',
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`,
      { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' },
    ),
  );
  deps.log.info(
    { rollout: `${namespace}/${rollout.metadata.name}`, deployment: name, replicas },
    'scaled down the referenced Deployment',
  );
}

export async function deleteReplicaSet(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  rs: ReplicaSet,
): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  const rsName = rs.metadata.name ?? '';
  try {
    await kubeCall(`deleting old ReplicaSet ${namespace}/${rsName}`, () =>
      deps.client.requestJson('DELETE', `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`, {
        // Only the RS we decided on: if it was scaled up again meanwhile, the delete fails.
        body: { preconditions: { uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion } },
      }),
    );
    deps.log.info(
      { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName },
      'deleted an old ReplicaSet beyond revisionHistoryLimit',
    );
  } catch (error) {
    if (!isNotFound(error) && !isConflict(error)) throw error;
  }
}

/** Scales an RS and records R on it; `clearDeadline` drops its scale-down deadline in the same patch. */
export async function scaleReplicaSet(
  deps: RolloutReconcilerDeps,
  namespace: string,
  name: string,
  replicas: number,
  desired: number,
  options: { clearDeadline?: boolean } = {},
): Promise<void> {
  const annotations: Record<string, string | null> = { [DESIRED_REPLICAS_ANNOTATION]: String(desired) };
  if (options.clearDeadline) annotations[SCALE_DOWN_DEADLINE_ANNOTATION] = null;
  await kubeCall(`scaling ReplicaSet ${namespace}/${name} to ${replicas}`, () =>
    deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(name)}`, {
      body: {
        metadata: { annotations },
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
export async function writeStatus(
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
