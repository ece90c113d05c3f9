import type { CanaryStep, Experiment, Rollout, TemplateStatus } from '@rollout-kit/api';
import { experimentWeightDestinations } from './experiment-weights.ts';

const steps: CanaryStep[] = [
  { setWeight: 20 },
  {
    experiment: {
      templates: [
        { name: 'a', specRef: 'canary', weight: 10 },
        { name: 'b', specRef: 'stable', weight: 5 },
        { name: 'c', specRef: 'stable' },
      ],
    },
  },
  { pause: {} },
  { setWeight: 50 },
];
const rollout = (index: number): Pick<Rollout, 'spec' | 'status'> => ({
  spec: { strategy: { canary: { steps } } },
  status: { currentStepIndex: index },
});
const template = (name: string, serviceName?: string): TemplateStatus => ({
  name,
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  podTemplateHash: `h-${name}`,
  ...(serviceName ? { serviceName } : {}),
});
const experiment = (phase: string, templates: TemplateStatus[]): Pick<Experiment, 'status'> => ({
  status: { phase, templateStatuses: templates },
});
const all = [template('a', 'exp-a'), template('b', 'exp-b'), template('c', 'exp-c')];
const both = [
  { weight: 10, serviceName: 'exp-a', podTemplateHash: 'h-a' },
  { weight: 5, serviceName: 'exp-b', podTemplateHash: 'h-b' },
];

test.each([
  { name: 'running, at the experiment step', index: 1, exp: experiment('Running', all), want: both },
  {
    name: 'running, a later step still in its effect',
    index: 2,
    exp: experiment('Running', all),
    want: both,
  },
  { name: 'before the experiment step', index: 0, exp: experiment('Running', all), want: [] },
  { name: 'past the steps', index: 4, exp: experiment('Running', all), want: [] },
  { name: 'pending (templates not available)', index: 1, exp: experiment('Pending', all), want: [] },
  { name: 'successful: the destinations leave', index: 1, exp: experiment('Successful', all), want: [] },
  { name: 'failed', index: 1, exp: experiment('Failed', all), want: [] },
  { name: 'no Experiment', index: 1, exp: undefined, want: [] },
  {
    name: 'a weighted template without its Service yet',
    index: 1,
    exp: experiment('Running', [template('a'), template('b', 'exp-b')]),
    want: [both[1]],
  },
])('$name', ({ index, exp, want }) => {
  expect(experimentWeightDestinations(rollout(index), exp)).toEqual(want);
});
