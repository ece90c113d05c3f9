import type { Experiment } from '@rollout-kit/api';
import { podTemplateHash } from '../rollout/pod-hash.ts';
import { experimentAnalysisRun, experimentReplicaSet } from './experiment-objects.ts';

const experiment: Experiment = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Experiment',
  metadata: {
    name: 'exp',
    namespace: 'ns',
    uid: 'e1',
    labels: { 'rollouts-pod-template-hash': 'h1', 'argo-rollouts.argoproj.io/controller-instance-id': 'a' },
  },
  spec: {
    templates: [
      {
        name: 'canary',
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'rollouts-pod-template-hash': 'old' } },
        template: {
          metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': 'old' } },
          spec: { containers: [{ name: 'web', image: 'web:2' }] },
        },
      },
    ],
    dryRun: [{ metricName: 'noisy' }],
    analysisRunMetadata: { labels: { team: 'x' } },
  },
};

test('a template ReplicaSet: hash of the template without its old hash label, in labels and selector', () => {
  const template = experiment.spec.templates[0]!;
  const hash = podTemplateHash({
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'web:2' }] },
  });
  const rs = experimentReplicaSet(experiment, template);
  expect(rs.metadata).toMatchObject({
    name: 'exp-canary',
    namespace: 'ns',
    labels: { app: 'web', 'rollouts-pod-template-hash': hash },
    annotations: { 'experiment.argoproj.io/name': 'exp', 'experiment.argoproj.io/template-name': 'canary' },
    ownerReferences: [
      { kind: 'Experiment', name: 'exp', uid: 'e1', controller: true, blockOwnerDeletion: true },
    ],
  });
  expect(rs.spec?.replicas).toBe(0);
  expect(rs.spec?.selector?.matchLabels).toEqual({ app: 'web', 'rollouts-pod-template-hash': hash });
  expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'rollouts-pod-template-hash': hash });
});

test('an analysis run: templates flattened, value args over the template args, labels and dryRun', () => {
  const run = experimentAnalysisRun(
    experiment,
    { name: 'rate', templateName: 't', args: [{ name: 'service', value: 'web' }] },
    {
      namespaced: (n) =>
        n === 't'
          ? { args: [{ name: 'service' }], metrics: [{ name: 'm', provider: { web: { url: 'http://x' } } }] }
          : undefined,
      cluster: () => undefined,
    },
  );
  expect(run.metadata).toMatchObject({
    name: 'exp-rate',
    labels: {
      team: 'x',
      'rollouts-pod-template-hash': 'h1',
      'argo-rollouts.argoproj.io/controller-instance-id': 'a',
    },
    ownerReferences: [expect.objectContaining({ kind: 'Experiment', uid: 'e1' })],
  });
  expect(run.spec.args).toEqual([{ name: 'service', value: 'web' }]);
  expect(run.spec.dryRun).toEqual([{ metricName: 'noisy' }]);
});
