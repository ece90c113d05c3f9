// Expected messages are upstream's: every row (but the malformed maxSurge one, our own check) was
// run through Argo Rollouts v1.9.1's ValidateRollout (controller/api/tools/go-json validate).
import type { LabelSelector, Rollout } from '@rollout-kit/api';
import {
  fieldErrorString,
  invalidSpecMessage,
  selectorMatches,
  validateRollout,
  type ServiceInfo,
} from './validate.ts';

type RolloutLike = Pick<Rollout, 'metadata' | 'spec'>;

function base(): RolloutLike {
  return {
    metadata: { name: 'demo' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      strategy: {
        canary: {
          canaryService: 'demo-canary',
          stableService: 'demo-stable',
          steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '10s' } }],
        },
      },
    },
  };
}

function canaryOf(ro: RolloutLike) {
  return ro.spec.strategy!.canary!;
}

/** The first error, printed as the InvalidSpec condition message prints it. */
function firstError(ro: RolloutLike, services?: Record<string, ServiceInfo>): string | undefined {
  const [first] = validateRollout(ro, services);
  return first && fieldErrorString(first);
}

test('the base rollout is valid', () => {
  expect(validateRollout(base())).toEqual([]);
});

test.each<{ name: string; change: (ro: RolloutLike) => void; want: string }>([
  {
    name: 'maxSurge and maxUnavailable both 0',
    change: (ro) => Object.assign(canaryOf(ro), { maxSurge: 0, maxUnavailable: '0%' }),
    want: 'spec.strategy.maxSurge: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero',
  },
  {
    name: 'setWeight above 100',
    change: (ro) => (canaryOf(ro).steps![2] = { setWeight: 150 }),
    want: 'spec.strategy.steps[2].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100',
  },
  {
    name: 'setWeight below 0',
    change: (ro) => (canaryOf(ro).steps![0] = { setWeight: -1 }),
    want: 'spec.strategy.steps[0].setWeight: Invalid value: -1: SetWeight needs to be between 0 and 100',
  },
  {
    name: 'both canary and blueGreen',
    change: (ro) => (ro.spec.strategy!.blueGreen = { activeService: 'a' }),
    want: 'spec.strategy.strategy: Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed',
  },
  {
    name: 'no strategy',
    change: (ro) => (ro.spec.strategy = {}),
    want: "spec.strategy.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
  },
  {
    name: 'a selector that does not match the template',
    change: (ro) => (ro.spec.selector = { matchLabels: { app: 'other' } }),
    want: 'spec.template.metadata.labels: Invalid value: {"app":"demo"}: `selector` does not match template `labels`',
  },
  {
    name: 'a matchExpressions selector that excludes the template',
    change: (ro) =>
      (ro.spec.selector = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['demo'] }] }),
    want: 'spec.template.metadata.labels: Invalid value: {"app":"demo"}: `selector` does not match template `labels`',
  },
  {
    name: 'an unknown selector operator',
    change: (ro) => (ro.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Near' }] }),
    want: 'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
  },
  {
    name: 'a selector In without values',
    change: (ro) =>
      (ro.spec.selector = {
        matchLabels: { app: 'demo' },
        matchExpressions: [{ key: 'tier', operator: 'In' }],
      }),
    want: "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    name: 'no selector',
    change: (ro) => delete ro.spec.selector,
    want: "spec.selector: Required value: Rollout has missing field '.spec.selector'",
  },
  {
    name: 'an empty selector',
    change: (ro) => (ro.spec.selector = { matchLabels: {} }),
    want: 'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
  },
  {
    name: 'an unknown step',
    change: (ro) => (canaryOf(ro).steps![1] = {}),
    want:
      'spec.strategy.steps[1]: Invalid value: "step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: true ' +
      'step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoute: true step.Plugin: true": Step must have one of the ' +
      'following set: ' +
      'experiment, setWeight, setCanaryScale, plugin or pause',
  },
  {
    name: 'a step with two kinds',
    change: (ro) => (canaryOf(ro).steps![0] = { setWeight: 10, pause: {} }),
    want:
      'spec.strategy.steps[0]: Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true step.Analysis: false": ' +
      'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  },
  {
    name: 'a malformed pause duration',
    change: (ro) => (canaryOf(ro).steps![3] = { pause: { duration: '10 minutes' } }),
    want: 'spec.strategy.steps[3].pause.duration: Invalid value: -1: Duration needs to be greater than 0',
  },
  {
    // Upstream's own lint test data (testdata/invalid-nginx-canary.yml) gives this line.
    name: 'an experiment template weight with a router that cannot take it (NGINX)',
    change: (ro) => {
      canaryOf(ro).trafficRouting = { nginx: { stableIngress: 'demo' } };
      canaryOf(ro).steps![1] = { experiment: { templates: [{ name: 'a', specRef: 'canary', weight: 20 }] } };
    },
    want:
      'spec.strategy.steps[1].experiment.templates[0].weight: Invalid value: 20: Experiment template weight ' +
      'is only available for TrafficRouting with SMI, ALB, and Istio at this time',
  },
  {
    name: 'an experiment template weight without traffic routing',
    change: (ro) => {
      canaryOf(ro).steps![1] = { experiment: { templates: [{ name: 'a', specRef: 'canary', weight: 20 }] } };
    },
    want:
      'spec.strategy.steps[1].experiment.templates[0].weight: Invalid value: 20: Experiment template weight ' +
      'cannot be set unless TrafficRouting is enabled',
  },
  {
    name: 'a negative pause duration',
    change: (ro) => (canaryOf(ro).steps![3] = { pause: { duration: -5 } }),
    want: 'spec.strategy.steps[3].pause.duration: Invalid value: -5: Duration needs to be greater than 0',
  },
  {
    name: 'negative replicas',
    change: (ro) => (ro.spec.replicas = -1),
    want: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    name: 'a progress deadline not above minReadySeconds',
    change: (ro) => Object.assign(ro.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 }),
    want: 'spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
  },
  {
    name: 'the same canary and stable Service',
    change: (ro) => (canaryOf(ro).canaryService = 'demo-stable'),
    want:
      'spec.strategy.stableService: Invalid value: "demo-stable": This rollout uses the same service for the stable and canary ' +
      'services, but two different services are required.',
  },
  {
    name: 'setCanaryScale without traffic routing',
    change: (ro) => (canaryOf(ro).steps![0] = { setCanaryScale: { replicas: 1 } }),
    want: 'spec.strategy.trafficRouting: Required value: SetCanaryScale requires TrafficRouting to be set',
  },
  {
    name: 'dynamicStableScale without traffic routing',
    change: (ro) => (canaryOf(ro).dynamicStableScale = true),
    want: 'spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can only be used with traffic routing',
  },
  {
    name: 'a malformed maxSurge',
    change: (ro) => (canaryOf(ro).maxSurge = 'lots'),
    want: 'spec.strategy.canary.maxSurge: Invalid value: "lots": must be an integer or a percentage (e.g. 1 or "25%")',
  },
  {
    name: 'traffic routing without a stable Service',
    change: (ro) =>
      Object.assign(canaryOf(ro), { stableService: '', trafficRouting: { nginx: { stableIngress: 'i' } } }),
    want: 'spec.strategy.stableService: Invalid value: "": Canary service and Stable service must to be set to use Traffic Routing',
  },
  {
    name: 'setWeight above maxTrafficWeight',
    change: (ro) => {
      canaryOf(ro).trafficRouting = { nginx: { stableIngress: 'i' }, maxTrafficWeight: 1000 };
      canaryOf(ro).steps![0] = { setWeight: 1001 };
    },
    want: 'spec.strategy.steps[0].setWeight: Invalid value: 1001: SetWeight needs to be between 0 and 1000',
  },
  {
    name: 'a header route without managedRoutes',
    change: (ro) => {
      canaryOf(ro).trafficRouting = { istio: { virtualService: { name: 'vs' } } };
      canaryOf(ro).steps![0] = { setHeaderRoute: { name: 'h' } };
    },
    want: "spec.strategy.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
  },
  {
    name: 'a template with workloadRef',
    change: (ro) => (ro.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
    want: 'spec.template: Internal error: template must be empty for workload reference rollout',
  },
  {
    name: 'a template without containers',
    change: (ro) => (ro.spec.template!.spec = { containers: [] }),
    want: 'spec.template.spec.containers: Required value',
  },
  {
    name: 'a restartPolicy other than Always',
    change: (ro) => (ro.spec.template!.spec!['restartPolicy'] = 'OnFailure'),
    want: 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  },
  {
    name: 'blue-green with the same active and preview Service',
    change: (ro) => (ro.spec.strategy = { blueGreen: { activeService: 'web', previewService: 'web' } }),
    want:
      'spec.strategy.activeService: Invalid value: "web": This rollout uses the same service for the active and preview ' +
      'services, but two different services are required.',
  },
  {
    name: 'an antiAffinity weight out of range',
    change: (ro) =>
      (canaryOf(ro).antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } }),
    want: 'spec.strategy.antiAffinity.weight: Invalid value: 0: AntiAffinity weight must be between 1-100',
  },
])('$name', ({ change, want }) => {
  const ro = base();
  change(ro);
  expect(firstError(ro)).toBe(want);
});

