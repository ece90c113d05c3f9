// Argo CD's application controller serves its metrics on 0.0.0.0 (the address is fixed in its
// source; only the port is a flag), and nothing in the tests may listen beyond 127.0.0.1. So the
// controller runs in a network namespace of its own, with only a loopback interface, and this
// bridge carries its connections out: inside the namespace a listener on 127.0.0.1:<port> for
// each service it needs (the API server, Redis, the repo server) hands every connection to a Unix
// socket, and outside, in the test process, a listener on that socket connects to the real
// 127.0.0.1:<port>. Unix sockets live in the file system, which both namespaces share.
//
// Run as a script inside the namespace: node netns-bridge.ts <socket-dir> <port>...
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { whenOrphaned } from '../control-plane/processes.ts';

export const BRIDGE_SCRIPT = fileURLToPath(import.meta.url);
/** Written by the inner half once every listener is up. */
export const READY_FILE = 'inside-ready';

export const socketPath = (dir: string, port: number): string => join(dir, `port-${port}.sock`);

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

function listen(server: Server, target: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => resolve());
  });
}

export interface OutsideBridge {
  close(): Promise<void>;
}

/** The outer half: one Unix socket per port in `dir`, each connected through to 127.0.0.1:<port>. */
export async function startOutsideBridge(dir: string, ports: number[]): Promise<OutsideBridge> {
  const servers: Server[] = [];
  for (const port of ports) {
    const server = createServer((inbound) => pipe(inbound, createConnection({ host: '127.0.0.1', port })));
    servers.push(server);
    await rm(socketPath(dir, port), { force: true });
    await listen(server, { path: socketPath(dir, port) });
  }
  return {
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** The inner half: a listener on 127.0.0.1:<port> per port, each connected through to its Unix socket. */
async function runInside(dir: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    const server = createServer((inbound) =>
      pipe(inbound, createConnection({ path: socketPath(dir, port) })),
    );
    await listen(server, { host: '127.0.0.1', port });
  }
  writeFileSync(join(dir, READY_FILE), `${process.pid}\n`);
  // Started by the shell that then becomes the controller: when the controller is gone, so is
  // the reason to exist (and the PID file only records the controller).
  whenOrphaned(() => process.exit(0));
}

if (process.argv[1] === BRIDGE_SCRIPT) {
  const [dir, ...ports] = process.argv.slice(2);
  if (dir === undefined || ports.length === 0 || ports.some((p) => !/^\d+$/.test(p))) {
    process.stderr.write('usage: netns-bridge.ts <socket-dir> <port>...\n');
    process.exit(2);
  }
  runInside(dir, ports.map(Number)).catch((err: unknown) => {
    process.stderr.write(`netns bridge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
