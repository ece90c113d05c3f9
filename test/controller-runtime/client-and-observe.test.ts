// The client, the Event recorder, the error mapping and the HTTP endpoints against the real
// API server: requests are counted with upstream's labels and served on /metrics, a stale
// write is a ConflictError, a repeated Event is aggregated, /healthz answers.
import type { CoreV1Event } from '@kubernetes/client-node';
import {
  KubeClient,
  createKubeClient,
  loadKubeConfig,
  type RequestRecord,
} from '../../controller/src/kube/client.ts';
import { ConflictError, NotFoundError, kubeCall } from '../../controller/src/kube/errors.ts';
import { EventRecorder } from '../../controller/src/kube/events.ts';
import { Informer } from '../../controller/src/kube/informer.ts';
import { WorkQueue } from '../../controller/src/kube/work-queue.ts';
import {
  startHealthServer,
  startMetricsServer,
  type HttpEndpoint,
} from '../../controller/src/observe/health.ts';
import { Metrics } from '../../controller/src/observe/metrics.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';

const ns = namespacePerTest();
const endpoints: HttpEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

test('requests are counted with kind, namespace, name, verb and status code, and served on /metrics', async () => {
  const metrics = new Metrics({ version: 'test', defaultMetrics: false });
  const records: RequestRecord[] = [];
  const client = new KubeClient(kube().config, {
    onRequest: (r) => {
      records.push(r);
      metrics.countRequest(r);
    },
  });
  await client.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'cm' } } });
  await client.core.readNamespacedConfigMap({ namespace: ns.name, name: 'cm' });
  const missing = kubeCall(`reading ConfigMap ${ns.name}/nope`, () =>
    client.core.readNamespacedConfigMap({ namespace: ns.name, name: 'nope' }),
  );
  await expect(missing).rejects.toBeInstanceOf(NotFoundError);
  await expect(missing).rejects.toThrow(`reading ConfigMap ${ns.name}/nope: configmaps "nope" not found`);
  await client.requestJson('GET', `/api/v1/namespaces/${ns.name}/configmaps`);

  expect(records).toEqual([
    { kind: 'configmaps', namespace: ns.name, name: '', verb: 'Create', statusCode: '201' },
    { kind: 'configmaps', namespace: ns.name, name: 'cm', verb: 'Get', statusCode: '200' },
    { kind: 'configmaps', namespace: ns.name, name: 'nope', verb: 'Get', statusCode: '404' },
    { kind: 'configmaps', namespace: ns.name, name: '', verb: 'List', statusCode: '200' },
  ]);

  const server = await startMetricsServer({
    host: '127.0.0.1',
    port: 0,
    exposition: () => metrics.exposition(),
  });
  endpoints.push(server);
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const body = await response.text();
  expect(body).toContain(
    `controller_clientset_k8s_request_total{kind="configmaps",namespace="${ns.name}",name="nope",verb="Get",status_code="404"} 1`,
  );
  expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
});

test('a write with a stale resourceVersion is a ConflictError, never an overwrite', async () => {
  const client = new KubeClient(kube().config);
  const created = await client.core.createNamespacedConfigMap({
    namespace: ns.name,
    body: { metadata: { name: 'cm' }, data: { v: '1' } },
  });
  await client.core.replaceNamespacedConfigMap({
    namespace: ns.name,
    name: 'cm',
    body: { ...created, data: { v: '2' } },
  });
  const stale = kubeCall(`updating ConfigMap ${ns.name}/cm`, () =>
    client.core.replaceNamespacedConfigMap({
      namespace: ns.name,
      name: 'cm',
      body: { ...created, data: { v: '3' } },
    }),
  );
  await expect(stale).rejects.toBeInstanceOf(ConflictError);
  const now = await client.core.readNamespacedConfigMap({ namespace: ns.name, name: 'cm' });
  expect(now.data).toEqual({ v: '2' });
});

