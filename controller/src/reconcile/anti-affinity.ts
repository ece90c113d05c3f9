// Keeps the injected anti-affinity term on the new ReplicaSet's template as the pure decision
// (rollout/anti-affinity.ts) wants it: renewed when it names an earlier stable, dropped once the
// RS is the stable one. Only the template changes: the RS's pods, its hash label and its name
// stay (a ReplicaSet never replaces running pods for a template change).
import type { Rollout } from '@rollout-kit/api';
import { isNotFound, kubeCall } from '../kube/errors.ts';
import { mergePatch } from '../kube/merge-patch.ts';
import type { Affinity } from '../rollout/anti-affinity.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { replicaSetsPath } from './rollout-actions.ts';
import type { RolloutReconcilerDeps } from './rollout.ts';

/**
 * Writes `to` as the RS template's affinity (absent when undefined) in a merge patch guarded by
 * the resourceVersion we decided on, and returns the RS as the API server answered; the RS as
 * it was when it is gone meanwhile.
 */
export async function setReplicaSetAffinity(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  rs: ReplicaSet,
  to: Affinity | undefined,
): Promise<ReplicaSet> {
  const namespace = rs.metadata.namespace ?? rollout.metadata.namespace ?? '';
  const rsName = rs.metadata.name ?? '';
  const current = rs.spec?.template?.spec?.affinity as Record<string, unknown> | undefined;
  // A merge patch diffed key by key: removed terms' lists and emptied objects become null.
  const affinity = to === undefined ? null : current ? (mergePatch(current, to) ?? {}) : to;
  try {
    const updated = await kubeCall(`updating the anti-affinity of ReplicaSet ${namespace}/${rsName}`, () =>
      deps.client.requestJson<ReplicaSet>(
        'PATCH',
        `${replicaSetsPath(namespace)}/${encodeURIComponent(rsName)}`,
        {
          body: {
            metadata: { resourceVersion: rs.metadata.resourceVersion },
            spec: { template: { spec: { affinity } } },
          },
          contentType: 'application/merge-patch+json',
        },
      ),
    );
    deps.log.info(
      { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: rsName, injected: to !== undefined },
      'updated the injected anti-affinity rule',
    );
    return updated;
  } catch (error) {
    if (isNotFound(error)) return rs;
    throw error;
  }
}
