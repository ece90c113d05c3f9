// The local control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
// KWOK, started from the cached binaries on free 127.0.0.1 ports in a fresh run directory.
// Nothing here listens beyond loopback, and the Pod, Node and Service IPs KWOK invents are
// fiction: nothing may connect to them.
import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  accessSync,
  constants,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { renderKubeconfig } from './kubeconfig.ts';
import { kwokNode, kwokStages, renderStages } from './kwok-stages.ts';
import { createPki } from './pki.ts';
import { freePorts } from './ports.ts';
import {
  readPidRecords,
  sleep,
  startProcess,
  stopAll,
  tail,
  terminateAll,
  type Started,
} from './processes.ts';
import { binaryDirs, cacheDir, pinnedVersions } from './versions.ts';

const run = promisify(execFile);

export interface Ports {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export interface ControlPlane {
  runDir: string;
  kubeconfig: string;
  server: string;
  ports: Ports;
  /** PATH with the pinned kubectl and friends first. */
  path: string;
  /** Seconds each phase of start-up took, for reports. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Start a watchdog that cleans up if this process dies without calling stop(). */
  reaper?: boolean;
  /** Keep the run directory after stop(), for debugging. */
  keep?: boolean;
  nodes?: number;
  log?: (line: string) => void;
}

const CONTROLLERS = [
  'replicaset-controller',
  'deployment-controller',
  'job-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'ttl-after-finished-controller',
  'disruption-controller',
].join(',');

function tmpfsDir(prefix: string): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return mkdtempSync(join('/dev/shm', prefix));
  } catch {
    return mkdtempSync(join(tmpdir(), prefix));
  }
}

export function assertBinaries(dirs: string[]): void {
  const needed = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'];
  const missing = needed.filter((b) => !dirs.some((d) => existsSync(join(d, b))));
  if (missing.length > 0) {
    throw new Error(`control-plane binaries missing (${missing.join(', ')}): run \`make binaries\` first`);
  }
}

