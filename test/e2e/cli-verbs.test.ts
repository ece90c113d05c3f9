// Our CLI (`rk`) end to end on the real control plane with our controller running:
// - read verbs (get rollout, list rollouts, status, history) at each phase of a canary, checked
//   against what the official `kubectl argo rollouts` plugin prints for the same Rollout;
// - every mutating verb sends the plugin's patch: each verb runs with rk on one Rollout and with
//   the plugin on its twin, both outside the controller's reach (another instance id), and the
//   two objects must end up equal;
// - the mutating verbs drive a live canary as upstream would (abort, retry, pause, promote, undo).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { healthy, argoRollouts, createRollout, getRollout, waitForRollout } from '../support/rollouts.ts';

const run = promisify(execFile);
const rkPath = join(import.meta.dirname, '..', '..', 'controller', 'src', 'cli', 'rk.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `rk -n <namespace> ...args`, never throwing on a non-zero exit. */
function rk(namespace: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [rkPath, '-n', namespace, ...args],
      { env: { ...process.env, TERM: 'xterm' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function rkOk(namespace: string, ...args: string[]): Promise<string> {
  const result = await rk(namespace, ...args);
  if (result.code !== 0) throw new Error(`rk ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The official plugin, keeping the exit code. */
async function plugin(namespace: string, ...args: string[]): Promise<CliResult> {
  try {
    return { code: 0, stdout: await argoRollouts(namespace, ...args), stderr: '' };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const ns = namespacePerTest();
controllerPerFile('cli');

const FROZEN = 'argo-rollouts.argoproj.io/controller-instance-id';

function canaryRollout(name: string, image: string, labels: Record<string, string> = {}): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image }] },
      },
      strategy: {
        canary: {
          steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5s' } }],
        },
      },
    },
  };
}

/** The header of `get rollout` (everything before the tree). */
const header = (text: string) => text.split('\n\nNAME')[0];
/** Tree rows without the AGE column: cells split on runs of 2+ spaces, the age cell dropped. */
function treeRows(text: string): string[] {
  const tree = text.split('\n\n')[1] ?? '';
  return tree
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .trimEnd() // the plugin pads the last cells with spaces; we do not
        .split(/ {2,}/)
        .filter((cell) => !/^(\d+[smhdy])+$|^AGE$/.test(cell))
        .join(' | '),
    );
}

test('list --watch prints a row again each time a Rollout changes, as the plugin does', async () => {
  await createRollout(ns.name, canaryRollout('web', 'argoproj/rollouts-demo:blue'));
  await waitForRollout(ns.name, 'web', 'Healthy', healthy);
  const watching = rk(ns.name, 'list', 'rollouts', '--watch', '--timeout-seconds', '12');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await rkOk(ns.name, 'set', 'image', 'web', 'web=argoproj/rollouts-demo:yellow');
  await waitForRollout(ns.name, 'web', 'paused at step 1', (r) => r.status?.phase === 'Paused');
  const { code, stdout } = await watching;
  expect(code).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^NAME +STRATEGY +STATUS +STEP/);
  expect(lines[1]).toMatch(/^web +Canary +Healthy +4\/4 +100 /);
  const statuses = lines.slice(1).map((line) => line.split(/ +/)[2]);
  // Printed only on a change: never the same row twice in a row, and it ends paused at 1/4.
  expect(lines.slice(1).every((line, i, all) => i === 0 || line !== all[i - 1])).toBe(true);
  expect(statuses.at(-1)).toBe('Paused');
  expect(lines.at(-1)).toMatch(/^web +Canary +Paused +1\/4 +25 /);
});

test('get, list, status and history follow a canary and agree with the official plugin', async () => {
  await createRollout(ns.name, canaryRollout('web', 'argoproj/rollouts-demo:blue'));
  expect((await rk(ns.name, 'status', 'web', '--timeout', '60s')).stdout).toMatch(/Healthy\n$/);
  const first = await waitForRollout(ns.name, 'web', 'Healthy', healthy);

  expect(await rkOk(ns.name, 'set', 'image', 'web', 'web=argoproj/rollouts-demo:yellow')).toBe(
    'rollout "web" image updated\n',
  );
  const paused = await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) =>
      r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.availableReplicas === 4,
  );
  const canary = paused.status!.currentPodHash!;

  const ours = await rkOk(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(ours).toContain(
    `Status:          ॥ Paused\nMessage:         CanaryPauseStep\nStrategy:        Canary\n`,
  );
  expect(ours).toContain('  Step:          1/4\n  SetWeight:     25\n  ActualWeight:  25\n');
  expect(ours).toContain(
    'Images:          argoproj/rollouts-demo:blue (stable)\n                 argoproj/rollouts-demo:yellow (canary)\n',
  );
  expect(ours).toMatch(new RegExp(`⧉ web-${canary} +ReplicaSet +✔ Healthy +\\S+ +canary`));
  expect(ours).not.toContain('\x1b[');
  const theirs = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(header(ours)).toBe(header(theirs));
  expect(treeRows(ours)).toEqual(treeRows(theirs));

  expect(await rkOk(ns.name, 'list', 'rollouts')).toBe(await argoRollouts(ns.name, 'list', 'rollouts'));
  expect(await rkOk(ns.name, 'list', 'rollouts', '-A')).toBe(
    await argoRollouts(ns.name, 'list', 'rollouts', '-A'),
  );
  // kubectl's connection flags: an explicit kubeconfig and context, and a context that does not exist.
  const { stdout: context } = await run('kubectl', ['config', 'current-context']);
  const explicit = ['--kubeconfig', process.env.KUBECONFIG!, '--context', context.trim()];
  expect(await rkOk(ns.name, ...explicit, 'list', 'rollouts')).toContain('web ');
  expect(await rk(ns.name, '--context', 'nope', 'list', 'rollouts')).toMatchObject({
    code: 1,
    stderr: 'Error: context "nope" does not exist\n',
  });
  // As a kubectl plugin through the kubectl-rk link the script makes (this Node first on PATH).
  const bin = mkdtempSync(join(tmpdir(), 'rk-bin-'));
  try {
    await run(join(dirname(rkPath), 'link-kubectl-plugin.sh'), [bin]);
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${bin}:${process.env.PATH}` };
    const { stdout: viaKubectl } = await run('kubectl', ['rk', '-n', ns.name, 'list', 'rollouts'], { env });
    expect(viaKubectl).toBe(await rkOk(ns.name, 'list', 'rollouts'));
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  const once = await rkOk(ns.name, 'status', 'web', '--watch=false');
  expect(once).toBe('Paused - CanaryPauseStep\n');
  expect(once).toBe((await plugin(ns.name, 'status', 'web', '--watch=false')).stdout);

  const timedOut = await rk(ns.name, 'status', 'web', '--timeout', '2s');
  expect(timedOut.code).not.toBe(0);
  expect(timedOut.stdout).toBe('Paused - CanaryPauseStep\n');
  expect(timedOut.stderr).toBe('Error: Rollout status watch exceeded timeout\n');

  const json = JSON.parse(await rkOk(ns.name, 'get', 'rollout', 'web', '-o', 'json')) as {
    status: string;
    step: string;
    replicaSets: { roles: string[] }[];
  };
  expect(json).toMatchObject({ status: 'Paused', step: '1/4' });
  expect(json.replicaSets.map((rs) => rs.roles)).toEqual([['canary'], ['stable']]);

  const watched = await rk(ns.name, 'get', 'rollout', 'web', '--watch', '--timeout-seconds', '2');
  expect(watched.code).toBe(0);
  expect(watched.stdout.startsWith('Name:            web\n')).toBe(true);

  expect(await rkOk(ns.name, 'promote', 'web')).toBe("rollout 'web' promoted\n");
  const statusRun = await rk(ns.name, 'status', 'web', '--timeout', '90s');
  expect(statusRun.code).toBe(0);
  expect(statusRun.stdout.trimEnd().split('\n').at(-1)).toBe('Healthy');
  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === canary,
  );
  expect(done.status?.stableRS).toBe(canary);

  const history = await rkOk(ns.name, 'history', 'web');
  expect(history).toMatch(
    new RegExp(`^1 +web-${first.status!.stableRS} +argoproj/rollouts-demo:blue +- `, 'm'),
  );
  expect(history).toMatch(
    new RegExp(`^2 +web-${canary} +argoproj/rollouts-demo:yellow +stable .*RolloutCompleted`, 'm'),
  );
  const rows = JSON.parse(await rkOk(ns.name, 'history', 'web', '-o', 'json')) as { revision: number }[];
  expect(rows.map((r) => r.revision)).toEqual([1, 2]);

  const missing = await rk(ns.name, 'get', 'rollout', 'nope');
  expect(missing).toMatchObject({ code: 1, stderr: 'Error: rollout.argoproj.io "nope" not found\n' });
});

test('abort, status on Degraded, retry, pause, promote and undo drive a live canary', async () => {
  await createRollout(ns.name, canaryRollout('web', 'argoproj/rollouts-demo:blue'));
  const first = await waitForRollout(ns.name, 'web', 'Healthy', healthy);
  const stable = first.status!.stableRS!;
  await rkOk(ns.name, 'set', 'image', 'web', '*=argoproj/rollouts-demo:red');
  await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );

  expect(await rkOk(ns.name, 'abort', 'web')).toBe("rollout 'web' aborted\n");
  await waitForRollout(ns.name, 'web', 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
  const degraded = await rk(ns.name, 'status', 'web');
  expect(degraded.code).not.toBe(0);
  expect(degraded.stderr).toBe(
    'Error: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n',
  );
  expect((await plugin(ns.name, 'status', 'web')).code).not.toBe(0);

  expect(await rkOk(ns.name, 'retry', 'rollout', 'web')).toBe("rollout 'web' retried\n");
  await waitForRollout(
    ns.name,
    'web',
    'paused at step 1 after retry',
    (r) => !r.status?.abort && r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );

  expect(await rkOk(ns.name, 'pause', 'web')).toBe("rollout 'web' paused\n");
  await waitForRollout(
    ns.name,
    'web',
    'manually paused',
    (r) => r.spec.paused === true && r.status?.message === 'manually paused',
  );
  // promote lifts the manual pause (spec.paused) with the plugin's two patches.
  expect(await rkOk(ns.name, 'promote', 'web')).toBe("rollout 'web' promoted\n");
  await waitForRollout(
    ns.name,
    'web',
    'no longer manually paused',
    (r) => !r.spec.paused && r.status?.message !== 'manually paused',
  );
  expect(await rkOk(ns.name, 'promote', 'web', '--full')).toBe("rollout 'web' fully promoted\n");
  await waitForRollout(ns.name, 'web', 'Healthy on red', (r) => healthy(r) && r.status?.stableRS !== stable);

  expect(await rkOk(ns.name, 'undo', 'web')).toBe("rollout 'web' undo\n");
  const undone = await getRollout(ns.name, 'web');
  expect(undone.spec.template?.spec?.containers?.[0]?.image).toBe('argoproj/rollouts-demo:blue');
  await waitForRollout(
    ns.name,
    'web',
    'paused at step 1 on the old template',
    (r) => r.status?.currentPodHash === stable && r.status.phase === 'Paused',
  );
  expect(await rkOk(ns.name, 'promote', 'web', '--full')).toBe("rollout 'web' fully promoted\n");
  await waitForRollout(
    ns.name,
    'web',
    'Healthy back on blue',
    (r) => healthy(r) && r.status?.stableRS === stable,
  );
  expect(await rkOk(ns.name, 'undo', 'web', '--to-revision', '3')).toMatch(
    /^skipped rollback \(current template already matches revision 3\)\n$|^rollout 'web' undo\n$/,
  );
});

// ---- The same patch as the plugin ------------------------------------------------------------

async function setStatus(name: string, status: object): Promise<void> {
  await run('kubectl', [
    '-n',
    ns.name,
    'patch',
    'rollout',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);
}

/** A Rollout's spec and status with what differs between twins (names, selectors, times) normalised. */
function comparable(r: Rollout, name: string): unknown {
  const text = JSON.stringify({ spec: r.spec, status: r.status }).replaceAll(`"${name}"`, '"X"');
  const value = JSON.parse(text) as { spec: Rollout['spec'] };
  if (value.spec.restartAt)
    value.spec.restartAt =
      Math.abs(Date.parse(value.spec.restartAt) - Date.now()) < 60_000 ? 'recent' : 'other';
  return value;
}

const pausedAtStep1 = {
  currentStepIndex: 1,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }],
  controllerPause: true,
  currentPodHash: 'aaa',
  stableRS: 'bbb',
};

const patchCases: { name: string; args: string[]; status?: object; spec?: object }[] = [
  { name: 'promote a paused step', args: ['promote'], status: pausedAtStep1 },
  {
    name: 'promote an unpaused canary skips the step',
    args: ['promote'],
    status: { currentStepIndex: 2, currentPodHash: 'aaa', stableRS: 'bbb' },
  },
  { name: 'promote a manual pause', args: ['promote'], status: pausedAtStep1, spec: { paused: true } },
  {
    name: 'promote an inconclusive analysis',
    args: ['promote'],
    status: {
      ...pausedAtStep1,
      canary: { currentStepAnalysisRunStatus: { name: 'run', status: 'Inconclusive' } },
    },
  },
  { name: 'promote --full', args: ['promote', '--full'], status: pausedAtStep1, spec: { paused: true } },
  {
    name: 'promote --full when fully promoted',
    args: ['promote', '--full'],
    status: { currentPodHash: 'bbb', stableRS: 'bbb' },
  },
  { name: 'abort', args: ['abort'], status: pausedAtStep1 },
  { name: 'retry rollout', args: ['retry', 'rollout'], status: { ...pausedAtStep1, abort: true } },
  { name: 'pause', args: ['pause'] },
  { name: 'restart', args: ['restart'] },
  { name: 'set image', args: ['set', 'image', '*', 'web=argoproj/rollouts-demo:green'] },
];

test.each(patchCases)('rk $args.0 sends the plugin patch: $name', async ({ args, status, spec }) => {
  for (const name of ['ours', 'theirs']) {
    const ro = canaryRollout(name, 'argoproj/rollouts-demo:blue', { [FROZEN]: 'frozen' });
    ro.spec = { ...ro.spec, ...spec };
    await createRollout(ns.name, ro);
    if (status) await setStatus(name, status);
  }
  // Verb, then the name, then the rest (set image NAME C=I).
  const [verb, ...rest] = args;
  const withName = (name: string) =>
    verb === 'set'
      ? [verb, 'image', name, ...rest.slice(2)]
      : verb === 'retry'
        ? [verb, 'rollout', name]
        : [verb!, name, ...rest];
  await rkOk(ns.name, ...withName('ours'));
  const theirs = await plugin(ns.name, ...withName('theirs'));
  expect(theirs).toMatchObject({ code: 0 });
  const a = await getRollout(ns.name, 'ours');
  const b = await getRollout(ns.name, 'theirs');
  expect(comparable(a, 'ours')).toEqual(comparable(b, 'theirs'));
  expect(a.metadata.generation).toBe(b.metadata.generation);
});

test('rk undo sends the plugin patch', async () => {
  const uids: Record<string, string> = {};
  for (const name of ['ours', 'theirs']) {
    const ro = canaryRollout(name, 'argoproj/rollouts-demo:red', { [FROZEN]: 'frozen' });
    await createRollout(ns.name, ro);
    uids[name] = (await getRollout(ns.name, name)).metadata.uid!;
    for (const [revision, image, hash] of [
      [1, 'argoproj/rollouts-demo:blue', 'h1'],
      [2, 'argoproj/rollouts-demo:red', 'h2'],
    ] as const) {
      await kube().apps.createNamespacedReplicaSet({
        namespace: ns.name,
        body: {
          metadata: {
            name: `${name}-${hash}`,
            annotations: { 'rollout.argoproj.io/revision': String(revision) },
            labels: { app: name, 'rollouts-pod-template-hash': hash },
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'Rollout',
                name,
                uid: uids[name]!,
                controller: true,
              },
            ],
          },
          spec: {
            replicas: 0,
            selector: { matchLabels: { app: name, 'rollouts-pod-template-hash': hash } },
            template: {
              metadata: { labels: { app: name, 'rollouts-pod-template-hash': hash } },
              spec: { containers: [{ name: 'web', image }] },
            },
          },
        },
      });
    }
  }
  expect(await rkOk(ns.name, 'undo', 'ours')).toBe("rollout 'ours' undo\n");
  expect((await plugin(ns.name, 'undo', 'theirs')).stdout).toBe("rollout 'theirs' undo\n");
  const a = await getRollout(ns.name, 'ours');
  const b = await getRollout(ns.name, 'theirs');
  expect(a.spec.template?.spec?.containers?.[0]?.image).toBe('argoproj/rollouts-demo:blue');
  expect(comparable(a, 'ours')).toEqual(comparable(b, 'theirs'));
});

