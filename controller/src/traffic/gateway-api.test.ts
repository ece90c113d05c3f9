import { desiredRules, gatewayApiRouter, GATEWAY_API_PLUGIN, type RouteRule } from './gateway-api.ts';
import { desired, liveOf, routedRollout } from './test-rollout.ts';

const managedRoutes = [{ name: 'mirror' }, { name: 'header' }];
const rollout = routedRollout({ plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: 'web' } }, managedRoutes });
const weighted: RouteRule = {
  matches: [{ path: { type: 'PathPrefix', value: '/' } }],
  backendRefs: [
    { name: 'web-stable', port: 80, weight: 100 },
    { name: 'web-canary', port: 80, weight: 0 },
  ],
};
const rulesOf = (out: ReturnType<typeof desiredRules>) => {
  if ('error' in out) throw new Error(out.error);
  return out.rules;
};

test.each([
  { name: 'canary 30', weight: 30, maxWeight: 100, want: [70, 30] },
  { name: 'maxTrafficWeight 1000', weight: 300, maxWeight: 1000, want: [700, 300] },
])('weights: $name', ({ weight, maxWeight, want }) => {
  const rules = rulesOf(
    desiredRules(rollout, [weighted], {
      desired: desired(weight, {}, maxWeight),
      kind: 'HTTPRoute',
      useHeaderRoutes: true,
    }),
  );
  expect(rules[0]?.backendRefs?.map((b) => b.weight)).toEqual(want);
});

test('header and mirror rules are added by name and removed when no longer wanted', () => {
  const routes = {
    header: [
      {
        name: 'header',
        match: [
          { headerName: 'x-canary', headerValue: { exact: 'yes' } },
          { headerName: 'x-v', headerValue: { prefix: 'v2' } },
        ],
      },
    ],
    mirror: [
      { name: 'mirror', match: [{ path: { prefix: '/api' }, method: { exact: 'POST' } }], percentage: 30 },
    ],
  };
  const rules = rulesOf(
    desiredRules(rollout, [weighted], {
      desired: desired(10, routes),
      kind: 'HTTPRoute',
      useHeaderRoutes: true,
    }),
  );
  expect(rules.map((r) => r.name)).toEqual(['mirror', 'header', undefined]);
  expect(rules[1]).toEqual({
    name: 'header',
    matches: [
      {
        headers: [
          { type: 'Exact', name: 'x-canary', value: 'yes' },
          { type: 'RegularExpression', name: 'x-v', value: '^v2.*' },
        ],
      },
    ],
    backendRefs: [{ name: 'web-canary', port: 80 }],
  });
  expect(rules[0]).toEqual({
    name: 'mirror',
    matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST' }],
    filters: [
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-canary', port: 80 }, percent: 30 } },
    ],
    backendRefs: [
      { name: 'web-stable', port: 80, weight: 90 },
      { name: 'web-canary', port: 80, weight: 10 },
    ],
  });
  const removed = rulesOf(
    desiredRules(rollout, rules, { desired: desired(0), kind: 'HTTPRoute', useHeaderRoutes: true }),
  );
  expect(removed.map((r) => r.name)).toEqual([undefined]);
});

test('GRPCRoute gets header rules but no mirror rules', () => {
  const routes = {
    header: [{ name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }],
    mirror: [{ name: 'mirror', match: [{ method: { exact: 'GET' } }] }],
  };
  const rules = rulesOf(
    desiredRules(rollout, [weighted], {
      desired: desired(10, routes),
      kind: 'GRPCRoute',
      useHeaderRoutes: true,
    }),
  );
  expect(rules.map((r) => r.name)).toEqual(['header', undefined]);
});

test('a route with no rule to both Services is an error; a missing route a reference problem', () => {
  expect(
    desiredRules(rollout, [{ backendRefs: [{ name: 'web-stable' }] }], {
      desired: desired(10),
      kind: 'HTTPRoute',
      useHeaderRoutes: true,
    }),
  ).toEqual({
    error: 'HTTPRoute has no rule with backendRefs to both web-canary and web-stable',
  });
  const ref = gatewayApiRouter.refs(rollout)[0];
  if (!ref) throw new Error('no ref');
  expect(ref).toMatchObject({ resource: 'httproutes', namespace: 'ns', name: 'web' });
  expect(gatewayApiRouter.plan(rollout, liveOf([[ref, undefined]]), desired(10)).problem).toMatchObject({
    kind: 'reference',
    error: {
      field: `spec.strategy.canary.trafficRouting.plugins.${GATEWAY_API_PLUGIN}.httpRoute`,
      detail: 'httproutes.gateway.networking.k8s.io "web" not found',
    },
  });
});
