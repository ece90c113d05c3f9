// A host page that follows Argo CD's extension contract, served on 127.0.0.1 for the browser test
// and `make demo`: the React globals of one Argo CD line (React 16.14 for 2.5–3.4, React 19 for
// 3.5+), window.extensionsAPI, /extensions.js joined from an extensions directory the way
// argocd-server joins it, and the REST routes the tab calls (resource tree, live manifest, events,
// resource action list and resource actions), answered from a backend of live objects. Every action request is recorded
// so a test can check exactly what the page sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resourceTree, groupVersion, type KubeObject } from './argocd-tree.ts';
import { extensionsJs } from './extensions-js.ts';
import {
  hostPage,
  pageScript,
  reactScripts,
  type HostApplication,
  type ReactLine,
  type Theme,
} from './host-page.ts';
import { discoverActions } from './rollout-actions.ts';

export type { HostApplication, ReactLine, Theme } from './host-page.ts';

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/api/v1/applications/shop/resource/actions/v2`. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  cookie: string | undefined;
  body: string;
}

export interface HostBackend {
  application: HostApplication;
  /** The application's live objects, read on every tree or manifest request. */
  objects(): Promise<KubeObject[]>;
  /** Answers a resource action; without it every well-formed action gets Argo CD's `{}`. */
  action?(request: RecordedRequest): Promise<{ status: number; body: unknown }>;
  /** Events of one object, for Argo CD's events route; none when absent. */
  events?(target: { namespace: string; name: string; uid: string }): Promise<unknown[]>;
}

export interface HostOptions {
  react: ReactLine;
  /** Directory laid out like argocd-server's /tmp/extensions. */
  extensionsDir: string;
  backend: HostBackend;
  /** How often the page re-reads the tree (Argo CD streams it); 0 reads it once. */
  refreshMs?: number;
  /** The session cookie the page gets, so tests can see actions carry the user's login. */
  sessionToken?: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The theme pages get without a `theme` query parameter; light by default. */
  theme?: Theme;
  /** Told about requests that failed inside the host (answered 500). */
  log?: (line: string) => void;
}

export interface Host {
  url: string;
  /** Resource-action requests the page sent, oldest first. */
  actions: RecordedRequest[];
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Argo CD's gRPC-gateway error body. */
function apiError(res: ServerResponse, status: number, code: number, message: string) {
  send(res, status, 'application/json', JSON.stringify({ error: message, code, message }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1 << 20) throw new Error('request body over 1 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function matches(object: KubeObject, query: URLSearchParams): boolean {
  const { group, version } = groupVersion(object.apiVersion);
  return (
    object.kind === query.get('kind') &&
    group === (query.get('group') ?? '') &&
    version === query.get('version') &&
    object.metadata?.name === query.get('resourceName') &&
    (object.metadata?.namespace ?? '') === (query.get('namespace') ?? '')
  );
}

/** An error with its causes, for the log. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 5; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(': ');
}

/** Starts the host page on 127.0.0.1 on a free port. */
export async function startHost(opts: HostOptions): Promise<Host> {
  const scripts = await reactScripts(opts.react);
  const host = await pageScript('host.ts');
  const actions: RecordedRequest[] = [];
  const app = opts.backend.application.metadata.name;
  const apiBase = `/api/v1/applications/${encodeURIComponent(app)}`;
  const session = opts.sessionToken ?? 'host-page-session';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path.startsWith('/applications'))) {
      const asked = url.searchParams.get('theme');
      const theme: Theme = asked === 'dark' || asked === 'light' ? asked : (opts.theme ?? 'light');
      const html = hostPage({
        application: opts.backend.application,
        refreshMs: opts.refreshMs ?? 0,
        react: opts.react,
        scripts: scripts.length,
        theme,
      });
      return send(res, 200, 'text/html; charset=utf-8', html, {
        'Set-Cookie': `argocd.token=${session}; Path=/; HttpOnly; SameSite=Strict`,
      });
    }
    const asset = /^\/assets\/react-(\d+)\.js$/.exec(path);
    if (req.method === 'GET' && asset !== null) {
      const script = scripts[Number(asset[1])];
      if (script !== undefined) return send(res, 200, 'application/javascript', script);
    }
    if (req.method === 'GET' && path === '/assets/host.js')
      return send(res, 200, 'application/javascript', host);
    if (req.method === 'GET' && path === '/extensions.js') {
      // No cache headers, read from disk on every request, as argocd-server does.
      return send(
        res,
        200,
        'application/javascript',
        await extensionsJs(opts.extensionsDir, { wrap: opts.react === '19' }),
      );
    }
    if (!path.startsWith('/api/v1/applications/')) return send(res, 404, 'text/plain', 'not found');
    if (!path.startsWith(`${apiBase}/`))
      return apiError(res, 404, 5, `applications.argoproj.io "${path.split('/')[4] ?? ''}" not found`);
    const route = path.slice(apiBase.length);

    if (req.method === 'GET' && route === '/resource-tree') {
      return send(res, 200, 'application/json', JSON.stringify(resourceTree(await opts.backend.objects())));
    }
    if (req.method === 'GET' && route === '/resource') {
      for (const q of ['resourceName', 'version', 'kind']) {
        if (!url.searchParams.get(q)) return apiError(res, 400, 3, `${q} is required`);
      }
      const found = (await opts.backend.objects()).find((o) => matches(o, url.searchParams));
      if (found === undefined)
        return apiError(
          res,
          404,
          5,
          `${url.searchParams.get('kind')} "${url.searchParams.get('resourceName')}" not found`,
        );
      return send(res, 200, 'application/json', JSON.stringify({ manifest: JSON.stringify(found) }));
    }
    if (req.method === 'GET' && route === '/events') {
      // Argo CD lists the Events of one resource (or of the application when none is named).
      const name = url.searchParams.get('resourceName') ?? '';
      const items =
        name === '' || opts.backend.events === undefined
          ? []
          : await opts.backend.events({
              namespace: url.searchParams.get('resourceNamespace') ?? '',
              name,
              uid: url.searchParams.get('resourceUID') ?? '',
            });
      return send(res, 200, 'application/json', JSON.stringify({ metadata: {}, items }));
    }
    if (req.method === 'GET' && route === '/resource/actions') {
      for (const q of ['resourceName', 'version', 'kind']) {
        if (!url.searchParams.get(q)) return apiError(res, 400, 3, `${q} is required`);
      }
      const found = (await opts.backend.objects()).find((o) => matches(o, url.searchParams));
      if (found === undefined)
        return apiError(
          res,
          404,
          5,
          `${url.searchParams.get('kind')} "${url.searchParams.get('resourceName')}" not found`,
        );
      const body =
        found.kind === 'Rollout' && groupVersion(found.apiVersion).group === 'argoproj.io'
          ? discoverActions(found)
          : { actions: [] };
      return send(res, 200, 'application/json', JSON.stringify(body));
    }
    if (req.method === 'POST' && (route === '/resource/actions/v2' || route === '/resource/actions')) {
      const recorded: RecordedRequest = {
        method: req.method,
        path,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        cookie: req.headers.cookie,
        body: await readBody(req),
      };
      actions.push(recorded);
      // argocd-server refuses non-GET requests without a JSON content type (--api-content-types).
      if (!/^application\/json\b/.test(recorded.contentType ?? '')) {
        return send(res, 415, 'text/plain; charset=utf-8', 'Invalid content type');
      }
      const answer =
        opts.backend.action === undefined ? { status: 200, body: {} } : await opts.backend.action(recorded);
      return send(res, answer.status, 'application/json', JSON.stringify(answer.body));
    }
    return apiError(res, 404, 5, `no route ${req.method ?? ''} ${path}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log?.(`${req.method ?? ''} ${req.url ?? ''}: ${describeError(err)}`);
      if (!res.headersSent) apiError(res, 500, 13, err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    actions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
