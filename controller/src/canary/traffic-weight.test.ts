import type { CanaryStep, Rollout, RolloutStatus } from '@rollout-kit/api';
import { trafficRoutedCounts, type ReplicaSetCounts } from './replicas.ts';
import {
  activeManagedRoutes,
  desiredCanaryWeight,
  trafficDecision,
  trafficWeightUpdated,
  weightsChanged,
  weightsStatus,
} from './traffic-weight.ts';

const rs = (name: string, spec: number, avail = spec): ReplicaSetCounts => ({
  name,
  specReplicas: spec,
  replicas: spec,
  availableReplicas: avail,
});
const steps: CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 40 },
  { pause: {} },
  { setWeight: 60 },
  { pause: {} },
];

function rollout(status: RolloutStatus, canary: Record<string, unknown> = {}): Rollout {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas: 5,
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps,
          ...canary,
        },
      },
    },
    status: { stableRS: 's', currentPodHash: 'n', currentStepIndex: 0, ...status },
  };
}
const weights = (canary: number, hash = 'n') => ({
  canary: { weight: canary, podTemplateHash: hash },
  stable: { weight: 100 - canary },
});

describe('desiredCanaryWeight', () => {
  test.each([
    { name: 'new RS not available yet: 0', status: {}, newRS: rs('n', 1, 0), stableRS: rs('s', 5), want: 0 },
    { name: 'new RS missing: 0', status: {}, newRS: undefined, stableRS: rs('s', 5), want: 0 },
    {
      name: 'step 0 at its counts: its setWeight',
      status: {},
      newRS: rs('n', 1),
      stableRS: rs('s', 5),
      want: 20,
    },
    {
      name: 'pause after setWeight 20 keeps 20',
      status: { currentStepIndex: 1 },
      newRS: rs('n', 1),
      stableRS: rs('s', 5),
      want: 20,
    },
    {
      name: 'setWeight 40 with only 1 of 2 canary pods: traffic stays at the previous 20',
      status: { currentStepIndex: 2 },
      newRS: rs('n', 2, 1),
      stableRS: rs('s', 5),
      want: 20,
    },
    {
      name: 'setWeight 40 with its 2 pods ready: 40',
      status: { currentStepIndex: 2 },
      newRS: rs('n', 2),
      stableRS: rs('s', 5),
      want: 40,
    },
    {
      name: 'past the last step: maxWeight',
      status: { currentStepIndex: 6 },
      newRS: rs('n', 5),
      stableRS: rs('s', 5),
      want: 100,
    },
    {
      name: 'aborted: 0',
      status: { abort: true, currentStepIndex: 0, canary: { weights: weights(40) } },
      newRS: rs('n', 2),
      stableRS: rs('s', 5),
      want: 0,
    },
    {
      name: 'promoted: 0',
      status: { stableRS: 'n', currentStepIndex: 6 },
      newRS: rs('n', 5),
      stableRS: rs('n', 5),
      want: 0,
    },
    {
      name: 'promoteFull keeps the weight written',
      status: { promoteFull: true, currentStepIndex: 6, canary: { weights: weights(40) } },
      newRS: rs('n', 5, 3),
      stableRS: rs('s', 5),
      want: 40,
    },
  ])('$name', ({ status, newRS, stableRS, want }) => {
    const input = {
      rollout: rollout(status),
      newRS,
      stableRS,
      otherRSs: [],
      canaryHash: 'n',
      stableHash: 's',
    };
    expect(desiredCanaryWeight(input)).toBe(want);
  });

  test.each([
    {
      name: 'aborted with dynamicStableScale: what stable cannot carry yet (R=5, 3 available → 40)',
      status: { abort: true, canary: { weights: weights(60) } },
      stableRS: rs('s', 5, 3),
      newRS: rs('n', 3),
      want: 40,
    },
    {
      name: 'aborted with dynamicStableScale never goes back up',
      status: { abort: true, canary: { weights: weights(20) } },
      stableRS: rs('s', 5, 2),
      newRS: rs('n', 3),
      want: 20,
    },
    {
      name: 'promoteFull with dynamicStableScale: the canary share available (3 of 5 → 60)',
      status: { promoteFull: true, canary: { weights: weights(20) } },
      stableRS: rs('s', 2),
      newRS: rs('n', 5, 3),
      want: 60,
    },
  ])('$name', ({ status, newRS, stableRS, want }) => {
    const input = {
      rollout: rollout(status, { dynamicStableScale: true }),
      newRS,
      stableRS,
      otherRSs: [],
      canaryHash: 'n',
      stableHash: 's',
    };
    expect(desiredCanaryWeight(input)).toBe(want);
  });
});

