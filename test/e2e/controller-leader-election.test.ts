// Two controller replicas with leader election on a Lease in POD_NAMESPACE: only the leader acts;
// when it dies (SIGKILL, Lease not released) the standby takes over once the Lease expires and
// finishes the rollout; when it is stopped (SIGTERM) it finishes, releases the Lease, exits 0 and
// does not report a lost lease.
import type { Rollout } from '@rollout-kit/api';
import { applyCrds } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { argoRollouts, createRollout, patchRollout, waitForRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  canaryRollout,
  healthy,
  launchController,
  newInstanceId,
  reconciles,
  setImage,
  type ControllerProcess,
} from './controller-process.ts';

const ns = namespacePerTest();
let replicas: ControllerProcess[] = [];

// Short Lease timings so a takeover after SIGKILL takes seconds, not upstream's 15 s.
const electionFlags = [
  '--leader-elect=true',
  '--leader-election-lease-duration=4s',
  '--leader-election-renew-deadline=3s',
  '--leader-election-retry-period=500ms',
];

beforeAll(async () => {
  await applyCrds();
});
afterEach(async () => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts)
    for (const r of replicas) process.stderr.write(`controller ${r.name} log:\n${r.tail()}\n`);
  await Promise.all(replicas.map((r) => r.stop()));
  replicas = [];
});

async function leaseHolder(name: string): Promise<string | undefined> {
  const lease = await kube()
    .objects.read({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: ns.name },
    })
    .catch(() => undefined);
  return (lease as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity || undefined;
}

/** Starts two replicas, the first one leading before the second starts, so roles are known. */
async function twoReplicas(
  instanceId: string,
): Promise<{ leader: ControllerProcess; standby: ControllerProcess }> {
  const start = (suffix: string) => {
    const c = launchController(`${instanceId}-${suffix}`, {
      args: [`--instance-id=${instanceId}`, ...electionFlags],
      env: { POD_NAMESPACE: ns.name },
    });
    replicas.push(c);
    return c;
  };
  const leader = start('a');
  await waitFor('replica a to lead', () => leader.logged('became the leader'));
  const standby = start('b');
  await waitFor('replica b to see the leader', () => standby.logged('leader observed'));
  return { leader, standby };
}

/** Reconciles of the test's Rollout by one replica, from its own /metrics. */
const acted = (c: ControllerProcess) => reconciles(c, ns.name, 'web');

async function stepCompletedCounts(name: string): Promise<Record<string, number>> {
  const events = await kube().core.listNamespacedEvent({
    namespace: ns.name,
    fieldSelector: `involvedObject.name=${name},reason=RolloutStepCompleted`,
  });
  const counts: Record<string, number> = {};
  for (const e of events.items) counts[e.message ?? ''] = (counts[e.message ?? ''] ?? 0) + (e.count ?? 1);
  return counts;
}

test('only the leader acts; after it is killed the standby takes over and finishes the rollout', async () => {
  const instanceId = newInstanceId('le');
  const lease = `argo-rollouts-controller-lock-${instanceId}`;
  const { leader, standby } = await twoReplicas(instanceId);
  const leaderIdentity = await waitFor('the Lease to have a holder', () => leaseHolder(lease));
  expect(standby.lines().find((l) => l.msg === 'leader observed')?.leader).toBe(leaderIdentity);

  const rollout: Rollout = canaryRollout({
    name: 'web',
    instanceId,
    image: 'argoproj/rollouts-demo:blue',
    steps: [{ setWeight: 50 }, { pause: {} }],
  });
  await createRollout(ns.name, rollout);
  const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  await waitForRollout(
    ns.name,
    'web',
    'paused at step 1',
    (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
  );
  expect(await acted(leader)).toBeGreaterThan(0);
  expect(await acted(standby)).toBe(0);
  expect(standby.logged('caches synced; reconciling')).toBe(false);

  // A crash: the Lease is not released, so the standby waits for it to expire.
  leader.kill('SIGKILL');
  await leader.exited;
  await waitFor('replica b to take over', () => standby.logged('became the leader'), { timeoutMs: 30_000 });
  const newIdentity = await waitFor('the Lease to change holder', async () => {
    const holder = await leaseHolder(lease);
    return holder && holder !== leaderIdentity ? holder : undefined;
  });
  expect(newIdentity).not.toBe(leaderIdentity);

  await argoRollouts(ns.name, 'promote', 'web');
  const done = await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new revision under the new leader',
    (r) => healthy(r) && r.status?.stableRS !== first.status?.stableRS,
  );
  expect(done.status?.currentStepIndex).toBe(2);
  expect(await acted(standby)).toBeGreaterThan(0);
  for (const [message, count] of Object.entries(await stepCompletedCounts('web')))
    expect({ message, count }).toEqual({ message, count: 1 });
});

test('SIGTERM: the leader exits 0, releases the Lease without reporting a loss, and the standby leads', async () => {
  const instanceId = newInstanceId('term');
  const lease = `argo-rollouts-controller-lock-${instanceId}`;
  const { leader, standby } = await twoReplicas(instanceId);
  await createRollout(
    ns.name,
    canaryRollout({ name: 'web', instanceId, image: 'argoproj/rollouts-demo:blue' }),
  );
  await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);

  leader.kill('SIGTERM');
  expect(await leader.exited).toBe(0);
  expect(leader.logged('lost the leader lease; exiting')).toBe(false);
  expect(leader.logged('released the leader lease')).toBe(true);
  expect(leader.lines().filter((l) => l.level === 'error')).toEqual([]);
  await waitFor('replica b to lead', () => standby.logged('became the leader'), { timeoutMs: 30_000 });
  expect(standby.alive()).toBe(true);
  const before = await waitForRollout(ns.name, 'web', 'still Healthy', healthy);

  // The new leader acts: an image change goes through.
  await patchRollout(ns.name, 'web', setImage('argoproj/rollouts-demo:yellow'));
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new revision',
    (r) => healthy(r) && r.status?.stableRS !== before.status?.stableRS,
  );
  expect(await acted(standby)).toBeGreaterThan(0);
  standby.kill('SIGTERM');
  expect(await standby.exited).toBe(0);
  expect(await leaseHolder(lease)).toBeUndefined();
});
