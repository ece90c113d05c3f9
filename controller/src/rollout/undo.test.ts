import type { PodTemplateSpec, Rollout } from '@rollout-kit/api';
import { podTemplateHash } from './pod-hash.ts';
import type { ReplicaSet } from './replica-set.ts';
import { findByTemplate, templateOf, undoPlan } from './undo.ts';

const HASH = 'rollouts-pod-template-hash';
const RECORD = 'rollout.argoproj.io/ephemeral-metadata';

const template = (image: string): PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

/** An RS as the API server stores it: hash label, a default filled in, maybe injected metadata. */
function rs(hash: string, revision: number, image: string, injected?: Record<string, string>): ReplicaSet {
  return {
    metadata: {
      name: `web-${hash}`,
      creationTimestamp: `2026-01-01T00:00:0${revision}Z`,
      labels: { app: 'web', [HASH]: hash },
      annotations: {
        'rollout.argoproj.io/revision': String(revision),
        ...(injected ? { [RECORD]: JSON.stringify({ labels: injected }) } : {}),
      },
    },
    spec: {
      template: {
        metadata: { labels: { app: 'web', [HASH]: hash, ...(injected ?? {}) } },
        spec: {
          containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent' }],
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
  };
}

const owned = [rs('b1', 1, 'web:1', { role: 'stable' }), rs('y2', 2, 'web:2'), rs('g3', 3, 'web:3')];

function rollout(
  annotation: string | undefined,
  extra: Partial<Rollout['spec']> = {},
  current = 'g3',
): Pick<Rollout, 'metadata' | 'spec' | 'status'> {
  return {
    metadata: {
      name: 'web',
      annotations: annotation === undefined ? {} : { 'rollout-kit.io/undo-to-revision': annotation },
    },
    spec: { template: template('web:3'), ...extra },
    status: { currentPodHash: current },
  };
}

describe('templateOf', () => {
  test('drops the hash label and the injected metadata, keeps defaults', () => {
    expect(templateOf(owned[0]!)).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'web:1', imagePullPolicy: 'IfNotPresent' }],
        dnsPolicy: 'ClusterFirst',
      },
    });
  });
  test('a label the user set to the same key is kept when its value differs', () => {
    const r = rs('x', 1, 'web:1', { role: 'stable' });
    r.spec!.template!.metadata!.labels!.role = 'mine';
    expect(templateOf(r).metadata?.labels).toEqual({ app: 'web', role: 'mine' });
  });
});

describe('undoPlan', () => {
  test.each([
    { name: 'no annotation: nothing', value: undefined, want: undefined },
    { name: 'revision 1 rolls back to web-b1', value: '1', want: 'rollback 1 web-b1' },
    { name: 'revision 0 is the previous revision', value: '0', want: 'rollback 2 web-y2' },
    { name: 'spaces around the number are fine', value: ' 2 ', want: 'rollback 2 web-y2' },
    { name: 'the running revision is skipped', value: '3', want: 'skip 3' },
    {
      name: 'an unknown revision is invalid',
      value: '9',
      want: 'invalid: unable to find specified revision 9 in history',
    },
    {
      name: 'a malformed revision is invalid',
      value: 'abc',
      want: 'invalid: invalid undo revision "abc": must be a revision number',
    },
    {
      name: 'a negative revision is invalid',
      value: '-1',
      want: 'invalid: invalid undo revision "-1": must be a revision number',
    },
  ])('$name', ({ value, want }) => {
    const plan = undoPlan(rollout(value), owned);
    const got =
      plan === undefined
        ? undefined
        : plan.kind === 'rollback'
          ? `rollback ${plan.revision} ${plan.replicaSet}`
          : plan.kind === 'skip'
            ? `skip ${plan.revision}`
            : `invalid: ${plan.message}`;
    expect(got).toBe(want);
  });

  test('the rollback template is the RS template without hash label and injected metadata', () => {
    const plan = undoPlan(rollout('1'), owned);
    expect(plan).toMatchObject({ kind: 'rollback', template: templateOf(owned[0]!) });
    expect(plan?.kind === 'rollback' && plan.template.metadata?.labels).toEqual({ app: 'web' });
  });

  test('a template equal to the revision is skipped even if another RS runs', () => {
    const plan = undoPlan({ ...rollout('2', {}, 'zz'), spec: { template: templateOf(owned[1]!) } }, owned);
    expect(plan?.kind).toBe('skip');
  });

  test('revision 0 with one revision only is invalid', () => {
    expect(undoPlan(rollout('0'), [owned[0]!])).toEqual({
      kind: 'invalid',
      message: 'no rollout history found',
    });
  });

  test('workloadRef Rollouts cannot be undone here', () => {
    const plan = undoPlan(
      rollout('1', { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } }),
      owned,
    );
    expect(plan?.kind).toBe('invalid');
  });
});

describe('findByTemplate', () => {
  test.each([
    { name: 'the copied template finds its RS', t: templateOf(owned[1]!), want: 'web-y2' },
    {
      name: 'key order does not matter',
      t: { spec: templateOf(owned[1]!).spec, metadata: { labels: { app: 'web' } } },
      want: 'web-y2',
    },
    { name: 'an undefaulted template finds nothing', t: template('web:2'), want: undefined },
    { name: 'a new image finds nothing', t: template('web:4'), want: undefined },
  ])('$name', ({ t, want }) => {
    expect(findByTemplate(owned, t)?.metadata.name).toBe(want);
  });
  test('hash of the copy differs from the RS hash label (why the search is needed)', () => {
    expect(podTemplateHash(templateOf(owned[1]!))).not.toBe('y2');
  });
});
