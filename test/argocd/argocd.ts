// A real Argo CD (the module-built `argocd` binary of the pinned version) running as local
// processes against the test control plane: Redis, argocd-repo-server, the application controller
// and argocd-server, each on free ports of 127.0.0.1, logging into the run directory and recorded
// in its PID file (so the run's teardown and reaper stop them too). One per test file.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '../control-plane/ports.ts';
import { startProcess, stopAll, tail, type PidRecord } from '../control-plane/processes.ts';
import { binaryDirs, cacheDir, pinnedVersions } from '../control-plane/versions.ts';
import { kube } from '../support/kube.ts';
import {
  argoCdDirs,
  controllerProcess,
  repoServerProcess,
  serverProcess,
  staticAssetsDir,
  type ArgoCdLayout,
  type ArgoCdPorts,
  type ProcessSpec,
} from './argocd-commands.ts';
import { installArgoCd, uninstallArgoCd, type Account } from './argocd-install.ts';
import { startOutsideBridge, type OutsideBridge } from './netns-bridge.ts';
import { waitForHttp, waitForListening } from './process-readiness.ts';
import { startRedis } from './redis.ts';

export interface ArgoCdOptions {
  /** Names the processes and the namespace. */
  name: string;
  /**
   * Runs before argocd-server starts, as a pod's init containers do, with the directory that
   * becomes argocd-server's /tmp/extensions and a scratch directory of the run.
   */
  initContainer?: (dirs: { extensionsDir: string; workDir: string }) => Promise<void>;
}

export interface ArgoCd {
  /** argocd-server's base URL, `http://127.0.0.1:<port>/`. */
  url: string;
  /** The namespace Argo CD runs in (its settings and Applications). */
  namespace: string;
  admin: Account;
  viewer: Account;
  /** argocd-server's --staticassets directory, as seen from the tests (served at the server's root). */
  staticAssetsDir: string;
  /** The directory argocd-server sees as /tmp/extensions. */
  extensionsDir: string;
  /** Argo CD's processes (Redis, repo server, application controller, server), as recorded. */
  processes: PidRecord[];
  /** The application controller's metrics port, inside its own network namespace. */
  controllerMetricsPort: number;
  /** The last lines of every Argo CD log, for failure messages. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

export function argoCdBinDir(): string {
  const dir = binaryDirs(pinnedVersions(), cacheDir()).argocd;
  const needed = ['argocd', 'crds/applicationset-crd.yaml', 'git-verify-wrapper.sh'];
  if (needed.some((f) => !existsSync(join(dir, f))))
    throw new Error(`Argo CD is not built in ${dir}: run \`make argocd\` (or \`make e2e-argocd\`)`);
  return dir;
}

async function freeArgoCdPorts(): Promise<ArgoCdPorts> {
  const [repo, repoMetrics, server, serverMetrics, controllerMetrics] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { repo, repoMetrics, server, serverMetrics, controllerMetrics };
}

/** The processes of one Argo CD, recorded in the run's PID file as they start. */
function processList(runDir: string, suffix: string) {
  const records: PidRecord[] = [];
  const logs: string[] = [];
  const add = (name: string, pid: number, log: string) => {
    records.push({ name, pid });
    logs.push(log);
  };
  return {
    records,
    add,
    start(name: string, spec: ProcessSpec) {
      const started = startProcess(runDir, `${name}-${suffix}`, spec.line.command, spec.line.args, spec.env);
      add(started.name, started.pid, started.log);
      return started;
    },
    tails: (lines: number) => logs.map((log) => `--- ${log}\n${tail(log, lines)}`).join('\n'),
  };
}

export async function startArgoCd(options: ArgoCdOptions): Promise<ArgoCd> {
  const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
  const kubeconfig = process.env.KUBECONFIG;
  if (!runDir || !kubeconfig)
    throw new Error(
      'ROLLOUT_KIT_RUN_DIR and KUBECONFIG are not set: run integration tests through `make test`',
    );
  const bin = argoCdBinDir();
  const dir = mkdtempSync(join(runDir, `argocd-${options.name}-`));
  const dirs = argoCdDirs(dir);
  for (const d of [...Object.values(dirs), staticAssetsDir(dir)]) mkdirSync(d, { recursive: true });
  const namespace = `argocd-${options.name}-${randomBytes(3).toString('hex')}`;
  const processes = processList(runDir, options.name);
  let bridge: OutsideBridge | undefined;
  const stop = async () => {
    await stopAll(processes.records);
    await bridge?.close();
    await uninstallArgoCd(namespace);
  };

  try {
    const installed = await installArgoCd(bin, namespace);
    const redis = await startRedis(runDir, `redis-${options.name}`, dirs.redis);
    processes.add(`redis-${options.name}`, redis.pid, join(runDir, `redis-${options.name}.log`));
    const ports = await freeArgoCdPorts();
    const layout: ArgoCdLayout = {
      bin,
      dir,
      namespace,
      ports,
      redis: redis.address,
      kubeconfig,
      env: process.env,
      uid: process.getuid?.() ?? 0,
    };

    const repo = processes.start('argocd-repo-server', repoServerProcess(layout));
    await waitForHttp(
      'argocd-repo-server to be healthy',
      `http://127.0.0.1:${ports.repoMetrics}/healthz`,
      repo,
    );

    const apiPort = Number(new URL(kube().config.getCurrentCluster()?.server ?? '').port);
    const outside = [apiPort, Number(redis.address.split(':')[1]), ports.repo];
    bridge = await startOutsideBridge(dirs.bridge, outside);
    const controller = processes.start(
      'argocd-application-controller',
      controllerProcess(layout, outside, process.execPath),
    );
    // Its metrics server starts once its caches are up; unreachable from here, it is seen
    // listening in the controller's own network namespace.
    await waitForListening(
      'the application controller to serve metrics',
      controller,
      ports.controllerMetrics,
    );

    copyFileSync(kubeconfig, join(dirs.serverTmp, 'kubeconfig'));
    const workDir = join(dir, 'init');
    mkdirSync(workDir);
    await options.initContainer?.({ extensionsDir: dirs.extensions, workDir });
    const server = processes.start('argocd-server', serverProcess(layout));
    const url = `http://127.0.0.1:${ports.server}/`;
    await waitForHttp('argocd-server to be healthy', `${url}healthz?full=true`, server);
    return {
      url,
      namespace,
      admin: installed.admin,
      viewer: installed.viewer,
      staticAssetsDir: staticAssetsDir(dir),
      extensionsDir: dirs.extensions,
      processes: processes.records,
      controllerMetricsPort: ports.controllerMetrics,
      logs: (lines = 20) => processes.tails(lines),
      stop,
    };
  } catch (err) {
    const seen = processes.tails(20);
    await stop();
    throw new Error(`starting Argo CD ${options.name}; logs:\n${seen}`, { cause: err });
  }
}
