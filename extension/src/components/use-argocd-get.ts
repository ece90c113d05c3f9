// One GET of Argo CD's API with the user's session, repeated only when `key` changes (callers
// include the resourceVersion of the object the answer depends on). The URL is made in the
// effect, from the page's base URI, so rendering never touches `document`. A failed read (403
// included, or a route an older Argo CD lacks) gives its reason instead of a body.
import * as React from 'react';
import { getJson } from '../api/resource.ts';
import type { Fetch } from '../api/resource-actions.ts';

export interface GetResult {
  body?: unknown;
  error?: string;
}

export function useArgoCdGet(urlFor: (baseURI: string) => string | undefined, key: string): GetResult {
  const [state, setState] = React.useState<GetResult>({});
  React.useEffect(() => {
    const url = urlFor(document.baseURI);
    if (url === undefined) return;
    let cancelled = false;
    const fetchFn: Fetch = (u, init) => window.fetch(u, init);
    getJson(fetchFn, url).then(
      (body) => {
        if (!cancelled) setState({ body });
      },
      (err: unknown) => {
        if (!cancelled) setState({ error: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      cancelled = true;
    };
    // `key` stands for everything `urlFor` reads; the function itself is new on every render.
  }, [key]);
  return state;
}
