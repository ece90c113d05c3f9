// Terminating and deleting the argoproj.io objects a Rollout owns (AnalysisRuns, Experiments):
// the same two calls for either kind. An object already gone is fine; a delete is guarded by the
// object's UID, so a newer object that took the name is never removed.
import type { ObjectMeta } from '@rollout-kit/api';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import type { Logger } from '../observe/logger.ts';

export interface OwnedKind {
  kind: 'AnalysisRun' | 'Experiment';
  plural: 'analysisruns' | 'experiments';
  /** The log field naming the object (kept per kind so log searches stay as they were). */
  logKey: string;
}

interface Owned {
  metadata: ObjectMeta;
  status?: { phase?: string };
}

const objectPath = (plural: string, metadata: ObjectMeta) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(metadata.namespace ?? '')}/${plural}/${encodeURIComponent(metadata.name ?? '')}`;

/** Sets `spec.terminate` (the object's own controller stops it and records the outcome). */
export async function terminateOwned(
  deps: { client: KubeClient; log: Logger },
  kind: OwnedKind,
  object: Owned,
): Promise<void> {
  const { namespace, name } = object.metadata;
  try {
    await kubeCall(`terminating ${kind.kind} ${namespace ?? ''}/${name ?? ''}`, () =>
      deps.client.requestJson('PATCH', objectPath(kind.plural, object.metadata), {
        body: { spec: { terminate: true } },
        contentType: 'application/merge-patch+json',
      }),
    );
    deps.log.info({ [kind.logKey]: name }, `terminated ${kind.kind}`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export async function deleteOwned(
  deps: { client: KubeClient; log: Logger },
  kind: OwnedKind,
  object: Owned,
): Promise<void> {
  const { namespace, name } = object.metadata;
  try {
    await kubeCall(`deleting ${kind.kind} ${namespace ?? ''}/${name ?? ''}`, () =>
      deps.client.requestJson('DELETE', objectPath(kind.plural, object.metadata), {
        body: { preconditions: { uid: object.metadata.uid } },
      }),
    );
    deps.log.info({ [kind.logKey]: name, phase: object.status?.phase }, `deleted old ${kind.kind}`);
  } catch (error) {
    if (!isNotFound(error) && !isConflict(error)) throw error;
  }
}
