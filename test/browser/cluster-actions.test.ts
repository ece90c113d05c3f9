// The host page on a live cluster with actions on (what `make demo` serves): the events route
// lists a Rollout's Events, the action list is Argo CD's discovery for the Rollout, built-in
// actions reach the cluster as the patches Argo CD sends, and undo records the revision as Rollout
// Kit's undo Lua does. No controller runs here: the test reads what the page wrote.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { applyCrds } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { getRollout } from '../support/rollouts.ts';
import { clusterBackend } from './cluster-backend.ts';
import { startHost, type Host } from './host-server.ts';

const run = promisify(execFile);
const ns = namespacePerTest();
let host: Host;

beforeAll(async () => {
  await applyCrds();
  // applyCrds waits for the Rollout CRD; the page also lists AnalysisRuns.
  await run('kubectl', ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
});

afterEach(async () => {
  await host?.close();
});

const template = (image: string, labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image }] },
});

/** A Rollout `web` with two revisions' ReplicaSets (nginx:1.25 then 1.26), as a controller leaves them. */
async function seed(namespace: string): Promise<string> {
  const labels = { app: 'web' };
  const rollout = (await kube().custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'rollouts',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', annotations: { 'rollout.argoproj.io/revision': '2' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: template('nginx:1.26', labels),
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      },
    },
  })) as { metadata: { uid: string } };
  for (const [revision, hash, image] of [
    ['1', 'aaa1111111', 'nginx:1.25'],
    ['2', 'bbb2222222', 'nginx:1.26'],
  ] as const) {
    const podLabels = { ...labels, 'rollouts-pod-template-hash': hash };
    await kube().apps.createNamespacedReplicaSet({
      namespace,
      body: {
        metadata: {
          name: `web-${hash}`,
          labels: podLabels,
          annotations: { 'rollout.argoproj.io/revision': revision },
          ownerReferences: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              name: 'web',
              uid: rollout.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: { replicas: 0, selector: { matchLabels: podLabels }, template: template(image, podLabels) },
      },
    });
  }
  // The status a controller would have written: paused at the indefinite pause, canary bbb.
  await kube().custom.patchNamespacedCustomObjectStatus(
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'rollouts',
      name: 'web',
      body: {
        status: {
          stableRS: 'aaa1111111',
          currentPodHash: 'bbb2222222',
          currentStepIndex: 1,
          phase: 'Paused',
          message: 'CanaryPauseStep',
          pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-23T10:00:00Z' }],
          controllerPause: true,
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return rollout.metadata.uid;
}

async function post(route: string, body: unknown) {
  const response = await fetch(`${host.url}api/v1/applications/local/resource/actions${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function v2(action: string, namespace: string, params?: Record<string, string>) {
  return {
    appNamespace: 'argocd',
    namespace,
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action,
    project: 'default',
    ...(params === undefined
      ? {}
      : { resourceActionParameters: Object.entries(params).map(([name, value]) => ({ name, value })) }),
  };
}

test('events, the action list, built-in actions and undo reach the cluster', async () => {
  const namespace = ns.name;
  const uid = await seed(namespace);
  await kube().core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: 'web.demo1' },
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', namespace, uid },
      reason: 'RolloutPaused',
      message: 'Rollout is paused (CanaryPauseStep)',
      type: 'Normal',
      source: { component: 'rollouts-controller' },
    },
  });
  host = await startHost({
    react: '19',
    extensionsDir: '/nonexistent',
    backend: clusterBackend(kube().config, { namespace, actions: true }),
  });
  const query = new URLSearchParams({
    appNamespace: 'argocd',
    namespace,
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
  });

  const events = (await (
    await fetch(
      `${host.url}api/v1/applications/local/events?resourceNamespace=${namespace}&resourceName=web&resourceUID=${uid}`,
    )
  ).json()) as { items: { reason?: string; message?: string }[] };
  expect(events.items.map((e) => [e.reason, e.message])).toEqual([
    ['RolloutPaused', 'Rollout is paused (CanaryPauseStep)'],
  ]);

  const listed = await fetch(`${host.url}api/v1/applications/local/resource/actions?${query.toString()}`);
  const listText = await listed.text();
  if (listed.status !== 200) throw new Error(`action list: ${listed.status} ${listText}`);
  const list = JSON.parse(listText) as { actions: { name: string; disabled: boolean; params?: unknown }[] };
  const offered = Object.fromEntries(list.actions.map((a) => [a.name, a.disabled]));
  expect(offered).toMatchObject({
    resume: false,
    abort: false,
    retry: true,
    undo: false,
    'promote-full': false,
  });
  expect(list.actions.find((a) => a.name === 'undo')?.params).toEqual([{ name: 'revision', default: '1' }]);

  // resume (Argo CD's promote) clears the pause conditions through the status subresource.
  expect(await post('/v2', v2('resume', namespace))).toEqual({ status: 200, body: {} });
  expect((await getRollout(namespace, 'web')).status?.pauseConditions).toBeUndefined();

  // abort through the v1 route (query, JSON-string body), then retry through v2.
  const v1 = await fetch(`${host.url}api/v1/applications/local/resource/actions?${query.toString()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify('abort'),
  });
  expect(v1.status).toBe(200);
  expect((await getRollout(namespace, 'web')).status?.abort).toBe(true);
  expect((await post('/v2', v2('retry', namespace))).status).toBe(200);
  expect((await getRollout(namespace, 'web')).status?.abort).toBeUndefined();

  expect((await post('/v2', v2('pause', namespace))).status).toBe(200);
  expect((await getRollout(namespace, 'web')).spec.paused).toBe(true);

  // undo to revision 1, as the undo Lua does: the annotation the controller acts on.
  expect(await post('/v2', v2('undo', namespace, { revision: '2' }))).toMatchObject({
    status: 400,
    body: { message: 'undo: revision 2 is already the current revision' },
  });
  expect((await post('/v2', v2('undo', namespace, { revision: '1' }))).status).toBe(200);
  const undone = await getRollout(namespace, 'web');
  expect(undone.metadata.annotations?.['rollout-kit.io/undo-to-revision']).toBe('1');
  // Pending: discovery now disables undo, as the undo discovery Lua does.
  const after = (await (
    await fetch(`${host.url}api/v1/applications/local/resource/actions?${query.toString()}`)
  ).json()) as { actions: { name: string; disabled: boolean }[] };
  expect(after.actions.find((a) => a.name === 'undo')?.disabled).toBe(true);

  // Bad requests get Argo CD's error shape, and the page keeps serving.
  expect(await post('/v2', v2('undo', namespace))).toMatchObject({ status: 400 });
  expect(await post('/v2', v2('undo', namespace, { revision: '1; rm -rf' }))).toMatchObject({ status: 400 });
  expect(await post('/v2', v2('explode', namespace))).toMatchObject({ status: 400 });
  expect(await post('/v2', { ...v2('abort', 'kube-system') })).toMatchObject({ status: 403 });
  expect(await post('/v2', { action: 'abort' })).toMatchObject({ status: 400 });
});
