// Shared parts of the traffic-routing integration tests: the router CRDs (test-owned schemas in
// test/fixtures/traffic-crds), Services, a routed 4-step Rollout, reading router objects, and
// walking the canary step by step with the official plugin.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Rollout, RolloutTrafficRouting } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import {
  webRollout,
  webTemplate,
  healthy,
  argoRollouts,
  createRollout,
  getRollout,
  patchRollout,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const crdDir = join(import.meta.dirname, '..', 'fixtures', 'traffic-crds');

/** Installs the router CRDs (idempotent) and waits until every one is Established. */
export async function installTrafficCrds(): Promise<void> {
  await run('kubectl', ['apply', '--server-side', '--force-conflicts', '-f', crdDir]);
  for (const crd of [
    'virtualservices.networking.istio.io',
    'destinationrules.networking.istio.io',
    'trafficsplits.split.smi-spec.io',
    'httproutes.gateway.networking.k8s.io',
    'grpcroutes.gateway.networking.k8s.io',
  ]) {
    await waitFor(`CRD ${crd} Established`, async () => {
      const { stdout } = await run('kubectl', [
        'get',
        `crd/${crd}`,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Established")].status}',
      ]);
      return stdout.includes('True');
    });
  }
}

/** `kubectl get` of any object as JSON, or undefined when it does not exist. */
export async function getObject<T = Record<string, unknown>>(
  namespace: string,
  resource: string,
  name: string,
): Promise<T | undefined> {
  try {
    const { stdout } = await run('kubectl', ['-n', namespace, 'get', resource, name, '-o', 'json']);
    return JSON.parse(stdout) as T;
  } catch (error) {
    if (String((error as { stderr?: string }).stderr).includes('NotFound')) return undefined;
    throw error;
  }
}

