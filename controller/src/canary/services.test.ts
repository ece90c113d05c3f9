import type { Rollout } from '@rollout-kit/api';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import {
  canaryServiceSwitches,
  rolloutsReferencingService,
  serviceSwitch,
  serviceSwitchPatch,
  type ServiceView,
} from './services.ts';

const rollout: Pick<Rollout, 'metadata' | 'spec'> = {
  metadata: { name: 'web' },
  spec: { strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable' } } },
};
const rs = (hash: string, spec: number, available: number): ReplicaSet => ({
  metadata: { name: `web-${hash}`, labels: { 'rollouts-pod-template-hash': hash } },
  spec: { replicas: spec },
  status: { availableReplicas: available },
});
const managed = { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'web' };

describe('serviceSwitch', () => {
  test.each([
    {
      name: 'a managed Service follows an RS with one available pod',
      svc: { name: 's', annotations: managed, selector: { app: 'web', 'rollouts-pod-template-hash': 'old' } },
      set: rs('new', 3, 1),
      want: 'new',
    },
    {
      name: 'no available pod: no switch',
      svc: { name: 's', annotations: managed, selector: { 'rollouts-pod-template-hash': 'old' } },
      set: rs('new', 3, 0),
      want: undefined,
    },
    {
      name: 'already pointing at it: no switch',
      svc: { name: 's', annotations: managed, selector: { 'rollouts-pod-template-hash': 'new' } },
      set: rs('new', 3, 3),
      want: undefined,
    },
    {
      name: 'an unmanaged Service waits for the RS to be fully available',
      svc: { name: 's', selector: { app: 'web' } },
      set: rs('new', 3, 2),
      want: undefined,
    },
    {
      name: 'an unmanaged Service is adopted once the RS is fully available',
      svc: { name: 's', selector: { app: 'web' } },
      set: rs('new', 3, 3),
      want: 'new',
    },
    {
      name: 'an RS scaled to 0 with nothing available is never a target',
      svc: { name: 's', selector: { app: 'web' } },
      set: rs('new', 0, 0),
      want: undefined,
    },
    { name: 'no Service: nothing', svc: undefined, set: rs('new', 3, 3), want: undefined },
    {
      name: 'no RS: nothing',
      svc: { name: 's', annotations: managed },
      set: undefined,
      want: undefined,
    },
  ])('$name', ({ svc, set, want }) => {
    expect(serviceSwitch(rollout, svc as ServiceView | undefined, set)?.hash).toBe(want);
  });
});

describe('canaryServiceSwitches', () => {
  const services = {
    'web-canary': {
      name: 'web-canary',
      annotations: managed,
      selector: { 'rollouts-pod-template-hash': 'a' },
    },
    'web-stable': {
      name: 'web-stable',
      annotations: managed,
      selector: { 'rollouts-pod-template-hash': 'a' },
    },
  };
  test.each([
    {
      name: 'mid-rollout the canary Service moves, the stable stays',
      newRS: rs('b', 1, 1),
      stableRS: rs('a', 3, 3),
      want: ['web-canary=b'],
    },
    {
      name: 'after promotion both point at the new RS (stable first)',
      newRS: rs('b', 4, 4),
      stableRS: rs('b', 4, 4),
      want: ['web-stable=b', 'web-canary=b'],
    },
    {
      name: 'a first deploy points both once pods are available',
      newRS: rs('c', 4, 4),
      stableRS: rs('c', 4, 4),
      want: ['web-stable=c', 'web-canary=c'],
    },
  ])('$name', ({ newRS, stableRS, want }) => {
    expect(
      canaryServiceSwitches({ rollout, services, newRS, stableRS }).map((s) => `${s.service}=${s.hash}`),
    ).toEqual(want);
  });

  test('an aborted canary sends its canary Service back to stable, routed or not', () => {
    const canaryOn = {
      ...services,
      'web-canary': { ...services['web-canary'], selector: { 'rollouts-pod-template-hash': 'b' } },
    };
    const routed: Pick<Rollout, 'metadata' | 'spec' | 'status'> = {
      metadata: rollout.metadata,
      spec: {
        strategy: {
          canary: {
            canaryService: 'web-canary',
            stableService: 'web-stable',
            trafficRouting: { nginx: { stableIngress: 'web' } },
          },
        },
      },
      status: { abort: true },
    };
    const switches = (r: Pick<Rollout, 'metadata' | 'spec' | 'status'>) =>
      canaryServiceSwitches({
        rollout: r,
        services: canaryOn,
        newRS: rs('b', 1, 1),
        stableRS: rs('a', 3, 3),
      }).map((s) => `${s.service}=${s.hash}`);
    expect(switches(routed)).toEqual(['web-canary=a']);
    expect(switches({ ...routed, status: { abort: false } })).toEqual([]);
    const basic = {
      ...routed,
      spec: { strategy: { canary: { ...routed.spec.strategy?.canary, trafficRouting: undefined } } },
    };
    expect(switches(basic)).toEqual(['web-canary=a']);
    // dynamicStableScale: only once the router sends the canary nothing.
    const dynamic = (weight: number) => ({
      ...routed,
      spec: { strategy: { canary: { ...routed.spec.strategy?.canary, dynamicStableScale: true } } },
      status: {
        abort: true,
        canary: {
          weights: {
            canary: { weight, podTemplateHash: 'b', serviceName: 'web-canary' },
            stable: { weight: 100 - weight, podTemplateHash: 'a', serviceName: 'web-stable' },
          },
        },
      },
    });
    expect(switches(dynamic(25))).toEqual([]);
    expect(switches(dynamic(0))).toEqual(['web-canary=a']);
  });

  test('a blue-green Rollout has no canary switches', () => {
    const bg = { ...rollout, spec: { strategy: { blueGreen: { activeService: 'x' } } } };
    expect(canaryServiceSwitches({ rollout: bg, services, newRS: rs('b', 1, 1) })).toEqual([]);
  });
});

test('the patch touches only the hash key and the managed-by annotation', () => {
  expect(serviceSwitchPatch({ service: 's', from: 'a', hash: 'b', rollout: 'web' })).toEqual({
    metadata: { annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'web' } },
    spec: { selector: { 'rollouts-pod-template-hash': 'b' } },
  });
});

test.each([
  { name: 'a canary Service', strategy: { canary: { canaryService: 'svc' } }, want: ['shop/web'] },
  { name: 'a stable Service', strategy: { canary: { stableService: 'svc' } }, want: ['shop/web'] },
  { name: 'an active Service', strategy: { blueGreen: { activeService: 'svc' } }, want: ['shop/web'] },
  {
    name: 'a preview Service',
    strategy: { blueGreen: { activeService: 'a', previewService: 'svc' } },
    want: ['shop/web'],
  },
  { name: 'another Service', strategy: { canary: { canaryService: 'other' } }, want: [] },
])('Rollouts referencing a Service: $name', ({ strategy, want }) => {
  const r = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { strategy },
  } as Rollout;
  expect(rolloutsReferencingService([r], { metadata: { name: 'svc', namespace: 'shop' } })).toEqual(want);
});
