// The install manifests' RBAC is enough, and no more is assumed: the shipped bundle runs as the
// ServiceAccount of controller/manifests/install with a token minted for it, cluster-wide and
// (with the namespaced variant's Role) --namespaced, and takes a canary to Healthy with leader
// election on. Without one rule, the refusal is reported on the Rollout and in the log while the
// process keeps running, and granting the rule again lets the rollout finish.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { applyCrds } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { createRollout, patchRollout, waitForRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import { applyObject, getObject, installTrafficCrds } from './traffic-support.ts';
import {
  canaryRollout,
  controllerPorts,
  healthy,
  launchController,
  newInstanceId,
  repo,
  setImage,
  writeKubeconfig,
  type ControllerProcess,
} from './controller-process.ts';

const run = promisify(execFile);
const ns = namespacePerTest();
const manifests = join(repo, 'controller', 'manifests');
const LEASE = 'argo-rollouts-controller-lock';
let tmp: string;
let bundle: string;
let controller: ControllerProcess | undefined;

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
  subjects?: { kind: string; name: string; namespace: string }[];
  roleRef?: { name: string };
}

function manifestsOf(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(manifests, file), 'utf8')).map((d) => d.toJS() as Manifest);
}

async function apply(objects: Manifest[], name: string): Promise<void> {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  await run('kubectl', ['apply', '-f', file]);
}

/** Lets the Lease rules of a Role also cover the Lease of `instanceId` (as the manifest says to). */
function allowInstanceLease(objects: Manifest[], instanceId: string): Manifest[] {
  for (const o of objects)
    for (const rule of o.rules ?? []) rule.resourceNames?.push(`${LEASE}-${instanceId}`);
  return objects;
}

async function tokenFor(namespace: string, serviceAccount: string): Promise<string> {
  const { stdout } = await run('kubectl', [
    'create',
    'token',
    serviceAccount,
    '-n',
    namespace,
    '--duration=1h',
  ]);
  return stdout.trim();
}

async function leaseHolder(namespace: string, name: string): Promise<string | undefined> {
  const lease = await kube()
    .objects.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace } })
    .catch(() => undefined);
  return (lease as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;
}

beforeAll(async () => {
  await applyCrds();
  tmp = mkdtempSync(join(tmpdir(), 'controller-rbac-'));
  // The artifact the image ships, built as `npm run build` does.
  bundle = join(tmp, 'controller.mjs');
  await run(process.execPath, [join(repo, 'controller', 'tools', 'build.ts'), `--outfile=${bundle}`]);
  await run('kubectl', ['apply', '-f', join(manifests, 'install', 'namespace.yaml')]);
  await run('kubectl', ['apply', '-f', join(manifests, 'install', 'service-account.yaml')]);
}, 120_000);
afterEach(async () => {
  const state = expect.getState();
  if (controller && state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`controller log:\n${controller.tail()}\n`);
  await controller?.stop();
  controller = undefined;
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the shipped bundle answers --help', async () => {
  const { stdout } = await run(process.execPath, [bundle, '--help']);
  expect(stdout).toMatch(/^Usage: rollouts-controller/m);
  expect(stdout).toContain('--instance-id');
});

test('both installs (kustomize) pass the API server validation', async () => {
  const dryRun = async (dir: string) => {
    const { stdout } = await run('kubectl', ['apply', '--server-side', '--dry-run=server', '-k', dir]);
    return stdout;
  };
  const cluster = await dryRun(manifests);
  for (const object of [
    'customresourcedefinition.apiextensions.k8s.io/rollouts.argoproj.io',
    'clusterrole.rbac.authorization.k8s.io/argo-rollouts',
    'role.rbac.authorization.k8s.io/argo-rollouts-leader-election',
    'deployment.apps/argo-rollouts',
    'service/argo-rollouts-metrics',
  ])
    expect(cluster).toContain(object);
  // The namespaced variant is a component on top of the cluster-wide install.
  const overlay = mkdtempSync(join(tmp, 'overlay-'));
  writeFileSync(
    join(overlay, 'kustomization.yaml'),
    stringify({
      resources: [relative(overlay, manifests)],
      components: [relative(overlay, join(manifests, 'namespaced'))],
    }),
  );
  const namespaced = await dryRun(overlay);
  expect(namespaced).toContain('role.rbac.authorization.k8s.io/argo-rollouts ');
  expect(namespaced).not.toContain('clusterrole');
  const { stdout: rendered } = await run('kubectl', ['kustomize', overlay]);
  expect(rendered).toContain('- --namespaced');
});

