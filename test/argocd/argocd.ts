// A real Argo CD (the module-built `argocd` binary of the pinned version) running as local
// processes against the test control plane: Redis, argocd-repo-server, the application controller
// and argocd-server, each on free ports of 127.0.0.1, logging into the run directory and recorded
// in its PID file (so the run's teardown and reaper stop them too). One per test file.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { listeningSocketsOf } from '../control-plane/listening.ts';
import { freePorts } from '../control-plane/ports.ts';
import { isAlive, startProcess, stopAll, tail, type PidRecord } from '../control-plane/processes.ts';
import { binaryDirs, cacheDir, pinnedVersions } from '../control-plane/versions.ts';
import { kube } from '../support/kube.ts';
import { installArgoCd, uninstallArgoCd, type Account } from './argocd-install.ts';
import { startOutsideBridge, type OutsideBridge } from './netns-bridge.ts';
import { withPrivateNetwork, withPrivateTmp, type CommandLine } from './namespaces.ts';
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

/** Polls until process `started` listens on `port` in its own network namespace. */
async function waitForListening(
  what: string,
  started: { pid: number; log: string },
  port: number,
): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!isAlive(started.pid))
      throw new Error(`${what}: the process exited; its log:\n${tail(started.log, 15)}`);
    if (listeningSocketsOf(started.pid, `/proc/${started.pid}/net`).some((s) => s.port === port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after 90 s waiting for ${what}; its log:\n${tail(started.log, 15)}`);
}

/** Polls until `url` answers with a 2xx status; fails at once if the process `started` exits. */
async function waitForHttp(what: string, url: string, started: { pid: number; log: string }): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive(started.pid))
      throw new Error(`${what}: the process exited; its log:\n${tail(started.log, 15)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `timed out after 90 s waiting for ${what} (last: ${last}); its log:\n${tail(started.log, 15)}`,
  );
}

export async function startArgoCd(options: ArgoCdOptions): Promise<ArgoCd> {
  const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
  const kubeconfig = process.env.KUBECONFIG;
  if (!runDir || !kubeconfig)
    throw new Error(
      'ROLLOUT_KIT_RUN_DIR and KUBECONFIG are not set: run integration tests through `make test`',
    );
  const bin = argoCdBinDir();
  const uid = process.getuid?.() ?? 0;
  const dir = mkdtempSync(join(runDir, `argocd-${options.name}-`));
  const namespace = `argocd-${options.name}-${randomBytes(3).toString('hex')}`;
  const records: PidRecord[] = [];
  const logs: string[] = [];
  let bridge: OutsideBridge | undefined;
  const start = (name: string, line: CommandLine, env: NodeJS.ProcessEnv) => {
    const started = startProcess(runDir, `${name}-${options.name}`, line.command, line.args, env);
    records.push({ name: started.name, pid: started.pid });
    logs.push(started.log);
    return started;
  };
  const stop = async () => {
    await stopAll(records);
    await bridge?.close();
    await uninstallArgoCd(namespace);
  };

  try {
    const installed = await installArgoCd(bin, namespace);
    const redisDir = join(dir, 'redis');
    mkdirSync(redisDir);
    const redis = await startRedis(runDir, `redis-${options.name}`, redisDir);
    records.push({ name: `redis-${options.name}`, pid: redis.pid });
    logs.push(join(runDir, `redis-${options.name}.log`));
    const [repoPort, repoMetrics, serverPort, serverMetrics, controllerMetrics] = (await freePorts(5)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const apiPort = Number(new URL(kube().config.getCurrentCluster()?.server ?? '').port);
    const common = [`--redis=${redis.address}`, '--loglevel=info', '--logformat=text'];
    const baseEnv = { ...process.env, ARGOCD_FAKE_IN_CLUSTER: 'true', ARGOCD_GPG_ENABLED: 'false' };
    for (const sub of ['repo-tmp', 'tls', 'ssh', 'gnupg', 'home']) mkdirSync(join(dir, sub));

    const repo = start(
      'argocd-repo-server',
      {
        command: join(bin, 'argocd-repo-server'),
        args: [
          '--address=127.0.0.1',
          `--port=${repoPort}`,
          '--metrics-address=127.0.0.1',
          `--metrics-port=${repoMetrics}`,
          // Plain gRPC on loopback; upstream's default mTLS CA path must then be cleared.
          '--disable-tls',
          '--client-ca-path=',
          ...common,
        ],
      },
      {
        ...baseEnv,
        // The repo server runs Argo CD's Git signature wrappers from PATH, as in its image.
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        // Checkouts and Git's own settings stay inside the run directory.
        TMPDIR: join(dir, 'repo-tmp'),
        HOME: join(dir, 'home'),
        GIT_CONFIG_NOSYSTEM: '1',
        ARGOCD_TLS_DATA_PATH: join(dir, 'tls'),
        ARGOCD_SSH_DATA_PATH: join(dir, 'ssh'),
        ARGOCD_GNUPGHOME: join(dir, 'gnupg'),
      },
    );
    await waitForHttp('argocd-repo-server to be healthy', `http://127.0.0.1:${repoMetrics}/healthz`, repo);

    const bridgeDir = join(dir, 'bridge');
    mkdirSync(bridgeDir);
    const outside = [apiPort, Number(redis.address.split(':')[1]), repoPort];
    bridge = await startOutsideBridge(bridgeDir, outside);
    const controller = start(
      'argocd-application-controller',
      withPrivateNetwork(
        {
          command: join(bin, 'argocd-application-controller'),
          args: [
            `--namespace=${namespace}`,
            `--repo-server=127.0.0.1:${repoPort}`,
            '--repo-server-plaintext',
            `--metrics-port=${controllerMetrics}`,
            '--status-processors=4',
            '--operation-processors=2',
            ...common,
          ],
        },
        { dir: bridgeDir, ports: outside, node: process.execPath },
        uid,
      ),
      { ...baseEnv, KUBECONFIG: kubeconfig, HOME: join(dir, 'home') },
    );
    // Its metrics server starts once its caches are up; unreachable from here, it is seen listening
    // in the controller's own network namespace.
    await waitForListening('the application controller to serve metrics', controller, controllerMetrics);

    // argocd-server's /tmp is `privateTmp`: everything it reads from the run goes there.
    const privateTmp = join(dir, 'server-tmp');
    const staticAssetsDir = join(privateTmp, 'static');
    const extensionsDir = join(dir, 'extensions');
    mkdirSync(staticAssetsDir, { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    copyFileSync(kubeconfig, join(privateTmp, 'kubeconfig'));
    const workDir = join(dir, 'init');
    mkdirSync(workDir);
    await options.initContainer?.({ extensionsDir, workDir });
    const server = start(
      'argocd-server',
      withPrivateTmp(
        {
          command: join(bin, 'argocd-server'),
          args: [
            `--namespace=${namespace}`,
            '--insecure',
            '--address=127.0.0.1',
            `--port=${serverPort}`,
            '--metrics-address=127.0.0.1',
            `--metrics-port=${serverMetrics}`,
            `--repo-server=127.0.0.1:${repoPort}`,
            '--repo-server-plaintext',
            '--staticassets=/tmp/static',
            ...common,
          ],
        },
        { privateTmp, extensionsDir },
        uid,
      ),
      { ...baseEnv, KUBECONFIG: '/tmp/kubeconfig', HOME: '/tmp' },
    );
    const url = `http://127.0.0.1:${serverPort}/`;
    await waitForHttp('argocd-server to be healthy', `${url}healthz?full=true`, server);
    return {
      url,
      namespace,
      admin: installed.admin,
      viewer: installed.viewer,
      staticAssetsDir,
      extensionsDir,
      processes: records,
      controllerMetricsPort: controllerMetrics,
      logs: (lines = 20) => logs.map((log) => `--- ${log}\n${tail(log, lines)}`).join('\n'),
      stop,
    };
  } catch (err) {
    const seen = logs.map((log) => `--- ${log}\n${tail(log, 20)}`).join('\n');
    await stop();
    throw new Error(`starting Argo CD ${options.name}; logs:\n${seen}`, { cause: err });
  }
}
