import { ingressRef, type Ingress } from './ingress.ts';
import { nginxRouter } from './nginx.ts';
import { trafficReferenceProblem } from './reference-problem.ts';
import { smiRouter } from './smi.ts';
import { liveOf, routedRollout } from './test-rollout.ts';

const rule = (service: string) => ({
  http: { paths: [{ path: '/', backend: { service: { name: service, port: { number: 80 } } } }] },
});
const ingress = (name: string, service: string, owner?: string): Ingress => ({
  metadata: {
    name,
    namespace: 'ns',
    ...(owner
      ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: owner, controller: true }] }
      : {}),
  },
  spec: { rules: [rule(service)] },
});
const nginx = routedRollout({ nginx: { stableIngress: 'web' } });
const stableRef = ingressRef('ns', 'web');
const canaryRef = ingressRef('ns', 'web-web-canary');
const smi = routedRollout({ smi: {} });
const split = smiRouter().refs(smi)[0];
if (!split) throw new Error('no TrafficSplit ref');
const foreignSplit = { metadata: { name: 'web', ownerReferences: [] }, spec: {} };

test.each([
  {
    name: 'a missing stable Ingress is InvalidSpec',
    rollout: nginx,
    routers: [nginxRouter],
    live: liveOf([[stableRef, undefined]]),
    want: 'The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingresses.networking.k8s.io "web" not found',
  },
  {
    name: 'a stable Ingress without the stable Service is InvalidSpec',
    rollout: nginx,
    routers: [nginxRouter],
    live: liveOf([[stableRef, ingress('web', 'elsewhere')]]),
    want: 'The Rollout "web" is invalid: spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingress `web` has no rules using service web-stable backend',
  },
  {
    name: 'a canary Ingress owned by someone else is not InvalidSpec (an event while writing)',
    rollout: nginx,
    routers: [nginxRouter],
    live: liveOf([
      [stableRef, ingress('web', 'web-stable')],
      [canaryRef, ingress('web-web-canary', 'web-canary', 'other-uid')],
    ]),
    want: undefined,
  },
  {
    name: 'a foreign TrafficSplit is not InvalidSpec either',
    rollout: smi,
    routers: [smiRouter()],
    live: liveOf([[split, foreignSplit]]),
    want: undefined,
  },
  {
    name: 'all in order: nothing',
    rollout: nginx,
    routers: [nginxRouter],
    live: liveOf([
      [stableRef, ingress('web', 'web-stable')],
      [canaryRef, undefined],
    ]),
    want: undefined,
  },
])('$name', ({ rollout, routers, live, want }) => {
  const problem = trafficReferenceProblem(rollout, routers, live);
  expect(problem?.message).toBe(want);
  if (want) expect(problem?.event).toEqual({ type: 'Warning', reason: 'TrafficRoutingError', message: want });
});
