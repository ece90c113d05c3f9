// ReplicaSets as a Rollout owns them: the narrow shape we read, how the new one is found and
// built (name, labels, selector, annotations, owner), and revision bookkeeping. Pure: the
// reconciler creates and patches what these functions describe.
import type { LabelSelector, ObjectMeta, OwnerReference, PodTemplateSpec, Rollout } from '@rollout-kit/api';
import {
  API_VERSION,
  DESIRED_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from '@rollout-kit/api';
import type { ReplicaSetCounts } from '../canary/replicas.ts';

/** The apps/v1 ReplicaSet fields the controller reads or writes. */
export interface ReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector;
    template?: PodTemplateSpec;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

/** Rollout annotations that are the Rollout's own bookkeeping and never copied onto its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  'notified.notifications.argoproj.io',
]);

export const hashOf = (rs: ReplicaSet): string | undefined => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];

/** The revision annotation as a number; 0 when absent or not a number. */
export function revisionOf(obj: { metadata: ObjectMeta }): number {
  const n = Number(obj.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The revision a new (or re-used) ReplicaSet gets: one more than the highest of the others. */
export function nextRevision(others: readonly ReplicaSet[]): number {
  return others.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0) + 1;
}

/** The counts the replica math reads; absent fields are 0. */
export function countsOf(rs: ReplicaSet): ReplicaSetCounts {
  return {
    name: rs.metadata.name ?? '',
    specReplicas: rs.spec?.replicas ?? 1,
    replicas: rs.status?.replicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
  };
}

/** Whether `rs` has a controller reference to this Rollout (by UID). */
export function isControlledBy(rs: ReplicaSet, rollout: Pick<Rollout, 'metadata'>): boolean {
  return (rs.metadata.ownerReferences ?? []).some(
    (o) => o.controller === true && o.uid === rollout.metadata.uid,
  );
}

export function controllerReference(rollout: Pick<Rollout, 'metadata'>): OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'Rollout',
    name: rollout.metadata.name ?? '',
    uid: rollout.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The ReplicaSet of `hash` among the owned ones, oldest first when several carry it. Upstream also
 * adopts an RS whose template equals the Rollout's after defaulting; we match by the hash label,
 * which is what every RS this controller or Argo Rollouts 1.9 created carries.
 */
export function findByHash(
  replicaSets: readonly ReplicaSet[],
  hash: string | undefined,
): ReplicaSet | undefined {
  if (!hash) return undefined;
  return [...replicaSets]
    .filter((rs) => hashOf(rs) === hash && !rs.metadata.deletionTimestamp)
    .sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )[0];
}

/** Annotations for a ReplicaSet: the Rollout's, minus its own bookkeeping, plus revision and desired replicas. */
export function replicaSetAnnotations(
  rollout: Pick<Rollout, 'metadata' | 'spec'>,
  revision: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rollout.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  out[REVISION_ANNOTATION] = String(revision);
  out[DESIRED_REPLICAS_ANNOTATION] = String(rollout.spec.replicas ?? 1);
  return out;
}

/**
 * The new ReplicaSet for the Rollout's template at `hash`: named `<rollout>-<hash>`, labelled with
 * the template's labels and the hash, selector and template carrying the hash, created at 0
 * replicas (the canary or blue-green logic scales it), controlled by the Rollout.
 * `extraTemplateMetadata` is ephemeral metadata to inject (canary/preview or stable/active).
 */
export function newReplicaSet(
  rollout: Rollout,
  hash: string,
  revision: number,
  extraTemplateMetadata: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): ReplicaSet {
  const template = rollout.spec.template ?? {};
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = rollout.spec.selector ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${rollout.metadata.name}-${hash}`,
      namespace: rollout.metadata.namespace,
      labels,
      annotations: replicaSetAnnotations(rollout, revision),
      ownerReferences: [controllerReference(rollout)],
    },
    spec: {
      replicas: 0,
      ...(rollout.spec.minReadySeconds ? { minReadySeconds: rollout.spec.minReadySeconds } : {}),
      selector: {
        ...selector,
        matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
      },
      template: {
        ...template,
        metadata: {
          ...(template.metadata ?? {}),
          labels: { ...labels, ...(extraTemplateMetadata.labels ?? {}) },
          ...(template.metadata?.annotations || extraTemplateMetadata.annotations
            ? {
                annotations: {
                  ...(template.metadata?.annotations ?? {}),
                  ...(extraTemplateMetadata.annotations ?? {}),
                },
              }
            : {}),
        },
      },
    },
  };
}
