// `make demo`: the product at work on a local control plane. It starts the control plane, applies
// the CRDs, runs the Rollout Kit controller from source as its own process, serves the Argo CD
// host page with the Rollout tab on the demo cluster, applies a canary Rollout
// (argoproj/rollouts-demo:blue, 5 replicas, 20% → pause → 40% → analysis → 60% → 80% → 100%),
// changes the image to yellow and prints each state until the Rollout is Healthy, promoting the
// indefinite pause itself as `kubectl argo rollouts promote` would; the analysis step passes (the
// web metric, served by this process on 127.0.0.1, reports a good success rate for yellow). Then
// the same for a blue-green Rollout (blue → green: the preview Service first, a promote, then the
// active Service). Then a second canary update, to green, whose analysis step reads a success
// rate below the threshold: the controller aborts and rolls back to yellow by itself, and says
// why. Then it keeps everything up until Ctrl-C (`--once` stops and exits after the rollback, for
// CI).
//
//   node test/demo/demo.ts [--once] [--port N] [--react 19|16]
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { AnalysisRun, Rollout } from '@rollout-kit/api';
import { clusterBackend } from '../browser/cluster-backend.ts';
import { prepareExtensions } from '../browser/extension-tar.ts';
import { startHost, type Host, type ReactLine } from '../browser/host-server.ts';
import { kubectl, startControlPlane, stopOnSignals } from '../control-plane/control-plane.ts';
import { sleep } from '../control-plane/processes.ts';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';
import { atIndefinitePause, isHealthy, passedSteps, progressLine, type ReplicaSetLike } from './progress.ts';

const { values } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    react: { type: 'string', default: '19' },
  },
});
const say = (line: string) => console.log(`[demo] ${line}`);
function fail(message: string): never {
  console.error(`[demo] ${message}`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not ${values.port}`);
if (values.react !== '19' && values.react !== '16') fail(`--react must be 19 or 16, not ${values.react}`);

const NAMESPACE = 'default';
const NAME = 'rollouts-demo';
const MANIFEST = join(import.meta.dirname, 'rollout.yaml');
const BG_NAME = 'bluegreen-demo';
const BG_MANIFEST = join(import.meta.dirname, 'rollout-bluegreen.yaml');
/** How long one stage may take before the demo gives up and shows the controller's log. */
const STAGE_TIMEOUT_MS = 120_000;

const cp = await startControlPlane({ reaper: true });
// Ctrl-C: every process recorded in the run directory (the controller included) is stopped and
// the reaper removes the rest; the host page dies with this process.
stopOnSignals(cp);
// The support helpers read the cluster from the environment, as the integration tests set it.
process.env.KUBECONFIG = cp.kubeconfig;
process.env.PATH = cp.path;
process.env.ROLLOUT_KIT_RUN_DIR = cp.runDir;
const k = (...args: string[]) => kubectl(cp.path, cp.kubeconfig, args);
say(
  `control plane up in ${Object.values(cp.timings)
    .reduce((a, b) => a + b, 0)
    .toFixed(1)} s at ${cp.server}`,
);

const config = new KubeConfig();
config.loadFromFile(cp.kubeconfig);
const custom = config.makeApiClient(CustomObjectsApi);
const apps = config.makeApiClient(AppsV1Api);
// Inside the run directory, so the reaper removes it too when the demo is interrupted.
const work = await mkdtemp(join(cp.runDir, 'host-page-'));
let controller: RunningController | undefined;
let host: Host | undefined;
// The web metric the analysis reads, asked about the image being rolled out (`?image=…`): yellow
// does well, green (and anything else) below the template's 0.95 threshold.
const SUCCESS_RATES: Readonly<Record<string, number>> = { yellow: 0.99 };
const SUCCESS_RATE = 0.82;
const rateOf = (image: string) => SUCCESS_RATES[image.slice(image.lastIndexOf(':') + 1)] ?? SUCCESS_RATE;
const metric = createServer((req, res) => {
  const image = new URL(req.url ?? '/', 'http://metric').searchParams.get('image') ?? '';
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ successRate: rateOf(image) }));
});
await new Promise<void>((resolve) => metric.listen(0, '127.0.0.1', resolve));
const metricUrl = `http://127.0.0.1:${(metric.address() as AddressInfo).port}/success-rate`;

async function shutdown(code: number): Promise<never> {
  metric.closeAllConnections();
  metric.close();
  await host?.close();
  await controller?.stop();
  await cp.stop();
  await rm(work, { recursive: true, force: true });
  process.exit(code);
}

async function getRollout(name = NAME): Promise<Rollout> {
  return (await custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: NAMESPACE,
    plural: 'rollouts',
    name,
  })) as Rollout;
}

async function ownedReplicaSets(rollout: Rollout): Promise<ReplicaSetLike[]> {
  const list = await apps.listNamespacedReplicaSet({ namespace: NAMESPACE });
  return list.items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((o) => o.uid === rollout.metadata.uid),
  ) as ReplicaSetLike[];
}

