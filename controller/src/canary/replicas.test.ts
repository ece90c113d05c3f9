// Expected values are worked out by hand from the algorithms of replica-math.md (the arithmetic
// for the less obvious rows is in the comments), plus the examples upstream documents beside
// CalculateReplicaCountsForBasicCanary. Every basicCanaryCounts and trafficRoutedCounts row was
// also checked against Argo Rollouts v1.9.1 itself (controller/api/tools/go-json canary-counts).
import type { CanaryStep, CanaryStrategy, IntOrString, Rollout } from '@rollout-kit/api';
import {
  approximateSplit,
  atDesiredReplicaCounts,
  basicCanaryCounts,
  intOrPercentCount,
  maxSurge,
  maxUnavailable,
  resolveFenceposts,
  trafficRoutedCounts,
  type ReplicaSetCounts,
} from './replicas.ts';

interface RolloutOptions {
  replicas?: number;
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  steps?: CanaryStep[];
  index?: number;
  abort?: boolean;
  /** status.stableRS; '' for a first deploy. */
  stable?: string;
  canary?: Partial<CanaryStrategy>;
}

/** A canary Rollout whose current pod hash is "new" and stable hash is "stable". */
function rollout(o: RolloutOptions): Pick<Rollout, 'spec' | 'status'> {
  const canary: CanaryStrategy = { steps: o.steps ?? [], ...o.canary };
  if (o.maxSurge !== undefined) canary.maxSurge = o.maxSurge;
  if (o.maxUnavailable !== undefined) canary.maxUnavailable = o.maxUnavailable;
  const spec: Rollout['spec'] = { strategy: { canary } };
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  return {
    spec,
    status: {
      currentPodHash: 'new',
      stableRS: o.stable ?? 'stable',
      currentStepIndex: o.index ?? 0,
      abort: o.abort,
    },
  };
}

/** A ReplicaSet `name` with spec `spec`, `avail` available pods and as many created. */
function rs(name: string, spec: number, avail = spec, created = Math.max(spec, avail)): ReplicaSetCounts {
  return { name, specReplicas: spec, availableReplicas: avail, replicas: created };
}

describe('intOrPercentCount', () => {
  test.each([
    { name: 'an integer is itself', value: 3, total: 10, up: true, want: 3 },
    { name: '25% of 4 is exact', value: '25%', total: 4, up: true, want: 1 },
    { name: '25% of 5 rounds up for surge', value: '25%', total: 5, up: true, want: 2 },
    { name: '25% of 5 rounds down for unavailable', value: '25%', total: 5, up: false, want: 1 },
    { name: 'a string without % is still a percentage', value: '25', total: 5, up: true, want: 2 },
    { name: '33% of 10 up', value: '33%', total: 10, up: true, want: 4 },
    { name: '33% of 10 down', value: '33%', total: 10, up: false, want: 3 },
    { name: '1% of 1 up is a whole pod', value: '1%', total: 1, up: true, want: 1 },
    { name: '1% of 1 down is nothing', value: '1%', total: 1, up: false, want: 0 },
    { name: '100% of 3 down', value: '100%', total: 3, up: false, want: 3 },
  ])('$name', ({ value, total, up, want }) => {
    expect(intOrPercentCount(value, total, up)).toBe(want);
  });

  test('a string that is not a number is an error', () => {
    expect(() => intOrPercentCount('a lot', 10, true)).toThrow('invalid value for IntOrString: a lot');
  });
});

