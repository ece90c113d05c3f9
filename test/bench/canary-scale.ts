// `make bench`: N Rollouts, each through a 3-step canary, then (on a fresh control plane) N
// blue-green Rollouts with their active and preview Services, with the controller running as its
// own process. Prints, per strategy, the time until every Rollout is Healthy after the update, the
// controller's peak RSS and the API requests per Rollout from the controller's own request
// counter, and blue-green's figures as ratios of the canary's from the same run.
// Usage: node test/bench/canary-scale.ts [--canary-only] [N ...] (default 100 1000).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startControlPlane, stopOnSignals } from '../control-plane/control-plane.ts';
import { sleep } from '../control-plane/processes.ts';

const run = promisify(execFile);
const args = process.argv.slice(2);
const counts = args.map(Number).filter((n) => n > 0);
const sizes = counts.length > 0 ? counts : [100, 1000];
const strategies: Strategy[] = args.includes('--canary-only') ? ['canary'] : ['canary', 'blueGreen'];

type Strategy = 'canary' | 'blueGreen';

interface Figures {
  seconds: number;
  rssMiB: number;
  requestsPerRollout: number;
}

function strategyOf(strategy: Strategy, i: number): object {
  return strategy === 'canary'
    ? { canary: { steps: [{ setWeight: 50 }, { pause: { duration: 1 } }, { setWeight: 100 }] } }
    : // Auto-promotion (the default): preview, switch when green is available, then promotion.
      { blueGreen: { activeService: `bench-${i}-active`, previewService: `bench-${i}-preview` } };
}

function rollouts(n: number, image: string, strategy: Strategy): string {
  const items: object[] = [];
  for (let i = 0; i < n; i++) {
    items.push({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: `bench-${i}`, namespace: 'bench' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `bench-${i}` } },
        template: {
          metadata: { labels: { app: `bench-${i}` } },
          spec: { containers: [{ name: 'app', image }] },
        },
        strategy: strategyOf(strategy, i),
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** The active and preview Services of the blue-green Rollouts. */
function services(n: number): string {
  const items: object[] = [];
  for (let i = 0; i < n; i++) {
    for (const role of ['active', 'preview']) {
      items.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `bench-${i}-${role}`, namespace: 'bench' },
        spec: { selector: { app: `bench-${i}` }, ports: [{ port: 80 }] },
      });
    }
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Sum of a counter over all its series in a Prometheus text exposition. */
function counterSum(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function healthyCount(
  k: (...a: string[]) => Promise<string>,
  generationAware: boolean,
): Promise<number> {
  const out = await k(
    'get',
    'rollouts',
    '-n',
    'bench',
    '-o',
    'jsonpath={range .items[*]}{.status.phase},{.status.observedGeneration},{.metadata.generation};{end}',
  );
  return out.split(';').filter((row) => {
    const [phase, observed, generation] = row.split(',');
    return phase === 'Healthy' && (!generationAware || observed === generation);
  }).length;
}

/** Simulated nodes enough for the peak: each Rollout runs at most 4 pods (blue-green's two full
 * ReplicaSets), and a KWOK node takes 250 pods; pods that cannot be scheduled never get Ready. */
export const nodesFor = (n: number) => Math.max(3, Math.ceil((n * 4) / 250) + 1);

async function bench(n: number, strategy: Strategy): Promise<Figures> {
  const cp = await startControlPlane({ reaper: true, log: () => undefined, nodes: nodesFor(n) });
  stopOnSignals(cp);
  const env = { ...process.env, PATH: cp.path, KUBECONFIG: cp.kubeconfig };
  const k = async (...args: string[]) =>
    (await run('kubectl', args, { env, maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    await k(
      'apply',
      '--server-side',
      '-f',
      join(import.meta.dirname, '..', '..', 'controller', 'manifests', 'crds'),
    );
    // `kubectl wait` fails outright while the CRD has no conditions yet: poll instead.
    while (
      !(
        await k(
          'get',
          'crd/rollouts.argoproj.io',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Established")].status}',
        )
      ).includes('True')
    ) {
      await sleep(200);
    }
    await k('create', 'namespace', 'bench');
    const { startProcess, stopAll } = await import('../control-plane/processes.ts');
    const controller = startProcess(
      cp.runDir,
      'controller',
      process.execPath,
      [
        join(import.meta.dirname, '..', '..', 'controller', 'src', 'main.ts'),
        `--kubeconfig=${cp.kubeconfig}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        '--metricsPort=0',
        '--healthzPort=0',
        '--qps=200',
        '--burst=400',
      ],
      env,
    );
    let metricsPort = 0;
    // The controller logs the ports it bound (port 0 picks a free one) when it starts.
    for (let i = 0; i < 100 && metricsPort === 0; i++) {
      await sleep(100);
      const started = readFileSync(controller.log, 'utf8')
        .split('\n')
        .find((l) => l.includes('"metrics"'));
      if (started) metricsPort = (JSON.parse(started) as { metrics: number }).metrics;
    }
    const file = join(cp.runDir, 'rollouts.json');
    if (strategy === 'blueGreen') {
      writeFileSync(file, services(n));
      await k('apply', '-f', file);
    }
    writeFileSync(file, rollouts(n, 'app:1', strategy));
    await k('apply', '-f', file);
    while ((await healthyCount(k, true)) < n) await sleep(500);
    const before = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    writeFileSync(file, rollouts(n, 'app:2', strategy));
    const started = performance.now();
    await k('apply', '-f', file);
    await sleep(1_000);
    while ((await healthyCount(k, true)) < n) await sleep(500);
    const seconds = (performance.now() - started) / 1000;
    const after = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const requests =
      counterSum(after, 'controller_clientset_k8s_request_total') -
      counterSum(before, 'controller_clientset_k8s_request_total');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${controller.pid}/status`, 'utf8'))?.[1];
    const rssMiB = Number(hwm) / 1024;
    console.log(
      `${strategy === 'canary' ? 'canary' : 'blue-green'}-scale N=${n}: all Healthy ${seconds.toFixed(1)} s after the update; controller peak RSS ${rssMiB.toFixed(0)} MiB; ` +
        `${(requests / n).toFixed(1)} API requests per Rollout for the update (${requests} in all)`,
    );
    await stopAll([{ name: 'controller', pid: controller.pid }]);
    return { seconds, rssMiB, requestsPerRollout: requests / n };
  } finally {
    await cp.stop();
  }
}

for (const n of sizes) {
  const figures = new Map<Strategy, Figures>();
  for (const strategy of strategies) figures.set(strategy, await bench(n, strategy));
  const canary = figures.get('canary');
  const blueGreen = figures.get('blueGreen');
  if (canary && blueGreen) {
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
    console.log(
      `blue-green / canary N=${n}: time ×${ratio(blueGreen.seconds, canary.seconds)}, peak RSS ×${ratio(blueGreen.rssMiB, canary.rssMiB)}, ` +
        `API requests per Rollout ×${ratio(blueGreen.requestsPerRollout, canary.requestsPerRollout)}`,
    );
  }
}
