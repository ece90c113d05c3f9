// GET of one object through Argo CD's API with the user's session.
import type { Fetch } from './resource-actions.ts';

/** The parsed JSON body, or an error naming the HTTP status. */
export async function getJson(fetchFn: Fetch, url: string): Promise<unknown> {
  const response = await fetchFn(url, {
    method: 'GET',
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return JSON.parse(await response.text()) as unknown;
}
