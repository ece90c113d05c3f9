import type { Rollout } from '@rollout-kit/api';
import {
  deploymentReplicas,
  resolveWorkload,
  rolloutsReferencingDeployment,
  workloadGeneration,
  type Deployment,
} from './workload-ref.ts';

const deployment: Deployment = {
  metadata: { name: 'web', namespace: 'shop', generation: 3 },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    },
  },
};

function rollout(
  ref: Partial<NonNullable<Rollout['spec']['workloadRef']>> | undefined,
  selector?: object,
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 4,
      ...(selector ? { selector } : {}),
      ...(ref ? { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', ...ref } } : {}),
      strategy: { canary: {} },
    },
  };
}

describe('resolveWorkload', () => {
  test('the Deployment supplies template and selector', () => {
    const got = resolveWorkload(rollout({}), deployment);
    expect('rollout' in got && got.rollout.spec).toMatchObject({
      template: deployment.spec?.template,
      selector: { matchLabels: { app: 'web' } },
    });
  });
  test("the Rollout's own selector wins", () => {
    const got = resolveWorkload(rollout({}, { matchLabels: { tier: 'x' } }), deployment);
    expect('rollout' in got && got.rollout.spec.selector).toEqual({ matchLabels: { tier: 'x' } });
  });
  test('the original Rollout is not changed', () => {
    const r = rollout({});
    resolveWorkload(r, deployment);
    expect(r.spec.template).toBeUndefined();
  });
  test('no workloadRef: the Rollout itself', () => {
    const r = rollout(undefined);
    expect(resolveWorkload(r, undefined)).toEqual({ rollout: r });
  });
  test.each([
    { name: 'a missing Deployment names the field', ref: {}, dep: undefined, field: 'spec.workloadRef.name' },
    {
      name: 'a PodTemplate is not supported',
      ref: { apiVersion: 'v1', kind: 'PodTemplate' },
      dep: deployment,
      field: 'spec.workloadRef.kind',
    },
    {
      name: 'another group is not supported',
      ref: { apiVersion: 'example.com/v1', kind: 'Deployment' },
      dep: deployment,
      field: 'spec.workloadRef.kind',
    },
  ])('$name', ({ ref, dep, field }) => {
    const got = resolveWorkload(rollout(ref), dep);
    expect('error' in got && got.error.field).toBe(field);
  });
});

test('the generation is a string', () => {
  expect(workloadGeneration(deployment)).toBe('3');
});

describe('deploymentReplicas', () => {
  const base = { revision: 1, healthy: false, replicas: 4, readyReplicas: 0, current: 4 };
  test.each([
    { name: 'never leaves it', mode: 'never', over: { healthy: true }, want: undefined },
    { name: 'empty leaves it', mode: undefined, over: { healthy: true }, want: undefined },
    { name: 'onsuccess waits for Healthy', mode: 'onsuccess', over: { readyReplicas: 3 }, want: undefined },
    {
      name: 'onsuccess scales to 0 once Healthy',
      mode: 'onsuccess',
      over: { healthy: true, readyReplicas: 4 },
      want: 0,
    },
    { name: 'progressively follows readiness', mode: 'progressively', over: { readyReplicas: 3 }, want: 1 },
    { name: 'progressively with nothing ready leaves it', mode: 'progressively', over: {}, want: undefined },
    {
      name: 'progressively scales to 0 once Healthy',
      mode: 'progressively',
      over: { healthy: true },
      want: 0,
    },
    {
      name: 'never scales back up',
      mode: 'progressively',
      over: { readyReplicas: 1, current: 0 },
      want: undefined,
    },
    {
      name: 'only revision 1 migrates',
      mode: 'onsuccess',
      over: { healthy: true, revision: 2 },
      want: undefined,
    },
  ])('$name', ({ mode, over, want }) => {
    expect(deploymentReplicas({ ...base, mode, ...over })).toBe(want);
  });
});

test('Rollouts referencing a Deployment by name', () => {
  const other = { ...rollout({ name: 'api' }), metadata: { name: 'api', namespace: 'shop' } };
  expect(rolloutsReferencingDeployment([rollout({}), other, rollout(undefined)], deployment)).toEqual([
    'shop/web',
  ]);
});
