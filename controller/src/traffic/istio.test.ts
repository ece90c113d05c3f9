import type { KubeObject } from './router.ts';
import {
  desiredDestinationRule,
  desiredVirtualService,
  istioRouter,
  virtualServiceRef,
  type IstioRoute,
} from './istio.ts';
import { desired, liveOf, routedRollout } from './test-rollout.ts';

const hostLevel = (http: IstioRoute[], extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'vs', namespace: 'ns', resourceVersion: '3' },
  spec: { hosts: ['web'], http, ...extra },
});
const primary: IstioRoute = {
  name: 'primary',
  route: [
    { destination: { host: 'web-stable', port: { number: 80 } }, weight: 100 },
    { destination: { host: 'web-canary.ns.svc.cluster.local', port: { number: 80 } }, weight: 0 },
  ],
};
const other: IstioRoute = { name: 'other', route: [{ destination: { host: 'elsewhere' } }] };
const managedRoutes = [{ name: 'mirror' }, { name: 'header' }];
const rollout = routedRollout({
  istio: { virtualService: { name: 'vs', routes: ['primary'] } },
  managedRoutes,
});
const config = { name: 'vs', routes: ['primary'] };
const spec = (out: ReturnType<typeof desiredVirtualService>) => {
  if (!('vs' in out)) throw new Error(JSON.stringify(out));
  return out.vs.spec as { http: IstioRoute[]; tls?: IstioRoute[]; tcp?: IstioRoute[] };
};