export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[control-plane] ${line}\n`));
  const versions = pinnedVersions();
  const dirs = binaryDirs(versions, cacheDir()).controlPlane;
  assertBinaries(dirs);
  const path = [...dirs, process.env.PATH ?? ''].join(delimiter);
  const env = { ...process.env, PATH: path };
  const bin = (name: string) => join(dirs.find((d) => existsSync(join(d, name))) ?? '', name);

  const runDir = mkdtempSync(join(tmpdir(), 'rollout-kit-run-'));
  const etcdDir = tmpfsDir('rollout-kit-etcd-');
  writeFileSync(join(runDir, 'extra-dirs'), `${etcdDir}\n`);
  const timings: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    timings[name] = (Date.now() - phaseStart) / 1000;
    phaseStart = Date.now();
  };

  const stop = async () => {
    const killed = await stopAll(readPidRecords(runDir));
    if (killed.length > 0) log(`needed SIGKILL: ${killed.join(', ')}`);
    rmSync(etcdDir, { recursive: true, force: true });
    if (!options.keep) rmSync(runDir, { recursive: true, force: true });
  };

  if (options.reaper) {
    startProcess(
      runDir,
      'reaper',
      process.execPath,
      [join(import.meta.dirname, 'reaper.ts'), String(process.pid), runDir, etcdDir],
      env,
    );
  }

  let current: Started | undefined;
  try {
    const [etcd, etcdPeer, apiserver, controllerManager, scheduler, kwok] = (await freePorts(6)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ports: Ports = { etcd, etcdPeer, apiserver, controllerManager, scheduler, kwok };
    const pki = await createPki(runDir);
    const server = `https://127.0.0.1:${apiserver}`;
    const kubeconfig = join(runDir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      renderKubeconfig({
        server,
        caCertPem: readFileSync(pki.caCert, 'utf8'),
        clientCertPem: readFileSync(pki.adminCert, 'utf8'),
        clientKeyPem: readFileSync(pki.adminKey, 'utf8'),
      }),
      { mode: 0o600 },
    );
    phase('pki');

    current = startProcess(
      runDir,
      'etcd',
      bin('etcd'),
      [
        '--name=rk',
        `--data-dir=${join(etcdDir, 'data')}`,
        `--listen-client-urls=http://127.0.0.1:${etcd}`,
        `--advertise-client-urls=http://127.0.0.1:${etcd}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=rk=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      env,
    );
    await waitUntil('etcd health', 30_000, current, () => httpOk(`http://127.0.0.1:${etcd}/health`));
    phase('etcd');

    current = startProcess(
      runDir,
      'kube-apiserver',
      bin('kube-apiserver'),
      [
        `--etcd-servers=http://127.0.0.1:${etcd}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${apiserver}`,
        '--advertise-address=127.0.0.1',
        '--endpoint-reconciler-type=none',
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=Node,RBAC',
        '--v=1',
        // Without the node lifecycle controller nobody would lift the not-ready taint this plugin
        // puts on new Nodes; KWOK reports them Ready at once, so the taint is not needed.
        '--disable-admission-plugins=TaintNodesByCondition',
      ],
      env,
    );
    const ca = readFileSync(pki.caCert);
    await waitUntil('kube-apiserver /readyz', 90_000, current, () => httpsOk(`${server}/readyz`, ca));
    phase('kube-apiserver');

    current = startProcess(
      runDir,
      'kube-controller-manager',
      bin('kube-controller-manager'),
      [
        `--kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        '--use-service-account-credentials=false',
        `--controllers=${CONTROLLERS}`,
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${controllerManager}`,
      ],
      env,
    );
    const kcm = current;
    current = startProcess(
      runDir,
      'kube-scheduler',
      bin('kube-scheduler'),
      [
        `--kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        `--secure-port=${scheduler}`,
      ],
      env,
    );
    const stagesFile = join(runDir, 'kwok-stages.yaml');
    writeFileSync(stagesFile, renderStages(kwokStages(versions.KUBERNETES_VERSION)));
    const kwokHome = join(runDir, 'home');
    mkdirSync(kwokHome);
    // HOME points into the run: kwok reads ~/.kwok/kwok.yaml first, and a developer's must not add stages.
    current = startProcess(
      runDir,
      'kwok',
      bin('kwok'),
      [
        `--kubeconfig=${kubeconfig}`,
        `--config=${stagesFile}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-label-selector=type=kwok',
        '--cidr=10.244.0.0/16',
        '--node-ip=10.244.255.254',
        '--node-lease-duration-seconds=40',
        `--server-address=127.0.0.1:${kwok}`,
      ],
      { ...env, HOME: kwokHome },
    );
    const kwokProcess = current;

    const nodeCount = options.nodes ?? 3;
    const nodes = Array.from({ length: nodeCount }, (_, i) => kwokNode(`kwok-node-${i}`, `zone-${i % 3}`));
    const nodesFile = join(runDir, 'nodes.yaml');
    writeFileSync(nodesFile, nodes.map((n) => stringify(n)).join('---\n'));
    await kubectl(path, kubeconfig, ['apply', '-f', nodesFile]);
    await waitUntil('KWOK nodes Ready', 60_000, kwokProcess, async () => {
      const out = await kubectl(path, kubeconfig, [
        'get',
        'nodes',
        '-l',
        'type=kwok',
        '-o',
        'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
      ]);
      return out.split('\n').filter((s) => s === 'True').length === nodeCount;
    });
    phase('nodes');
    // Pods are admitted only once their namespace's default ServiceAccount exists.
    await waitUntil('ServiceAccount default/default', 60_000, kcm, async () =>
      kubectl(path, kubeconfig, ['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name']).then(
        () => true,
        () => false,
      ),
    );
    phase('controllers');
    log(
      `ready in ${Object.values(timings)
        .reduce((a, b) => a + b, 0)
        .toFixed(1)} s (${JSON.stringify(timings)})`,
    );
    return { runDir, kubeconfig, server, ports, path, timings, stop };
  } catch (error) {
    if (current) log(`start-up failed; last lines of ${current.log}:\n${tail(current.log)}`);
    await stop();
    throw error;
  }
}

async function waitUntil(
  what: string,
  timeoutMs: number,
  proc: Started,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (!isRunning(proc.pid)) throw new Error(`${proc.name} exited while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

function httpsOk(url: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsGet(url, { ca, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export async function kubectl(path: string, kubeconfig: string, args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], {
    env: { ...process.env, PATH: path },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** Starts a detached process that outlives this one; used by `make cluster-up`. */
export function detach(command: string, args: string[]): void {
  spawn(command, args, { detached: true, stdio: 'ignore' }).unref();
}

/**
 * On SIGINT or SIGTERM, asks every process of the control plane except the reaper to stop and
 * exits at once; the reaper, seeing this process gone, kills what is left and removes the run
 * directory. Doing the waiting in the reaper keeps the signal handler short and synchronous.
 */
export function stopOnSignals(cp: Pick<ControlPlane, 'runDir'>): void {
  const handler = (signal: NodeJS.Signals) => {
    terminateAll(readPidRecords(cp.runDir).filter((r) => r.name !== 'reaper'));
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