describe('setCanaryScale with a router: pods follow the step, traffic the setWeight steps', () => {
  // R=4. Upstream keeps a setCanaryScale in effect until a matchTrafficWeight step, while the
  // weight written to the router only ever comes from setWeight steps.
  const scaled: CanaryStep[] = [
    { setCanaryScale: { replicas: 3 } },
    { pause: {} },
    { setWeight: 25 },
    { pause: {} },
    { setCanaryScale: { weight: 50 } },
    { pause: {} },
    { setCanaryScale: { matchTrafficWeight: true } },
    { pause: {} },
  ];
  const at = (index: number, status: RolloutStatus = {}, canary: Record<string, unknown> = {}) => {
    const r = rollout({ currentStepIndex: index, ...status }, { steps: scaled, ...canary });
    r.spec.replicas = 4;
    return r;
  };
  test.each([
    {
      name: 'replicas 3 before any setWeight: 3 pods, no traffic',
      ro: at(0),
      newRS: rs('n', 3),
      want: [3, 4, 0],
    },
    { name: 'replicas 3 still coming up: no traffic', ro: at(0), newRS: rs('n', 3, 1), want: [3, 4, 0] },
    { name: 'the pause keeps 3 pods and 0 traffic', ro: at(1), newRS: rs('n', 3), want: [3, 4, 0] },
    {
      name: 'setWeight 25 moves traffic; setCanaryScale replicas still sizes the canary',
      ro: at(2),
      newRS: rs('n', 3),
      want: [3, 4, 25],
    },
    {
      name: 'setCanaryScale weight 50 resizes to ceil(0.5·4) = 2 pods; traffic stays 25 while scaling',
      ro: at(4),
      newRS: rs('n', 3),
      want: [2, 4, 25],
    },
    {
      name: 'at 2 pods the weight is still the last setWeight',
      ro: at(5),
      newRS: rs('n', 2),
      want: [2, 4, 25],
    },
    {
      name: 'matchTrafficWeight: pods follow the 25% again (1 pod)',
      ro: at(6),
      newRS: rs('n', 1),
      want: [1, 4, 25],
    },
    { name: 'past the last step: all pods and all traffic', ro: at(8), newRS: rs('n', 4), want: [4, 4, 100] },
    {
      name: 'abort ignores setCanaryScale: no pods, no traffic',
      ro: at(2, { abort: true }),
      newRS: rs('n', 3),
      want: [0, 4, 0],
    },
    {
      name: 'abort with abortScaleDownDelaySeconds 0 keeps the 3 pods, no traffic',
      ro: at(2, { abort: true }, { abortScaleDownDelaySeconds: 0 }),
      newRS: rs('n', 3),
      want: [3, 4, 0],
    },
    {
      name: 'dynamicStableScale: replicas without traffic keep the stable RS whole',
      ro: at(1, {}, { dynamicStableScale: true }),
      newRS: rs('n', 3),
      want: [3, 4, 0],
    },
    {
      name: 'dynamicStableScale: setCanaryScale weight 50 alone never shrinks stable below its traffic',
      ro: at(5, { canary: { weights: weights(25) } }, { dynamicStableScale: true }),
      newRS: rs('n', 2),
      want: [2, 3, 25],
    },
  ])('$name', ({ ro, newRS, want }) => {
    const stableRS = rs('s', 4);
    const counts = trafficRoutedCounts(ro, ro.status?.canary?.weights, { newRS, stableRS });
    const weight = desiredCanaryWeight({
      rollout: ro,
      newRS,
      stableRS,
      otherRSs: [],
      canaryHash: 'n',
      stableHash: 's',
    });
    expect([counts.canary, counts.stable, weight]).toEqual(want);
  });
});

describe('trafficDecision', () => {
  test('nothing is written while the stable RS cannot carry the rest', () => {
    // dynamicStableScale shrank stable to 2 available; 80% to stable needs floor(0.8·5) = 4 pods.
    const input = {
      rollout: rollout({}, { dynamicStableScale: true }),
      newRS: rs('n', 1),
      stableRS: rs('s', 4, 2),
      otherRSs: [],
      canaryHash: 'n',
      stableHash: 's',
    };
    expect(trafficDecision(input).write).toBe(false);
    expect(trafficDecision({ ...input, stableRS: rs('s', 4) }).write).toBe(true);
  });
});