test('the cluster-wide RBAC of the install is enough for a canary, with leader election', async () => {
  const instanceId = newInstanceId('rbac');
  await apply(
    allowInstanceLease(manifestsOf('install/cluster-rbac.yaml'), instanceId),
    `cluster-${instanceId}`,
  );
  const kubeconfig = writeKubeconfig(join(tmp, `sa-${instanceId}`), {
    token: await tokenFor('argo-rollouts', 'argo-rollouts'),
  });
  controller = launchController(`rbac-${instanceId}`, {
    entry: bundle,
    kubeconfig,
    args: [`--instance-id=${instanceId}`, '--leader-elect=true'],
    env: { POD_NAMESPACE: 'argo-rollouts' },
  });
  await createRollout(
    ns.name,
    canaryRollout({ name: 'web', instanceId, image: 'argoproj/rollouts-demo:blue' }),
  );
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new revision',
    (r) => healthy(r) && r.status?.stableRS !== first.status?.stableRS,
  );
  expect(await leaseHolder('argo-rollouts', `${LEASE}-${instanceId}`)).toMatch(/.+/);
  const refused = controller.lines().filter((l) => /forbidden/i.test(JSON.stringify(l)));
  expect(refused).toEqual([]);

  // A graceful stop releases the Lease and exits 0.
  controller.kill('SIGTERM');
  expect(await controller.exited).toBe(0);
  expect(await leaseHolder('argo-rollouts', `${LEASE}-${instanceId}`)).toBeFalsy();
});

test('the namespaced Role is enough for a --namespaced controller', async () => {
  const instanceId = newInstanceId('ns-rbac');
  // The namespaced variant, moved to the test's namespace as kustomize's `namespace:` would.
  const objects = allowInstanceLease(manifestsOf('namespaced/namespaced-rbac.yaml'), instanceId);
  for (const o of objects) {
    o.metadata.namespace = ns.name;
    for (const s of o.subjects ?? []) s.namespace = ns.name;
  }
  await apply(objects, `namespaced-${instanceId}`);
  await kube().core.createNamespacedServiceAccount({
    namespace: ns.name,
    body: { metadata: { name: 'argo-rollouts' } },
  });
  const kubeconfig = writeKubeconfig(join(tmp, `ns-${instanceId}`), {
    token: await tokenFor(ns.name, 'argo-rollouts'),
    namespace: ns.name,
  });
  controller = launchController(`ns-rbac-${instanceId}`, {
    kubeconfig,
    args: [`--instance-id=${instanceId}`, '--namespaced', '--leader-elect=true'],
    env: { POD_NAMESPACE: ns.name },
  });
  await createRollout(
    ns.name,
    canaryRollout({ name: 'web', instanceId, image: 'argoproj/rollouts-demo:blue' }),
  );
  await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  expect(await leaseHolder(ns.name, `${LEASE}-${instanceId}`)).toMatch(/.+/);
  expect(controller.lines().filter((l) => /forbidden/i.test(JSON.stringify(l)))).toEqual([]);
});

const TRAFFIC_GROUPS = [
  'networking.k8s.io',
  'networking.istio.io',
  'split.smi-spec.io',
  'gateway.networking.k8s.io',
];

