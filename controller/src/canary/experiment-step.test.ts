import type { CanaryStep, Experiment, Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { experimentFromStep, experimentStepPlan } from './experiment-step.ts';

const step: CanaryStep = {
  experiment: {
    duration: '1m',
    templates: [
      { name: 'canary', specRef: 'canary', replicas: 2, metadata: { labels: { role: 'exp' } } },
      { name: 'baseline', specRef: 'stable' },
    ],
    analyses: [
      {
        name: 'rate',
        templateName: 'success-rate',
        args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
      },
    ],
  },
};

function rollout(status: Partial<RolloutStatus> = {}): Rollout {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', labels: { team: 'a' } },
    spec: {
      progressDeadlineSeconds: 120,
      selector: { matchLabels: { app: 'web' } },
      strategy: { canary: { steps: [{ setWeight: 25 }, step] } },
    },
    status: { currentPodHash: 'n2', currentStepHash: 'sh', stableRS: 's1', currentStepIndex: 1, ...status },
  };
}

const replicaSet = (hash: string): ReplicaSet =>
  ({
    metadata: { name: `web-${hash}`, labels: { app: 'web', 'rollouts-pod-template-hash': hash } },
    spec: {
      selector: { matchLabels: { app: 'web', 'rollouts-pod-template-hash': hash } },
      template: {
        metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [] },
      },
    },
  }) as unknown as ReplicaSet;

const experiment = (name: string, phase?: string, message?: string): Experiment => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Experiment',
  metadata: { name, labels: { 'rollouts-pod-template-hash': 'n2' } },
  spec: { templates: [] },
  ...(phase ? { status: { phase, ...(message ? { message } : {}) } } : {}),
});

const plan = (r: Rollout, experiments: Experiment[] = []) =>
  experimentStepPlan({
    rollout: r,
    experiments,
    newRS: replicaSet('n2'),
    stableRS: replicaSet('s1'),
    podHash: 'n2',
    stepHash: 'sh',
    revision: 2,
  });

test('the experiment step creates its Experiment from the canary and stable ReplicaSets', () => {
  const p = plan(rollout());
  const e = p.create!;
  expect(e.metadata).toMatchObject({
    name: 'web-n2-2-1',
    labels: { 'rollouts-pod-template-hash': 'n2' },
    annotations: { 'rollout.argoproj.io/revision': '2' },
    ownerReferences: [expect.objectContaining({ kind: 'Rollout', uid: 'u1', controller: true })],
  });
  expect(e.spec).toMatchObject({ duration: '1m', progressDeadlineSeconds: 120 });
  expect(e.spec.templates.map((t) => [t.name, t.replicas, t.template.metadata?.labels])).toEqual([
    ['canary', 2, { app: 'web', 'rollouts-pod-template-hash': 'n2', role: 'exp' }],
    ['baseline', undefined, { app: 'web', 'rollouts-pod-template-hash': 's1' }],
  ]);
  expect(e.spec.templates[0]?.selector.matchLabels).toEqual({
    app: 'web',
    'rollouts-pod-template-hash': 'n2',
    role: 'exp',
  });
  expect(e.spec.analyses).toEqual([
    { name: 'rate', templateName: 'success-rate', args: [{ name: 'hash', value: 'n2' }] },
  ]);
  expect(p.recordCurrent).toBe(true);
});

test.each([
  { name: 'running', phase: 'Running', reaction: { kind: 'none' }, record: true },
  { name: 'successful', phase: 'Successful', reaction: { kind: 'none' }, record: false },
  {
    name: 'inconclusive',
    phase: 'Inconclusive',
    reaction: { kind: 'pause', reason: 'InconclusiveExperiment' },
    record: true,
  },
  {
    name: 'failed',
    phase: 'Failed',
    reaction: { kind: 'abort', message: 'Experiment analysis phase is error/failed: why' },
    record: true,
  },
])('the current Experiment, $name', ({ phase, reaction, record }) => {
  const current = experiment('web-n2-2-1', phase, 'why');
  const p = plan(rollout({ canary: { currentExperiment: 'web-n2-2-1' } }), [current]);
  expect(p).toMatchObject({ current, reaction, stepRunPhase: phase, recordCurrent: record });
  expect(p.create).toBeUndefined();
});

test('an Experiment of an earlier step, or any when aborted, is ended', () => {
  const old = experiment('web-n2-2-1', 'Running');
  const moved = plan(rollout({ currentStepIndex: 2, canary: { currentExperiment: 'web-n2-2-1' } }), [old]);
  expect(moved.terminate).toEqual([old]);
  expect(moved.current).toBeUndefined();
  const aborted = plan(rollout({ abort: true, canary: { currentExperiment: 'web-n2-2-1' } }), [old]);
  expect(aborted.terminate).toEqual([old]);
  const windowed = experimentStepPlan({
    rollout: rollout({ canary: { currentExperiment: 'web-n2-2-1' } }),
    experiments: [old],
    podHash: 'n2',
    stepHash: 'sh',
    revision: 2,
    rollbackWithinWindow: true,
  });
  expect(windowed.terminate).toEqual([old]);
  expect(windowed.create).toBeUndefined();
});

test('a specRef that is neither canary nor stable is an error', () => {
  expect(() =>
    experimentFromStep(
      rollout(),
      { templates: [{ name: 'x', specRef: 'preview' }] },
      { name: 'e', podHash: 'n2', revision: 2, newRS: replicaSet('n2'), stableRS: replicaSet('s1') },
    ),
  ).toThrow('template "x": specRef must be canary or stable');
});