/** The analysis step of the sample (rollout.yaml): the template asked about the Rollout's image. */
const ANALYSIS_STEP = {
  analysis: {
    templates: [{ templateName: 'success-rate' }],
    args: [
      { name: 'image', valueFrom: { fieldRef: { fieldPath: 'spec.template.spec.containers[0].image' } } },
    ],
  },
};

/** `AnalysisRun <name> Successful: success-rate 0.99` for the step run of the ReplicaSet `hash`. */
async function passedRun(hash: string): Promise<string> {
  const list = (await custom.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: NAMESPACE,
    plural: 'analysisruns',
  })) as { items: AnalysisRun[] };
  const run = list.items.find(
    (r) =>
      r.metadata.labels?.['rollouts-pod-template-hash'] === hash &&
      r.metadata.labels['rollout-type'] === 'Step',
  );
  if (!run) return `no AnalysisRun for ${hash}`;
  const values = (run.status?.metricResults ?? []).map(
    (m) => `${m.name} ${m.measurements?.at(-1)?.value ?? '?'}`,
  );
  return `AnalysisRun ${run.metadata.name ?? '?'} ${run.status?.phase ?? '?'}: ${values.join(', ')} (≥ 0.95)`;
}

/**
 * Prints the Rollout's state whenever it changes until `done` holds; promotes an indefinite pause
 * (after `promoteAfterMs`, so it can be seen) the way `kubectl argo rollouts promote` does.
 */
async function follow(
  what: string,
  done: (r: Rollout) => boolean,
  promoteAfterMs: number,
  name = NAME,
): Promise<Rollout> {
  const deadline = Date.now() + STAGE_TIMEOUT_MS;
  let last = '';
  let pausedSince: number | undefined;
  let lastStep: number | undefined;
  for (;;) {
    const rollout = await getRollout(name);
    const line = progressLine(rollout, await ownedReplicaSets(rollout));
    // Steps the controller passed between two reads (a setWeight whose pods were ready at once).
    for (const skipped of passedSteps(rollout, lastStep)) say(`  ${skipped}`);
    lastStep = rollout.status?.currentStepIndex;
    if (line !== last) say(`  ${line}`);
    last = line;
    if (done(rollout)) return rollout;
    if (atIndefinitePause(rollout)) {
      pausedSince ??= Date.now();
      if (Date.now() - pausedSince >= promoteAfterMs) {
        say(
          `  promoting the indefinite pause, as \`kubectl argo rollouts promote ${name}\` does: status patch {"status":{"pauseConditions":null}}`,
        );
        await k(
          '-n',
          NAMESPACE,
          'patch',
          'rollout',
          name,
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"pauseConditions":null}}',
        );
        pausedSince = undefined;
      }
    } else {
      pausedSince = undefined;
    }
    if (Date.now() > deadline) {
      say(
        `gave up after ${STAGE_TIMEOUT_MS / 1000} s waiting until ${what}; last lines of the controller's log:`,
      );
      console.log(controller?.tail() ?? '(no controller)');
      return shutdown(1);
    }
    await sleep(250);
  }
}

/** The blue-green sample: blue deployed, green previewed, promoted, and blue scaled down after it. */
async function blueGreen(): Promise<void> {
  say(
    `applying ${BG_NAME} (blue-green: argoproj/rollouts-demo:blue, 3 replicas, active and preview Services, auto-promotion off)`,
  );
  await k('apply', '-f', BG_MANIFEST);
  await follow('the blue-green Rollout is Healthy', isHealthy, 0, BG_NAME);
  say(
    'changing its image to argoproj/rollouts-demo:green: the preview Service selects green first, active stays on blue',
  );
  await k(
    '-n',
    NAMESPACE,
    'patch',
    'rollout',
    BG_NAME,
    '--type=json',
    '-p',
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"argoproj/rollouts-demo:green"}]',
  );
  const changed = (await getRollout(BG_NAME)).metadata.generation;
  const final = await follow(
    'the green version is Healthy',
    (r) =>
      isHealthy(r) && r.metadata.generation === changed && r.status?.stableRS === r.status?.currentPodHash,
    values.once ? 1000 : 5000,
    BG_NAME,
  );
  say(
    `Healthy: rollouts-demo:green is active (ReplicaSet ${BG_NAME}-${final.status?.stableRS ?? '?'}); blue is scaled down after scaleDownDelaySeconds (10 s)`,
  );
}

