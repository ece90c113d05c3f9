import {
  albRouter,
  desiredAlbAnnotations,
  forwardAction,
  MANAGED_ALB_ACTIONS_ANNOTATION,
  rulesWithHeaderRoutes,
} from './alb.ts';
import { ingressRef, type Ingress } from './ingress.ts';
import { desired, liveOf, routedRollout } from './test-rollout.ts';

const rollout = routedRollout({
  alb: { ingress: 'web', servicePort: 80 },
  managedRoutes: [{ name: 'beta' }],
});

test('the forward action sends the weights to both target groups', () => {
  expect(JSON.parse(forwardAction(rollout, desired(20)))).toEqual({
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { ServiceName: 'web-canary', ServicePort: '80', Weight: 20 },
        { ServiceName: 'web-stable', ServicePort: '80', Weight: 80 },
      ],
    },
  });
});

test('rootService, annotationPrefix and stickiness', () => {
  const r = routedRollout({
    alb: {
      ingress: 'web',
      servicePort: 443,
      rootService: 'root',
      annotationPrefix: 'custom.io',
      stickinessConfig: { enabled: true, durationSeconds: 60 },
    },
  });
  const out = desiredAlbAnnotations(r, {}, desired(5));
  expect(Object.keys(out).sort()).toEqual(['custom.io/actions.root', MANAGED_ALB_ACTIONS_ANNOTATION]);
  expect(JSON.parse(out['custom.io/actions.root'] ?? '').ForwardConfig.TargetGroupStickinessConfig).toEqual({
    Enabled: true,
    DurationSeconds: 60,
  });
  expect(JSON.parse(out[MANAGED_ALB_ACTIONS_ANNOTATION] ?? '')).toEqual({ web: ['custom.io/actions.root'] });
});

test('a header route adds action and condition annotations, removed again after', () => {
  const header = [{ name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'on' } }] }];
  const on = desiredAlbAnnotations(rollout, { keep: 'me' }, desired(10, { header }));
  expect(JSON.parse(on['alb.ingress.kubernetes.io/conditions.beta'] ?? '')).toEqual([
    { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-beta', Values: ['on'] } },
  ]);
  expect(on['alb.ingress.kubernetes.io/actions.beta']).toBeDefined();
  const off = desiredAlbAnnotations(rollout, on, desired(0));
  expect(off['alb.ingress.kubernetes.io/actions.beta']).toBeUndefined();
  expect(off['alb.ingress.kubernetes.io/conditions.beta']).toBeUndefined();
  expect(off.keep).toBe('me');
});

test('plan: patches the Ingress annotations; an Ingress without the Service is InvalidSpec', () => {
  const ingress: Ingress = {
    metadata: { name: 'web', namespace: 'ns' },
    spec: {
      rules: [
        {
          http: {
            paths: [
              { path: '/', backend: { service: { name: 'web-stable', port: { name: 'use-annotation' } } } },
            ],
          },
        },
      ],
    },
  };
  const ref = ingressRef('ns', 'web');
  const plan = albRouter.plan(rollout, liveOf([[ref, ingress]]), desired(10));
  expect(plan.writes[0]?.op).toBe('update');
  const noRule: Ingress = { metadata: { name: 'web' }, spec: { rules: [] } };
  expect(albRouter.plan(rollout, liveOf([[ref, noRule]]), desired(10)).problem).toEqual({
    kind: 'reference',
    error: {
      type: 'Invalid value',
      field: 'spec.strategy.canary.trafficRouting.alb.ingress',
      value: 'web',
      detail: 'ingress `web` has no rules using service web-stable backend',
    },
  });
});

describe('header routes as Ingress paths with use-annotation', () => {
  const two = routedRollout({
    alb: { ingress: 'web', servicePort: 80 },
    managedRoutes: [{ name: 'beta' }, { name: 'alpha' }],
  });
  const route = (name: string) => ({
    name,
    match: [{ headerName: 'x-' + name, headerValue: { exact: 'on' } }],
  });
  const stablePath = { path: '/', backend: { service: { name: 'web-stable', port: { number: 80 } } } };
  const rules = [
    { host: 'a.example', http: { paths: [stablePath] } },
    { host: 'b.example', http: { paths: [stablePath] } },
  ];
  const names = (out: { http?: { paths: { backend: { service?: { name: string } } }[] } }[]) =>
    out.map((r) => (r.http?.paths ?? []).map((p) => p.backend.service?.name));
  test.each([
    { name: 'no active route: paths untouched', active: [], want: [['web-stable'], ['web-stable']] },
    {
      name: 'an active route leads every rule',
      active: [route('alpha')],
      want: [
        ['alpha', 'web-stable'],
        ['alpha', 'web-stable'],
      ],
    },
    {
      name: 'several routes lead in managedRoutes order, not step order',
      active: [route('alpha'), route('beta')],
      want: [
        ['beta', 'alpha', 'web-stable'],
        ['beta', 'alpha', 'web-stable'],
      ],
    },
  ])('$name', ({ active, want }) => {
    expect(names(rulesWithHeaderRoutes(two, rules, active))).toEqual(want);
  });

  test('the path is the action name on port use-annotation; removed with its route', () => {
    const on = rulesWithHeaderRoutes(two, rules, [route('beta')]);
    expect(on[0]?.http?.paths[0]).toEqual({
      path: '/*',
      pathType: 'ImplementationSpecific',
      backend: { service: { name: 'beta', port: { name: 'use-annotation' } } },
    });
    expect(names(rulesWithHeaderRoutes(two, on, [route('beta')]))).toEqual(names(on));
    expect(rulesWithHeaderRoutes(two, on, [])).toEqual(rules);
  });

  test('plan writes the path with the annotations', () => {
    const ingress: Ingress = { metadata: { name: 'web', namespace: 'ns' }, spec: { rules } };
    const ref = ingressRef('ns', 'web');
    const plan = albRouter.plan(two, liveOf([[ref, ingress]]), desired(10, { header: [route('alpha')] }));
    const body = plan.writes[0]?.body as Ingress;
    expect(names(body.spec?.rules ?? [])).toEqual([
      ['alpha', 'web-stable'],
      ['alpha', 'web-stable'],
    ]);
    expect(body.metadata.annotations?.['alb.ingress.kubernetes.io/actions.alpha']).toBeDefined();
  });
});
