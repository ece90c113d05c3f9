import type { AnalysisTemplateSpec, Rollout } from '@rollout-kit/api';
import { newRolloutAnalysisRun, rolloutArgValues, rolloutFieldValue, rolloutRunName } from './rollout-run.ts';

const rollout: Rollout = {
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'r-1',
    labels: { team: 'checkout' },
    annotations: { 'a/b': 'c' },
  },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:2' }] },
    },
  },
};

test.each([
  { name: 'a step run', type: 'Step' as const, step: 2, want: 'web-6f9c-3-2' },
  { name: 'a background run', type: 'Background' as const, step: undefined, want: 'web-6f9c-3' },
  { name: 'pre-promotion', type: 'PrePromotion' as const, step: undefined, want: 'web-6f9c-3-pre' },
  { name: 'post-promotion', type: 'PostPromotion' as const, step: undefined, want: 'web-6f9c-3-post' },
])('rolloutRunName: $name', ({ type, step, want }) => {
  expect(rolloutRunName(rollout, type, '6f9c', 3, step)).toBe(want);
});

test.each([
  { name: 'metadata.name', path: 'metadata.name', want: 'web' },
  { name: 'a label', path: "metadata.labels['team']", want: 'checkout' },
  { name: 'an annotation with a slash', path: "metadata.annotations['a/b']", want: 'c' },
  { name: 'an indexed spec path', path: 'spec.template.spec.containers[0].image', want: 'web:2' },
  { name: 'a number is its text', path: 'spec.replicas', want: '4' },
  { name: 'an object is JSON', path: 'spec.selector.matchLabels', want: '{"app":"web"}' },
])('rolloutFieldValue: $name', ({ path, want }) => {
  expect(rolloutFieldValue(rollout, path)).toBe(want);
});

test.each([
  { name: 'a missing field', path: 'spec.nothing.here' },
  { name: 'an index out of range', path: 'spec.template.spec.containers[3].image' },
  { name: 'a missing label', path: "metadata.labels['nope']" },
])('rolloutFieldValue refuses $name', ({ path }) => {
  expect(() => rolloutFieldValue(rollout, path)).toThrow(
    `fieldRef ${JSON.stringify(path)} does not resolve on the Rollout`,
  );
});

test('rolloutArgValues resolves value, pod hashes and fieldRef', () => {
  expect(
    rolloutArgValues(
      [
        { name: 'v', value: 'x' },
        { name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } },
        { name: 'latest', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'image', valueFrom: { fieldRef: { fieldPath: 'spec.template.spec.containers[0].image' } } },
      ],
      rollout,
      { stable: 'aaa', latest: 'bbb' },
    ),
  ).toEqual({ v: 'x', stable: 'aaa', latest: 'bbb', image: 'web:2' });
});

test('rolloutArgValues refuses another podTemplateHashValue', () => {
  expect(() =>
    rolloutArgValues([{ name: 'h', valueFrom: { podTemplateHashValue: 'Canary' } }], rollout, {
      latest: 'b',
    }),
  ).toThrow('args.h: podTemplateHashValue "Canary" is not Stable or Latest');
});

const templates: Record<string, AnalysisTemplateSpec> = {
  'success-rate': {
    args: [{ name: 'service' }, { name: 'hash' }],
    metrics: [{ name: 'success-rate', provider: { web: { url: 'http://{{args.service}}/{{args.hash}}' } } }],
  },
};

test('newRolloutAnalysisRun builds a step run with upstream labels, annotations, owner and args', () => {
  const run = newRolloutAnalysisRun({
    rollout,
    type: 'Step',
    stepIndex: 1,
    analysis: {
      templates: [{ templateName: 'success-rate' }],
      args: [
        { name: 'service', value: 'web-canary' },
        { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      ],
      dryRun: [{ metricName: 'success-rate' }],
      analysisRunMetadata: { labels: { extra: 'l' }, annotations: { note: 'n' } },
    },
    templates: { namespaced: (n) => templates[n], cluster: () => undefined },
    podHash: '6f9c',
    stableHash: '5d7f',
    revision: 2,
    instanceId: 'blue',
  });
  expect(run.metadata).toEqual({
    name: 'web-6f9c-2-1',
    namespace: 'shop',
    labels: {
      app: 'web',
      extra: 'l',
      'rollouts-pod-template-hash': '6f9c',
      'rollout-type': 'Step',
      'step-index': '1',
      'argo-rollouts.argoproj.io/controller-instance-id': 'blue',
    },
    annotations: { note: 'n', 'rollout.argoproj.io/revision': '2' },
    ownerReferences: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'web',
        uid: 'r-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  });
  expect(run.spec).toEqual({
    metrics: templates['success-rate']?.metrics,
    args: [
      { name: 'service', value: 'web-canary' },
      { name: 'hash', value: '6f9c' },
    ],
    dryRun: [{ metricName: 'success-rate' }],
  });
});
