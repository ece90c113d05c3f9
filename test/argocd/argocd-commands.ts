// How each Argo CD process is started: its command line and environment, decided from the ports
// and directories of one Argo CD of the tests. Everything listens on 127.0.0.1 (gRPC between the
// components in plain text on loopback), Redis is shared, and the in-cluster destination is the
// test control plane through ARGOCD_FAKE_IN_CLUSTER and a kubeconfig. No I/O here.
import { delimiter, join } from 'node:path';
import { withPrivateNetwork, withPrivateTmp, type CommandLine } from './namespaces.ts';

export interface ArgoCdPorts {
  repo: number;
  repoMetrics: number;
  server: number;
  serverMetrics: number;
  /** Inside the application controller's own network namespace. */
  controllerMetrics: number;
}

export interface ArgoCdLayout {
  /** The directory of the `argocd` binary, its role links and the scripts its image ships. */
  bin: string;
  /** This Argo CD's directory in the run. */
  dir: string;
  namespace: string;
  ports: ArgoCdPorts;
  /** `127.0.0.1:<port>` of Redis. */
  redis: string;
  kubeconfig: string;
  /** This process's environment, which the Argo CD processes inherit. */
  env: NodeJS.ProcessEnv;
  uid: number;
}

export interface ProcessSpec {
  line: CommandLine;
  env: NodeJS.ProcessEnv;
}

/** Directories of `dir` the processes use; they must exist before the processes start. */
export const argoCdDirs = (dir: string) => ({
  repoTmp: join(dir, 'repo-tmp'),
  tls: join(dir, 'tls'),
  ssh: join(dir, 'ssh'),
  gnupg: join(dir, 'gnupg'),
  home: join(dir, 'home'),
  redis: join(dir, 'redis'),
  bridge: join(dir, 'bridge'),
  /** argocd-server's /tmp: everything it reads from the run is put there. */
  serverTmp: join(dir, 'server-tmp'),
  /** The extensions volume, argocd-server's /tmp/extensions. */
  extensions: join(dir, 'extensions'),
});

/** argocd-server's --staticassets directory as seen from outside its mount namespace. */
export const staticAssetsDir = (dir: string): string => join(argoCdDirs(dir).serverTmp, 'static');

const common = (l: ArgoCdLayout) => [`--redis=${l.redis}`, '--loglevel=info', '--logformat=text'];
const baseEnv = (l: ArgoCdLayout) => ({
  ...l.env,
  ARGOCD_FAKE_IN_CLUSTER: 'true',
  ARGOCD_GPG_ENABLED: 'false',
});

export function repoServerProcess(l: ArgoCdLayout): ProcessSpec {
  const dirs = argoCdDirs(l.dir);
  return {
    line: {
      command: join(l.bin, 'argocd-repo-server'),
      args: [
        '--address=127.0.0.1',
        `--port=${l.ports.repo}`,
        '--metrics-address=127.0.0.1',
        `--metrics-port=${l.ports.repoMetrics}`,
        // Plain gRPC on loopback; upstream's default mTLS CA path must then be cleared.
        '--disable-tls',
        '--client-ca-path=',
        ...common(l),
      ],
    },
    env: {
      ...baseEnv(l),
      // The repo server runs Argo CD's Git signature wrappers from PATH, as in its image.
      PATH: `${l.bin}${delimiter}${l.env.PATH ?? ''}`,
      // Checkouts and Git's own settings stay inside the run directory.
      TMPDIR: dirs.repoTmp,
      HOME: dirs.home,
      GIT_CONFIG_NOSYSTEM: '1',
      ARGOCD_TLS_DATA_PATH: dirs.tls,
      ARGOCD_SSH_DATA_PATH: dirs.ssh,
      ARGOCD_GNUPGHOME: dirs.gnupg,
    },
  };
}

/**
 * The application controller, in a network namespace of its own (its metrics listen on 0.0.0.0),
 * reaching `outsidePorts` (the API server, Redis, the repo server) through the bridge.
 */
export function controllerProcess(l: ArgoCdLayout, outsidePorts: number[], node: string): ProcessSpec {
  const dirs = argoCdDirs(l.dir);
  const inner: CommandLine = {
    command: join(l.bin, 'argocd-application-controller'),
    args: [
      `--namespace=${l.namespace}`,
      `--repo-server=127.0.0.1:${l.ports.repo}`,
      '--repo-server-plaintext',
      `--metrics-port=${l.ports.controllerMetrics}`,
      '--status-processors=4',
      '--operation-processors=2',
      ...common(l),
    ],
  };
  return {
    line: withPrivateNetwork(inner, { dir: dirs.bridge, ports: outsidePorts, node }, l.uid),
    env: { ...baseEnv(l), KUBECONFIG: l.kubeconfig, HOME: dirs.home },
  };
}

/**
 * argocd-server in a private mount namespace: /tmp is the run's `serverTmp` (holding a copy of the
 * kubeconfig and the static assets) and /tmp/extensions the extensions volume.
 */
export function serverProcess(l: ArgoCdLayout): ProcessSpec {
  const dirs = argoCdDirs(l.dir);
  const inner: CommandLine = {
    command: join(l.bin, 'argocd-server'),
    args: [
      `--namespace=${l.namespace}`,
      '--insecure',
      '--address=127.0.0.1',
      `--port=${l.ports.server}`,
      '--metrics-address=127.0.0.1',
      `--metrics-port=${l.ports.serverMetrics}`,
      `--repo-server=127.0.0.1:${l.ports.repo}`,
      '--repo-server-plaintext',
      '--staticassets=/tmp/static',
      ...common(l),
    ],
  };
  return {
    line: withPrivateTmp(inner, { privateTmp: dirs.serverTmp, extensionsDir: dirs.extensions }, l.uid),
    env: { ...baseEnv(l), KUBECONFIG: '/tmp/kubeconfig', HOME: '/tmp' },
  };
}
