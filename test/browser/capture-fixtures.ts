// Regenerates the browser test's canary fixtures from real objects: starts the local control
// plane and the Rollout Kit controller from source, drives two canaries in namespace `shop`, and
// writes each Rollout with its ReplicaSets and Pods, as the API server returns them, to
// test/fixtures/rollouts/<name>.yaml:
//
//   canary-paused.yaml   `checkout` at its indefinite pause (step 2 of 5, 20%) after blue → yellow
//   canary-aborted.yaml  `payments` aborted at its first pause on its third revision (blue → yellow
//                        promoted in full, then yellow → green aborted)
//   bluegreen-preview.yaml  `storefront` (blue-green, auto-promotion off) paused with green in
//                        preview while blue stays active
//
//   node test/browser/capture-fixtures.ts [--out DIR] [--only NAME]
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { kubectl, startControlPlane, stopOnSignals } from '../control-plane/control-plane.ts';
import { sleep } from '../control-plane/processes.ts';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(import.meta.dirname, '..', 'fixtures', 'rollouts') },
    // One fixture only (its file name without .yaml), leaving the others as they are.
    only: { type: 'string' },
  },
});
const NAMESPACE = 'shop';
const say = (line: string) => console.log(`[capture] ${line}`);

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    uid: string;
    generation?: number;
    managedFields?: unknown;
    annotations?: Record<string, string>;
    ownerReferences?: { uid?: string }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & {
    phase?: string;
    currentStepIndex?: number;
    observedGeneration?: string;
    pauseConditions?: unknown[];
  };
}

function canary(name: string, image: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NAMESPACE, labels: { app: name } },
    spec: {
      replicas: 5,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }] }] },
      },
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { pause: {} },
            { setWeight: 50 },
            { pause: { duration: '30s' } },
            { setWeight: 80 },
          ],
        },
      },
    },
  };
}

function blueGreen(name: string, image: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NAMESPACE, labels: { app: name } },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }] }] },
      },
      strategy: {
        blueGreen: {
          activeService: `${name}-active`,
          previewService: `${name}-preview`,
          autoPromotionEnabled: false,
          scaleDownDelaySeconds: 30,
        },
      },
    },
  };
}

const service = (name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NAMESPACE },
  spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
});

const wanted = (file: string) => values.only === undefined || `${values.only}.yaml` === file;

const cp = await startControlPlane({ reaper: true });
stopOnSignals(cp);
process.env.KUBECONFIG = cp.kubeconfig;
process.env.PATH = cp.path;
process.env.ROLLOUT_KIT_RUN_DIR = cp.runDir;
const k = (...args: string[]) => kubectl(cp.path, cp.kubeconfig, args);
let controller: RunningController | undefined;

async function get(kind: string, name?: string): Promise<Obj[]> {
  const out = JSON.parse(
    await k('-n', NAMESPACE, 'get', kind, ...(name === undefined ? [] : [name]), '-o', 'json'),
  ) as Obj | { items: Obj[] };
  return 'items' in out ? out.items : [out];
}

async function rollout(name: string): Promise<Obj> {
  const [r] = await get('rollout', name);
  if (r === undefined) throw new Error(`Rollout ${name} not found`);
  return r;
}

async function until(name: string, what: string, check: (r: Obj) => boolean): Promise<Obj> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await rollout(name);
    if (check(r) && r.status?.observedGeneration === String(r.metadata.generation)) return r;
    if (Date.now() > deadline)
      throw new Error(`${name}: waited 90 s for ${what}; status ${JSON.stringify(r.status)}`);
    await sleep(250);
  }
}

/** `kubectl apply -f -` of one object. */
function kubectlApply(object: object): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = execFile(
      'kubectl',
      [`--kubeconfig=${cp.kubeconfig}`, 'apply', '-f', '-'],
      { env: { ...process.env, PATH: cp.path } },
      (err) => (err === null ? resolve() : reject(err)),
    );
    child.stdin?.end(JSON.stringify(object));
  });
}

const setImage = (name: string, image: string) =>
  k(
    '-n',
    NAMESPACE,
    'patch',
    'rollout',
    name,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }]),
  );
const statusPatch = (name: string, status: object) =>
  k(
    '-n',
    NAMESPACE,
    'patch',
    'rollout',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  );
