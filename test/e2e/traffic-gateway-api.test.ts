// Gateway API traffic routing, built in (configured as upstream's argoproj-labs/gatewayAPI
// plugin): HTTPRoute backendRefs weights at every step, header and mirror rules added and
// removed by their steps, GRPCRoute weights, and an HTTPRoute deleted mid-rollout.
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { argoRollouts, replicaSetSizes, waitForEventReasons, waitForRollout } from '../support/rollouts.ts';
import {
  applyObject,
  createServices,
  deleteObject,
  deployFirst,
  getObject,
  healthy,
  healthyOn,
  installTrafficCrds,
  pausedAt,
  pluginActualWeight,
  promote,
  recordedWeights,
  routedRollout,
  selectors,
  updateAndPause,
  waitForInvalidSpec,
  waitForValue,
} from './traffic-support.ts';

const ns = namespacePerTest();
controllerPerFile('traffic-gateway-api');
beforeAll(installTrafficCrds);

const PLUGIN = 'argoproj-labs/gatewayAPI';
interface Rule {
  name?: string;
  matches?: unknown[];
  filters?: unknown[];
  backendRefs?: { name: string; port?: number; weight?: number }[];
}
const route = (kind: 'HTTPRoute' | 'GRPCRoute') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind,
  metadata: { name: 'web' },
  spec: {
    parentRefs: [{ name: 'gateway' }],
    rules: [
      {
        backendRefs: [
          { name: 'web-stable', port: 80, weight: 100 },
          { name: 'web-canary', port: 80, weight: 0 },
        ],
      },
    ],
  },
});
const rules = async (resource = 'httproutes.gateway.networking.k8s.io') =>
  (await getObject<{ spec: { rules: Rule[] } }>(ns.name, resource, 'web'))?.spec.rules;
/** Weights of the unnamed (weighted) rule. */
const weights = async (resource?: string) =>
  (await rules(resource))?.find((r) => !r.name)?.backendRefs?.map((b) => `${b.name}=${b.weight}`);
const ruleNames = async () => (await rules())?.map((r) => r.name ?? '-');

test('HTTPRoute: backendRefs weights at every step', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, route('HTTPRoute'));
  const blue = await deployFirst(ns.name, routedRollout({ plugins: { [PLUGIN]: { httpRoute: 'web' } } }));
  expect(await waitForValue('all on stable', weights, ['web-stable=100', 'web-canary=0'])).toBeTruthy();
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await weights()).toEqual(['web-stable=75', 'web-canary=25']);
  expect(await selectors(ns.name)).toEqual({ canary: yellow, stable: blue });
  expect(await recordedWeights(ns.name)).toEqual({ canary: [25, yellow], stable: [75, blue] });
  expect(await pluginActualWeight(ns.name)).toBe('25');
  await promote(ns.name);
  await pausedAt(ns.name, 3);
  expect(await weights()).toEqual(['web-stable=25', 'web-canary=75']);
  expect(await pluginActualWeight(ns.name)).toBe('75');
  await promote(ns.name);
  await healthyOn(ns.name, yellow);
  expect(
    await waitForValue('all on stable (now yellow)', weights, ['web-stable=100', 'web-canary=0']),
  ).toBeTruthy();
  await waitForEventReasons(ns.name, 'web', ['UpdatedHTTPRoute', 'TrafficWeightUpdated']);
});

test('HTTPRoute: header and mirror rules follow their steps and go on promotion', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, route('HTTPRoute'));
  await deployFirst(
    ns.name,
    routedRollout(
      {
        plugins: { [PLUGIN]: { httpRoute: 'web' } },
        managedRoutes: [{ name: 'mirror' }, { name: 'header' }],
      },
      {
        steps: [
          { setWeight: 10 },
          {
            setHeaderRoute: {
              name: 'header',
              match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }],
            },
          },
          { setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/api' } }], percentage: 50 } },
          { pause: {} },
          { setMirrorRoute: { name: 'mirror' } },
          { pause: {} },
        ],
      },
    ),
  );
  await updateAndPause(ns.name, 3);
  expect(await ruleNames()).toEqual(['mirror', 'header', '-']);
  const all = (await rules())!;
  expect(all[1]).toEqual({
    name: 'header',
    matches: [{ headers: [{ type: 'Exact', name: 'x-canary', value: 'yes' }] }],
    backendRefs: [{ name: 'web-canary', port: 80 }],
  });
  expect(all[0]?.filters).toEqual([
    { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-canary', port: 80 }, percent: 50 } },
  ]);
  await promote(ns.name);
  await pausedAt(ns.name, 5);
  expect(await ruleNames()).toEqual(['header', '-']);
  await promote(ns.name);
  await waitForRollout(
    ns.name,
    'web',
    'Healthy',
    (r) => healthy(r) && r.status?.stableRS === r.status?.currentPodHash,
  );
  expect(await waitForValue('managed rules removed once promoted', ruleNames, ['-'])).toBeTruthy();
});

test('GRPCRoute weights; an HTTPRoute deleted mid-rollout is InvalidSpec', async () => {
  await createServices(ns.name);
  await applyObject(ns.name, route('HTTPRoute'));
  await applyObject(ns.name, route('GRPCRoute'));
  const blue = await deployFirst(
    ns.name,
    routedRollout({ plugins: { [PLUGIN]: { httpRoute: 'web', grpcRoute: 'web' } } }),
  );
  const yellow = (await updateAndPause(ns.name, 1)).status!.currentPodHash!;
  expect(await weights('grpcroutes.gateway.networking.k8s.io')).toEqual(['web-stable=75', 'web-canary=25']);
  await deleteObject(ns.name, 'httproutes.gateway.networking.k8s.io', 'web');
  await promote(ns.name);
  const invalid = await waitForInvalidSpec(ns.name, 'InvalidSpec for the missing HTTPRoute');
  expect(invalid.message).toBe(
    `The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.plugins.${PLUGIN}.httpRoute: Invalid value: "web": httproutes.gateway.networking.k8s.io "web" not found`,
  );
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 4, available: 4 },
    [yellow]: { spec: 1, available: 1 },
  });
  await argoRollouts(ns.name, 'abort', 'web');
  await applyObject(ns.name, route('HTTPRoute'));
  expect(
    await waitForValue(
      'GRPCRoute back to stable after abort',
      () => weights('grpcroutes.gateway.networking.k8s.io'),
      ['web-stable=100', 'web-canary=0'],
      45_000,
    ),
  ).toBeTruthy();
});
