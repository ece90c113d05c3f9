// Live objects the resource tree does not carry in full (AnalysisRuns, ReplicaSets, other
// Rollouts), read through Argo CD's resource API with the user's session. Each object is read
// once per resourceVersion: a target whose version did not change is served from what was read
// before, so re-renders and the tree's frequent updates cost no requests.
import * as React from 'react';
import { getJson } from '../api/resource.ts';
import type { Fetch } from '../api/resource-actions.ts';
import type { Application } from '../model/argocd.ts';
import { manifestOf, resourceUrl, type ResourceTarget } from '../model/resource-request.ts';

export interface LiveTarget extends ResourceTarget {
  resourceVersion?: string | undefined;
  /** The key of this object in the result; the name unless two targets can share one. */
  id?: string;
}

const idOf = (t: LiveTarget) => t.id ?? t.name;

export interface LiveObjects {
  /** Objects read, by target id. */
  objects: ReadonlyMap<string, Record<string, unknown>>;
  /** Why a read failed (Argo CD's HTTP status), by target id. */
  errors: ReadonlyMap<string, string>;
  /** True until every target has been read once. */
  loading: boolean;
}

interface Entry {
  resourceVersion: string | undefined;
  object?: Record<string, unknown>;
  error?: string;
}

async function read(application: Application | undefined, target: LiveTarget): Promise<Entry> {
  const entry: Entry = { resourceVersion: target.resourceVersion };
  const url = resourceUrl(document.baseURI, application, target);
  if (url === undefined) return { ...entry, error: 'the application has no name' };
  const fetchFn: Fetch = (u, init) => window.fetch(u, init);
  try {
    const object = manifestOf(await getJson(fetchFn, url));
    return object === undefined ? { ...entry, error: 'unreadable manifest' } : { ...entry, object };
  } catch (err) {
    return { ...entry, error: err instanceof Error ? err.message : String(err) };
  }
}

export function useLiveObjects(
  application: Application | undefined,
  targets: readonly LiveTarget[],
): LiveObjects {
  const cache = React.useRef(new Map<string, Entry>());
  const [, setGeneration] = React.useState(0);
  const key = JSON.stringify([
    application?.metadata?.name,
    application?.metadata?.namespace,
    application?.spec?.project,
    targets.map((t) => [t.kind, t.namespace, t.name, t.resourceVersion]),
  ]);

  React.useEffect(() => {
    let cancelled = false;
    const stale = targets.filter((t) => {
      const entry = cache.current.get(idOf(t));
      return entry === undefined || entry.resourceVersion !== t.resourceVersion;
    });
    if (stale.length === 0) return;
    void Promise.all(stale.map(async (t) => [idOf(t), await read(application, t)] as const)).then((pairs) => {
      if (cancelled) return;
      for (const [name, entry] of pairs) cache.current.set(name, entry);
      setGeneration((g) => g + 1);
    });
    return () => {
      cancelled = true;
    };
    // `key` stands for everything the reads depend on; the arrays themselves are new on every render.
  }, [key]);

  const objects = new Map<string, Record<string, unknown>>();
  const errors = new Map<string, string>();
  let loading = false;
  for (const t of targets) {
    const entry = cache.current.get(idOf(t));
    if (entry === undefined) loading = true;
    if (entry?.object !== undefined) objects.set(idOf(t), entry.object);
    if (entry?.error !== undefined) errors.set(idOf(t), entry.error);
  }
  return { objects, errors, loading };
}
