// `make cluster-up` / `make cluster-down` / status: a control plane left running for manual use.
// Its state (run directory and kubeconfig path) is kept in the cache so `down` finds it from any
// shell; the kubeconfig is also copied to a stable path that survives restarts of the cluster.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane, stopOnSignals } from './control-plane.ts';
import { listeningPorts } from './listening.ts';
import { isAlive, readPidRecords, stopAll, whenOrphaned } from './processes.ts';
import { binaryDirs, cacheDir, pinnedVersions } from './versions.ts';

interface ClusterState {
  runDir: string;
  kubeconfig: string;
  ports: number[];
  startedAt: string;
}

// ROLLOUT_KIT_CLUSTER_DIR lets a test run its own cluster-up/down without touching a developer's.
const stateDir = process.env.ROLLOUT_KIT_CLUSTER_DIR ?? join(cacheDir(), 'cluster');
const stateFile = join(stateDir, 'state.json');
const stableKubeconfig = join(stateDir, 'kubeconfig');

function readState(): ClusterState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState;
}

function running(state: ClusterState): boolean {
  const records = readPidRecords(state.runDir);
  return records.length > 0 && records.every((r) => isAlive(r.pid));
}

function usage(kubeconfig: string): string {
  const kubectlDir = binaryDirs(pinnedVersions(), cacheDir()).controlPlane[0];
  return [
    `KUBECONFIG=${kubeconfig}`,
    '',
    'Use it with:',
    `  export KUBECONFIG=${kubeconfig}`,
    `  export PATH=${kubectlDir}:$PATH   # the matching kubectl`,
    '  kubectl get nodes',
    'Stop it with: make cluster-down',
  ].join('\n');
}

async function up(): Promise<void> {
  const state = readState();
  if (state && running(state)) {
    console.log(
      `A control plane is already running (started ${state.startedAt}).\n${usage(stableKubeconfig)}`,
    );
    return;
  }
  if (state) await down();
  const cp = await startControlPlane({ keep: true });
  mkdirSync(stateDir, { recursive: true });
  copyFileSync(cp.kubeconfig, stableKubeconfig);
  const next: ClusterState = {
    runDir: cp.runDir,
    kubeconfig: stableKubeconfig,
    ports: Object.values(cp.ports),
    startedAt: new Date().toISOString(),
  };
  writeFileSync(stateFile, JSON.stringify(next, null, 2));
  console.log(`Control plane running (logs in ${cp.runDir}).\n${usage(stableKubeconfig)}`);
}

async function down(): Promise<void> {
  const state = readState();
  if (!state) {
    console.log('No control plane started by `make cluster-up` is recorded; nothing to stop.');
    return;
  }
  const records = readPidRecords(state.runDir);
  await stopAll(records);
  const alive = records.filter((r) => isAlive(r.pid)).map((r) => `${r.name} (${r.pid})`);
  const still = listeningPorts().filter((p) => state.ports.includes(p));
  const extra = join(state.runDir, 'extra-dirs');
  if (existsSync(extra)) {
    for (const dir of readFileSync(extra, 'utf8').split('\n').filter(Boolean))
      rmSync(dir, { recursive: true, force: true });
  }
  rmSync(state.runDir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
  rmSync(stableKubeconfig, { force: true });
  if (alive.length > 0 || still.length > 0) {
    console.error(
      `Left behind: processes ${alive.join(', ') || 'none'}; listening ports ${still.join(', ') || 'none'}`,
    );
    process.exit(1);
  }
  console.log(`Stopped ${records.length} processes; no process or listening port left behind.`);
}

async function status(): Promise<void> {
  const state = readState();
  if (!state) return console.log('not running');
  console.log(
    running(state)
      ? `running since ${state.startedAt}\n${usage(state.kubeconfig)}`
      : 'recorded but not running',
  );
}

/** Runs a control plane in the foreground until Ctrl-C; it never outlives this process. */
async function foreground(): Promise<void> {
  const cp = await startControlPlane({ reaper: true });
  stopOnSignals(cp);
  whenOrphaned(() => void cp.stop().finally(() => process.exit(1)));
  console.log(`Control plane running until Ctrl-C (run directory ${cp.runDir}).\n${usage(cp.kubeconfig)}`);
  setInterval(() => undefined, 1 << 30);
}

const verbs: Record<string, () => Promise<void>> = { up, down, status, run: foreground };
const verb = verbs[process.argv[2] ?? ''];
if (!verb) {
  console.error('usage: cli.ts up|down|status|run');
  process.exit(2);
}
await verb();
