// The controller's two HTTP endpoints, as upstream: GET /healthz on the healthz port (8080)
// and GET /metrics on the metrics port (8090). The bind address is configurable; tests bind
// 127.0.0.1 with port 0 and read the port back. Anything else answers 404; a failing check
// or exposition answers 500 and never takes the process down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpEndpoint {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

type Route = () => Promise<{ status: number; contentType: string; body: string }>;

/** Serves `routes` (path → handler, GET/HEAD only) on host:port. */
export async function serve(options: {
  host: string;
  port: number;
  routes: Record<string, Route>;
}): Promise<HttpEndpoint> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void respond(options.routes, request, response);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(
  routes: Record<string, Route>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (!route) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  try {
    const { status, contentType, body } = await route();
    send(response, status, contentType, request.method === 'HEAD' ? '' : body);
  } catch (error) {
    send(
      response,
      500,
      'text/plain; charset=utf-8',
      `${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType });
  response.end(body);
}

/**
 * /healthz: 200 "ok" while `check` passes (returns true), else 500 with its reason. The
 * default check always passes, as upstream's: the process answering is the signal.
 */
export function startHealthServer(options: {
  host: string;
  port: number;
  check?: () => boolean | string | Promise<boolean | string>;
}): Promise<HttpEndpoint> {
  return serve({
    host: options.host,
    port: options.port,
    routes: {
      '/healthz': async () => {
        const result = options.check ? await options.check() : true;
        return result === true
          ? { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' }
          : { status: 500, contentType: 'text/plain; charset=utf-8', body: `${result || 'unhealthy'}\n` };
      },
    },
  });
}

/** /metrics: the Prometheus text exposition from `exposition` (Metrics.exposition). */
export function startMetricsServer(options: {
  host: string;
  port: number;
  exposition: () => Promise<{ contentType: string; body: string }>;
}): Promise<HttpEndpoint> {
  return serve({
    host: options.host,
    port: options.port,
    routes: {
      '/metrics': async () => ({ status: 200, ...(await options.exposition()) }),
    },
  });
}