const healthy = (r: Obj) => r.status?.phase === 'Healthy';
const pausedAt = (index: number) => (r: Obj) =>
  r.status?.phase === 'Paused' && r.status.currentStepIndex === index;

/** The Rollout, its ReplicaSets and their Pods, without managedFields, as one YAML stream. */
async function capture(name: string, file: string, about: string): Promise<void> {
  // Let the ReplicaSet and Pod statuses settle after the Rollout's last change.
  await sleep(2000);
  const r = await rollout(name);
  const sets = (await get('replicasets')).filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.uid === r.metadata.uid),
  );
  const setUids = new Set(sets.map((rs) => rs.metadata.uid));
  const pods = (await get('pods')).filter((p) =>
    p.metadata.ownerReferences?.some((o) => setUids.has(o.uid ?? '')),
  );
  const objects = [r, ...sets, ...pods].map((o) => {
    delete o.metadata.managedFields;
    // kubectl's own bookkeeping, not the controller's: left out to keep the fixtures readable.
    delete o.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    return o;
  });
  const header = [
    `# ${about}`,
    '# Captured from the Rollout Kit controller on the local control plane by',
    '# test/browser/capture-fixtures.ts; regenerate with `node test/browser/capture-fixtures.ts`.',
  ].join('\n');
  const body = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const path = join(values.out, file);
  // Formatted as the repository's Prettier check wants it.
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(`${header}\n${body}`, { ...options, filepath: path }));
  say(`${file}: Rollout ${name}, ${sets.length} ReplicaSets, ${pods.length} Pods`);
}

try {
  await applyCrds();
  await k('create', 'namespace', NAMESPACE);
  controller = await startController('capture');

  if (wanted('bluegreen-preview.yaml')) {
    say('storefront: blue-green, blue, then green in preview');
    await kubectlApply(service('storefront-active', 'storefront'));
    await kubectlApply(service('storefront-preview', 'storefront'));
    await kubectlApply(blueGreen('storefront', 'argoproj/rollouts-demo:blue'));
    await until('storefront', 'Healthy', healthy);
    await setImage('storefront', 'argoproj/rollouts-demo:green');
    await until('storefront', 'paused in preview', (r) => r.status?.phase === 'Paused');
    await capture(
      'storefront',
      'bluegreen-preview.yaml',
      'A blue-green Rollout paused in preview: green behind the preview Service, blue still active.',
    );
  }

  if (wanted('canary-paused.yaml')) await captureCheckout();
  if (wanted('canary-aborted.yaml')) await capturePayments();
  await controller.stop();
  await cp.stop();
} catch (err) {
  console.error(`[capture] failed: ${err instanceof Error ? err.message : String(err)}`);
  if (controller !== undefined) console.error(controller.tail());
  await cp.stop();
  process.exit(1);
}

async function captureCheckout(): Promise<void> {
  say('checkout: blue, then yellow, to the indefinite pause');
  await kubectlApply(canary('checkout', 'argoproj/rollouts-demo:blue'));
  await until('checkout', 'Healthy', healthy);
  await setImage('checkout', 'argoproj/rollouts-demo:yellow');
  await until('checkout', 'paused at step 2', pausedAt(1));
  await capture(
    'checkout',
    'canary-paused.yaml',
    'A canary paused at its indefinite pause: step 2 of 5, 20% canary.',
  );
}

async function capturePayments(): Promise<void> {
  say('payments: blue, yellow promoted in full, then green aborted at its first pause');
  await kubectlApply(canary('payments', 'argoproj/rollouts-demo:blue'));
  await until('payments', 'Healthy', healthy);
  await setImage('payments', 'argoproj/rollouts-demo:yellow');
  await until('payments', 'paused at step 2', pausedAt(1));
  await statusPatch('payments', { promoteFull: true });
  await until(
    'payments',
    'yellow Healthy',
    (r) => healthy(r) && r.status?.stableRS === r.status?.currentPodHash,
  );
  await setImage('payments', 'argoproj/rollouts-demo:green');
  await until('payments', 'green paused at step 2', pausedAt(1));
  await statusPatch('payments', { abort: true });
  await until('payments', 'Degraded after the abort', (r) => r.status?.phase === 'Degraded');
  await capture(
    'payments',
    'canary-aborted.yaml',
    'A canary aborted at its first pause on revision 3: Degraded, the canary scaled to 0.',
  );
}
