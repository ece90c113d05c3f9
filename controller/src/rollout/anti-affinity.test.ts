import type { AntiAffinity, Rollout } from '@rollout-kit/api';
import {
  affinityUpdate,
  antiAffinityOf,
  injectedTerm,
  replicaSetAffinity,
  withoutInjectedRule,
  type Affinity,
} from './anti-affinity.ts';
import { podTemplateHash } from './pod-hash.ts';
import type { ReplicaSet } from './replica-set.ts';
import { templateOf } from './undo.ts';

const PREFERRED: AntiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 40 } };
const REQUIRED: AntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: {} };

const userTerm = {
  labelSelector: { matchLabels: { app: 'web' } },
  topologyKey: 'topology.kubernetes.io/zone',
};
const userAffinity: Affinity = {
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: userTerm }],
  },
};

function rollout(opts: {
  anti?: AntiAffinity;
  strategy?: 'canary' | 'blueGreen';
  stableRS?: string;
  affinity?: Affinity;
}): Rollout {
  const strategy = opts.strategy ?? 'canary';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'nginx' }],
          ...(opts.affinity ? { affinity: opts.affinity } : {}),
        },
      },
      strategy:
        strategy === 'canary'
          ? { canary: { antiAffinity: opts.anti } }
          : { blueGreen: { activeService: 'web', antiAffinity: opts.anti } },
    },
    status: opts.stableRS ? { stableRS: opts.stableRS } : {},
  } as Rollout;
}

const rsOf = (hash: string, affinity?: Affinity): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    namespace: 'shop',
    labels: { app: 'web', 'rollouts-pod-template-hash': hash },
  },
  spec: {
    template: {
      metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': hash } },
      spec: { containers: [{ name: 'web', image: 'nginx' }], ...(affinity ? { affinity } : {}) },
    },
  },
});

const preferredRule = (stable: string, weight = 40) => ({
  weight,
  podAffinityTerm: injectedTerm(stable, 'shop'),
});

describe('antiAffinityOf', () => {
  test.each([
    { name: 'canary preferred', ro: rollout({ anti: PREFERRED }), want: PREFERRED },
    { name: 'blue-green required', ro: rollout({ anti: REQUIRED, strategy: 'blueGreen' }), want: REQUIRED },
    { name: 'not set', ro: rollout({}), want: undefined },
    { name: 'set but naming no rule', ro: rollout({ anti: {} }), want: undefined },
  ])('$name', ({ ro, want }) => {
    expect(antiAffinityOf(ro)).toEqual(want);
  });
});

describe('replicaSetAffinity', () => {
  test.each([
    {
      name: 'preferred: the term naming the stable hash, with the weight',
      ro: rollout({ anti: PREFERRED, stableRS: 'aaa' }),
      hash: 'bbb',
      want: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredRule('aaa')] } },
    },
    {
      name: 'required: the term in the required list',
      ro: rollout({ anti: REQUIRED, strategy: 'blueGreen', stableRS: 'aaa' }),
      hash: 'bbb',
      want: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [injectedTerm('aaa', 'shop')] },
      },
    },
    {
      name: "appended to the user's affinity, which is kept",
      ro: rollout({ anti: PREFERRED, stableRS: 'aaa', affinity: userAffinity }),
      hash: 'bbb',
      want: {
        nodeAffinity: userAffinity.nodeAffinity,
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, podAffinityTerm: userTerm },
            preferredRule('aaa'),
          ],
        },
      },
    },
    {
      name: 'no stable yet (first deploy): the template affinity only',
      ro: rollout({ anti: PREFERRED, affinity: userAffinity }),
      hash: 'bbb',
      want: userAffinity,
    },
    {
      name: 'the RS is the stable one: nothing injected',
      ro: rollout({ anti: REQUIRED, stableRS: 'bbb' }),
      hash: 'bbb',
      want: undefined,
    },
    {
      name: 'antiAffinity not set: nothing injected',
      ro: rollout({ stableRS: 'aaa' }),
      hash: 'bbb',
      want: undefined,
    },
  ])('$name', ({ ro, hash, want }) => {
    expect(replicaSetAffinity(ro, hash)).toEqual(want);
  });

  test("never changes the Rollout's template (whose hash the RS name carries)", () => {
    const ro = rollout({ anti: PREFERRED, stableRS: 'aaa', affinity: userAffinity });
    const before = podTemplateHash(ro.spec.template ?? {});
    replicaSetAffinity(ro, 'bbb');
    expect(podTemplateHash(ro.spec.template ?? {})).toBe(before);
    expect(ro.spec.template?.spec?.affinity).toEqual(userAffinity);
  });
});