test('a repeated Event is aggregated into one with a count; another message is a new Event', async () => {
  const client = new KubeClient(kube().config);
  const cm = await client.core.createNamespacedConfigMap({
    namespace: ns.name,
    body: { metadata: { name: 'web' } },
  });
  const recorded: string[] = [];
  const errors: Error[] = [];
  const recorder = new EventRecorder({
    client,
    onRecorded: (_o, e) => recorded.push(e.reason),
    onError: (e) => errors.push(e),
  });
  const involved = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: ns.name,
    name: 'web',
    uid: cm.metadata?.uid ?? '',
  };
  const paused = {
    type: 'Normal' as const,
    reason: 'RolloutPaused',
    message: 'Rollout is paused (CanaryPauseStep)',
  };
  await recorder.record(involved, paused);
  await recorder.record(involved, paused);
  await recorder.record(involved, paused);
  await recorder.record(involved, {
    type: 'Warning',
    reason: 'RolloutAborted',
    message: 'Rollout aborted update to revision 2',
  });
  expect(errors).toEqual([]);
  expect(recorded).toEqual(['RolloutPaused', 'RolloutPaused', 'RolloutPaused', 'RolloutAborted']);

  const events: CoreV1Event[] = (await kube().core.listNamespacedEvent({ namespace: ns.name })).items.filter(
    (e) => e.involvedObject.name === 'web',
  );
  const byReason = Object.fromEntries(events.map((e) => [e.reason, e]));
  expect(events).toHaveLength(2);
  expect(byReason.RolloutPaused?.count).toBe(3);
  expect(byReason.RolloutPaused?.type).toBe('Normal');
  expect(byReason.RolloutPaused?.source?.component).toBe('rollouts-controller');
  expect(byReason.RolloutPaused?.involvedObject.uid).toBe(cm.metadata?.uid);
  expect(byReason.RolloutAborted?.count).toBe(1);
  expect(byReason.RolloutAborted?.type).toBe('Warning');
});

test('recording an Event that cannot be written reports the error and does not throw', async () => {
  const errors: Error[] = [];
  const recorder = new EventRecorder({
    client: new KubeClient(kube().config),
    onError: (e) => errors.push(e),
  });
  await recorder.record(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'no-such-namespace-xyz', name: 'x' },
    { type: 'Normal', reason: 'R', message: 'm' },
  );
  expect(errors).toHaveLength(1);
  expect(errors[0]?.message).toMatch(/^recording Event R for ConfigMap no-such-namespace-xyz\/x/);
});

test('/healthz answers ok, or 500 with the reason when its check fails', async () => {
  let healthy: true | string = true;
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, check: () => healthy });
  endpoints.push(server);
  const ok = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe('ok');
  healthy = 'informers not synced';
  const bad = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  expect(bad.status).toBe(500);
  expect(await bad.text()).toContain('informers not synced');
  const post = await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' });
  expect(post.status).toBe(405);
});

test('informer events feed the work queue: every changed key is handled, one worker per key', async () => {
  const client = new KubeClient(kube().config);
  const queue = new WorkQueue();
  const informer = new Informer<{ metadata?: { name?: string; namespace?: string } }>({
    client,
    resource: { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
    namespace: ns.name,
  });
  const enqueue = (o: { metadata?: { name?: string; namespace?: string } }) =>
    queue.add(`${o.metadata?.namespace}/${o.metadata?.name}`);
  informer.on({ add: enqueue, update: (_old, o) => enqueue(o), delete: enqueue });
  const inFlight = new Set<string>();
  let overlap = false;
  const handled = new Map<string, number>();
  queue.run(async (key) => {
    if (inFlight.has(key)) overlap = true;
    inFlight.add(key);
    await new Promise((r) => setTimeout(r, 20));
    handled.set(key, (handled.get(key) ?? 0) + 1);
    inFlight.delete(key);
  }, 3);
  informer.start();
  try {
    await informer.waitForSync();
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) {
      await client.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name } } });
      await client.core.patchNamespacedConfigMap({
        namespace: ns.name,
        name,
        body: [{ op: 'add', path: '/data', value: { v: '1' } }],
      });
    }
    await waitFor('every ConfigMap key handled', () => names.every((n) => handled.has(`${ns.name}/${n}`)), {
      observe: () => Object.fromEntries(handled),
    });
    expect(overlap).toBe(false);
  } finally {
    await informer.stop();
    await queue.shutdown();
  }
});

test('the kubeconfig is loaded from --kubeconfig or KUBECONFIG; a bad path is a clear error', async () => {
  const fromFlag = createKubeClient({ kubeconfig: process.env.KUBECONFIG });
  const fromEnv = createKubeClient();
  for (const client of [fromFlag, fromEnv]) {
    const namespace = await client.core.readNamespace({ name: ns.name });
    expect(namespace.metadata?.name).toBe(ns.name);
  }
  expect(() => loadKubeConfig('/nonexistent/kubeconfig')).toThrow(/nonexistent\/kubeconfig/);
});
