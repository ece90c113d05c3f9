import type { KubeObject } from './router.ts';
import { smiRouter, trafficSplitSpec } from './smi.ts';
import { desired, liveOf, routedRollout } from './test-rollout.ts';

test.each([
  { name: 'v1alpha1 writes quantities', version: 'v1alpha1' as const, canary: '20', stable: '80' },
  { name: 'v1alpha3 writes integers', version: 'v1alpha3' as const, canary: 20, stable: 80 },
])('$name', ({ version, canary, stable }) => {
  expect(trafficSplitSpec(routedRollout({ smi: {} }), desired(20), version)).toEqual({
    service: 'web-stable',
    backends: [
      { service: 'web-canary', weight: canary },
      { service: 'web-stable', weight: stable },
    ],
  });
});

test('rootService and trafficSplitName', () => {
  const r = routedRollout({ smi: { rootService: 'web', trafficSplitName: 'split' } });
  const ref = smiRouter('v1alpha2').refs(r)[0];
  expect(ref).toMatchObject({ group: 'split.smi-spec.io', version: 'v1alpha2', name: 'split' });
  expect(trafficSplitSpec(r, desired(0), 'v1alpha2').service).toBe('web');
});

describe('smiRouter.plan', () => {
  const rollout = routedRollout({ smi: {} });
  const router = smiRouter('v1alpha3');
  const ref = router.refs(rollout)[0];
  if (!ref) throw new Error('no ref');
  test('creates a missing TrafficSplit owned by the Rollout', () => {
    const plan = router.plan(rollout, liveOf([[ref, undefined]]), desired(10));
    expect(plan.writes[0]).toMatchObject({
      op: 'create',
      body: { metadata: { name: 'web', ownerReferences: [{ uid: 'uid-1' }] } },
    });
    expect(plan.events[0]?.reason).toBe('TrafficSplitCreated');
  });
  test('modifies an owned one, refuses a foreign one', () => {
    const created = router.plan(rollout, liveOf([[ref, undefined]]), desired(10)).writes[0]
      ?.body as KubeObject;
    expect(router.plan(rollout, liveOf([[ref, created]]), desired(10)).writes).toEqual([]);
    const plan = router.plan(rollout, liveOf([[ref, created]]), desired(50));
    expect(plan.writes[0]?.op).toBe('update');
    expect(plan.events[0]?.message).toBe('TrafficSplit `web` modified');
    const foreign = { ...created, metadata: { name: 'web' } };
    expect(router.plan(rollout, liveOf([[ref, foreign]]), desired(50)).problem).toEqual({
      kind: 'error',
      message: 'Rollout does not own TrafficSplit `web`',
    });
  });
});