describe('withoutInjectedRule', () => {
  test.each([
    { name: 'absent stays absent', affinity: undefined, want: undefined },
    {
      name: 'only the injected term: no affinity at all',
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [injectedTerm('a', 'shop')] },
      },
      want: undefined,
    },
    {
      name: "the user's terms and other affinity kept",
      affinity: {
        nodeAffinity: userAffinity.nodeAffinity,
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, podAffinityTerm: userTerm },
            preferredRule('a'),
          ],
        },
      },
      want: userAffinity,
    },
  ])('$name', ({ affinity, want }) => {
    expect(withoutInjectedRule(affinity)).toEqual(want);
  });
});

describe('affinityUpdate', () => {
  test.each([
    {
      name: 'the new RS already naming the stable: left alone',
      ro: rollout({ anti: PREFERRED, stableRS: 'aaa' }),
      rs: rsOf('bbb', {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredRule('aaa')] },
      }),
      want: undefined,
    },
    {
      name: 'naming an earlier stable: renewed',
      ro: rollout({ anti: REQUIRED, stableRS: 'ccc' }),
      rs: rsOf('bbb', {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [injectedTerm('aaa', 'shop')] },
      }),
      want: {
        to: {
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [injectedTerm('ccc', 'shop')] },
        },
      },
    },
    {
      name: 'promoted (the RS is now the stable): the term is dropped',
      ro: rollout({ anti: PREFERRED, stableRS: 'bbb' }),
      rs: rsOf('bbb', {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredRule('aaa')] },
      }),
      want: { to: undefined },
    },
    {
      name: "promoted with the user's affinity: only the term is dropped",
      ro: rollout({ anti: PREFERRED, stableRS: 'bbb', affinity: userAffinity }),
      rs: rsOf('bbb', {
        nodeAffinity: userAffinity.nodeAffinity,
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, podAffinityTerm: userTerm },
            preferredRule('aaa'),
          ],
        },
      }),
      want: { to: userAffinity },
    },
    {
      name: 'the stable without a term: left alone',
      ro: rollout({ anti: PREFERRED, stableRS: 'bbb', affinity: userAffinity }),
      rs: rsOf('bbb', userAffinity),
      want: undefined,
    },
    {
      name: 'antiAffinity removed from the spec mid-update: the term is dropped',
      ro: rollout({ stableRS: 'aaa' }),
      rs: rsOf('bbb', {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredRule('aaa')] },
      }),
      want: { to: undefined },
    },
    {
      name: 'an RS without the hash label: left alone',
      ro: rollout({ anti: PREFERRED, stableRS: 'aaa' }),
      rs: { metadata: { name: 'odd' } },
      want: undefined,
    },
  ])('$name', ({ ro, rs, want }) => {
    expect(affinityUpdate(ro, rs)).toEqual(want);
  });
});

describe('templateOf', () => {
  test('the injected term is not part of the template an undo copies back', () => {
    const ro = rollout({ anti: PREFERRED, stableRS: 'aaa', affinity: userAffinity });
    const rs = rsOf('bbb', replicaSetAffinity(ro, 'bbb'));
    expect(templateOf(rs).spec?.affinity).toEqual(userAffinity);
  });
});