export async function applyObject(namespace: string, obj: object): Promise<void> {
  const child = execFile('kubectl', ['-n', namespace, 'apply', '-f', '-']);
  const done = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exited ${code}`)))),
  );
  child.stdin?.end(JSON.stringify(obj));
  await done;
}

export async function deleteObject(namespace: string, resource: string, name: string): Promise<void> {
  await run('kubectl', ['-n', namespace, 'delete', resource, name, '--wait=true']);
}

export async function createServices(namespace: string, names = ['web-canary', 'web-stable']): Promise<void> {
  for (const name of names) {
    await kube().core.createNamespacedService({
      namespace,
      body: {
        metadata: { name },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
  }
}

/** The hash each Service selects. */
export async function selectors(namespace: string): Promise<{ canary?: string; stable?: string }> {
  const hash = async (name: string) =>
    (await kube().core.readNamespacedService({ namespace, name })).spec?.selector?.[
      'rollouts-pod-template-hash'
    ];
  return { canary: await hash('web-canary'), stable: await hash('web-stable') };
}

export const template = webTemplate;

type Canary = NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>;

export const FOUR_STEPS: Canary['steps'] = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 75 },
  { pause: {} },
];

export function routedRollout(trafficRouting: RolloutTrafficRouting, canary: Partial<Canary> = {}): Rollout {
  return webRollout('argoproj/rollouts-demo:blue', {
    replicas: 4,
    strategy: {
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting,
        steps: FOUR_STEPS,
        ...canary,
      },
    },
  });
}

export { healthy };

/** Waits, after the last promote, for the Rollout to be Healthy with `hash` as its stable. */
export async function healthyOn(
  namespace: string,
  hash: string,
  what = 'Healthy on yellow',
): Promise<Rollout> {
  return waitForRollout(namespace, 'web', what, (r) => healthy(r) && r.status?.stableRS === hash);
}

/** Creates the Rollout and waits for the first version to be Healthy; returns its hash. */
export async function deployFirst(namespace: string, rollout: Rollout): Promise<string> {
  await createRollout(namespace, rollout);
  const first = await waitForRollout(namespace, 'web', 'the initial deploy is Healthy', healthy);
  return first.status?.stableRS ?? '';
}

/** Waits for the InvalidSpec condition to be True; returns the Rollout and the condition's message. */
export async function waitForInvalidSpec(namespace: string, what: string) {
  const invalidSpec = (r: Rollout) => r.status?.conditions?.find((c) => c.type === 'InvalidSpec');
  const rollout = await waitForRollout(namespace, 'web', what, (r) => invalidSpec(r)?.status === 'True');
  return { rollout, message: invalidSpec(rollout)?.message };
}

/** Starts an update to the yellow image and returns the Rollout paused at `step`. */
export async function updateAndPause(namespace: string, step: number): Promise<Rollout> {
  await patchRollout(namespace, 'web', { spec: { template: template('argoproj/rollouts-demo:yellow') } });
  return pausedAt(namespace, step);
}

export async function pausedAt(namespace: string, step: number): Promise<Rollout> {
  return waitForRollout(
    namespace,
    'web',
    `paused at step ${step}`,
    (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === step,
    90_000,
  );
}

export async function promote(namespace: string, ...flags: string[]): Promise<void> {
  await argoRollouts(namespace, 'promote', 'web', ...flags);
}

/** status.canary.weights as [canary, stable] weights and hashes. */
export async function recordedWeights(namespace: string) {
  const w = (await getRollout(namespace, 'web')).status?.canary?.weights;
  return (
    w && {
      canary: [w.canary.weight, w.canary.podTemplateHash],
      stable: [w.stable.weight, w.stable.podTemplateHash],
    }
  );
}

/** The weight the official plugin shows as ActualWeight in `get rollout`. */
export async function pluginActualWeight(namespace: string): Promise<string | undefined> {
  const out = await argoRollouts(namespace, 'get', 'rollout', 'web');
  return /ActualWeight:\s*(\d+)/.exec(out)?.[1];
}

/** Waits until `read` returns `want` (compared as JSON), reporting the last value on timeout. */
export async function waitForValue<T>(
  what: string,
  read: () => Promise<T>,
  want: T,
  timeoutMs = 30_000,
): Promise<T> {
  return waitFor(
    what,
    async () => {
      const value = await read();
      return JSON.stringify(value) === JSON.stringify(want) ? value : undefined;
    },
    { timeoutMs, observe: read },
  );
}

/** Waits for Events of `reason` on the Rollout and returns their messages. */
export async function waitForEvents(namespace: string, name: string, reason: string): Promise<string[]> {
  const messages = async () => {
    const list = await kube().core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${name},reason=${reason}`,
    });
    return list.items.map((e) => e.message ?? '');
  };
  return waitFor(`${reason} Events on ${namespace}/${name}`, async () => {
    const found = await messages();
    return found.length > 0 ? found : undefined;
  });
}

/** An NGINX stable Ingress: `host` (all paths) sent to the stable Service. */
export const nginxIngress = (name: string, host: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
  spec: {
    rules: [
      {
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'web-stable', port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
});

/** The parts of an Ingress the tests read. */
export interface Ingress {
  metadata: { annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec: { rules: { host?: string; http: { paths: { backend: { service: { name: string } } }[] } }[] };
}

/** The canary-weight annotation of an NGINX canary Ingress (undefined until it exists). */
export async function nginxCanaryWeight(namespace: string, name: string): Promise<string | undefined> {
  return (await getObject<Ingress>(namespace, 'ingress', name))?.metadata.annotations?.[
    'nginx.ingress.kubernetes.io/canary-weight'
  ];
}

/** A host-level VirtualService `<name>.example` whose route `route` sends all traffic to stable. */
export const virtualService = (name: string, route: string) => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'VirtualService',
  metadata: { name },
  spec: {
    hosts: [`${name}.example`],
    http: [
      {
        name: route,
        route: [
          { destination: { host: 'web-stable', port: { number: 80 } }, weight: 100 },
          { destination: { host: 'web-canary', port: { number: 80 } }, weight: 0 },
        ],
      },
    ],
  },
});

/** The parts of a VirtualService HTTP route the tests read. */
export interface VirtualServiceRoute {
  name?: string;
  match?: unknown[];
  route?: { destination: { host: string; subset?: string }; weight?: number }[];
  mirror?: { host: string };
  mirrorPercentage?: { value: number };
}
export type VirtualService = { spec: { http: VirtualServiceRoute[] } };