test('rk terminate analysisrun, terminate experiment and retry experiment send the plugin patches', async () => {
  const custom = kube().custom;
  const create = (plural: string, body: object) =>
    custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: ns.name,
      plural,
      body,
    });
  const get = (plural: string, name: string) =>
    custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: ns.name,
      plural,
      name,
    }) as Promise<{
      spec: Record<string, unknown>;
      status?: unknown;
    }>;
  for (const name of ['ours', 'theirs']) {
    await create('analysisruns', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name, labels: { [FROZEN]: 'frozen' } },
      spec: {
        metrics: [
          {
            name: 'm',
            provider: { job: { spec: { template: { spec: { containers: [], restartPolicy: 'Never' } } } } },
          },
        ],
      },
    });
    await create('experiments', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name, labels: { [FROZEN]: 'frozen' } },
      spec: {
        templates: [
          {
            name: 'canary',
            selector: { matchLabels: { app: 'exp' } },
            template: {
              metadata: { labels: { app: 'exp' } },
              spec: { containers: [{ name: 'web', image: 'x:1' }] },
            },
          },
        ],
      },
    });
    // The Experiment CRD has no status subresource: the status goes on the main resource.
    await run('kubectl', [
      '-n',
      ns.name,
      'patch',
      'experiment',
      name,
      '--type=merge',
      '-p',
      '{"status":{"phase":"Failed"}}',
    ]);
  }
  expect(await rkOk(ns.name, 'terminate', 'analysisrun', 'ours')).toBe("analysisRun 'ours' terminated\n");
  expect((await plugin(ns.name, 'terminate', 'analysisrun', 'theirs')).stdout).toBe(
    "analysisRun 'theirs' terminated\n",
  );
  expect((await get('analysisruns', 'ours')).spec).toEqual((await get('analysisruns', 'theirs')).spec);
  expect((await get('analysisruns', 'ours')).spec.terminate).toBe(true);

  expect(await rkOk(ns.name, 'retry', 'experiment', 'ours')).toBe("experiment 'ours' retried\n");
  expect((await plugin(ns.name, 'retry', 'experiment', 'theirs')).stdout).toBe(
    "experiment 'theirs' retried\n",
  );
  const [a, b] = [await get('experiments', 'ours'), await get('experiments', 'theirs')];
  expect(a.status).toEqual(b.status);

  expect(await rkOk(ns.name, 'terminate', 'experiment', 'ours')).toBe("experiment 'ours' retried\n");
  await plugin(ns.name, 'terminate', 'experiment', 'theirs');
  expect((await get('experiments', 'ours')).spec).toEqual((await get('experiments', 'theirs')).spec);
  expect((await get('experiments', 'ours')).spec.terminate).toBe(true);

  const missing = await rk(ns.name, 'terminate', 'ar', 'nope');
  expect(missing).toMatchObject({ code: 1, stderr: 'Error: analysisrun.argoproj.io "nope" not found\n' });
});

