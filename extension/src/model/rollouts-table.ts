// All Rollouts of the application in one table: which Rollouts the tree holds, one row per
// Rollout from its live object (summary fields), and the link that selects it in Argo CD.
import type { ApplicationTree } from './argocd.ts';
import { asArray, asRecord, asString } from './read.ts';
import { revisions } from './revisions.ts';
import type { Rollout } from './rollout.ts';
import { rolloutSummary, type Summary } from './summary.ts';

export interface RolloutNodeRef {
  namespace: string;
  name: string;
  version: string;
  resourceVersion?: string;
  /** Argo CD's health of the Rollout, known before its live object is read. */
  health?: string;
}

export interface RolloutRow {
  ref: RolloutNodeRef;
  /** Undefined until the live object has been read. */
  summary?: Summary;
  /** True for the Rollout whose tab this is. */
  current: boolean;
}

/** The Rollouts in the application's tree, by namespace then name. */
export function rolloutNodes(tree: ApplicationTree | undefined): RolloutNodeRef[] {
  return asArray(asRecord(tree)?.nodes)
    .map(asRecord)
    .filter(
      (n) =>
        n !== undefined &&
        n.kind === 'Rollout' &&
        n.group === 'argoproj.io' &&
        asString(n.name) !== undefined,
    )
    .map((n) => {
      const ref: RolloutNodeRef = {
        namespace: asString(n?.namespace) ?? '',
        name: asString(n?.name) ?? '',
        version: asString(n?.version) ?? 'v1alpha1',
      };
      const rv = asString(n?.resourceVersion);
      if (rv !== undefined) ref.resourceVersion = rv;
      const health = asString(asRecord(n?.health)?.status);
      if (health !== undefined) ref.health = health;
      return ref;
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/**
 * One row per Rollout node. `live` holds the Rollouts read so far by name; the tab's own Rollout
 * comes from its props, so it is never read twice. Rollouts in other namespaces with the same
 * name are told apart by namespace.
 */
export function rolloutRows(opts: {
  tree: ApplicationTree | undefined;
  self: Rollout;
  live: ReadonlyMap<string, Record<string, unknown>>;
}): RolloutRow[] {
  const selfName = asString(opts.self.metadata?.name);
  const selfNamespace = asString(opts.self.metadata?.namespace) ?? '';
  return rolloutNodes(opts.tree).map((ref) => {
    const current = ref.name === selfName && ref.namespace === selfNamespace;
    const object = current ? opts.self : (asRecord(opts.live.get(liveKey(ref))) as Rollout | undefined);
    const row: RolloutRow = { ref, current };
    if (object !== undefined) row.summary = rolloutSummary(object, revisions(object, opts.tree));
    return row;
  });
}

/** Key of a Rollout among the live objects read for the table. */
export function liveKey(ref: { namespace: string; name: string }): string {
  return `${ref.namespace}/${ref.name}`;
}

/**
 * The Argo CD URL that selects a Rollout in the application view: the current page with its
 * `node` query parameter set to `argoproj.io/Rollout/<namespace>/<name>/0`, Argo CD's own format
 * for the selected resource. Other parameters (the open `tab`) are kept, so the same tab opens.
 */
export function rolloutLink(pageHref: string, ref: { namespace: string; name: string }): string {
  const url = new URL(pageHref);
  url.searchParams.set('node', `argoproj.io/Rollout/${ref.namespace}/${ref.name}/0`);
  return url.toString();
}
