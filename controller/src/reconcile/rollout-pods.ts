// What the Rollout reconciler does to live pods: ephemeral metadata on the pods of a ReplicaSet,
// and the evictions of a restart. Pods are listed when needed, not cached: most passes touch none.
import type { ObjectMeta, Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { maxUnavailable } from '../canary/replicas.ts';
import { isNotFound, isTransient, kubeCall } from '../kube/errors.ts';
import { metadataPatch, type EphemeralSync } from '../rollout/ephemeral-metadata.ts';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';
import { restartPlan, type Pod, type RestartPlan } from '../rollout/restart.ts';
import { replicaSetsPath } from './rollout-actions.ts';
import type { RolloutReconcilerDeps } from './rollout.ts';

/**
 * Brings one RS's ephemeral metadata to what its role wants: the RS template and record first
 * (upstream's order), then each live pod it controls, touching only the injected keys.
 */
export async function syncEphemeral(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  sync: EphemeralSync,
): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  const rsName = sync.rs.metadata.name ?? '';
  const hash = hashOf(sync.rs) ?? '';
  await kubeCall(`updating the ephemeral metadata of ReplicaSet ${namespace}/${rsName}`, () =>
    deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`, {
      body: sync.replicaSetPatch,
      contentType: 'application/merge-patch+json',
    }),
  );
  const podsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const pods = await kubeCall(`listing the pods of ReplicaSet ${namespace}/${rsName}`, () =>
    deps.client.requestJson<{ items: { metadata: ObjectMeta }[] }>('GET', podsPath, {
      query: { labelSelector: `${POD_TEMPLATE_HASH_LABEL}=${hash}` },
    }),
  );
  for (const pod of pods.items) {
    const ours = (pod.metadata.ownerReferences ?? []).some(
      (o) => o.controller && o.uid === sync.rs.metadata.uid,
    );
    if (!ours || pod.metadata.deletionTimestamp) continue;
    const patch = metadataPatch(pod.metadata, sync.previous, sync.desired);
    if (!patch) continue;
    const podName = pod.metadata.name ?? '';
    try {
      await kubeCall(`updating the ephemeral metadata of pod ${namespace}/${podName}`, () =>
        deps.client.requestJson('PATCH', `${podsPath}/${encodeURIComponent(podName)}`, {
          body: { metadata: patch },
          contentType: 'application/merge-patch+json',
        }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error; // a pod that went away needs nothing
    }
  }
  deps.log.info(
    { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName, pods: pods.items.length },
    'synced ephemeral metadata',
  );
}

/** Lists the pods of the Rollout's ReplicaSets when a restart is pending, and plans the next evictions. */
export async function planRestart(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  ctx: { owned: readonly ReplicaSet[]; newRS?: ReplicaSet; stableRS?: ReplicaSet; now: number },
): Promise<RestartPlan> {
  const { restartAt } = rollout.spec;
  const restartedAt = rollout.status?.restartedAt;
  const base = { restartAt, restartedAt, now: ctx.now, pods: [], replicaSetOrder: [] };
  // Without pods the plan can already tell "nothing" or "later"; only then are the pods listed.
  const first = restartPlan({
    ...base,
    replicas: 0,
    specReplicaSum: 0,
    maxUnavailable: 0,
    minReadySeconds: 0,
  });
  if (first.kind === 'none' || first.kind === 'later') return first;
  const namespace = rollout.metadata.namespace ?? '';
  const pods = await kubeCall(`listing the pods of Rollout ${namespace}/${rollout.metadata.name}`, () =>
    deps.client.requestJson<{ items: Pod[] }>(
      'GET',
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      {
        query: { labelSelector: POD_TEMPLATE_HASH_LABEL },
      },
    ),
  );
  const older = ctx.owned
    .filter((rs) => rs !== ctx.newRS && rs !== ctx.stableRS)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  const order = [ctx.stableRS, ctx.newRS, ...older]
    .filter((rs): rs is ReplicaSet => rs !== undefined)
    .map((rs) => rs.metadata.uid ?? '');
  return restartPlan({
    ...base,
    pods: pods.items,
    replicaSetOrder: [...new Set(order)],
    replicas: rollout.spec.replicas ?? 1,
    specReplicaSum: ctx.owned.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
    maxUnavailable: maxUnavailable(rollout),
    minReadySeconds: rollout.spec.minReadySeconds ?? 0,
  });
}

/** Evicts one pod through the eviction API; a PodDisruptionBudget refusal (429) is retried later. */
export async function evictPod(deps: RolloutReconcilerDeps, namespace: string, name: string): Promise<void> {
  try {
    await kubeCall(`evicting pod ${namespace}/${name} for a restart`, () =>
      deps.client.requestJson(
        'POST',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`,
        { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } },
      ),
    );
    deps.log.info({ pod: `${namespace}/${name}` }, 'evicted pod for the restart');
  } catch (error) {
    if (isNotFound(error)) return;
    if (isTransient(error)) {
      deps.log.info({ pod: `${namespace}/${name}`, err: error }, 'eviction refused for now; retrying later');
      return;
    }
    throw error;
  }
}
