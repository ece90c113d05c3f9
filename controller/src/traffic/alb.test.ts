import { albRouter, desiredAlbAnnotations, forwardAction, MANAGED_ALB_ACTIONS_ANNOTATION } from './alb.ts';
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

test('plan: patches the Ingress annotations; an Ingress without the Service is an error', () => {
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
    kind: 'error',
    message: 'ingress does not have service `web-stable` in rules',
  });
});