test('the traffic routing rules are the same cluster-wide and namespaced, and only the verbs used', () => {
  const trafficRules = (file: string) =>
    (
      manifestsOf(file).find((o) => o.kind.endsWith('Role') && o.metadata.name === 'argo-rollouts')?.rules ??
      []
    ).filter((r) => r.apiGroups.some((g) => TRAFFIC_GROUPS.includes(g)));
  const cluster = trafficRules('install/cluster-rbac.yaml');
  expect(cluster).toEqual([
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'create', 'update'] },
    {
      apiGroups: ['networking.istio.io'],
      resources: ['virtualservices', 'destinationrules'],
      verbs: ['get', 'update'],
    },
    { apiGroups: ['split.smi-spec.io'], resources: ['trafficsplits'], verbs: ['get', 'create', 'update'] },
    {
      apiGroups: ['gateway.networking.k8s.io'],
      resources: ['httproutes', 'grpcroutes'],
      verbs: ['get', 'update'],
    },
  ]);
  expect(trafficRules('namespaced/namespaced-rbac.yaml')).toEqual(cluster);
});

test('the Service rules: selectors patched for Rollouts, template Services created and deleted for Experiments', () => {
  const serviceRules = (file: string) =>
    (
      manifestsOf(file).find((o) => o.kind.endsWith('Role') && o.metadata.name === 'argo-rollouts')?.rules ??
      []
    ).filter((r) => r.apiGroups.includes('') && r.resources.includes('services'));
  const cluster = serviceRules('install/cluster-rbac.yaml');
  expect(cluster).toEqual([
    {
      apiGroups: [''],
      resources: ['services'],
      verbs: ['get', 'list', 'watch', 'patch', 'create', 'delete'],
    },
  ]);
  expect(serviceRules('namespaced/namespaced-rbac.yaml')).toEqual(cluster);
});