describe('desiredVirtualService', () => {
  test.each([
    {
      name: 'weights the named route (host-level, FQDN host matched by its short name)',
      weight: 30,
      want: [70, 30],
    },
    { name: 'all traffic back to stable', weight: 0, want: [100, 0] },
  ])('$name', ({ weight, want }) => {
    const out = spec(
      desiredVirtualService(rollout, hostLevel([other, primary]) as never, config, {
        desired: desired(weight),
      }),
    );
    expect(out.http.find((r) => r.name === 'primary')?.route?.map((d) => d.weight)).toEqual(want);
    expect(out.http.find((r) => r.name === 'other')).toEqual(other);
  });

  test('subset-level: weights by subset name on one host', () => {
    const subsets = routedRollout({
      istio: {
        virtualService: { name: 'vs' },
        destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    const route: IstioRoute = {
      route: [
        { destination: { host: 'web', subset: 'stable' }, weight: 100 },
        { destination: { host: 'web', subset: 'canary' }, weight: 0 },
      ],
    };
    const out = spec(
      desiredVirtualService(subsets, hostLevel([route]) as never, { name: 'vs' }, { desired: desired(40) }),
    );
    expect(out.http[0]?.route?.map((d) => [d.destination.subset, d.weight])).toEqual([
      ['stable', 60],
      ['canary', 40],
    ]);
  });

  test('TLS and TCP routes are matched by port (and SNI hosts)', () => {
    const tlsRoute = { match: [{ port: 443, sniHosts: ['web.example'] }], route: primary.route };
    const tcpRoute = { match: [{ port: 5432 }], route: primary.route };
    const r = routedRollout({
      istio: {
        virtualService: {
          name: 'vs',
          tlsRoutes: [{ port: 443, sniHosts: ['web.example'] }],
          tcpRoutes: [{ port: 5432 }],
        },
      },
    });
    const out = spec(
      desiredVirtualService(
        r,
        hostLevel([], { tls: [tlsRoute], tcp: [tcpRoute] }) as never,
        { name: 'vs', tlsRoutes: [{ port: 443, sniHosts: ['web.example'] }], tcpRoutes: [{ port: 5432 }] },
        { desired: desired(10) },
      ),
    );
    expect(out.tls?.[0]?.route?.map((d) => d.weight)).toEqual([90, 10]);
    expect(out.tcp?.[0]?.route?.map((d) => d.weight)).toEqual([90, 10]);
  });

  test.each([
    {
      name: 'a route name not in the VirtualService',
      http: [other],
      want: {
        invalid:
          "Istio VirtualService has invalid HTTP routes. Error: HTTP Route 'primary' is not found in the defined Virtual Service.",
      },
    },
    {
      name: 'a route without the canary Service',
      http: [{ name: 'primary', route: [{ destination: { host: 'web-stable' } }] }],
      want: {
        invalid:
          "Istio VirtualService has invalid HTTP routes. Error: Canary Service 'web-canary' not found in route",
      },
    },
  ])('$name', ({ http, want }) => {
    expect(
      desiredVirtualService(rollout, hostLevel(http) as never, config, { desired: desired(10) }),
    ).toEqual(want);
  });

  test('managed routes go on top in managedRoutes order, and are removed when no longer wanted', () => {
    const routes = {
      header: [{ name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }],
      mirror: [
        { name: 'mirror', match: [{ method: { exact: 'GET' }, path: { prefix: '/api' } }], percentage: 20 },
      ],
    };
    const out = spec(
      desiredVirtualService(rollout, hostLevel([primary]) as never, config, { desired: desired(10, routes) }),
    );
    expect(out.http.map((r) => r.name)).toEqual(['mirror', 'header', 'primary']);
    expect(out.http[1]).toEqual({
      name: 'header',
      match: [{ headers: { 'x-canary': { exact: 'yes' } } }],
      route: [{ destination: { host: 'web-canary', port: { number: 80 } }, weight: 100 }],
    });
    expect(out.http[0]).toMatchObject({
      match: [{ method: { exact: 'GET' }, uri: { prefix: '/api' } }],
      mirror: { host: 'web-canary', port: { number: 80 } },
      mirrorPercentage: { value: 20 },
    });
    expect(out.http[0]?.route?.map((d) => d.weight)).toEqual([90, 10]);
    const removed = spec(
      desiredVirtualService(rollout, { metadata: {}, spec: { http: out.http } } as never, config, {
        desired: desired(0),
      }),
    );
    expect(removed.http.map((r) => r.name)).toEqual(['primary']);
  });
});

test('DestinationRule subsets carry the hashes and the managed-by annotation', () => {
  const r = routedRollout({
    istio: { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } },
  });
  const dr = {
    metadata: { name: 'dr' },
    spec: {
      host: 'web',
      subsets: [
        { name: 'stable', labels: { app: 'web' } },
        { name: 'canary', labels: { app: 'web' }, trafficPolicy: {} },
        { name: 'x' },
      ],
    },
  };
  const out = desiredDestinationRule(r, dr, desired(10));
  expect(out.metadata.annotations).toEqual({ 'argo-rollouts.argoproj.io/managed-by-rollouts': 'web' });
  expect(out.spec?.subsets).toEqual([
    { name: 'stable', labels: { app: 'web', 'rollouts-pod-template-hash': 's1' } },
    { name: 'canary', labels: { app: 'web', 'rollouts-pod-template-hash': 'c1' }, trafficPolicy: {} },
    { name: 'x' },
  ]);
});

test('DestinationRule: an experiment destination gets a subset of its Service name and hash', () => {
  const r = routedRollout({
    istio: { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } },
  });
  const dr = {
    metadata: { name: 'dr' },
    spec: {
      host: 'web',
      subsets: [{ name: 'stable' }, { name: 'canary' }, { name: 'exp-a', labels: { x: '1' } }],
    },
  };
  const out = desiredDestinationRule(r, dr, {
    ...desired(10),
    additional: [
      { weight: 5, serviceName: 'exp-a', podTemplateHash: 'ha' },
      { weight: 5, serviceName: 'exp-b', podTemplateHash: 'hb' },
    ],
  });
  expect(out.spec?.subsets?.slice(2)).toEqual([
    { name: 'exp-a', labels: { x: '1', 'rollouts-pod-template-hash': 'ha' } },
    { name: 'exp-b', labels: { 'rollouts-pod-template-hash': 'hb' } },
  ]);
});

test('DestinationRule: an experiment subset goes once its Experiment no longer sends traffic', () => {
  const r = routedRollout({
    istio: { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } },
  });
  const dr: Parameters<typeof desiredDestinationRule>[1] = {
    metadata: { name: 'dr' },
    spec: {
      host: 'web',
      subsets: [
        { name: 'stable' },
        { name: 'canary' },
        { name: 'exp-a', labels: { 'rollouts-pod-template-hash': 'ha' } },
        { name: 'users', labels: { version: 'v2' } },
        { name: 'users-pinned', labels: { 'rollouts-pod-template-hash': 'hx' }, trafficPolicy: {} },
      ],
    },
  };
  const out = desiredDestinationRule(r, dr, desired(10));
  expect(out.spec?.subsets?.map((s) => s.name)).toEqual(['stable', 'canary', 'users', 'users-pinned']);
});