describe('referenced Services', () => {
  const services = (): Record<string, ServiceInfo> => ({
    'demo-canary': { selector: { app: 'demo', 'rollouts-pod-template-hash': 'abc' } },
    'demo-stable': { selector: { app: 'demo' } },
  });

  test.each<{ name: string; change: (s: Record<string, ServiceInfo>) => void; want: string | undefined }>([
    { name: 'both exist and match', change: () => undefined, want: undefined },
    {
      name: 'a Service that does not exist',
      change: (s) => delete s['demo-stable'],
      want: 'spec.strategy.canary.stableService: Invalid value: "demo-stable": service "demo-stable" not found',
    },
    {
      name: 'a Service selecting a label the template lacks',
      change: (s) => (s['demo-canary']!.selector = { app: 'demo', tier: 'web' }),
      want: 'spec.strategy.canary.canaryService: Invalid value: {"app":"demo"}: Service "demo-canary" has unmatch label "tier" in rollout',
    },
    {
      name: 'a Service managed by another Rollout',
      change: (s) =>
        (s['demo-stable']!.annotations = { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'other' }),
      want: 'spec.strategy.canary.stableService: Invalid value: "demo-stable": Service "demo-stable" is managed by another Rollout',
    },
  ])('$name', ({ change, want }) => {
    const s = services();
    change(s);
    expect(firstError(base(), s)).toBe(want);
  });
});

