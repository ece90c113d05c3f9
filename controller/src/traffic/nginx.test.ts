import { ingressRef, type Ingress } from './ingress.ts';
import { canaryIngressName, desiredCanaryIngress, nginxRouter } from './nginx.ts';
import { desired, liveOf, routedRollout } from './test-rollout.ts';

const stable: Ingress = {
  metadata: {
    name: 'web',
    namespace: 'ns',
    annotations: { 'kubernetes.io/ingress.class': 'nginx', other: 'x' },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['web.example'], secretName: 'tls' }],
    rules: [
      {
        host: 'web.example',
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
      {
        host: 'other.example',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'other', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};

test.each([
  { name: 'short names', rollout: 'web', ingress: 'web', want: 'web-web-canary' },
  {
    name: 'cut to 253 characters',
    rollout: 'r'.repeat(200),
    ingress: 'i'.repeat(100),
    want: `${'r'.repeat(200)}-${'i'.repeat(45)}-canary`,
  },
])('canary Ingress name: $name', ({ rollout, ingress, want }) => {
  expect(canaryIngressName(rollout, ingress)).toBe(want);
  expect(canaryIngressName(rollout, ingress).length).toBeLessThanOrEqual(253);
});

describe('desiredCanaryIngress', () => {
  test('keeps only rules reaching the stable Service, pointed at the canary, with class, TLS and owner', () => {
    const out = desiredCanaryIngress(routedRollout({ nginx: { stableIngress: 'web' } }), stable, 20);
    if ('error' in out) throw new Error(out.error);
    expect(out.ingress.metadata).toEqual({
      name: 'web-web-canary',
      namespace: 'ns',
      annotations: {
        'kubernetes.io/ingress.class': 'nginx',
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '20',
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'web',
          uid: 'uid-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(out.ingress.spec?.rules).toHaveLength(1);
    expect(out.ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.name).toBe('web-canary');
    expect(out.ingress.spec?.tls).toEqual(stable.spec?.tls);
    expect(out.ingress.spec?.ingressClassName).toBe('nginx');
  });

  test.each([
    {
      name: 'annotationPrefix and additional annotations (prefixed unless already)',
      nginx: {
        stableIngress: 'web',
        annotationPrefix: 'custom.io',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'custom.io/x': 'y' },
      },
      want: {
        'custom.io/canary-by-header': 'X-Canary',
        'custom.io/x': 'y',
        'custom.io/canary': 'true',
        'custom.io/canary-weight': '30',
      },
    },
    {
      name: 'maxTrafficWeight adds canary-weight-total',
      nginx: { stableIngress: 'web' },
      maxTrafficWeight: 1000,
      want: {
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '30',
        'nginx.ingress.kubernetes.io/canary-weight-total': '1000',
      },
    },
  ])('$name', ({ nginx, maxTrafficWeight, want }) => {
    const out = desiredCanaryIngress(routedRollout({ nginx, maxTrafficWeight }), stable, 30);
    if ('error' in out) throw new Error(out.error);
    expect(out.ingress.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx', ...want });
  });

  test('no rule for the stable Service is an error', () => {
    const rollout = routedRollout({ nginx: { stableIngress: 'web' } }, { stableService: 'nope' });
    expect(desiredCanaryIngress(rollout, stable, 10)).toEqual({
      error: 'ingress `web` has no rules using service nope backend',
    });
  });
});

describe('nginxRouter.plan', () => {
  const rollout = routedRollout({ nginx: { stableIngress: 'web' } });
  const stableRef = ingressRef('ns', 'web');
  const canaryRef = ingressRef('ns', 'web-web-canary');

  test('creates the canary Ingress when missing', () => {
    const plan = nginxRouter.plan(
      rollout,
      liveOf([
        [stableRef, stable],
        [canaryRef, undefined],
      ]),
      desired(10),
    );
    expect(plan.writes.map((w) => [w.op, w.ref.name])).toEqual([['create', 'web-web-canary']]);
    expect(plan.events[0]?.message).toBe('Creating canary ingress `web-web-canary` with weight `10`');
  });

  test('updates the weight of an owned canary Ingress, and leaves an unchanged one alone', () => {
    const built = desiredCanaryIngress(rollout, stable, 10);
    if ('error' in built) throw new Error(built.error);
    const live = { ...built.ingress, metadata: { ...built.ingress.metadata, resourceVersion: '7' } };
    const same = nginxRouter.plan(
      rollout,
      liveOf([
        [stableRef, stable],
        [canaryRef, live],
      ]),
      desired(10),
    );
    expect(same.writes).toEqual([]);
    const plan = nginxRouter.plan(
      rollout,
      liveOf([
        [stableRef, stable],
        [canaryRef, live],
      ]),
      desired(40),
    );
    expect(plan.writes).toHaveLength(1);
    const body = plan.writes[0]?.body as Ingress;
    expect(body.metadata.resourceVersion).toBe('7');
    expect(body.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('40');
  });

  test('a canary Ingress owned by something else is an error', () => {
    const foreign: Ingress = { metadata: { name: 'web-web-canary', namespace: 'ns' } };
    const plan = nginxRouter.plan(
      rollout,
      liveOf([
        [stableRef, stable],
        [canaryRef, foreign],
      ]),
      desired(10),
    );
    expect(plan.problem).toEqual({
      kind: 'error',
      message: 'canary ingress `web-web-canary` controlled by different object',
    });
  });

  test('a stable Ingress without a rule for the stable Service is a reference problem', () => {
    const elsewhere: Ingress = { metadata: { name: 'web', namespace: 'ns' }, spec: { rules: [] } };
    const plan = nginxRouter.plan(rollout, liveOf([[stableRef, elsewhere]]), desired(10));
    expect(plan.problem).toEqual({
      kind: 'reference',
      error: {
        type: 'Invalid value',
        field: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
        value: 'web',
        detail: 'ingress `web` has no rules using service web-stable backend',
      },
    });
  });

  test('a missing stable Ingress is a reference problem naming the field', () => {
    const plan = nginxRouter.plan(rollout, liveOf([[stableRef, undefined]]), desired(10));
    expect(plan.problem).toEqual({
      kind: 'reference',
      error: {
        type: 'Invalid value',
        field: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
        value: 'web',
        detail: 'ingresses.networking.k8s.io "web" not found',
      },
    });
  });
});