describe('activeManagedRoutes', () => {
  const routed: CanaryStep[] = [
    { setWeight: 10 },
    { setHeaderRoute: { name: 'h', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } },
    { setMirrorRoute: { name: 'm', match: [{ method: { exact: 'GET' } }], percentage: 50 } },
    { pause: {} },
    { setHeaderRoute: { name: 'h' } },
    { pause: {} },
  ];
  const managedRoutes = [{ name: 'm' }, { name: 'h' }];
  const spec = (index: number, extra: RolloutStatus = {}) =>
    rollout(
      { currentStepIndex: index, ...extra },
      { steps: routed, trafficRouting: { istio: {}, managedRoutes } },
    );
  test.each([
    { name: 'before any route step', index: 0, extra: {}, header: [], mirror: [] },
    { name: 'the header step adds its route', index: 1, extra: {}, header: ['h'], mirror: [] },
    { name: 'routes persist after their step', index: 3, extra: {}, header: ['h'], mirror: ['m'] },
    { name: 'a step without match removes the route', index: 4, extra: {}, header: [], mirror: ['m'] },
    { name: 'abort removes every managed route', index: 3, extra: { abort: true }, header: [], mirror: [] },
    { name: 'promoteFull removes them', index: 3, extra: { promoteFull: true }, header: [], mirror: [] },
    { name: 'promotion removes them', index: 6, extra: { stableRS: 'n' }, header: [], mirror: [] },
  ])('$name', ({ index, extra, header, mirror }) => {
    const routes = activeManagedRoutes(spec(index, extra));
    expect(routes.header.map((r) => r.name)).toEqual(header);
    expect(routes.mirror.map((r) => r.name)).toEqual(mirror);
  });
});

describe('weights status and event', () => {
  const desired = {
    weight: 20,
    maxWeight: 100,
    additional: [],
    routes: { header: [], mirror: [] },
    canaryHash: 'n',
    stableHash: 's',
  };
  test('records both sides with their Services and hashes', () => {
    expect(weightsStatus(rollout({}), desired)).toEqual({
      canary: { weight: 20, serviceName: 'web-canary', podTemplateHash: 'n' },
      stable: { weight: 80, serviceName: 'web-stable', podTemplateHash: 's' },
    });
  });
  test('stable gets maxWeight − canary with a custom maxTrafficWeight', () => {
    expect(weightsStatus(rollout({}), { ...desired, maxWeight: 1000, weight: 200 }).stable.weight).toBe(800);
  });
  test.each([
    { name: 'first write', before: undefined, weight: 20, message: 'Traffic weight updated to 20' },
    { name: 'a change', before: 20, weight: 40, message: 'Traffic weight updated from 20 to 40' },
  ])('$name', ({ before, weight, message }) => {
    const prior =
      before === undefined ? undefined : weightsStatus(rollout({}), { ...desired, weight: before });
    const after = weightsStatus(rollout({}), { ...desired, weight });
    expect(weightsChanged(prior, after)).toBe(true);
    expect(trafficWeightUpdated(prior, after)).toEqual({
      type: 'Normal',
      reason: 'TrafficWeightUpdated',
      message,
    });
  });
  test('unchanged weights are not a change (verified aside)', () => {
    const w = weightsStatus(rollout({}), desired);
    expect(weightsChanged(w, { ...w, verified: true })).toBe(false);
  });
});

describe('experiment destinations go to the router only where upstream sends them', () => {
  const exp = [{ weight: 10, serviceName: 'web-exp-a', podTemplateHash: 'a' }];
  const input = (status: RolloutStatus, newRS?: ReplicaSetCounts) => ({
    rollout: rollout(status),
    ...(newRS ? { newRS } : {}),
    stableRS: rs('s', 5),
    otherRSs: [],
    canaryHash: 'n',
    stableHash: 's',
    experimentDestinations: exp,
  });
  test.each([
    { name: 'new RS not there yet', status: {}, newRS: undefined, want: exp },
    { name: 'new RS with no available pod', status: {}, newRS: rs('n', 1, 0), want: exp },
    { name: 'inside the steps at the step counts', status: {}, newRS: rs('n', 1), want: exp },
    {
      name: 'canary still scaling up to the step',
      status: { currentStepIndex: 2 },
      newRS: rs('n', 1),
      want: [],
    },
    { name: 'aborted', status: { abort: true }, newRS: rs('n', 1), want: [] },
    { name: 'promoteFull', status: { promoteFull: true }, newRS: rs('n', 1), want: [] },
    { name: 'past the last step', status: { currentStepIndex: 6 }, newRS: rs('n', 5), want: [] },
    { name: 'fully promoted', status: { stableRS: 'n' }, newRS: rs('n', 5), want: [] },
  ])('$name', ({ status, newRS, want }) => {
    const decision = trafficDecision(input(status, newRS));
    expect(decision.desired.additional).toEqual(want);
  });
  test('stable gets what canary and the experiment leave', () => {
    const decision = trafficDecision(input({}, rs('n', 1)));
    const status = weightsStatus(rollout({}), decision.desired);
    expect(status).toMatchObject({ canary: { weight: 20 }, stable: { weight: 70 }, additional: exp });
  });
});