describe('istioRouter.plan', () => {
  test('a missing VirtualService is a reference problem with upstream event', () => {
    const ref = virtualServiceRef('ns', 'vs');
    const plan = istioRouter.plan(rollout, liveOf([[ref, undefined]]), desired(10));
    expect(plan.problem).toMatchObject({
      kind: 'reference',
      error: {
        field: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
        detail: 'virtualservices.networking.istio.io "vs" not found',
      },
      event: { type: 'Warning', reason: 'VirtualServiceNotFound', message: 'VirtualService `vs` not found' },
    });
  });
  test('routes not as described are a reference problem on the VirtualService, as upstream', () => {
    const ref = virtualServiceRef('ns', 'vs');
    const bare = hostLevel([{ name: 'primary', route: [{ destination: { host: 'web-stable' } }] }]);
    expect(istioRouter.plan(rollout, liveOf([[ref, bare]]), desired(10)).problem).toEqual({
      kind: 'reference',
      error: {
        type: 'Invalid value',
        field: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
        value: 'vs',
        detail:
          "Istio VirtualService has invalid HTTP routes. Error: Canary Service 'web-canary' not found in route",
      },
    });
  });
  test('with virtualServices the field names the list, the value the VirtualService', () => {
    const two = routedRollout({
      istio: {
        virtualServices: [
          { name: 'vs', routes: ['primary'] },
          { name: 'other', routes: ['primary'] },
        ],
      },
    });
    const refs = [virtualServiceRef('ns', 'vs'), virtualServiceRef('ns', 'other')] as const;
    const plan = istioRouter.plan(
      two,
      liveOf([
        [refs[0], hostLevel([primary])],
        [refs[1], undefined],
      ]),
      desired(10),
    );
    expect(plan.problem).toMatchObject({
      kind: 'reference',
      error: { field: 'spec.strategy.canary.trafficRouting.istio.virtualServices.name', value: 'other' },
    });
    const both = istioRouter.plan(
      two,
      liveOf([
        [refs[0], hostLevel([primary])],
        [refs[1], hostLevel([primary])],
      ]),
      desired(10),
    );
    expect(both.writes.map((w) => w.ref.name)).toEqual(['vs', 'other']);
  });
  test('"name.namespace" reads the VirtualService from that namespace', () => {
    expect(virtualServiceRef('ns', 'vs.mesh')).toMatchObject({ namespace: 'mesh', name: 'vs' });
  });
  test('an unchanged VirtualService is not written', () => {
    const ref = virtualServiceRef('ns', 'vs');
    const once = istioRouter.plan(rollout, liveOf([[ref, hostLevel([primary])]]), desired(10));
    const written = once.writes[0]?.body as KubeObject;
    expect(istioRouter.plan(rollout, liveOf([[ref, written]]), desired(10)).writes).toEqual([]);
  });
});

describe('experiment destinations on the routes (templates[].weight)', () => {
  const withExp = (weight: number, additional: { weight: number; serviceName: string }[]) => ({
    ...desired(weight),
    additional,
  });
  const destinations = (route: IstioRoute) => route.route?.map((d) => [d.destination.host, d.weight]);
  test.each([
    {
      name: 'added after canary and stable, stable gives up their share',
      route: primary,
      additional: [{ weight: 10, serviceName: 'web-exp-a' }],
      want: [
        ['web-stable', 60],
        ['web-canary.ns.svc.cluster.local', 30],
        ['web-exp-a', 10],
      ],
    },
    {
      name: 'an existing one reweighted, not duplicated',
      route: {
        ...primary,
        route: [...(primary.route ?? []), { destination: { host: 'web-exp-a' }, weight: 1 }],
      },
      additional: [{ weight: 15, serviceName: 'web-exp-a' }],
      want: [
        ['web-stable', 55],
        ['web-canary.ns.svc.cluster.local', 30],
        ['web-exp-a', 15],
      ],
    },
    {
      name: 'removed when the experiment no longer takes traffic',
      route: {
        ...primary,
        route: [...(primary.route ?? []), { destination: { host: 'web-exp-a' }, weight: 10 }],
      },
      additional: [],
      want: [
        ['web-stable', 70],
        ['web-canary.ns.svc.cluster.local', 30],
      ],
    },
  ])('$name', ({ route, additional, want }) => {
    const out = desiredVirtualService(rollout, hostLevel([route]) as never, config, {
      desired: withExp(30, additional),
    });
    expect(destinations(spec(out).http[0] as IstioRoute)).toEqual(want);
  });
});
