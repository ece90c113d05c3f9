// The controller as its own process for the robustness tests: started from source (or from the
// shipped bundle) with the environment and kubeconfig a test chooses, killed with any signal, and
// its exit code and JSON log lines readable. Each process is recorded in the run's PID file, so
// the control plane's reaper stops it too if the test run dies.
//
// Every controller started here runs with its own --instance-id, and the Rollouts of its test
// carry that id, so controllers of other test files running on the same control plane (which
// watch all namespaces for Rollouts without the label) never act on them, and the other way round.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTANCE_ID_LABEL } from '@rollout-kit/api';
import type { Rollout } from '@rollout-kit/api';
import { parse, stringify } from 'yaml';
import { waitFor } from '../support/wait-for.ts';

export const repo = join(import.meta.dirname, '..', '..');
export const controllerMain = join(repo, 'controller', 'src', 'main.ts');

function runDir(): string {
  const dir = process.env.ROLLOUT_KIT_RUN_DIR;
  if (!dir) throw new Error('ROLLOUT_KIT_RUN_DIR is not set: run integration tests through `make test`');
  return dir;
}

/** A fresh controller instance id (label value), unique in this run. */
export function newInstanceId(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export interface ControllerProcess {
  name: string;
  pid: number;
  log: string;
  /** The JSON log lines written so far (other lines are skipped). */
  lines(): Record<string, unknown>[];
  /** Whether some log line has this `msg`. */
  logged(msg: string): boolean;
  tail(lines?: number): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it is gone. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Path to the controller's entry: the source main.ts (default) or a built bundle. */
  entry?: string;
  /** Defaults to $KUBECONFIG. */
  kubeconfig?: string;
}

/** Starts a controller with JSON logs, ephemeral ports on 127.0.0.1, and the test's flags last (they win). */
export function launchController(name: string, options: LaunchOptions = {}): ControllerProcess {
  const dir = runDir();
  const log = join(dir, `controller-${name}.log`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      [
        options.entry ?? controllerMain,
        `--kubeconfig=${options.kubeconfig ?? process.env.KUBECONFIG}`,
        '--bind-address=127.0.0.1',
        '--metricsPort=0',
        '--healthzPort=0',
        '--logformat=json',
        '--loglevel=debug',
        ...(options.args ?? []),
      ],
      {
        cwd: dir,
        env: { ...process.env, POD_NAMESPACE: '', ...options.env },
        detached: true,
        stdio: ['ignore', fd, fd],
      },
    );
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start controller ${name}`);
  appendFileSync(join(dir, 'pids'), `controller-${name} ${pid}\n`);
  let code: number | string | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (exitCode, signal) => {
      code = exitCode ?? signal ?? 'unknown';
      resolve(code);
    }),
  );
  child.unref();
  const text = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  const lines = () =>
    text()
      .split('\n')
      .flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const self: ControllerProcess = {
    name,
    pid,
    log,
    lines,
    logged: (msg) => lines().some((l) => l.msg === msg),
    tail: (n = 40) => text().trimEnd().split('\n').slice(-n).join('\n'),
    exited,
    alive: () => code === undefined,
    kill(signal) {
      if (code === undefined) process.kill(pid, signal);
    },
    async stop() {
      if (code !== undefined) return;
      self.kill('SIGTERM');
      const timer = setTimeout(() => self.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return self;
}

/** The ports the controller logged at startup (it listens on ephemeral ports in tests). */
export async function controllerPorts(c: ControllerProcess): Promise<{ metrics: number; healthz: number }> {
  return waitFor(`controller ${c.name} to log its ports`, () => {
    const line = c.lines().find((l) => l.msg === 'rollouts-controller starting');
    return line ? { metrics: Number(line.metrics), healthz: Number(line.healthz) } : undefined;
  });
}

/** A kubeconfig like $KUBECONFIG's (same server and CA) but with other credentials or namespace. */
export function writeKubeconfig(file: string, options: { token?: string; namespace?: string }): string {
  const source = parse(readFileSync(process.env.KUBECONFIG ?? '', 'utf8')) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
    users: { name: string; user: Record<string, unknown> }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
    'current-context': string;
  };
  const context = source.contexts.find((c) => c.name === source['current-context']);
  const cluster = source.clusters.find((c) => c.name === context?.context.cluster);
  const user = source.users.find((u) => u.name === context?.context.user);
  if (!cluster || !user) throw new Error('the test kubeconfig has no current cluster and user');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: cluster.cluster }],
    users: [{ name: 'controller', user: options.token ? { token: options.token } : user.user }],
    contexts: [
      {
        name: 'controller',
        context: {
          cluster: 'test',
          user: 'controller',
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': 'controller',
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

/** A small canary Rollout labelled for one controller instance. */
export function canaryRollout(options: {
  name: string;
  instanceId: string;
  image: string;
  replicas?: number;
  steps?: NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps'];
}): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: options.name, labels: { [INSTANCE_ID_LABEL]: options.instanceId } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: options.name } },
      template: {
        metadata: { labels: { app: options.name } },
        spec: { containers: [{ name: 'app', image: options.image }] },
      },
      strategy: { canary: { steps: options.steps ?? [{ setWeight: 50 }, { pause: { duration: '1s' } }] } },
    },
  };
}

export { healthy } from '../support/rollouts.ts';

export const setImage = (image: string): object => ({
  spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
});

/** The controller's /metrics text. */
export async function scrapeMetrics(c: ControllerProcess): Promise<string> {
  const { metrics } = await controllerPorts(c);
  const response = await fetch(`http://127.0.0.1:${metrics}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics of ${c.name} answered ${response.status}`);
  return response.text();
}

/** The value of the first sample of `metric` whose labels include all of `labels`, if any. */
export function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const close = line.lastIndexOf('}');
    const labelText = line.slice(metric.length + 1, close);
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      return Number(line.slice(close + 1).trim());
  }
  return undefined;
}

/** How many times a controller reconciled one Rollout (rollout_reconcile_count), 0 if never. */
export async function reconciles(c: ControllerProcess, namespace: string, name: string): Promise<number> {
  return sample(await scrapeMetrics(c), 'rollout_reconcile_count', { namespace, name }) ?? 0;
}
