// Helpers for the AnalysisRun end-to-end tests: apply a run with kubectl, read it, wait for a
// state, and loopback HTTP servers the web and prometheus providers call.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnalysisRun } from '@rollout-kit/api';
import { startProcess, stopAll, tail } from '../control-plane/processes.ts';
import { kube } from '../support/kube.ts';
import { waitFor } from '../support/wait-for.ts';

/** `kubectl apply -f -` of one object in `namespace`; rejects with kubectl's stderr. */
export function kubectlApply(namespace: string, object: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['-n', namespace, 'apply', '-f', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`kubectl apply exited ${code}: ${err}`)),
    );
    child.stdin.end(JSON.stringify(object));
  });
}

const ref = (namespace: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'analysisruns',
});

export async function getRun(namespace: string, name: string): Promise<AnalysisRun> {
  return (await kube().custom.getNamespacedCustomObject({ ...ref(namespace), name })) as AnalysisRun;
}

/** A short picture of a run for failure messages. */
export function describeRun(run: AnalysisRun): unknown {
  return {
    phase: run.status?.phase,
    message: run.status?.message,
    metrics: run.status?.metricResults?.map((r) => ({
      name: r.name,
      phase: r.phase,
      measurements: r.measurements?.map((m) => `${m.phase} ${m.value ?? ''} ${m.message ?? ''}`),
    })),
  };
}

export async function waitForRun(
  namespace: string,
  name: string,
  what: string,
  check: (run: AnalysisRun) => boolean,
  timeoutMs = 60_000,
): Promise<AnalysisRun> {
  return waitFor(
    `AnalysisRun ${namespace}/${name}: ${what}`,
    async () => {
      const run = await getRun(namespace, name);
      return check(run) ? run : undefined;
    },
    { timeoutMs, observe: async () => describeRun(await getRun(namespace, name)) },
  );
}

export const phaseIs =
  (phase: string) =>
  (run: AnalysisRun): boolean =>
    run.status?.phase === phase;

export function analysisRun(name: string, spec: AnalysisRun['spec']): AnalysisRun {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name }, spec };
}

export interface LoopbackServer {
  url: string;
  port: number;
  /** Requests seen, oldest first. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port) answering with `handler`. */
export async function loopbackServer(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on (bound once, then released): connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = await loopbackServer((_req, _body, res) => res.end());
  await server.close();
  return server.port;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * A REAL Prometheus (Debian's package) on 127.0.0.1, scraping `targets` every second, with a
 * temporary storage directory; resolves once `readyQuery` returns a sample, so queries before
 * the first scrape never see an empty database.
 */
export async function startPrometheus(
  name: string,
  targets: readonly string[],
  readyQuery: string,
): Promise<RunningPrometheus> {
  const binary = '/usr/bin/prometheus';
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run make packages (make test does)`);
  const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
  if (!runDir) throw new Error('ROLLOUT_KIT_RUN_DIR is not set: run integration tests through `make test`');
  const dataDir = mkdtempSync(join(tmpdir(), 'rollout-kit-prometheus-'));
  const config = join(dataDir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: exporter',
      `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
      '',
    ].join('\n'),
  );
  const port = await refusedPort();
  const url = `http://127.0.0.1:${port}`;
  const started = startProcess(runDir, name, binary, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dataDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const stop = async () => {
    await stopAll([{ name: started.name, pid: started.pid }]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `Prometheus to answer ${readyQuery}`,
      async () => {
        const answer = (await (
          await fetch(`${url}/api/v1/query?query=${encodeURIComponent(readyQuery)}`, {
            signal: AbortSignal.timeout(2_000),
          })
        ).json()) as { data?: { result?: unknown[] } };
        return (answer.data?.result?.length ?? 0) > 0;
      },
      { timeoutMs: 60_000, intervalMs: 500, observe: () => tail(started.log, 10) },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
