// Istio traffic routing on the real control plane (VirtualService and DestinationRule CRDs with
// test-owned schemas): host-level weights on a named route at every step, subset-level with the
// DestinationRule subsets carrying the hashes, header and mirror routes added and removed by
// their steps, abort, and a VirtualService deleted mid-rollout.
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import {
  argoRollouts,
  getRollout,
  replicaSetSizes,
  waitForEventReasons,
  waitForRollout,
} from '../support/rollouts.ts';
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
controllerPerFile('traffic-istio');
beforeAll(installTrafficCrds);

interface Route {
  name?: string;
  match?: unknown[];
  route?: { destination: { host: string; subset?: string }; weight?: number }[];
  mirror?: { host: string };
  mirrorPercentage?: { value: number };
}
type VirtualService = { spec: { http: Route[] } };

const hostLevelVs = {
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

const vs = () => getObject<VirtualService>(ns.name, 'virtualservices.networking.istio.io', 'web');
/** The weights of the named route as "destination=weight". */
async function routeWeights(name = 'primary') {
  const route = (await vs())?.spec.http.find((r) => r.name === name);
  return route?.route?.map((d) => `${d.destination.subset ?? d.destination.host}=${d.weight}`);
}
const routeNames = async () => (await vs())?.spec.http.map((r) => r.name);

test('host-level: the named route carries the weight of every step', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, hostLevelVs);
  const blue = await deployFirst(
    ns.name,
    routedRollout({ istio: { virtualService: { name: 'web', routes: ['primary'] } } }),
  );
  expect(
    await waitForValue('all traffic on stable', routeWeights, ['web-stable=100', 'web-canary=0']),
  ).toBeTruthy();

  const step1 = await updateAndPause(ns.name, 1);
  const yellow = step1.status!.currentPodHash!;
  expect(await routeWeights()).toEqual(['web-stable=75', 'web-canary=25']);
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('25');

  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await routeWeights()).toEqual(['web-stable=25', 'web-canary=75']);
  expect(await recordedWeights(ns.name)).toEqual({ canary: [75, yellow], stable: [25, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('75');

  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(
    await waitForValue('all traffic on stable (now yellow)', routeWeights, [
      'web-stable=100',
      'web-canary=0',
    ]),
  ).toBeTruthy();
  expect(
    await waitForValue('both Services on yellow', () => selectors(ns.name), {
      canary: yellow,
      stable: yellow,
    }),
  ).toBeTruthy();
  await waitForEventReasons(ns.name, 'web', ['Updated VirtualService', 'TrafficWeightUpdated']);
});

test('subset-level: DestinationRule subsets follow the hashes; weights go by subset', async () => {
  await createServices(ns.name, ['web']);
  await applyObject(ns.name, {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'DestinationRule',
    metadata: { name: 'web' },
    spec: {
      host: 'web',
      subsets: [
        { name: 'stable', labels: { app: 'web' } },
        { name: 'canary', labels: { app: 'web' } },
      ],
    },
  });
  await applyObject(ns.name, {
    ...hostLevelVs,
    spec: {
      hosts: ['web'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'web', subset: 'stable' }, weight: 100 },
            { destination: { host: 'web', subset: 'canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
  const rollout = routedRollout({
    istio: {
      virtualService: { name: 'web', routes: ['primary'] },
      destinationRule: { name: 'web', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    },
  });
  delete rollout.spec.strategy!.canary!.canaryService;
  delete rollout.spec.strategy!.canary!.stableService;
  const blue = await deployFirst(ns.name, rollout);
  const subsets = async () =>
    (
      await getObject<{
        metadata: { annotations?: Record<string, string> };
        spec: { subsets: { name: string; labels: Record<string, string> }[] };
      }>(ns.name, 'destinationrules.networking.istio.io', 'web')
    )?.spec.subsets.map((s) => `${s.name}=${s.labels['rollouts-pod-template-hash']}`);
  expect(
    await waitForValue('both subsets on blue', subsets, [`stable=${blue}`, `canary=${blue}`]),
  ).toBeTruthy();

  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await subsets()).toEqual([`stable=${blue}`, `canary=${yellow}`]);
  expect(await routeWeights()).toEqual(['stable=75', 'canary=25']);
  const dr = await getObject<{ metadata: { annotations?: Record<string, string> } }>(
    ns.name,
    'destinationrules.networking.istio.io',
    'web',
  );
  expect(dr?.metadata.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts']).toBe('web');

  await promote(ns.name, '--full');
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on yellow',
    (r) => healthy(r) && r.status?.stableRS === yellow,
  );
  expect(
    await waitForValue('both subsets on yellow', subsets, [`stable=${yellow}`, `canary=${yellow}`]),
  ).toBeTruthy();
  expect(await waitForValue('stable weight 100', routeWeights, ['stable=100', 'canary=0'])).toBeTruthy();
});

test('header and mirror routes are added by their steps and removed on abort', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, hostLevelVs);
  await deployFirst(
    ns.name,
    routedRollout(
      {
        istio: { virtualService: { name: 'web', routes: ['primary'] } },
        managedRoutes: [{ name: 'mirror' }, { name: 'header' }],
      },
      {
        steps: [
          { setWeight: 20 },
          {
            setHeaderRoute: {
              name: 'header',
              match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }],
            },
          },
          { setMirrorRoute: { name: 'mirror', match: [{ method: { exact: 'GET' } }], percentage: 35 } },
          { pause: {} },
          { setHeaderRoute: { name: 'header' } },
          { pause: {} },
        ],
      },
    ),
  );
  await updateAndPause(ns.name, 3);
  expect(await routeNames()).toEqual(['mirror', 'header', 'primary']);
  const routes = (await vs())!.spec.http;
  expect(routes[1]).toEqual({
    name: 'header',
    match: [{ headers: { 'x-canary': { exact: 'yes' } } }],
    route: [{ destination: { host: 'web-canary', port: { number: 80 } }, weight: 100 }],
  });
  expect(routes[0]?.mirror).toEqual({ host: 'web-canary', port: { number: 80 } });
  expect(routes[0]?.mirrorPercentage).toEqual({ value: 35 });
  expect(routes[0]?.route?.map((d) => d.weight)).toEqual([80, 20]);

  // A setHeaderRoute without match removes the route; the mirror stays.
  await promote(ns.name);
  await pausedAt(ns.name, 5);
  expect(await routeNames()).toEqual(['mirror', 'primary']);

  await argoRollouts(ns.name, 'abort', 'web');
  expect(await waitForValue('managed routes removed on abort', routeNames, ['primary'])).toBeTruthy();
  expect(
    await waitForValue('all traffic back on stable', routeWeights, ['web-stable=100', 'web-canary=0']),
  ).toBeTruthy();
});

test('a VirtualService deleted mid-rollout: InvalidSpec and VirtualServiceNotFound; back when it returns', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, hostLevelVs);
  const blue = await deployFirst(
    ns.name,
    routedRollout({ istio: { virtualService: { name: 'web', routes: ['primary'] } } }),
  );
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  await deleteObject(ns.name, 'virtualservices.networking.istio.io', 'web');
  await promote(ns.name);
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing VirtualService',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') === true,
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message).toBe(
    'The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "web": virtualservices.networking.istio.io "web" not found',
  );
  await waitForEventReasons(ns.name, 'web', ['VirtualServiceNotFound']);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 4, available: 4 },
    [yellow]: { spec: 1, available: 1 },
  });

  // Recreated (with the weights it had before): the rollout goes on, found by the re-check.
  await applyObject(ns.name, hostLevelVs);
  await pausedAt(ns.name, 3);
  expect(await routeWeights()).toEqual(['web-stable=25', 'web-canary=75']);
  expect((await getRollout(ns.name, 'web')).status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(
    false,
  );
});

test('a route name missing from the VirtualService is InvalidSpec', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, hostLevelVs);
  await getObject(ns.name, 'virtualservices.networking.istio.io', 'web');
  const { createRollout } = await import('../support/rollouts.ts');
  await createRollout(
    ns.name,
    routedRollout({ istio: { virtualService: { name: 'web', routes: ['nope'] } } }),
  );
  const invalid = await waitForRollout(
    ns.name,
    'web',
    'InvalidSpec for the missing route',
    (r) => r.status?.conditions?.some((c) => c.type === 'InvalidSpec') === true,
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message).toBe(
    `The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "web": Istio VirtualService has invalid HTTP routes. Error: HTTP Route 'nope' is not found in the defined Virtual Service.`,
  );
});