test('rk create analysisrun --from builds the same run as the plugin', async () => {
  await kube().custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'analysistemplates',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate' },
      spec: {
        args: [{ name: 'service' }, { name: 'threshold', value: '0.95' }],
        metrics: [
          {
            name: 'rate',
            interval: '10s',
            successCondition: 'result >= {{args.threshold}}',
            provider: { web: { url: 'http://127.0.0.1:1/{{args.service}}', jsonPath: '{$.rate}' } },
          },
        ],
      },
    },
  });
  const common = ['--from', 'success-rate', '-a', 'service=web', '--instance-id', 'frozen'];
  expect(await rkOk(ns.name, 'create', 'analysisrun', '--name', 'ours', ...common)).toBe(
    'analysisrun.argoproj.io/ours created\n',
  );
  expect((await plugin(ns.name, 'create', 'analysisrun', '--name', 'theirs', ...common)).stdout).toBe(
    'analysisrun.argoproj.io/theirs created\n',
  );
  const get = (name: string) =>
    kube().custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: ns.name,
      plural: 'analysisruns',
      name,
    }) as Promise<{ metadata: { labels?: object }; spec: object }>;
  const [a, b] = [await get('ours'), await get('theirs')];
  expect(a.spec).toEqual(b.spec);
  expect(a.metadata.labels).toEqual(b.metadata.labels);

  const generated = await rkOk(
    ns.name,
    'create',
    'ar',
    '--from',
    'success-rate',
    '-a',
    'service=web',
    '--instance-id',
    'frozen',
  );
  expect(generated).toMatch(/^analysisrun\.argoproj\.io\/success-rate-[a-z0-9]{5} created\n$/);
  const unresolved = await rk(ns.name, 'create', 'analysisrun', '--from', 'success-rate');
  expect(unresolved).toMatchObject({ code: 1, stderr: 'Error: args.service was not resolved\n' });
});
