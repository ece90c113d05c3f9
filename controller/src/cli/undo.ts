// `undo [--to-revision N]`: the ReplicaSet template to roll back to, as the plugin picks it. The
// plugin sends the RS template (hash label removed) as a JSON patch replacing /spec/template, or
// skips when the Rollout's template already matches that revision.
import type { PodTemplateSpec, Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import type { ReplicaSetObject } from './objects.ts';
import { revisionOf } from './rollout-info.ts';

export type UndoPlan =
  | {
      kind: 'patch';
      revision: number;
      patch: [{ op: 'replace'; path: '/spec/template'; value: PodTemplateSpec }];
    }
  | { kind: 'skip'; revision: number };

/** Deep equality where an absent field equals an empty value (Go's semantic "derivative" equality). */
function derivativeEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) =>
    v === undefined ||
    v === null ||
    v === '' ||
    v === 0 ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => derivativeEqual(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    return [...keys].every((k) => derivativeEqual(ra[k], rb[k]));
  }
  return a === b;
}

function withoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(template);
  const labels = copy.metadata?.labels;
  if (labels && copy.metadata) {
    copy.metadata.labels = Object.fromEntries(
      Object.entries(labels).filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL),
    );
  }
  return copy;
}

/**
 * The rollback for `toRevision` (0 means the previous revision: the second-highest). Throws when
 * the Rollout has no such revision. `replicaSets` are those the Rollout controls.
 */
export function undoPlan(
  rollout: Rollout,
  replicaSets: readonly ReplicaSetObject[],
  toRevision = 0,
): UndoPlan {
  const byRevision = [...replicaSets]
    .filter((rs) => revisionOf(rs.metadata) > 0 && rs.spec?.template)
    .sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
  let target: ReplicaSetObject | undefined;
  if (toRevision === 0) {
    if (byRevision.length < 2) throw new Error('no rollout history found');
    target = byRevision[1];
  } else {
    target = byRevision.find((rs) => revisionOf(rs.metadata) === toRevision);
    if (!target) throw new Error(`unable to find specified revision ${toRevision} in history`);
  }
  const source = target?.spec?.template;
  if (!target || !source) throw new Error(`unable to find specified revision ${toRevision} in history`);
  const revision = revisionOf(target.metadata);
  const template = withoutHash(source);
  if (derivativeEqual(withoutHash(rollout.spec.template ?? {}), template)) return { kind: 'skip', revision };
  return { kind: 'patch', revision, patch: [{ op: 'replace', path: '/spec/template', value: template }] };
}
