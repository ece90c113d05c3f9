// Several router objects on one Rollout, on the real control plane: NGINX stableIngresses (a
// canary Ingress per stable Ingress) and Istio virtualServices (every listed VirtualService gets
// the weights), each checked at every step; a second VirtualService deleted mid-rollout is named
// in the InvalidSpec condition.
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { replicaSetSizes, waitForRollout } from '../support/rollouts.ts';
import {
  applyObject,
  createServices,
  deleteObject,
  deployFirst,
  getObject,
  healthy,
  installTrafficCrds,
  pausedAt,
  pluginActualWeight,
  promote,
  recordedWeights,
  routedRollout,
  selectors,
  updateAndPause,
  waitForValue,
} from './traffic-support.ts';

const ns = namespacePerTest();
controllerPerFile('traffic-multiple');
beforeAll(installTrafficCrds);

const ingress = (name: string, host: string) => ({
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

interface Ingress {
  metadata: { annotations?: Record<string, string> };
  spec: { rules: { host?: string; http: { paths: { backend: { service: { name: string } } }[] } }[] };
}

/** The canary-weight annotation of each canary Ingress, in stableIngresses order. */
const canaryWeights = async () =>
  Promise.all(
    ['web-web-canary', 'web-api-canary'].map(
      async (name) =>
        (await getObject<Ingress>(ns.name, 'ingress', name))?.metadata.annotations?.[
          'nginx.ingress.kubernetes.io/canary-weight'
        ],
    ),
  );

test('NGINX stableIngresses: each stable Ingress gets its own canary Ingress and the weights', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, ingress('web', 'web.example'));
  await applyObject(ns.name, ingress('api', 'api.example'));
  const blue = await deployFirst(ns.name, routedRollout({ nginx: { stableIngresses: ['web', 'api'] } }));
  expect(await waitForValue('both canary Ingresses at 0', canaryWeights, ['0', '0'])).toBeTruthy();
  // Each canary Ingress copies the rules of its own stable Ingress.
  const api = await getObject<Ingress>(ns.name, 'ingress', 'web-api-canary');
  expect(api?.spec.rules.map((r) => [r.host, r.http.paths[0]?.backend.service.name])).toEqual([
    ['api.example', 'web-canary'],
  ]);

  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await canaryWeights()).toEqual(['25', '25']);
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });

  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await canaryWeights()).toEqual(['75', '75']);
  expect(await pluginActualWeight(ns.name)).toBe('75');

  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForValue('both canary Ingresses back at 0', canaryWeights, ['0', '0'])).toBeTruthy();
});

interface VirtualService {
  spec: { http: { name?: string; route?: { destination: { host: string }; weight?: number }[] }[] };
}

const virtualService = (name: string, route: string) => ({
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

/** "stable/canary" weights of the named route of each VirtualService. */
const vsWeights = async () =>
  Promise.all(
    [
      ['web', 'primary'],
      ['web-internal', 'internal'],
    ].map(async ([name, route]) => {
      const vs = await getObject<VirtualService>(ns.name, 'virtualservices.networking.istio.io', name ?? '');
      const dests = vs?.spec.http.find((r) => r.name === route)?.route ?? [];
      return dests.map((d) => d.weight).join('/');
    }),
  );

test('Istio virtualServices: every VirtualService carries the weights; a missing one is named', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, virtualService('web', 'primary'));
  await applyObject(ns.name, virtualService('web-internal', 'internal'));
  const blue = await deployFirst(
    ns.name,
    routedRollout({
      istio: {
        virtualServices: [
          { name: 'web', routes: ['primary'] },
          { name: 'web-internal', routes: ['internal'] },
        ],
      },
    }),
  );
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await vsWeights()).toEqual(['75/25', '75/25']);
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });

  // The second VirtualService goes away: InvalidSpec names it; the first keeps its weights.
  await deleteObject(ns.name, 'virtualservices.networking.istio.io', 'web-internal');
  await promote(ns.name);
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing second VirtualService',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') === true,
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message).toBe(
    'The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.istio.virtualServices.name: Invalid value: "web-internal": virtualservices.networking.istio.io "web-internal" not found',
  );
  expect((await vsWeights())[0]).toBe('75/25');
  expect((await replicaSetSizes(ns.name, 'web'))[yellow]).toEqual({ spec: 1, available: 1 });

  // Back (all traffic on stable, as first written): the rollout goes on and both move together.
  await applyObject(ns.name, virtualService('web-internal', 'internal'));
  await pausedAt(ns.name, 3);
  expect(await vsWeights()).toEqual(['25/75', '25/75']);

  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(await waitForValue('all traffic on stable in both', vsWeights, ['100/0', '100/0'])).toBeTruthy();
});
