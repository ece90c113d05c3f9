// `make bench`, traffic-routed scenario: N Rollouts through a 4-step canary (setWeight 25,
// pause 1 s, setWeight 75, pause 1 s) routed by NGINX (a canary Ingress per Rollout) and, as the
// baseline of the same run, the same canary without traffic routing. Prints the API writes
// (create, update, patch) per Rollout per step, by resource, from the controller's own request
// counter, and the time until all are Healthy. Usage: node test/bench/traffic-routed.ts [N] (20).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startControlPlane, stopOnSignals } from '../control-plane/control-plane.ts';
import { sleep, startProcess, stopAll } from '../control-plane/processes.ts';

const run = promisify(execFile);
const n = Number(process.argv[2] ?? 20) || 20;
const STEPS = [{ setWeight: 25 }, { pause: { duration: 1 } }, { setWeight: 75 }, { pause: { duration: 1 } }];
const repo = join(import.meta.dirname, '..', '..');

function objects(namespace: string, image: string, routed: boolean): string {
  const items: object[] = [];
  for (let i = 0; i < n; i++) {
    const app = `bench-${i}`;
    if (routed) {
      for (const svc of [`${app}-canary`, `${app}-stable`])
        items.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: svc, namespace },
          spec: { selector: { app }, ports: [{ port: 80 }] },
        });
      items.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: app, namespace },
        spec: {
          rules: [
            {
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: `${app}-stable`, port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      });
    }
    const canary = routed
      ? {
          canaryService: `${app}-canary`,
          stableService: `${app}-stable`,
          trafficRouting: { nginx: { stableIngress: app } },
          scaleDownDelaySeconds: 1,
          steps: STEPS,
        }
      : { steps: STEPS };
    items.push({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: app, namespace },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image }] } },
        strategy: { canary },
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Writes (Create, Update, Patch) by resource from the request counter's exposition. */
function writesByKind(exposition: string, namespace: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    if (!line.startsWith('controller_clientset_k8s_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.namespace !== namespace || !['Create', 'Update', 'Patch'].includes(labels.verb ?? ''))
      continue;
    const kind = labels.kind ?? '?';
    out.set(kind, (out.get(kind) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

async function main(): Promise<void> {
  const cp = await startControlPlane({ reaper: true, log: () => undefined });
  stopOnSignals(cp);
  const env = { ...process.env, PATH: cp.path, KUBECONFIG: cp.kubeconfig };
  const k = async (...args: string[]) =>
    (await run('kubectl', args, { env, maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    await k('apply', '--server-side', '-f', join(repo, 'controller', 'manifests', 'crds'));
    while (
      !(
        await k(
          'get',
          'crd/rollouts.argoproj.io',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Established")].status}',
        )
      ).includes('True')
    )
      await sleep(200);
    const controller = startProcess(
      cp.runDir,
      'controller',
      process.execPath,
      [
        join(repo, 'controller', 'src', 'main.ts'),
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
    for (let i = 0; i < 100 && metricsPort === 0; i++) {
      await sleep(100);
      const line = readFileSync(controller.log, 'utf8')
        .split('\n')
        .find((l) => l.includes('"metrics"'));
      if (line) metricsPort = (JSON.parse(line) as { metrics: number }).metrics;
    }
    const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const healthy = async (namespace: string) =>
      (
        await k(
          'get',
          'rollouts',
          '-n',
          namespace,
          '-o',
          'jsonpath={range .items[*]}{.status.phase},{.status.observedGeneration},{.metadata.generation};{end}',
        )
      )
        .split(';')
        .filter((row) => {
          const [phase, observed, generation] = row.split(',');
          return phase === 'Healthy' && observed === generation;
        }).length;
    const results: { name: string; seconds: number; writes: Map<string, number> }[] = [];
    for (const [namespace, routed] of [
      ['basic', false],
      ['routed', true],
    ] as const) {
      await k('create', 'namespace', namespace);
      const file = join(cp.runDir, `${namespace}.json`);
      writeFileSync(file, objects(namespace, 'app:1', routed));
      await k('apply', '-f', file);
      while ((await healthy(namespace)) < n) await sleep(500);
      // The pauses are timed: promote nothing, just wait for every Rollout to finish the update.
      const before = writesByKind(await metrics(), namespace);
      writeFileSync(file, objects(namespace, 'app:2', routed));
      const started = performance.now();
      await k('apply', '-f', file);
      await sleep(1_000);
      while ((await healthy(namespace)) < n) await sleep(500);
      const seconds = (performance.now() - started) / 1000;
      // The previous stable ReplicaSets go to 0 after the 1 s delay: let that be counted too.
      await sleep(3_000);
      const after = writesByKind(await metrics(), namespace);
      const writes = new Map([...after].map(([kind, v]) => [kind, v - (before.get(kind) ?? 0)]));
      results.push({ name: routed ? 'NGINX-routed' : 'basic (baseline)', seconds, writes });
    }
    await stopAll([{ name: 'controller', pid: controller.pid }]);
    const perStep = (v: number) => (v / n / STEPS.length).toFixed(2);
    const baseline = [...(results[0]?.writes.values() ?? [])].reduce((a, b) => a + b, 0);
    for (const r of results) {
      const total = [...r.writes.values()].reduce((a, b) => a + b, 0);
      const kinds = [...r.writes]
        .filter(([, v]) => v > 0)
        .sort()
        .map(([kind, v]) => `${kind} ${perStep(v)}`)
        .join(', ');
      console.log(
        `traffic-routed N=${n} ${r.name}: all Healthy ${r.seconds.toFixed(1)} s after the update; ` +
          `${perStep(total)} API writes per Rollout per step (${kinds}); ` +
          `${(total / Math.max(1, baseline)).toFixed(2)}x the baseline's writes`,
      );
    }
  } finally {
    await cp.stop();
  }
}

await main();
