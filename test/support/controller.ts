// Runs the Rollout Kit controller from source as its own process against the test control
// plane, the way `make run` does: CRDs applied first (server-side, as real installs do), then
// `node controller/src/main.ts`. Its log goes to a file in the run directory, printed when a
// test needs it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProcess, stopAll } from '../control-plane/processes.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');

export async function applyCrds(): Promise<void> {
  await run('kubectl', [
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(repo, 'controller', 'manifests', 'crds'),
  ]);
  // `kubectl wait` fails outright while a new CRD has no conditions yet: poll until Established.
  await waitFor('the Rollout CRD to be Established', async () => {
    const { stdout } = await run('kubectl', [
      'get',
      'crd/rollouts.argoproj.io',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    return stdout.includes('True');
  });
}

export interface RunningController {
  pid: number;
  log: string;
  /** The last lines of the controller's log, for failure messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

/** `env` is added to this process's environment for the controller (POD_NAMESPACE, say). */
export async function startController(
  name: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningController> {
  const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
  if (!runDir) throw new Error('ROLLOUT_KIT_RUN_DIR is not set: run integration tests through `make test`');
  // Recorded in the run's PID file like the control plane's own processes, so the reaper stops
  // it too if this test run dies.
  const started = startProcess(
    runDir,
    `controller-${name}`,
    process.execPath,
    [
      join(repo, 'controller', 'src', 'main.ts'),
      `--kubeconfig=${process.env.KUBECONFIG}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--metricsPort=0',
      '--healthzPort=0',
      ...args,
    ],
    { ...process.env, ...env },
  );
  const tail = (lines = 40) =>
    readFileSync(started.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return {
    pid: started.pid,
    log: started.log,
    tail,
    async stop() {
      await stopAll([{ name: started.name, pid: started.pid }]);
    },
  };
}

/**
 * Runs one controller for the whole test file: CRDs applied and the controller started before
 * the first test, stopped after the last, and its log printed under any test that failed.
 * Read `.current` inside tests.
 */
export function controllerPerFile(
  name: string,
  args: string[] = [],
  env: Record<string, string> = {},
): { readonly current: RunningController } {
  const holder: { current?: RunningController } = {};
  beforeAll(async () => {
    await applyCrds();
    holder.current = await startController(name, args, env);
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (holder.current && state.assertionCalls !== state.numPassingAsserts) {
      process.stderr.write(`controller log:\n${holder.current.tail()}\n`);
    }
  });
  return holder as { readonly current: RunningController };
}
