// Sets or removes a ReplicaSet's scale-down deadline, as upstream does: a JSON patch on the one
// annotation (`add` replaces an existing value), so nothing else on the RS is touched.
import type { Rollout } from '@rollout-kit/api';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '@rollout-kit/api';
import { InvalidError, isNotFound, kubeCall } from '../kube/errors.ts';
import type { DeadlineChange } from '../rollout/strategy.ts';
import { replicaSetsPath } from './rollout-actions.ts';
import type { RolloutReconcilerDeps } from './rollout.ts';

const pointer = `/metadata/annotations/${SCALE_DOWN_DEADLINE_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export async function setScaleDownDeadline(
  deps: RolloutReconcilerDeps,
  rollout: Rollout,
  change: DeadlineChange,
): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  const ops =
    change.deadline === null
      ? [{ op: 'remove', path: pointer }]
      : [{ op: 'add', path: pointer, value: change.deadline }];
  const what =
    change.deadline === null ? 'removing the scale-down deadline of' : 'setting a scale-down deadline on';
  try {
    await kubeCall(`${what} ReplicaSet ${namespace}/${change.name}`, () =>
      deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(change.name)}`, {
        body: ops,
        contentType: 'application/json-patch+json',
      }),
    );
  } catch (error) {
    // Gone, or the annotation was already removed (a remove of a missing path is a 422): done.
    if (isNotFound(error) || (change.deadline === null && error instanceof InvalidError)) return;
    throw error;
  }
  deps.log.info(
    { rollout: `${namespace}/${rollout.metadata.name}`, replicaSet: change.name, deadline: change.deadline },
    change.deadline === null ? 'removed the scale-down deadline' : 'set a scale-down deadline',
  );
}
