// The `scale-down-deadline` of the Rollout's older ReplicaSets. The resource tree does not carry
// annotations, so each ReplicaSet that still has pods and is not stable is read once per
// resourceVersion through Argo CD's API. A failed read (403 included) only hides the deadline.
import * as React from 'react';
import { getJson } from '../api/resource.ts';
import type { Fetch } from '../api/resource-actions.ts';
import type { Application } from '../model/argocd.ts';
import { asRecord, asString } from '../model/read.ts';
import { manifestOf, resourceUrl, scaleDownDeadline } from '../model/resource-request.ts';
import type { RevisionView } from '../model/revisions.ts';

type Deadlines = ReadonlyMap<string, number>;

function same(a: Deadlines, b: Deadlines): boolean {
  return a.size === b.size && [...a].every(([name, at]) => b.get(name) === at);
}

async function readDeadline(url: string | undefined): Promise<number | undefined> {
  if (url === undefined) return undefined;
  const fetchFn: Fetch = (u, init) => window.fetch(u, init);
  try {
    return scaleDownDeadline(manifestOf(await getJson(fetchFn, url)));
  } catch {
    return undefined;
  }
}

/** ReplicaSet name → deadline (ms since epoch). */
export function useScaleDownDeadlines(
  application: Application | undefined,
  namespace: string,
  revisions: RevisionView[],
): Deadlines {
  const [deadlines, setDeadlines] = React.useState<Deadlines>(() => new Map());
  const latest = React.useRef(deadlines);
  latest.current = deadlines;
  const names = revisions.filter((r) => r.pods.length > 0 && !r.roles.includes('stable'));
  const app = asRecord(application);
  // Re-read only when a ReplicaSet changed (its resourceVersion), the set of them, or the target.
  const key = JSON.stringify([
    asRecord(app?.metadata)?.name,
    asRecord(app?.metadata)?.namespace,
    asString(asRecord(app?.spec)?.project),
    namespace,
    names.map((r) => [r.replicaSet, r.resourceVersion]),
  ]);

  React.useEffect(() => {
    let cancelled = false;
    const reads = names.map(async (r) => {
      const target = { namespace, name: r.replicaSet, group: 'apps', version: 'v1', kind: 'ReplicaSet' };
      const at = await readDeadline(resourceUrl(document.baseURI, application, target));
      return at === undefined ? undefined : ([r.replicaSet, at] as const);
    });
    void Promise.all(reads).then((pairs) => {
      const next: Deadlines = new Map(pairs.filter((p) => p !== undefined));
      // Only a real change re-renders the tab.
      if (!cancelled && !same(latest.current, next)) setDeadlines(next);
    });
    return () => {
      cancelled = true;
    };
    // `key` stands for everything the reads depend on; the arrays themselves are new on every render.
  }, [key]);
  return deadlines;
}
