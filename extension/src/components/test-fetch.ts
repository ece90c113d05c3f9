// A stand-in for window.fetch in component tests (the browser boundary): GETs of Argo CD's
// resource API are answered from a map of objects by resource name, POSTs from a queue of
// answers, and every request is recorded.
export interface Call {
  url: string;
  init: RequestInit;
}

export function reply(status: number, body: string): Response {
  const statusText = status === 403 ? 'Forbidden' : '';
  return { ok: status >= 200 && status < 300, status, statusText, text: async () => body } as Response;
}

export interface FetchStub {
  gets: string[];
  posts: Call[];
}

/**
 * Installs the stub. A GET whose URL path ends in `/events` is answered with `events`, one of
 * `/resource/actions` with `actions`; any other
 * GET with the object named by its `resourceName` (404 when absent, 403 for 'forbidden').
 */
export function stubFetch(opts: {
  objects?: Record<string, unknown>;
  answers?: [number, string][];
  events?: unknown;
  /** Answer to Argo CD's action list (`…/resource/actions`); 404 when absent. */
  actions?: unknown;
}): FetchStub {
  const stub: FetchStub = { gets: [], posts: [] };
  const answers = [...(opts.answers ?? [])];
  const fake = async (url: string, init: RequestInit) => {
    if (init.method === 'GET') {
      stub.gets.push(url);
      const parsed = new URL(url);
      if (parsed.pathname.endsWith('/resource/actions')) {
        return opts.actions === undefined ? reply(404, '{}') : reply(200, JSON.stringify(opts.actions));
      }
      if (parsed.pathname.endsWith('/events')) {
        return opts.events === undefined ? reply(404, '{}') : reply(200, JSON.stringify(opts.events));
      }
      const object = opts.objects?.[parsed.searchParams.get('resourceName') ?? ''];
      if (object === 'forbidden') return reply(403, '{"message":"permission denied"}');
      return object === undefined
        ? reply(404, '{}')
        : reply(200, JSON.stringify({ manifest: JSON.stringify(object) }));
    }
    stub.posts.push({ url, init });
    const [status, body] = answers.shift() ?? [200, '{}'];
    return reply(status, body);
  };
  window.fetch = fake as typeof window.fetch;
  return stub;
}
