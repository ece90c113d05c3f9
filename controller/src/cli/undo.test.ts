import type { Rollout } from '@rollout-kit/api';
import type { ReplicaSetObject } from './objects.ts';
import { undoPlan } from './undo.ts';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'rollouts-pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});
const rs = (revision: number, image: string, hash: string): ReplicaSetObject => ({
  metadata: { name: `web-${hash}`, annotations: { 'rollout.argoproj.io/revision': String(revision) } },
  spec: { replicas: 0, template: template(image, hash) },
});
const ro = (image: string): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: { template: template(image) },
});
const sets = [rs(1, 'a:1', 'h1'), rs(3, 'a:3', 'h3'), rs(2, 'a:2', 'h2')];

test.each([
  {
    name: 'default: the second-highest revision',
    image: 'a:3',
    to: 0,
    want: { kind: 'patch', revision: 2, image: 'a:2' },
  },
  { name: 'an explicit revision', image: 'a:3', to: 1, want: { kind: 'patch', revision: 1, image: 'a:1' } },
  { name: 'the current template already matches', image: 'a:2', to: 2, want: { kind: 'skip', revision: 2 } },
])('$name', ({ image, to, want }) => {
  const plan = undoPlan(ro(image), sets, to);
  expect(plan.kind).toBe(want.kind);
  expect(plan.revision).toBe(want.revision);
  if (plan.kind === 'patch') {
    const [op] = plan.patch;
    expect(op).toMatchObject({ op: 'replace', path: '/spec/template' });
    expect(op.value.spec?.containers?.[0]?.image).toBe(want.image);
    // The hash label is the controller's: it is not copied back onto the Rollout.
    expect(op.value.metadata?.labels).toEqual({ app: 'web' });
  }
});

test.each([{ name: 'an unknown revision', to: 9, error: 'unable to find specified revision 9 in history' }])(
  '$name is an error',
  ({ to, error }) => {
    expect(() => undoPlan(ro('a:3'), sets, to)).toThrow(error);
  },
);

test('no history at all is an error', () => {
  expect(() => undoPlan(ro('a:1'), [rs(1, 'a:1', 'h1')], 0)).toThrow('no rollout history found');
});
