// An experiment step with a weighted template under Istio, on the real control plane: the
// template gets its own Service (owned by the Experiment, selecting the template's pods), the
// VirtualService route carries it as an extra destination while the Experiment runs and loses it
// when the Experiment ends, status.canary.weights.additional records it, the Service goes with the
// template's ReplicaSet, the Experiment records upstream's Events and Progressing condition, and
// the official plugin's `get experiment` shows it.
import type { Experiment, Rollout } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  argoRollouts,
  getRollout,
  patchRollout,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  applyObject,
  createServices,
  deployFirst,
  getObject,
  installTrafficCrds,
  pausedAt,
  routedRollout,
  waitForValue,
} from './traffic-support.ts';

const ns = namespacePerTest();
controllerPerFile('experiment-traffic');
beforeAll(installTrafficCrds);

interface Route {
  name?: string;
  route?: { destination: { host: string }; weight?: number }[];
}
type VirtualService = { spec: { http: Route[] } };

const virtualService = {
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'VirtualService',
  metadata: { name: 'web' },
  spec: {
    hosts: ['web.example'],
    http: [
      {
        name: 'primary',
        route: [
          { destination: { host: 'web-stable', port: { number: 80 } }, weight: 100 },
          { destination: { host: 'web-canary', port: { number: 80 } }, weight: 0 },
        ],
      },
    ],
  },
};

/** A pod template with a container port: the template Service gets one port from it. */
const podTemplate = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080 }] }] },
});

function rollout(): Rollout {
  const r = routedRollout(
    { istio: { virtualService: { name: 'web', routes: ['primary'] } } },
    {
      steps: [
        { setWeight: 25 },
        {
          experiment: {
            duration: '15s',
            templates: [{ name: 'preview', specRef: 'canary', replicas: 1, weight: 10 }],
          },
        },
        { pause: {} },
      ],
    },
  );
  r.spec.template = podTemplate('argoproj/rollouts-demo:blue');
  return r;
}

/** The route's destinations as "host=weight". */
async function routeWeights(): Promise<string[] | undefined> {
  const vs = await getObject<VirtualService>(ns.name, 'virtualservices.networking.istio.io', 'web');
  return vs?.spec.http
    .find((r) => r.name === 'primary')
    ?.route?.map((d) => `${d.destination.host}=${d.weight}`);
}

async function getExperiment(name: string): Promise<Experiment> {
  return (await kube().custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'experiments',
    name,
  })) as Experiment;
}

const serviceOrNothing = (name: string) =>
  kube()
    .core.readNamespacedService({ namespace: ns.name, name })
    .catch(() => undefined);

test('a weighted experiment template gets a Service and Istio traffic while the Experiment runs', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, virtualService);
  await deployFirst(ns.name, rollout());
  await patchRollout(ns.name, 'web', { spec: { template: podTemplate('argoproj/rollouts-demo:yellow') } });
  const during = await waitForRollout(ns.name, 'web', 'the experiment step has its Experiment', (r) =>
    Boolean(r.status?.canary?.currentExperiment),
  );
  const yellow = during.status!.currentPodHash!;
  const name = during.status!.canary!.currentExperiment!;
  const serviceName = `${name}-preview`;

  // While it runs: the template's Service, the route's extra destination and the recorded weights.
  const running = await waitFor(
    `Experiment ${name} Running with its Service`,
    async () => {
      const e = await getExperiment(name).catch(() => undefined);
      return e?.status?.phase === 'Running' && e.status.templateStatuses?.[0]?.serviceName ? e : undefined;
    },
    { timeoutMs: 60_000, observe: async () => (await getExperiment(name).catch(() => undefined))?.status },
  );
  const templateStatus = running.status!.templateStatuses![0]!;
  expect(templateStatus.serviceName).toBe(serviceName);
  const svc = await kube().core.readNamespacedService({ namespace: ns.name, name: serviceName });
  expect(svc.spec?.selector).toEqual({
    app: 'web',
    'rollouts-pod-template-hash': templateStatus.podTemplateHash,
  });
  expect(svc.spec?.ports?.map((p) => [p.name, p.port, p.targetPort])).toEqual([['http', 8080, 8080]]);
  expect(svc.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.controller])).toEqual([
    ['Experiment', name, true],
  ]);
  expect(
    await waitForValue('the route carries the experiment destination', routeWeights, [
      'web-stable=65',
      'web-canary=25',
      `${serviceName}=10`,
    ]),
  ).toBeTruthy();
  const weights = (await getRollout(ns.name, 'web')).status?.canary?.weights;
  expect(weights).toMatchObject({
    canary: { weight: 25, podTemplateHash: yellow },
    stable: { weight: 65 },
    additional: [{ weight: 10, serviceName, podTemplateHash: templateStatus.podTemplateHash }],
  });
  expect(running.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True' });

  // The official plugin reads the Experiment, its ReplicaSet and pods.
  const shown = await argoRollouts(ns.name, 'get', 'experiment', name, '--no-color');
  expect(shown).toMatch(new RegExp(`Name:\\s+${name}`));
  expect(shown).toMatch(/Status:\s+◌ Running/);
  expect(shown).toMatch(new RegExp(`${name}-preview\\s+ReplicaSet`));

  // After the duration: the step completes, the destination leaves the route and the status.
  await pausedAt(ns.name, 2);
  expect(
    await waitForValue('the route is back to canary and stable', routeWeights, [
      'web-stable=75',
      'web-canary=25',
    ]),
  ).toBeTruthy();
  const after = (await getRollout(ns.name, 'web')).status?.canary?.weights;
  expect(after?.additional).toBeUndefined();
  expect(after).toMatchObject({ canary: { weight: 25 }, stable: { weight: 75 } });
  const done = await getExperiment(name);
  expect(done.status?.phase).toBe('Successful');
  expect(done.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
    status: 'False',
    reason: 'ExperimentCompleted',
  });
  await waitForEventReasons(ns.name, name, [
    'TemplateProgressing',
    'ExperimentPending',
    'TemplateRunning',
    'ExperimentRunning',
    'TemplateSuccessful',
    'ExperimentSuccessful',
  ]);
  // The Service goes with the template's ReplicaSet (scaleDownDelaySeconds, 30 s by default).
  await waitFor(
    `Service ${serviceName} deleted`,
    async () => ((await serviceOrNothing(serviceName)) ? undefined : true),
    {
      timeoutMs: 90_000,
    },
  );
  const shownAfter = await argoRollouts(ns.name, 'get', 'experiment', name, '--no-color');
  expect(shownAfter).toMatch(/Status:\s+✔ Successful/);
});

test('a template weight with a router that cannot take it is InvalidSpec, as upstream', async () => {
  await createServices(ns.name);
  const r = rollout();
  r.spec.strategy!.canary!.trafficRouting = { nginx: { stableIngress: 'web' } };
  await kube().custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'rollouts',
    body: r,
  });
  const invalid = await waitForRollout(ns.name, 'web', 'InvalidSpec', (x) =>
    Boolean(x.status?.conditions?.some((c) => c.type === 'InvalidSpec')),
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message).toContain(
    'Experiment template weight is only available for TrafficRouting with SMI, ALB, and Istio at this time',
  );
});
