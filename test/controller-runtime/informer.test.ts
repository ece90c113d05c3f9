// The informer against the real API server: events in order, label selection (the
// --instance-id selectors), lenient decoding, and recovery after its watch connection breaks.
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { KubeClient } from '../../controller/src/kube/client.ts';
import { Informer, instanceIdSelector, type InformerOptions } from '../../controller/src/kube/informer.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
const informers: Informer<V1ReplicaSet>[] = [];
afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});

const REPLICA_SETS = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };

function replicaSet(name: string, labels: Record<string, string> = {}): V1ReplicaSet {
  return {
    metadata: { name, labels },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/never-pulled:1' }] },
      },
    },
  };
}

const create = (name: string, labels: Record<string, string> = {}) =>
  kube().apps.createNamespacedReplicaSet({ namespace: ns.name, body: replicaSet(name, labels) });
const remove = (name: string) => kube().apps.deleteNamespacedReplicaSet({ namespace: ns.name, name });

function startInformer(options: Partial<InformerOptions<V1ReplicaSet>> = {}) {
  const events: string[] = [];
  const errors: Error[] = [];
  const informer = new Informer<V1ReplicaSet>({
    client: new KubeClient(kube().config),
    resource: REPLICA_SETS,
    namespace: ns.name,
    onError: (e) => errors.push(e),
    ...options,
  });
  informer.on({
    add: (rs) => events.push(`add ${rs.metadata?.name}`),
    update: (_old, rs) =>
      events.push(`update ${rs.metadata?.name} ${rs.metadata?.labels?.step ?? ''}`.trim()),
    delete: (rs) => events.push(`delete ${rs.metadata?.name}`),
  });
  informers.push(informer);
  informer.start();
  return { informer, events, errors };
}

test('adds, updates and deletes of ReplicaSets are seen in order and the store follows', async () => {
  await create('before');
  const { informer, events } = startInformer();
  await informer.waitForSync();
  expect(informer.hasSynced()).toBe(true);
  expect(events).toEqual(['add before']);

  await create('web');
  await kube().apps.patchNamespacedReplicaSet({
    namespace: ns.name,
    name: 'web',
    body: [{ op: 'add', path: '/metadata/labels', value: { step: 'one' } }],
  });
  await kube().apps.patchNamespacedReplicaSet({
    namespace: ns.name,
    name: 'web',
    body: [{ op: 'replace', path: '/metadata/labels/step', value: 'two' }],
  });
  await remove('web');
  await waitFor('the delete of web', () => events.includes('delete web'), { observe: () => events });

  const mine = events.filter((e) => /^(add|delete) web$|^update web (one|two)$/.test(e));
  // The ReplicaSet controller's own status updates come between ours; our changes keep their order.
  expect(mine.filter((e, i) => mine.indexOf(e) === i)).toEqual([
    'add web',
    'update web one',
    'update web two',
    'delete web',
  ]);
  expect(informer.keys()).toEqual([`${ns.name}/before`]);
  expect(informer.get(`${ns.name}/before`)?.metadata?.name).toBe('before');
  expect(informer.list(ns.name)).toHaveLength(1);
  expect(informer.list('elsewhere')).toHaveLength(0);
});

test('the --instance-id selectors: each informer sees only its ReplicaSets', async () => {
  const label = 'argo-rollouts.argoproj.io/controller-instance-id';
  await create('shard-blue', { [label]: 'blue' });
  await create('shard-green', { [label]: 'green' });
  await create('unlabelled');
  const blue = startInformer({ labelSelector: instanceIdSelector('blue') });
  const fallback = startInformer({ labelSelector: instanceIdSelector('') });
  await Promise.all([blue.informer.waitForSync(), fallback.informer.waitForSync()]);
  expect(blue.informer.keys()).toEqual([`${ns.name}/shard-blue`]);
  expect(fallback.informer.keys()).toEqual([`${ns.name}/unlabelled`]);

  // A new object is routed by its label while watching too.
  await create('late-blue', { [label]: 'blue' });
  await create('late-unlabelled');
  await waitFor('late-blue in the blue informer', () => blue.informer.get(`${ns.name}/late-blue`));
  await waitFor('late-unlabelled in the fallback informer', () =>
    fallback.informer.get(`${ns.name}/late-unlabelled`),
  );
  expect(blue.informer.keys().sort()).toEqual([`${ns.name}/late-blue`, `${ns.name}/shard-blue`]);
  expect(fallback.informer.keys().sort()).toEqual([`${ns.name}/late-unlabelled`, `${ns.name}/unlabelled`]);
});

test('a malformed object or a throwing handler is reported and skipped, never fatal', async () => {
  await create('good');
  await create('bad', { malformed: 'true' });
  const { informer, errors } = startInformer({
    decode: (raw) => {
      const rs = raw as V1ReplicaSet;
      if (rs.metadata?.labels?.malformed) throw new Error('spec.replicas is not a number');
      return rs;
    },
  });
  informer.on({
    add: (rs) => {
      if (rs.metadata?.name === 'good') throw new Error('handler bug');
    },
  });
  await informer.waitForSync();
  expect(informer.keys()).toEqual([`${ns.name}/good`]);
  expect(errors.map((e) => e.message)).toEqual(
    expect.arrayContaining([
      expect.stringContaining('spec.replicas is not a number'),
      expect.stringContaining('an event handler'),
    ]),
  );
  // Still watching after both failures.
  await create('after');
  await waitFor('after in the store', () => informer.get(`${ns.name}/after`));
});

test('after its watch connection breaks, the informer re-lists and catches up', async () => {
  await create('old');
  // A long first back-off, so the changes below happen while no watch is open.
  const { informer, events } = startInformer({ backoff: { baseMs: 1_500, maxMs: 1_500 } });
  await informer.waitForSync();
  await waitFor('the first watch to be open', () => informer.stats.watches >= 1);
  await new Promise((r) => setTimeout(r, 200));
  const listsBefore = informer.stats.lists;

  informer.disconnect();
  await create('new');
  await remove('old');

  await waitFor(
    'the informer to see new and not old',
    () => informer.get(`${ns.name}/new`) !== undefined && informer.get(`${ns.name}/old`) === undefined,
    { observe: () => ({ keys: informer.keys(), events, stats: informer.stats }) },
  );
  expect(informer.stats.lists).toBeGreaterThan(listsBefore);
  expect(events).toEqual(expect.arrayContaining(['add new', 'delete old']));

  // And it watches again afterwards.
  await create('later');
  await waitFor('later in the store', () => informer.get(`${ns.name}/later`));
});

test('every resync period each cached object is delivered again as an update', async () => {
  await create('steady');
  const { informer, events } = startInformer({ resyncMs: 300 });
  await informer.waitForSync();
  await waitFor(
    'two resync updates of steady',
    () => events.filter((e) => e === 'update steady').length >= 2,
    {
      observe: () => events,
    },
  );
  expect(events[0]).toBe('add steady');
});