test('the namespaced Role is enough for every traffic router at once', async () => {
  await installTrafficCrds();
  const instanceId = newInstanceId('traffic-rbac');
  const objects = allowInstanceLease(manifestsOf('namespaced/namespaced-rbac.yaml'), instanceId);
  for (const o of objects) {
    o.metadata.namespace = ns.name;
    for (const s of o.subjects ?? []) s.namespace = ns.name;
  }
  await apply(objects, `traffic-${instanceId}`);
  await kube().core.createNamespacedServiceAccount({
    namespace: ns.name,
    body: { metadata: { name: 'argo-rollouts' } },
  });
  for (const name of ['web-canary', 'web-stable'])
    await kube().core.createNamespacedService({
      namespace: ns.name,
      body: { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    });
  const backends = [
    { name: 'web-stable', port: 80, weight: 100 },
    { name: 'web-canary', port: 80, weight: 0 },
  ];
  await applyObject(ns.name, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [
        {
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
  await applyObject(ns.name, {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name: 'web' },
    spec: { http: [{ route: backends.map((b) => ({ destination: { host: b.name }, weight: b.weight })) }] },
  });
  for (const kind of ['HTTPRoute', 'GRPCRoute'])
    await applyObject(ns.name, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind,
      metadata: { name: 'web' },
      spec: { rules: [{ backendRefs: backends }] },
    });
  const kubeconfig = writeKubeconfig(join(tmp, `traffic-${instanceId}`), {
    token: await tokenFor(ns.name, 'argo-rollouts'),
    namespace: ns.name,
  });
  controller = launchController(`traffic-rbac-${instanceId}`, {
    kubeconfig,
    args: [`--instance-id=${instanceId}`, '--namespaced', '--leader-elect=true'],
    env: { POD_NAMESPACE: ns.name },
  });
  const rollout = canaryRollout({ name: 'web', instanceId, image: 'argoproj/rollouts-demo:blue' });
  rollout.spec.strategy = {
    canary: {
      canaryService: 'web-canary',
      stableService: 'web-stable',
      trafficRouting: {
        nginx: { stableIngress: 'web' },
        istio: { virtualService: { name: 'web' } },
        smi: {},
        plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', grpcRoute: 'web' } },
      },
      steps: [{ setWeight: 50 }, { pause: { duration: '1s' } }],
    },
  };
  await createRollout(ns.name, rollout);
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new revision',
    (r) => healthy(r) && r.status?.stableRS !== first.status?.stableRS,
    90_000,
  );
  expect(controller.lines().filter((l) => /forbidden/i.test(JSON.stringify(l)))).toEqual([]);
  // Every router was written: the objects the controller creates exist, the edited ones changed.
  expect(await getObject(ns.name, 'ingress', 'web-web-canary')).toBeDefined();
  expect(await getObject(ns.name, 'trafficsplits.split.smi-spec.io', 'web')).toBeDefined();
  for (const resource of [
    'virtualservices.networking.istio.io',
    'httproutes.gateway.networking.k8s.io',
    'grpcroutes.gateway.networking.k8s.io',
  ]) {
    const obj = await getObject<{ metadata: { generation: number } }>(ns.name, resource, 'web');
    expect([resource, (obj?.metadata.generation ?? 0) > 1]).toEqual([resource, true]);
  }
});

test('a missing rule is reported on the Rollout and in the log, and the process keeps running', async () => {
  const instanceId = newInstanceId('broken');
  const name = `rk-test-${instanceId}`;
  const [role, binding] = manifestsOf('install/cluster-rbac.yaml');
  if (!role?.rules || !binding) throw new Error('cluster-rbac.yaml lost its ClusterRole or binding');
  const withoutCreate = structuredClone(role);
  const rsRule = withoutCreate.rules?.find((r) => r.resources.includes('replicasets'));
  if (!rsRule) throw new Error('the ClusterRole has no ReplicaSet rule');
  rsRule.verbs = rsRule.verbs.filter((v) => v !== 'create');
  withoutCreate.metadata = { name };
  await kube().core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name } } });
  const brokenBinding = {
    ...binding,
    metadata: { name },
    roleRef: { ...binding.roleRef, name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns.name }],
  } as Manifest;
  await apply([withoutCreate, brokenBinding], name);
  try {
    const kubeconfig = writeKubeconfig(join(tmp, name), { token: await tokenFor(ns.name, name) });
    controller = launchController(name, {
      kubeconfig,
      args: [`--instance-id=${instanceId}`, '--leader-elect=false'],
    });
    await createRollout(
      ns.name,
      canaryRollout({ name: 'web', instanceId, image: 'argoproj/rollouts-demo:blue' }),
    );

    const warning = await waitFor('a Warning Event about the refused ReplicaSet', async () => {
      const events = await kube().core.listNamespacedEvent({
        namespace: ns.name,
        fieldSelector: 'involvedObject.name=web,type=Warning',
      });
      return events.items.find((e) => e.reason === 'ReconcileError');
    });
    expect(warning.message).toMatch(/creating ReplicaSet .*forbidden/i);
    expect(warning.involvedObject.kind).toBe('Rollout');
    const logged = controller
      .lines()
      .find((l) => l.msg === 'reconcile forbidden; check the RBAC of the controller');
    expect(logged).toMatchObject({ level: 'error', rollout: `${ns.name}/web` });
    expect(controller.alive()).toBe(true);
    const { healthz } = await controllerPorts(controller);
    expect((await fetch(`http://127.0.0.1:${healthz}/healthz`)).status).toBe(200);

    // Granting the rule back is all it takes: the next attempt creates the ReplicaSet.
    await apply([role.rules ? { ...role, metadata: { name } } : role], `${name}-fixed`);
    await patchRollout(ns.name, 'web', { metadata: { annotations: { 'rollout-kit.test/nudge': '1' } } });
    await waitForRollout(ns.name, 'web', 'Healthy once the rule is granted', healthy, 90_000);
    expect(controller.alive()).toBe(true);
  } finally {
    await run('kubectl', ['delete', 'clusterrole,clusterrolebinding', name, '--ignore-not-found']);
  }
});