test('the InvalidSpec message names the Rollout and the field', () => {
  const ro = base();
  canaryOf(ro).steps![0] = { setWeight: 150 };
  const [first] = validateRollout(ro);
  expect(invalidSpecMessage('demo', first!)).toBe(
    'The Rollout "demo" is invalid: spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100',
  );
});

test.each<{
  name: string;
  selector: LabelSelector;
  labels: Record<string, string>;
  want: boolean | undefined;
}>([
  {
    name: 'matchLabels subset',
    selector: { matchLabels: { a: '1' } },
    labels: { a: '1', b: '2' },
    want: true,
  },
  { name: 'matchLabels differ', selector: { matchLabels: { a: '1' } }, labels: { a: '2' }, want: false },
  {
    name: 'In',
    selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] },
    labels: { a: '2' },
    want: true,
  },
  {
    name: 'Exists missing',
    selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] },
    labels: {},
    want: false,
  },
  {
    name: 'DoesNotExist',
    selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
    labels: { b: '1' },
    want: true,
  },
  {
    name: 'In with no values is malformed',
    selector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
    labels: {},
    want: undefined,
  },
])('selectorMatches: $name', ({ selector, labels, want }) => {
  expect(selectorMatches(selector, labels)).toBe(want);
});

describe('traffic routing fields', () => {
  const routed = (trafficRouting: Record<string, unknown>, steps: unknown[] = [{ setWeight: 25 }]) => {
    const ro = base();
    Object.assign(canaryOf(ro), { trafficRouting, steps });
    return ro;
  };
  const header = (headerValue: Record<string, string>) => ({
    setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue }] },
  });
  test.each<{ name: string; ro: RolloutLike; want: string | undefined }>([
    {
      name: 'a header match with two values',
      ro: routed({ istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'h' }] }, [
        header({ exact: 'a', prefix: 'b' }),
      ]),
      want: 'spec.strategy.steps[0].setHeaderRoute.match[0]: Invalid value: {"exact":"a","prefix":"b"}: StringMatch match value must have exactly one of the following: exact, regex, prefix',
    },
    {
      name: 'ALB header routes take exact values only',
      ro: routed({ alb: { ingress: 'web', servicePort: 80 }, managedRoutes: [{ name: 'h' }] }, [
        header({ regex: 'a.*' }),
      ]),
      want: `spec.strategy.steps[0].setHeaderRoute.match[0]: Invalid value: {"regex":"a.*"}: SetHeaderRoute match value invalid. ALB supports 'exact' value only`,
    },
    {
      name: 'NGINX needs a stable Ingress (our check)',
      ro: routed({ nginx: {} }),
      want: 'spec.strategy.canary.trafficRouting.nginx: Required value: NGINX traffic routing needs one of stableIngress, stableIngresses',
    },
    {
      name: 'mirror routes are accepted with the Gateway API router (our extension)',
      ro: routed(
        { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web' } }, managedRoutes: [{ name: 'm' }] },
        [{ setMirrorRoute: { name: 'm', match: [{ path: { prefix: '/' } }] } }],
      ),
      want: undefined,
    },
    {
      name: 'mirror routes with NGINX are not',
      ro: routed({ nginx: { stableIngress: 'web' }, managedRoutes: [{ name: 'm' }] }, [
        { setMirrorRoute: { name: 'm' } },
      ]),
      want: 'spec.strategy.steps[0].setMirrorRoute: Invalid value: {"name":"m"}: SetMirrorRoute requires TrafficRouting, supports Istio only',
    },
  ])('$name', ({ ro, want }) => {
    const errors = validateRollout(ro);
    expect(errors[0] && fieldErrorString(errors[0])).toBe(want);
  });
});