try {
  await applyCrds();
  // applyCrds waits for the Rollout CRD; the host page also lists AnalysisRuns.
  await k('wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all');
  say('CRDs applied from controller/manifests/crds (server-side)');
  controller = await startController('demo');
  say(`controller running from source (pid ${controller.pid}), log: ${controller.log}`);

  // The host page (extension.tar built fresh, the tab on the demo cluster) comes up while the
  // first version deploys.
  const hostReady = (async () => {
    const { extensionsDir } = await prepareExtensions(work);
    return startHost({
      react: values.react as ReactLine,
      extensionsDir,
      backend: clusterBackend(config, { namespace: NAMESPACE, actions: true }),
      log: (line) => say(`host page: ${line}`),
      refreshMs: 2000,
      port,
    });
  })();

  say(`applying ${NAME} (argoproj/rollouts-demo:blue, 5 replicas, 20% → pause → 40% → 60% → 80% → 100%)`);
  await k('apply', '-f', MANIFEST);
  await follow('the first version is Healthy', isHealthy, 0);

  host = await hostReady;
  const node = encodeURIComponent(`argoproj.io/Rollout/${NAMESPACE}/${NAME}/0`);
  const url = `${host.url}applications/local?node=${node}&tab=extension-0`;
  say(`the Rollout tab (Argo CD host page, React ${values.react}) on this cluster: ${url}`);
  say(`  the same in Argo CD's dark theme: ${url}&theme=dark (actions from the tab act on this cluster)`);

  await custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: NAMESPACE,
    plural: 'analysistemplates',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate' },
      spec: {
        args: [{ name: 'image' }],
        metrics: [
          {
            name: 'success-rate',
            successCondition: 'result >= 0.95',
            provider: { web: { url: `${metricUrl}?image={{args.image}}`, jsonPath: '{$.successRate}' } },
          },
        ],
      },
    },
  });
  say(
    `AnalysisTemplate success-rate: success rate ≥ 0.95 from ${metricUrl}?image=…, which answers ${rateOf('yellow')} for yellow and ${SUCCESS_RATE} for green`,
  );
  say('changing the image to argoproj/rollouts-demo:yellow and following the canary step by step:');
  await k(
    '-n',
    NAMESPACE,
    'patch',
    'rollout',
    NAME,
    '--type=json',
    '-p',
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"argoproj/rollouts-demo:yellow"}]',
  );
  const changed = (await getRollout()).metadata.generation;
  const final = await follow(
    'the yellow version is Healthy',
    (r) =>
      isHealthy(r) && r.metadata.generation === changed && r.status?.stableRS === r.status?.currentPodHash,
    values.once ? 1000 : 5000,
  );
  say(`the analysis step passed: ${await passedRun(final.status?.stableRS ?? '')}`);
  say(
    `Healthy: rollouts-demo:yellow is the stable version (ReplicaSet ${NAME}-${final.status?.stableRS ?? '?'})`,
  );
  say(`the Rollout tab: ${url}`);
  await blueGreen();
  const bgNode = encodeURIComponent(`argoproj.io/Rollout/${NAMESPACE}/${BG_NAME}/0`);
  say(`the blue-green Rollout's tab: ${host.url}applications/local?node=${bgNode}&tab=extension-0`);

  say(
    `changing the image to argoproj/rollouts-demo:green with the analysis step right after 20% (the metric answers ${SUCCESS_RATE} for green):`,
  );
  await k(
    '-n',
    NAMESPACE,
    'patch',
    'rollout',
    NAME,
    '--type=json',
    '-p',
    JSON.stringify([
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/image',
        value: 'argoproj/rollouts-demo:green',
      },
      {
        op: 'replace',
        path: '/spec/strategy/canary/steps',
        value: [{ setWeight: 20 }, ANALYSIS_STEP, { setWeight: 60 }],
      },
    ]),
  );
  const rolledBack = await follow(
    'the failed analysis has rolled green back',
    (r) =>
      r.status?.phase === 'Degraded' &&
      r.status.abort === true &&
      (r.status.updatedReplicas ?? 0) === 0 &&
      r.status.availableReplicas === 5,
    0,
  );
  say(`rolled back automatically; the Rollout says why: ${rolledBack.status?.message ?? ''}`);
  say(
    `yellow serves again (ReplicaSet ${NAME}-${rolledBack.status?.stableRS ?? '?'}); the tab shows the failed AnalysisRun`,
  );

  if (values.once) await shutdown(0);
  say(
    [
      'everything stays up until Ctrl-C. In another shell:',
      `  export KUBECONFIG=${cp.kubeconfig} PATH=${cp.path.split(':')[0]}:$PATH`,
      `  kubectl argo rollouts get rollout ${NAME} --watch     # with make argo-plugin`,
      `  kubectl argo rollouts retry rollout ${NAME}           # runs the analysis again (and fails again)`,
      `  kubectl -n ${NAMESPACE} patch rollout ${NAME} --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"argoproj/rollouts-demo:yellow"}]'`,
      `  open ${url}`,
    ].join('\n'),
  );
  setInterval(() => undefined, 1 << 30);
} catch (err) {
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  if (controller !== undefined) console.log(controller.tail());
  await shutdown(1);
}