describe('fence posts', () => {
  test.each([
    { name: 'defaults on 4 replicas', ro: rollout({ replicas: 4 }), surge: 1, unavailable: 1 },
    { name: 'defaults on 5 replicas', ro: rollout({ replicas: 5 }), surge: 2, unavailable: 1 },
    {
      name: 'defaults on 3: unavailable rounds to 0',
      ro: rollout({ replicas: 3 }),
      surge: 1,
      unavailable: 0,
    },
    {
      name: 'both 0 forces unavailable 1',
      ro: rollout({ replicas: 10, maxSurge: 0, maxUnavailable: '0%' }),
      surge: 0,
      unavailable: 1,
    },
    { name: 'defaults on 1 replica', ro: rollout({ replicas: 1 }), surge: 1, unavailable: 0 },
    {
      name: 'unavailable is capped at R',
      ro: rollout({ replicas: 3, maxUnavailable: 5 }),
      surge: 1,
      unavailable: 3,
    },
    { name: 'replicas 0 has nothing unavailable', ro: rollout({ replicas: 0 }), surge: 0, unavailable: 0 },
    { name: 'replicas absent means 1', ro: rollout({ maxSurge: '50%' }), surge: 1, unavailable: 0 },
  ])('$name', ({ ro, surge, unavailable }) => {
    expect({ surge: maxSurge(ro), unavailable: maxUnavailable(ro) }).toEqual({ surge, unavailable });
  });

  test('resolveFenceposts keeps explicit values', () => {
    expect(resolveFenceposts('10%', 2, 30)).toEqual({ surge: 3, unavailable: 2 });
  });

  test('blue-green rounds maxUnavailable down without forcing 1', () => {
    const bg: Pick<Rollout, 'spec' | 'status'> = {
      spec: { replicas: 3, strategy: { blueGreen: { activeService: 'a' } } },
    };
    expect({ surge: maxSurge(bg), unavailable: maxUnavailable(bg) }).toEqual({ surge: 0, unavailable: 0 });
  });
});

describe('approximateSplit', () => {
  test.each([
    { name: 'no replicas', r: 0, w: 50, surge: 1, canary: 0, stable: 0 },
    // c=2 f=1; 5·0.3 = 1.5 is a tie so (1,5) is out; (2,5) Δ10, (2,6) Δ3.3, (1,6) Δ13.3.
    { name: 'E1: tie resolved with surge', r: 5, w: 30, surge: 1, canary: 2, stable: 4 },
    { name: 'E1 without surge', r: 5, w: 30, surge: 0, canary: 2, stable: 3 },
    { name: 'exact quarter', r: 4, w: 25, surge: 1, canary: 1, stable: 3 },
    { name: 'full weight', r: 10, w: 100, surge: 1, canary: 10, stable: 0 },
    { name: 'zero weight', r: 10, w: 0, surge: 2, canary: 0, stable: 10 },
    // zeroAllowed (R=1, no surge); 1·0.5 is a tie so only ceil (1,1) is a candidate.
    { name: 'one replica, half weight, no surge', r: 1, w: 50, surge: 0, canary: 1, stable: 0 },
    // ceil 1 is not < R and zero is not allowed; surge adds (1,2), floor 0 is not allowed.
    { name: 'one replica, half weight, surge', r: 1, w: 50, surge: 1, canary: 1, stable: 1 },
    { name: 'one replica, 5%, surge (upstream example)', r: 1, w: 5, surge: 1, canary: 1, stable: 1 },
    { name: 'one replica, 95%, surge (upstream example)', r: 1, w: 95, surge: 1, canary: 1, stable: 1 },
    { name: 'two replicas, half', r: 2, w: 50, surge: 0, canary: 1, stable: 1 },
    // 3·0.5 = 1.5 tie: the larger canary count wins.
    { name: 'odd replicas, half, no surge', r: 3, w: 50, surge: 0, canary: 2, stable: 1 },
    // (2,3) Δ16.7, (2,4) Δ0 → 2 and 2 with one surge pod.
    { name: 'odd replicas, half, surge', r: 3, w: 50, surge: 1, canary: 2, stable: 2 },
    // 10·0.05 = 0.5 tie: floor 0 is skipped anyway; (1,10).
    { name: 'small weight never gives 0 canaries', r: 10, w: 5, surge: 0, canary: 1, stable: 9 },
    // ceil 10 is not < R; floor 9 → (9,1).
    { name: 'large weight keeps one stable', r: 10, w: 99, surge: 0, canary: 9, stable: 1 },
    // (9,10) Δ9, (10,11) Δ8.09, (9,11) Δ17.2.
    { name: 'large weight with surge', r: 10, w: 99, surge: 1, canary: 10, stable: 1 },
    // (3,7) Δ9.86, (2,7) Δ4.43, (3,8) Δ4.5, (2,8) Δ8.
    { name: 'odd weight on 7 replicas', r: 7, w: 33, surge: 1, canary: 2, stable: 5 },
  ])('$name', ({ r, w, surge, canary, stable }) => {
    expect(approximateSplit(r, w, surge)).toEqual({ canary, stable });
  });

  test('a max weight of 1000', () => {
    expect(approximateSplit(10, 500, 0, 1000)).toEqual({ canary: 5, stable: 5 });
  });
});

