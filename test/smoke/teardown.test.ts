// Stopping leaves nothing behind: `make cluster-down` after `make cluster-up`, and a run that is
// interrupted (SIGINT) or killed outright (SIGKILL, where only the reaper can clean up).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listeningPorts } from '../control-plane/listening.ts';
import { isAlive, readPidRecords, type PidRecord } from '../control-plane/processes.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'control-plane', 'cli.ts');

let stateDir: string;
beforeEach(() => {
  // Inside the test run's own directory, so the reaper removes it even if this run is killed.
  stateDir = mkdtempSync(join(process.env.ROLLOUT_KIT_RUN_DIR ?? tmpdir(), 'cluster-state-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const env = () => ({ ...process.env, ROLLOUT_KIT_CLUSTER_DIR: stateDir });

/** The ports a run's components listen on, read from their flags in the run's own records. */
function portsOf(records: PidRecord[]): number[] {
  return records.flatMap((r) => {
    try {
      const cmdline = readFileSync(`/proc/${r.pid}/cmdline`, 'utf8').split('\0');
      return cmdline.flatMap((arg) =>
        [...arg.matchAll(/127\.0\.0\.1:(\d+)|--secure-port=(\d+)/g)].map((m) => Number(m[1] ?? m[2])),
      );
    } catch {
      return [];
    }
  });
}

async function expectAllGone(records: PidRecord[], ports: number[], runDir: string): Promise<void> {
  await waitFor('every recorded process to exit', () => records.every((r) => !isAlive(r.pid)), {
    timeoutMs: 30_000,
    observe: () => records.filter((r) => isAlive(r.pid)).map((r) => r.name),
  });
  await waitFor('the run directory to be removed', () => !existsSync(runDir), { timeoutMs: 15_000 });
  const listening = listeningPorts();
  expect(ports.filter((p) => listening.includes(p))).toEqual([]);
}

test('cluster-up leaves a working control plane; cluster-down stops every process and port', async () => {
  const { stdout } = await run(process.execPath, [cli, 'up'], { env: env() });
  expect(stdout).toContain('KUBECONFIG=');
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as {
    runDir: string;
    kubeconfig: string;
  };
  const records = readPidRecords(state.runDir);
  expect(records.map((r) => r.name)).toEqual([
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kwok',
  ]);
  const ports = portsOf(records);
  expect(ports.length).toBeGreaterThanOrEqual(5);
  const nodes = await run('kubectl', ['--kubeconfig', state.kubeconfig, 'get', 'nodes', '-o', 'name']);
  expect(nodes.stdout.trim().split('\n')).toHaveLength(3);

  const down = await run(process.execPath, [cli, 'down'], { env: env() });
  expect(down.stdout).toContain('no process or listening port left behind');
  await expectAllGone(records, ports, state.runDir);
});

async function startForeground(): Promise<{ child: ChildProcess; runDir: string }> {
  const child = spawn(process.execPath, [cli, 'run'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const runDir = await waitFor(
    'the foreground control plane to start',
    () => /run directory (\S+)\)/.exec(output)?.[1],
    {
      timeoutMs: 60_000,
      observe: () => output,
    },
  );
  return { child, runDir };
}

test.each([
  { name: 'SIGINT (Ctrl-C) stops the control plane through its handler', signal: 'SIGINT' as const },
  { name: 'SIGKILL of its owner lets the reaper stop the control plane', signal: 'SIGKILL' as const },
])('$name', async ({ signal }) => {
  const { child, runDir } = await startForeground();
  const records = readPidRecords(runDir);
  expect(records.map((r) => r.name)).toContain('reaper');
  expect(records.filter((r) => r.name !== 'reaper').every((r) => isAlive(r.pid))).toBe(true);
  const ports = portsOf(records);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill(signal);
  await exited;
  await expectAllGone(records, ports, runDir);
});
