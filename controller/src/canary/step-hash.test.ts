import type { CanaryStep } from '@rollout-kit/api';
import { currentStepHash, stepsHash } from './step-hash.ts';

// Expected hashes were computed by Argo Rollouts v1.9.1 itself: controller/api/tools/go-json
// (`go run . step-hash`) calls upstream's conditions.ComputeStepHash on each list.
test.each<{ name: string; steps: CanaryStep[] | undefined; hash: string }>([
  {
    name: 'the reference example',
    steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '10s' } }],
    hash: '55bfd76497',
  },
  { name: 'no steps field marshals null', steps: undefined, hash: '5ffbfbbd64' },
  { name: 'an empty list marshals []', steps: [], hash: '5f8cb5778f' },
  { name: 'an integer duration', steps: [{ pause: { duration: 10 } }], hash: '7d845f6744' },
  { name: 'a numeric string duration differs', steps: [{ pause: { duration: '10' } }], hash: '749d6fd67d' },
  {
    name: 'the demo steps',
    steps: [
      { setWeight: 20 },
      { pause: { duration: '1h' } },
      { setWeight: 40 },
      { pause: { duration: 10 } },
      { setWeight: 60 },
      { pause: { duration: 10 } },
      { setWeight: 80 },
      { pause: { duration: 10 } },
    ],
    hash: '7b448b4959',
  },
  { name: 'setWeight 0 is kept (a pointer)', steps: [{ setWeight: 0 }, { pause: {} }], hash: '67fdcb5c69' },
  {
    name: 'an experiment: struct fields always written, Go field order, sorted map keys',
    steps: [
      {
        experiment: {
          duration: '5m',
          templates: [
            { name: 'baseline', specRef: 'stable', replicas: 1 },
            {
              name: 'canary',
              specRef: 'canary',
              weight: 5,
              service: { name: 'svc' },
              selector: { matchLabels: { b: '2', a: '1' } },
            },
          ],
          analyses: [
            { name: 'a', templateName: 't', requiredForCompletion: true, args: [{ name: 'x', value: 'y' }] },
          ],
        },
      },
    ],
    hash: '878c6dcbd',
  },
  {
    name: 'an analysis step with every argument kind',
    steps: [
      {
        analysis: {
          templates: [{ templateName: 'success-rate', clusterScope: true }],
          args: [
            { name: 'service', value: 'demo' },
            { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } },
            { name: 'img', valueFrom: { fieldRef: { fieldPath: 'spec.template.spec.containers[0].image' } } },
          ],
          dryRun: [{ metricName: '.*' }],
          measurementRetention: [{ metricName: 'm', limit: 3 }],
        },
      },
    ],
    hash: '7cb4ccc96b',
  },
  {
    name: 'setCanaryScale forms; matchTrafficWeight false is omitted',
    steps: [
      { setCanaryScale: { replicas: 3 } },
      { setCanaryScale: { weight: 25 } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setCanaryScale: { matchTrafficWeight: false } },
    ],
    hash: '65f4498b58',
  },
  {
    name: 'header and mirror routes',
    steps: [
      { setHeaderRoute: { name: 'header', match: [{ headerName: 'Custom', headerValue: { exact: 'v' } }] } },
      {
        setMirrorRoute: {
          name: 'mirror',
          percentage: 50,
          match: [
            {
              method: { exact: 'POST' },
              path: { prefix: '/color' },
              headers: { z: { regex: '.*' }, a: { exact: '1' } },
            },
          ],
        },
      },
      { setHeaderRoute: { name: 'remove' } },
    ],
    hash: '69c744888d',
  },
  {
    name: 'plugin config is raw JSON, HTML-escaped like Go',
    steps: [{ plugin: { name: 'argoproj-labs/step', config: { b: 1, a: '<x&y>', list: [1, 2] } } }],
    hash: 'd69f4d8f8',
  },
  {
    name: 'unknown fields are dropped',
    steps: [{ setWeight: 10, futureField: true } as CanaryStep],
    hash: '54b5fccf74',
  },
])('$name: $hash', ({ steps, hash }) => {
  expect(stepsHash(steps)).toBe(hash);
});

test('blue-green has no step hash; a canary without steps hashes null', () => {
  expect(currentStepHash({ spec: { strategy: { blueGreen: { activeService: 'a' } } } })).toBe('');
  expect(currentStepHash({ spec: { strategy: { canary: {} } } })).toBe('5ffbfbbd64');
});
