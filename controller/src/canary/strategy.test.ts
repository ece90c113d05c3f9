// The canary pass through the strategy seam, for what traffic routing adds: the routers' input
// (only with trafficRouting), and scale-down delays as deadline changes and the one scale.
import type { Rollout, RolloutStatus } from '@rollout-kit/api';
import { currentStepHash } from './step-hash.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { canaryStrategy } from './strategy.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function rs(hash: string, spec: number, deadline?: string, revision = hash === 'y' ? 2 : 1): ReplicaSet {
  return {
    metadata: {
      name: `web-${hash}`,
      labels: { app: 'web', 'rollouts-pod-template-hash': hash },
      annotations: {
        'rollout.argoproj.io/revision': String(revision),
        ...(deadline ? { 'scale-down-deadline': deadline } : {}),
      },
    },
    spec: { replicas: spec },
    status: { replicas: spec, readyReplicas: spec, availableReplicas: spec },
  };
}

function rollout(routed: boolean, status: RolloutStatus): Rollout {
  const r: Rollout = {
    metadata: { name: 'web', namespace: 'ns', generation: 2 },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          ...(routed ? { trafficRouting: { nginx: { stableIngress: 'web' } } } : {}),
          steps: [{ setWeight: 25 }, { pause: {} }],
        },
      },
    },
  };
  r.status = { observedGeneration: '2', currentStepHash: currentStepHash(r), ...status };
  return r;
}

function pass(
  routed: boolean,
  status: RolloutStatus,
  owned: ReplicaSet[],
  newHash: string,
  stableHash: string,
) {
  const newRS = owned.find((r) => r.metadata.labels?.['rollouts-pod-template-hash'] === newHash);
  const stableRS = owned.find((r) => r.metadata.labels?.['rollouts-pod-template-hash'] === stableHash);
  return canaryStrategy.begin({
    rollout: rollout(routed, status),
    currentPodHash: newHash,
    owned,
    newRS,
    stableRS,
    others: owned.filter((r) => r !== newRS && r !== stableRS),
    services: {},
    revision: 2,
    now: NOW,
  });
}

test('the routers get the decided Rollout, counts and hashes only with trafficRouting', () => {
  const owned = [rs('y', 1), rs('b', 4)];
  const status = { currentPodHash: 'y', stableRS: 'b', currentStepIndex: 1 };
  const routed = pass(true, status, owned, 'y', 'b').traffic?.();
  expect(routed).toMatchObject({
    canaryHash: 'y',
    stableHash: 'b',
    newRS: { name: 'web-y' },
    stableRS: { name: 'web-b' },
  });
  expect(pass(false, status, owned, 'y', 'b').traffic).toBeUndefined();
});

test.each([
  {
    name: 'after promotion the previous stable gets a deadline and is not scaled',
    owned: [rs('y', 4), rs('b', 4)],
    deadlines: [{ name: 'web-b', deadline: at(30) }],
    scale: undefined,
  },
  {
    name: 'once the deadline passed it goes to 0 and the deadline is cleared',
    owned: [rs('y', 4), rs('b', 4, at(-1))],
    deadlines: [],
    scale: { name: 'web-b', from: 4, to: 0, clearDeadline: true },
  },
])('$name', ({ owned, deadlines, scale }) => {
  const p = pass(true, { currentPodHash: 'y', stableRS: 'y', currentStepIndex: 2 }, owned, 'y', 'y');
  expect(p.scaleDownDeadlines()).toEqual(deadlines);
  expect(p.nextScaleAction()).toEqual(scale);
});

test('without traffic routing the previous stable drains at once (no delay)', () => {
  const p = pass(
    false,
    { currentPodHash: 'y', stableRS: 'y', currentStepIndex: 2 },
    [rs('y', 4), rs('b', 4)],
    'y',
    'y',
  );
  expect(p.scaleDownDeadlines()).toEqual([]);
  expect(p.nextScaleAction()).toMatchObject({ name: 'web-b', from: 4 });
});
