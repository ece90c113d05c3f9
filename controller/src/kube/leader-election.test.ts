import { leaseDecision, leaseName, leaseNamespace, microTime, nextLeaseSpec } from './leader-election.ts';

describe('leaseDecision', () => {
  const base = { identity: 'me', now: 100_000, defaultLeaseDurationMs: 15_000 };
  test.each([
    { name: 'no Lease: create it', exists: false, spec: undefined, observedAt: 0, want: 'create' },
    {
      name: 'ours: renew',
      exists: true,
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15 },
      observedAt: 0,
      want: 'renew',
    },
    {
      name: 'released (no holder): take',
      exists: true,
      spec: { holderIdentity: '', leaseDurationSeconds: 1 },
      observedAt: 99_999,
      want: 'take',
    },
    { name: 'a Lease without a spec: take', exists: true, spec: undefined, observedAt: 99_999, want: 'take' },
    {
      name: 'held, seen changing 1 s ago: wait',
      exists: true,
      spec: { holderIdentity: 'other', leaseDurationSeconds: 15 },
      observedAt: 99_000,
      want: 'wait',
    },
    {
      name: 'held, unchanged for 14.999 s: wait',
      exists: true,
      spec: { holderIdentity: 'other', leaseDurationSeconds: 15 },
      observedAt: 85_001,
      want: 'wait',
    },
    {
      name: 'held, unchanged for exactly 15 s: expired, take',
      exists: true,
      spec: { holderIdentity: 'other', leaseDurationSeconds: 15 },
      observedAt: 85_000,
      want: 'take',
    },
    {
      name: "the holder's own duration counts (60 s)",
      exists: true,
      spec: { holderIdentity: 'other', leaseDurationSeconds: 60 },
      observedAt: 50_000,
      want: 'wait',
    },
    {
      name: 'no duration on the Lease: ours (15 s) applies',
      exists: true,
      spec: { holderIdentity: 'other' },
      observedAt: 80_000,
      want: 'take',
    },
  ])('$name', ({ exists, spec, observedAt, want }) => {
    expect(leaseDecision({ ...base, exists, spec, observedAt }).action).toBe(want);
  });

  test('wait names the holder', () => {
    const decision = leaseDecision({
      ...base,
      exists: true,
      spec: { holderIdentity: 'pod-a' },
      observedAt: base.now,
    });
    expect(decision).toEqual({ action: 'wait', holder: 'pod-a' });
  });
});

describe('nextLeaseSpec', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
  const options = { identity: 'me', now, leaseDurationSeconds: 15 };
  const held = {
    holderIdentity: 'other',
    leaseDurationSeconds: 15,
    acquireTime: '2026-11-23T11:00:00.000000Z',
    renewTime: '2026-11-23T11:59:00.000000Z',
    leaseTransitions: 4,
  };
  test.each([
    {
      name: 'create starts at 0 transitions',
      decision: { action: 'create' } as const,
      current: undefined,
      want: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2026-11-23T12:00:00.123000Z',
        renewTime: '2026-11-23T12:00:00.123000Z',
        leaseTransitions: 0,
      },
    },
    {
      name: 'take counts one more transition and resets acquireTime',
      decision: { action: 'take' } as const,
      current: held,
      want: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2026-11-23T12:00:00.123000Z',
        renewTime: '2026-11-23T12:00:00.123000Z',
        leaseTransitions: 5,
      },
    },
    {
      name: 'renew keeps acquireTime and transitions',
      decision: { action: 'renew' } as const,
      current: { ...held, holderIdentity: 'me' },
      want: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2026-11-23T11:00:00.000000Z',
        renewTime: '2026-11-23T12:00:00.123000Z',
        leaseTransitions: 4,
      },
    },
    {
      name: 'wait writes nothing',
      decision: { action: 'wait', holder: 'other' } as const,
      current: held,
      want: undefined,
    },
  ])('$name', ({ decision, current, want }) => {
    expect(nextLeaseSpec(decision, current, options)).toEqual(want);
  });
});

test('microTime has six fractional digits', () => {
  expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006000Z');
});

test.each([
  { name: 'default instance', id: '', want: 'argo-rollouts-controller-lock' },
  { name: 'with an instance id', id: 'blue', want: 'argo-rollouts-controller-lock-blue' },
])('leaseName: $name', ({ id, want }) => {
  expect(leaseName(id)).toBe(want);
});

test.each([
  { name: 'POD_NAMESPACE first', env: { POD_NAMESPACE: 'ops' }, file: 'sa-ns\n', want: 'ops' },
  { name: 'then the service account file', env: {}, file: 'sa-ns\n', want: 'sa-ns' },
  { name: 'else argo-rollouts', env: {}, file: undefined, want: 'argo-rollouts' },
])('leaseNamespace: $name', ({ env, file, want }) => {
  const read = () => {
    if (file === undefined) throw new Error('ENOENT');
    return file;
  };
  expect(leaseNamespace(env, read)).toBe(want);
});