describe('basicCanaryCounts', () => {
  const w = (weight: number) => [{ setWeight: weight }];
  test.each([
    {
      name: 'upstream example: 10 replicas at 10%, surge 1, unavailable 1',
      ro: rollout({ replicas: 10, steps: w(10), maxSurge: 1, maxUnavailable: 1 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 10),
      want: { canary: 1, stable: 9 },
    },
    {
      // room 3 → new 3; pool 0+10 = 10 ≤ minAvailable 10 → stable stays.
      name: 'upstream example: 30% with surge 3 and no unavailability',
      ro: rollout({ replicas: 10, steps: w(30), maxSurge: 3, maxUnavailable: 0 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 10),
      want: { canary: 3, stable: 10 },
    },
    {
      // no room; pool 10 > 5 → stable max(7, 10−5) = 7.
      name: 'upstream example: 30% with no surge and 5 unavailable',
      ro: rollout({ replicas: 10, steps: w(30), maxSurge: 0, maxUnavailable: 5 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 10),
      want: { canary: 0, stable: 7 },
    },
    {
      // split (1,10) with surge wins over (1,9): the stable RS keeps all 10.
      name: '5% on 10 replicas surges one canary',
      ro: rollout({ replicas: 10, steps: w(5), maxSurge: 1, maxUnavailable: 1 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 10),
      want: { canary: 1, stable: 10 },
    },
    {
      name: 'upstream example: one replica at 5%',
      ro: rollout({ replicas: 1, steps: w(5), maxSurge: 1, maxUnavailable: 0 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 1),
      want: { canary: 1, stable: 1 },
    },
    {
      name: 'upstream example: one replica at 95%',
      ro: rollout({ replicas: 1, steps: w(95), maxSurge: 1, maxUnavailable: 0 }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 1),
      want: { canary: 1, stable: 1 },
    },
    {
      // E2 reconcile 1: room 2 → new 2; pool 5 > 4 → stable max(3, 4) = 4.
      name: 'E2 reconcile 1: stable gives one pod first',
      ro: rollout({ replicas: 5, steps: w(40) }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 5),
      want: { canary: 2, stable: 4 },
    },
    {
      name: 'E2 reconcile 2: the new RS gets its 2 pods',
      ro: rollout({ replicas: 5, steps: w(40) }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 4),
      want: { canary: 2, stable: 4 },
    },
    {
      name: 'E2 reconcile 3: waits for the canary to become available',
      ro: rollout({ replicas: 5, steps: w(40) }),
      newRS: rs('new', 2, 0),
      stableRS: rs('stable', 4),
      want: { canary: 2, stable: 4 },
    },
    {
      // pool 2+4 = 6, excess 2 → stable max(3, 2) = 3.
      name: 'E2 reconcile 4: stable drops to its share',
      ro: rollout({ replicas: 5, steps: w(40) }),
      newRS: rs('new', 2),
      stableRS: rs('stable', 4),
      want: { canary: 2, stable: 3 },
    },
    {
      // weight 0: stable 3 → min(5, 3+2) = 5; decreasing: pool 2+3 = 5, excess 1 → new 1.
      name: 'abort: stable grows back and the canary starts draining',
      ro: rollout({ replicas: 5, steps: w(40), abort: true }),
      newRS: rs('new', 2),
      stableRS: rs('stable', 3),
      want: { canary: 1, stable: 5 },
    },
    {
      // pool 1 + 3 available = 4 ≤ 4: wait for the stable pods.
      name: 'abort: canary waits while stable pods start',
      ro: rollout({ replicas: 5, steps: w(40), abort: true }),
      newRS: rs('new', 1),
      stableRS: rs('stable', 5, 3),
      want: { canary: 1, stable: 5 },
    },
    {
      name: 'abort: the canary goes to 0 once stable is back',
      ro: rollout({ replicas: 5, steps: w(40), abort: true }),
      newRS: rs('new', 1),
      stableRS: rs('stable', 5),
      want: { canary: 0, stable: 5 },
    },
    {
      // no stable RS: the new RS wants R; defaults on 3 → surge 1, unavailable 0.
      name: 'first deploy scales the new RS to R',
      ro: rollout({ replicas: 3, steps: w(20), stable: '' }),
      newRS: rs('new', 0),
      want: { canary: 3, stable: 0 },
    },
    {
      name: 'promoted: the new RS is the stable RS and stays at R',
      ro: rollout({ replicas: 4, steps: w(20), stable: 'new' }),
      newRS: rs('new', 4),
      stableRS: rs('new', 4),
      want: { canary: 4, stable: 0 },
    },
    {
      // room 5 − 4 = 1 → new 1; an older RS still has pods, so nothing scales down yet.
      name: 'older ReplicaSets drain before stable shrinks',
      ro: rollout({ replicas: 4, steps: w(50) }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 2),
      otherRSs: [rs('old', 2)],
      want: { canary: 1, stable: 2 },
    },
    {
      // R 0: maxTotal 0, the rebalance takes stable to 0 as well.
      name: 'replicas 0 scales everything down',
      ro: rollout({ replicas: 0, steps: w(50) }),
      newRS: rs('new', 2),
      stableRS: rs('stable', 3),
      want: { canary: 0, stable: 0 },
    },
    {
      // defaults on 3 → surge 1, unavailable 0; split (2,2); room 1 → new 1; pool 3 ≤ 3.
      name: 'odd replicas, half weight: one canary first',
      ro: rollout({ replicas: 3, steps: w(50) }),
      newRS: rs('new', 0),
      stableRS: rs('stable', 3),
      want: { canary: 1, stable: 3 },
    },
    {
      name: 'odd replicas, half weight: then stable gives one',
      ro: rollout({ replicas: 3, steps: w(50) }),
      newRS: rs('new', 1),
      stableRS: rs('stable', 3),
      want: { canary: 1, stable: 2 },
    },
    {
      name: 'odd replicas, half weight: then the second canary',
      ro: rollout({ replicas: 3, steps: w(50) }),
      newRS: rs('new', 1),
      stableRS: rs('stable', 2),
      want: { canary: 2, stable: 2 },
    },
    {
      // R 4 → 8 at 50%: split (4,4), room 10 − 4 = 6 → stable 4 first, then new 4.
      name: 'scaled up mid-rollout: both grow, stable first',
      ro: rollout({ replicas: 8, steps: w(50) }),
      newRS: rs('new', 2),
      stableRS: rs('stable', 2),
      want: { canary: 4, stable: 4 },
    },
    {
      // R 10 → 4: split (2,2); decreasing; excess 7 → new 2; rebalance keeps stable at 3.
      name: 'scaled down mid-rollout: canary to its share, stable within limits',
      ro: rollout({ replicas: 4, steps: w(50) }),
      newRS: rs('new', 5),
      stableRS: rs('stable', 5),
      want: { canary: 2, stable: 3 },
    },
    {
      name: 'a canary pod that never becomes available blocks the stable scale-down',
      ro: rollout({ replicas: 4, steps: w(50), maxSurge: 0, maxUnavailable: 1 }),
      newRS: rs('new', 1, 0),
      stableRS: rs('stable', 3),
      want: { canary: 1, stable: 3 },
    },
    {
      name: 'stable pods above its spec are not counted as available',
      ro: rollout({ replicas: 4, steps: w(50), maxSurge: 0, maxUnavailable: 1 }),
      newRS: rs('new', 1),
      stableRS: rs('stable', 2, 3),
      want: { canary: 2, stable: 2 },
    },
    {
      // past the last step the weight is 100: split (4,0); room 1 → new 3; pool 2+2 = 4 > 3 →
      // stable max(0, 2−1) = 1.
      name: 'all steps done: new grows by the surge, stable drains by one',
      ro: rollout({ replicas: 4, steps: w(50), index: 1 }),
      newRS: rs('new', 2),
      stableRS: rs('stable', 2),
      want: { canary: 3, stable: 1 },
    },
    {
      // weight 80 → 50 (split (5,5)), new 8 with only 2 available, stable 8/8, no surge, 1 unavailable:
      // excess 16 − 9 = 7 → new max(5, 1) = 5; rebalance: over 3 → stable 5 would leave 2 + 5 = 7 < 9
      // available, so stable regains min(lost 3, needed 2) = 2 → 7; new absorbs the new over 2 → 3.
      name: 'weight lowered with unavailable canary pods: stable keeps availability',
      ro: rollout({
        replicas: 10,
        steps: [{ setWeight: 80 }, { setWeight: 50 }],
        index: 1,
        maxSurge: 0,
        maxUnavailable: 1,
      }),
      newRS: rs('new', 8, 2),
      stableRS: rs('stable', 8),
      want: { canary: 3, stable: 7 },
    },
  ])('$name', ({ ro, newRS, stableRS, otherRSs, want }) => {
    expect(basicCanaryCounts({ rollout: ro, newRS, stableRS, otherRSs: otherRSs ?? [] })).toEqual(want);
  });
});

describe('trafficRoutedCounts', () => {
  const tr = { trafficRouting: { nginx: { stableIngress: 'web' } } };
  const weights = (canary: number, stable: number) => ({
    canary: { weight: canary },
    stable: { weight: stable },
  });
  test.each([
    {
      name: 'E3: stable stays full',
      ro: rollout({ replicas: 6, steps: [{ setWeight: 50 }], canary: tr }),
      want: { canary: 3, stable: 6 },
    },
    {
      name: 'E3 with dynamicStableScale: stable shrinks only after traffic left',
      ro: rollout({ replicas: 6, steps: [{ setWeight: 50 }], canary: { ...tr, dynamicStableScale: true } }),
      weights: weights(20, 80),
      want: { canary: 3, stable: 5 },
    },
    {
      name: 'dynamicStableScale with no weights yet',
      ro: rollout({ replicas: 6, steps: [{ setWeight: 50 }], canary: { ...tr, dynamicStableScale: true } }),
      want: { canary: 3, stable: 3 },
    },
    {
      name: 'setCanaryScale replicas',
      ro: rollout({ replicas: 8, steps: [{ setCanaryScale: { replicas: 2 } }], canary: tr }),
      want: { canary: 2, stable: 8 },
    },
    {
      name: 'setCanaryScale weight',
      ro: rollout({
        replicas: 8,
        steps: [{ setWeight: 10 }, { setCanaryScale: { weight: 25 } }],
        index: 1,
        canary: tr,
      }),
      want: { canary: 2, stable: 8 },
    },
    {
      name: 'matchTrafficWeight returns to the setWeight',
      ro: rollout({
        replicas: 8,
        steps: [
          { setCanaryScale: { replicas: 2 } },
          { setWeight: 50 },
          { setCanaryScale: { matchTrafficWeight: true } },
        ],
        index: 2,
        canary: tr,
      }),
      want: { canary: 4, stable: 8 },
    },
    {
      name: 'minPodsPerReplicaSet raises a small canary',
      ro: rollout({ replicas: 10, steps: [{ setWeight: 10 }], canary: { ...tr, minPodsPerReplicaSet: 2 } }),
      want: { canary: 2, stable: 10 },
    },
    {
      name: 'minPodsPerReplicaSet leaves 0 at 0',
      ro: rollout({ replicas: 10, steps: [{ setWeight: 0 }], canary: { ...tr, minPodsPerReplicaSet: 2 } }),
      want: { canary: 0, stable: 10 },
    },
    {
      name: 'abort ignores setCanaryScale by default',
      ro: rollout({ replicas: 8, steps: [{ setCanaryScale: { replicas: 2 } }], abort: true, canary: tr }),
      want: { canary: 0, stable: 8 },
    },
    {
      name: 'abort keeps setCanaryScale with abortScaleDownDelaySeconds 0',
      ro: rollout({
        replicas: 8,
        steps: [{ setCanaryScale: { replicas: 2 } }],
        abort: true,
        canary: { ...tr, abortScaleDownDelaySeconds: 0 },
      }),
      want: { canary: 2, stable: 8 },
    },
    {
      // weight 0 but traffic still 50/50: canary keeps ceil(2), stable max(4, 2).
      name: 'dynamic abort keeps canary pods until traffic is back',
      ro: rollout({
        replicas: 4,
        steps: [{ setWeight: 50 }],
        abort: true,
        canary: { ...tr, dynamicStableScale: true },
      }),
      weights: weights(50, 50),
      want: { canary: 2, stable: 4 },
    },
    {
      name: 'maxTrafficWeight 1000',
      ro: rollout({
        replicas: 10,
        steps: [{ setWeight: 250 }],
        canary: { trafficRouting: { ...tr.trafficRouting, maxTrafficWeight: 1000 } },
      }),
      want: { canary: 3, stable: 10 },
    },
  ])('$name', ({ ro, weights: w, want }) => {
    expect(trafficRoutedCounts(ro, w)).toEqual(want);
  });
});

describe('atDesiredReplicaCounts', () => {
  const ro = rollout({ replicas: 5, steps: [{ setWeight: 40 }] });
  test.each([
    { name: 'E2 done: new 2/2, stable 3', newRS: rs('new', 2), stableRS: rs('stable', 3), want: true },
    { name: 'canary not yet available', newRS: rs('new', 2, 1), stableRS: rs('stable', 3), want: false },
    { name: 'stable still at 4', newRS: rs('new', 2), stableRS: rs('stable', 4), want: false },
    {
      name: 'stable pods still terminating',
      newRS: rs('new', 2),
      stableRS: rs('stable', 3, 3, 4),
      want: false,
    },
    {
      name: 'stable availability is not checked',
      newRS: rs('new', 2),
      stableRS: rs('stable', 3, 1, 3),
      want: true,
    },
    { name: 'no stable RS', newRS: rs('new', 2), want: false },
    {
      name: 'an older RS still serves',
      newRS: rs('new', 2),
      stableRS: rs('stable', 3),
      otherRSs: [rs('old', 0, 1, 1)],
      want: false,
    },
  ])('$name', ({ newRS, stableRS, otherRSs, want }) => {
    expect(atDesiredReplicaCounts({ rollout: ro, newRS, stableRS, otherRSs: otherRSs ?? [] })).toBe(want);
  });

  test.each([
    { name: 'percent threshold met at 90% of 10', avail: 9, want: true },
    { name: 'percent threshold missed at 80% of 10', avail: 8, want: false },
  ])('replicaProgressThreshold: $name', ({ avail, want }) => {
    const withThreshold = rollout({
      replicas: 10,
      steps: [{ setWeight: 100 }],
      canary: { replicaProgressThreshold: { type: 'Percent', value: 90 } },
    });
    const input = {
      rollout: withThreshold,
      newRS: rs('new', 10, avail),
      stableRS: rs('stable', 0),
      otherRSs: [],
    };
    expect(atDesiredReplicaCounts(input)).toBe(want);
  });
});
