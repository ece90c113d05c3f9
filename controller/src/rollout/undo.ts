// Undo to a revision, as our Argo CD `undo` action asks for it: the action's Lua sees only the
// Rollout, so it records the wanted revision in an annotation and the controller copies that
// revision's ReplicaSet template into spec.template (what `kubectl argo rollouts undo` does from
// the client side), then removes the annotation. Pure: the reconciler sends the patch.
import type { PodTemplateSpec, Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { withoutInjectedRule, type Affinity } from './anti-affinity.ts';
import { recordedMetadata } from './ephemeral-metadata.ts';
import { podTemplateHash } from './pod-hash.ts';
import { hashOf, revisionOf, type ReplicaSet } from './replica-set.ts';

/** Set by the Argo CD `undo` action: the revision to go back to ("0" means the previous one). */
export const UNDO_TO_REVISION_ANNOTATION = 'rollout-kit.io/undo-to-revision';
/** Reason of the Warning event of an undo that cannot be carried out. */
export const UNDO_FAILED_REASON = 'RolloutUndoFailed';

export type UndoPlan =
  | { kind: 'rollback'; revision: number; replicaSet: string; template: PodTemplateSpec }
  | { kind: 'skip'; revision: number; message: string }
  | { kind: 'invalid'; message: string };

/**
 * The pod template an RS runs, as a Rollout template: without the hash label, the ephemeral
 * metadata the controller injected (recorded on the RS) and the injected anti-affinity term, as
 * upstream strips both before comparing an RS with the Rollout. Everything else, including the
 * API server's defaults, is kept as the plugin's undo keeps it.
 */
export function templateOf(rs: ReplicaSet): PodTemplateSpec {
  const template = structuredClone(rs.spec?.template ?? {});
  const injected = recordedMetadata(rs);
  const strip = (map: Record<string, string> | undefined, remove: Record<string, string> | undefined) => {
    if (!map) return undefined;
    const out = Object.fromEntries(Object.entries(map).filter(([k, v]) => remove?.[k] !== v));
    return Object.keys(out).length > 0 ? out : undefined;
  };
  if (template.metadata) {
    const labels = strip(template.metadata.labels, {
      ...(injected?.labels ?? {}),
      ...(template.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] !== undefined
        ? { [POD_TEMPLATE_HASH_LABEL]: template.metadata.labels[POD_TEMPLATE_HASH_LABEL] }
        : {}),
    });
    const annotations = strip(template.metadata.annotations, injected?.annotations);
    if (labels) template.metadata.labels = labels;
    else delete template.metadata.labels;
    if (annotations) template.metadata.annotations = annotations;
    else delete template.metadata.annotations;
  }
  if (template.spec?.affinity) {
    const affinity = withoutInjectedRule(template.spec.affinity as Affinity);
    if (affinity) template.spec.affinity = affinity;
    else delete template.spec.affinity;
  }
  return template;
}

/**
 * The RS whose template is the Rollout's, compared on the Go JSON the hash is made of (so field
 * order, empty values and quantities do not matter). Finds the RS an undo copied its template
 * from, whose hash label differs from the hash of the copy because the API server defaulted it.
 */
export function findByTemplate(
  replicaSets: readonly ReplicaSet[],
  template: PodTemplateSpec,
): ReplicaSet | undefined {
  const wanted = podTemplateHash(template);
  return [...replicaSets]
    .filter((rs) => !rs.metadata.deletionTimestamp && podTemplateHash(templateOf(rs)) === wanted)
    .sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )[0];
}

/**
 * What the undo annotation asks for; undefined when it is absent. `owned` are the Rollout's
 * ReplicaSets. Revision "0" is the previous revision (the plugin's default); an unknown or
 * malformed revision is 'invalid' (Warning event, annotation removed); the revision the Rollout
 * already runs is 'skip' (annotation removed, nothing else).
 */
export function undoPlan(
  rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>,
  owned: readonly ReplicaSet[],
): UndoPlan | undefined {
  const raw = rollout.metadata.annotations?.[UNDO_TO_REVISION_ANNOTATION];
  if (raw === undefined) return undefined;
  if (rollout.spec.workloadRef) {
    return {
      kind: 'invalid',
      message: 'undo of a Rollout with workloadRef is not supported: undo the workload',
    };
  }
  const value = raw.trim();
  if (!/^\d+$/.test(value)) {
    return { kind: 'invalid', message: `invalid undo revision "${raw}": must be a revision number` };
  }
  let revision = Number(value);
  const revisions = [...new Set(owned.map(revisionOf).filter((n) => n > 0))].sort((a, b) => b - a);
  if (revision === 0) {
    const previous = revisions[1];
    if (previous === undefined) return { kind: 'invalid', message: 'no rollout history found' };
    revision = previous;
  }
  const rs = owned.find((r) => revisionOf(r) === revision && !r.metadata.deletionTimestamp);
  if (!rs) return { kind: 'invalid', message: `unable to find specified revision ${revision} in history` };
  const template = templateOf(rs);
  const running = hashOf(rs) !== undefined && hashOf(rs) === rollout.status?.currentPodHash;
  if (running || podTemplateHash(template) === podTemplateHash(rollout.spec.template ?? {})) {
    return {
      kind: 'skip',
      revision,
      message: `skipped rollback (current template already matches revision ${revision})`,
    };
  }
  return { kind: 'rollback', revision, replicaSet: rs.metadata.name ?? '', template };
}
