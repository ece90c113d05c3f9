import type { Rollout } from '@rollout-kit/api';
import { renderList } from './render-list.ts';

const ro = (
  name: string,
  namespace: string,
  spec: Partial<Rollout['spec']>,
  status: Rollout['status'],
): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace, generation: 1 },
  spec: { replicas: 4, ...spec },
  status: { observedGeneration: '1', ...status },
});

const rollouts = [
  ro(
    'web',
    'shop',
    { strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } },
    {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      replicas: 5,
      readyReplicas: 5,
      updatedReplicas: 1,
      availableReplicas: 5,
    },
  ),
  ro(
    'api-server',
    'shop',
    { strategy: { blueGreen: { activeService: 'a' } } },
    { phase: 'Healthy', replicas: 4, readyReplicas: 4, updatedReplicas: 4, availableReplicas: 4 },
  ),
];

// As the plugin prints them, trailing spaces included (each value padded to about its header's width).
test.each([
  {
    name: 'one namespace',
    all: false,
    want: [
      'NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      'web         Canary     Paused        1/2   25          5/5    4        1           5        ',
      'api-server  BlueGreen  Healthy       -     -           4/4    4        4           4        ',
    ],
  },
  {
    name: 'all namespaces put NAMESPACE first',
    all: true,
    want: [
      'NAMESPACE  NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      'shop       web         Canary     Paused        1/2   25          5/5    4        1           5        ',
      'shop       api-server  BlueGreen  Healthy       -     -           4/4    4        4           4        ',
    ],
  },
])('$name', ({ all, want }) => {
  expect(renderList(rollouts, { allNamespaces: all })).toBe(want.map((line) => `${line}\n`).join(''));
});
