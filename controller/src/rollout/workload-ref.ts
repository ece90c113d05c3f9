// workloadRef: a Rollout that takes its pod template (and, without its own, its selector) from a
// Deployment, reads it on every reconcile and never writes it into the Rollout, records the
// Deployment's generation it has seen, and with `scaleDown` takes the Deployment's pods away as
// its own become ready (objects-and-labels §7). Pure: the reconciler reads the Deployment from its
// cache and patches what these functions decide.
import type { LabelSelector, ObjectMeta, PodTemplateSpec, Rollout } from '@rollout-kit/api';
import type { FieldError } from './validate.ts';

/** The apps/v1 Deployment fields the controller reads. */
export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec };
}

/** The Rollout annotation holding the referenced workload's generation. */
export const WORKLOAD_GENERATION = 'rollout.argoproj.io/workload-generation';

/**
 * The Rollout as the reconciler works on it: the Deployment's template, and its selector when the
 * Rollout has none. A missing Deployment, or a kind other than an apps/v1 Deployment, is an
 * error on the field that names it.
 */
export function resolveWorkload(
  rollout: Rollout,
  deployment: Deployment | undefined,
): { rollout: Rollout } | { error: FieldError } {
  const ref = rollout.spec.workloadRef;
  if (!ref) return { rollout };
  const group = (ref.apiVersion ?? '').split('/')[0];
  if (ref.kind !== 'Deployment' || group !== 'apps') {
    return {
      error: {
        type: 'Unsupported value',
        field: 'spec.workloadRef.kind',
        value: ref.kind ?? '',
        detail: 'only an apps/v1 Deployment is supported as workloadRef by this controller',
      },
    };
  }
  if (!deployment) {
    return {
      error: {
        type: 'Invalid value',
        field: 'spec.workloadRef.name',
        value: ref.name ?? '',
        detail: `Deployment "${ref.name ?? ''}" not found`,
      },
    };
  }
  const resolved = structuredClone(rollout);
  resolved.spec.template = structuredClone(deployment.spec?.template ?? {});
  if (!resolved.spec.selector) resolved.spec.selector = structuredClone(deployment.spec?.selector ?? {});
  return { rollout: resolved };
}

/** The Deployment's generation as the annotation and status.workloadObservedGeneration carry it. */
export const workloadGeneration = (deployment: Deployment): string =>
  String(deployment.metadata.generation ?? 0);

export interface ScaleDownInput {
  /** spec.workloadRef.scaleDown: never (or empty), onsuccess, progressively. */
  mode: string | undefined;
  /** Revision of the Rollout's current ReplicaSet: only the migration (revision 1) scales down. */
  revision: number;
  healthy: boolean;
  /** spec.replicas of the Rollout and status.readyReplicas after this pass. */
  replicas: number;
  readyReplicas: number;
  /** The Deployment's spec.replicas now. */
  current: number;
}

/**
 * The Deployment's new spec.replicas, or undefined to leave it. Only ever lower: once scaled
 * down, later Rollout scaling never scales the Deployment back up.
 * Example: progressively, R 4, 3 ready, Deployment at 4 → 1; once Healthy → 0.
 */
export function deploymentReplicas(input: ScaleDownInput): number | undefined {
  if (input.revision !== 1) return undefined;
  let wanted: number | undefined;
  if (input.mode === 'onsuccess') wanted = input.healthy ? 0 : undefined;
  else if (input.mode === 'progressively')
    wanted = input.healthy ? 0 : Math.max(0, input.replicas - input.readyReplicas);
  if (wanted === undefined || wanted >= input.current) return undefined;
  return wanted;
}

/** Keys of the Rollouts (of one namespace) whose workloadRef names this Deployment. */
export function rolloutsReferencingDeployment(
  rollouts: readonly Rollout[],
  deployment: Deployment,
): string[] {
  return rollouts
    .filter((r) => {
      const ref = r.spec.workloadRef;
      return ref?.kind === 'Deployment' && ref.name === deployment.metadata.name;
    })
    .map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
}
