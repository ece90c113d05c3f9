// Leader election on a real Lease: two electors, one leader; release and expiry hand over.
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { KubeClient } from '../../controller/src/kube/client.ts';
import { LeaderElector, leaseName } from '../../controller/src/kube/leader-election.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
const running: LeaderElector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

// Short periods keep the test quick; the ratios are upstream's (15 : 10 : 2).
const timing = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 400 };

function elector(identity: string, client = new KubeClient(kube().config)) {
  const log: string[] = [];
  const e = new LeaderElector({
    client,
    namespace: ns.name,
    name: leaseName('it'),
    identity,
    ...timing,
    onStartedLeading: () => log.push('started'),
    onStoppedLeading: () => log.push('stopped'),
  });
  running.push(e);
  e.start();
  return { e, log };
}

async function lease() {
  return kube()
    .config.makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ namespace: ns.name, name: leaseName('it') });
}

test('of two electors exactly one leads, and a release hands over at once', async () => {
  const a = elector('a');
  const b = elector('b');
  const first = await waitFor('a leader', () => (a.e.isLeader() ? a : b.e.isLeader() ? b : undefined));
  const second = first === a ? b : a;
  // Several retry periods later it is still exactly one.
  await new Promise((r) => setTimeout(r, 1_500));
  expect([a.e.isLeader(), b.e.isLeader()].filter(Boolean)).toHaveLength(1);
  const held = await lease();
  expect(held.spec?.holderIdentity).toBe(first === a ? 'a' : 'b');
  expect(held.spec?.leaseDurationSeconds).toBe(3);
  expect(held.spec?.leaseTransitions).toBe(0);

  await first.e.stop();
  expect(first.log).toEqual(['started', 'stopped']);
  // Released: no longer names the first holder (empty, or already the successor's).
  const released = await lease();
  expect(['', second === a ? 'a' : 'b']).toContain(released.spec?.holderIdentity ?? '');
  // Released, so the other need not wait for the 3 s lease to run out.
  await waitFor('the other elector to lead', () => second.e.isLeader(), { timeoutMs: 2_500 });
  const taken = await lease();
  expect(taken.spec?.holderIdentity).toBe(second === a ? 'a' : 'b');
  expect(taken.spec?.leaseTransitions).toBe(1);
});

test('a leader that cannot renew steps down, and the other takes over after the lease expires', async () => {
  // Elector a talks to the API server through a loopback TCP relay that we then shut.
  const relay = await tcpRelay(kube().config.getCurrentCluster()?.server ?? '');
  try {
    const cut = new KubeConfig();
    cut.loadFromString(kube().config.exportConfig());
    const cluster = cut.getCurrentCluster();
    if (!cluster) throw new Error('no cluster');
    (cluster as { server: string }).server = `https://127.0.0.1:${relay.port}`;
    const a = elector('a', new KubeClient(cut));
    await waitFor('a to lead', () => a.e.isLeader());
    const b = elector('b');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(b.e.isLeader()).toBe(false);

    await relay.close();
    await waitFor('a to step down', () => !a.e.isLeader(), { timeoutMs: 5_000 });
    expect(a.log).toEqual(['started', 'stopped']);
    await waitFor('b to lead', () => b.e.isLeader(), { timeoutMs: 8_000 });
    const taken = await lease();
    expect(taken.spec?.holderIdentity).toBe('b');
    expect(taken.spec?.leaseTransitions).toBe(1);
  } finally {
    await relay.close();
  }
});

test('a leader whose connection hangs steps down at the renew deadline', async () => {
  const relay = await tcpRelay(kube().config.getCurrentCluster()?.server ?? '');
  try {
    const cut = new KubeConfig();
    cut.loadFromString(kube().config.exportConfig());
    const cluster = cut.getCurrentCluster();
    if (!cluster) throw new Error('no cluster');
    (cluster as { server: string }).server = `https://127.0.0.1:${relay.port}`;
    const a = elector('a', new KubeClient(cut));
    await waitFor('a to lead', () => a.e.isLeader());
    relay.hang();
    // Requests now never answer; only the per-round deadline gets a out.
    await waitFor('a to step down', () => !a.e.isLeader(), { timeoutMs: 5_000 });
    expect(a.log).toEqual(['started', 'stopped']);
  } finally {
    await relay.close();
  }
});

/**
 * A TCP relay on 127.0.0.1 to the API server. `close` refuses new connections and drops open
 * ones; `hang` keeps every connection open but forwards nothing more (a black-holed network).
 */
async function tcpRelay(
  server: string,
): Promise<{ port: number; close: () => Promise<void>; hang: () => void }> {
  const target = new URL(server);
  const sockets = new Set<Socket>();
  const pairs: [Socket, Socket][] = [];
  let hanging = false;
  const relay = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (hanging) return;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    hang: () => {
      hanging = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        relay.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      });
      return closed;
    },
  };
}
