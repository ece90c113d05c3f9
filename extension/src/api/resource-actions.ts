// Runs a resource action against Argo CD: the v2 route first, the v1 route when the server is
// older than 3.1 and does not know v2. Errors carry the HTTP status and Argo CD's own message,
// so a 403 from RBAC reads as what it is.
import type { ActionRequests } from '../model/action-request.ts';

/** window.fetch, or a stand-in for it. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Statuses with which a pre-3.1 server answers the unknown v2 route. */
const NO_V2 = new Set([404, 405, 501]);

async function describe(response: Response): Promise<string> {
  const head = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  let text: string;
  try {
    text = await response.text();
  } catch {
    return head;
  }
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { message, error } = body as { message?: unknown; error?: unknown };
      if (typeof message === 'string' && message !== '') return `${head}: ${message}`;
      if (typeof error === 'string' && error !== '') return `${head}: ${error}`;
    }
  } catch {
    // not JSON: show the text itself
  }
  const trimmed = text.trim().slice(0, 300);
  return trimmed === '' ? head : `${head}: ${trimmed}`;
}

export async function runResourceAction(fetchFn: Fetch, requests: ActionRequests): Promise<void> {
  let response = await fetchFn(requests.v2.url, requests.v2.init);
  if (NO_V2.has(response.status)) {
    if (requests.v1Unsupported !== undefined) {
      throw new Error(`${await describe(response)} (${requests.v1Unsupported})`);
    }
    response = await fetchFn(requests.v1.url, requests.v1.init);
  }
  if (!response.ok) throw new Error(await describe(response));
}
