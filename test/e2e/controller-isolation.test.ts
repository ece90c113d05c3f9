// --instance-id and --namespaced isolate controllers: a Rollout labelled for another instance, or
// in another namespace, is left untouched (no status, no ReplicaSet, no Event), while the
// controller's own Rollout goes Healthy. And /metrics reports what the controller did with the
// upstream metric names.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { applyCrds } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { createNamespace, deleteNamespace, namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  createRollout,
  getRollout,
  patchRollout,
  replicaSetSizes,
  waitForRollout,
} from '../support/rollouts.ts';
import {
  canaryRollout,
  healthy,
  launchController,
  newInstanceId,
  sample,
  scrapeMetrics,
  setImage,
  writeKubeconfig,
  type ControllerProcess,
} from './controller-process.ts';

const ns = namespacePerTest();
let controller: ControllerProcess | undefined;
let tmp: string;

beforeAll(async () => {
  await applyCrds();
  tmp = mkdtempSync(join(tmpdir(), 'controller-isolation-'));
});
afterEach(async () => {
  const state = expect.getState();
  if (controller && state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`controller log:\n${controller.tail()}\n`);
  await controller?.stop();
  controller = undefined;
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Nothing was done to the Rollout: no status, no ReplicaSet, no Event. */
async function expectUntouched(namespace: string, name: string): Promise<void> {
  const rollout = await getRollout(namespace, name);
  expect(rollout.status).toBeUndefined();
  expect(await replicaSetSizes(namespace, name)).toEqual({});
  const events = await kube().core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  expect(events.items.map((e) => e.reason)).toEqual([]);
}

test('--instance-id: a Rollout labelled for another instance is left untouched', async () => {
  const mine = newInstanceId('mine');
  const other = newInstanceId('other'); // no controller runs with this id
  controller = launchController(mine, { args: [`--instance-id=${mine}`, '--leader-elect=false'] });
  await createRollout(ns.name, canaryRollout({ name: 'theirs', instanceId: other, image: 'nginx:1' }));
  await createRollout(ns.name, canaryRollout({ name: 'ours', instanceId: mine, image: 'nginx:1' }));
  await waitForRollout(ns.name, 'ours', 'Healthy', healthy);
  // The other Rollout was created first: had the controller picked it up, it would show by now.
  await expectUntouched(ns.name, 'theirs');
});

test('--namespaced: only the namespace of the kubeconfig context is watched', async () => {
  const id = newInstanceId('nsd');
  const elsewhere = await createNamespace(`${expect.getState().currentTestName ?? 'test'} other`);
  try {
    const kubeconfig = writeKubeconfig(join(tmp, id), { namespace: ns.name });
    controller = launchController(id, {
      kubeconfig,
      args: [`--instance-id=${id}`, '--namespaced', '--leader-elect=false'],
    });
    await createRollout(elsewhere, canaryRollout({ name: 'web', instanceId: id, image: 'nginx:1' }));
    await createRollout(ns.name, canaryRollout({ name: 'web', instanceId: id, image: 'nginx:1' }));
    await waitForRollout(ns.name, 'web', 'Healthy in the watched namespace', healthy);
    expect(controller.lines().find((l) => l.msg === 'rollouts-controller starting')?.namespace).toBe(ns.name);
    await expectUntouched(elsewhere, 'web');
  } finally {
    await deleteNamespace(elsewhere);
  }
});

test('/metrics reports rollout_info, rollout_reconcile and the API requests after a rollout', async () => {
  const id = newInstanceId('metrics');
  controller = launchController(id, { args: [`--instance-id=${id}`, '--leader-elect=false'] });
  await createRollout(ns.name, canaryRollout({ name: 'web', instanceId: id, image: 'nginx:1' }));
  const first = await waitForRollout(ns.name, 'web', 'Healthy', healthy);
  await patchRollout(ns.name, 'web', setImage('nginx:2'));
  await waitForRollout(
    ns.name,
    'web',
    'Healthy on the new revision',
    (r) => healthy(r) && r.status?.stableRS !== first.status?.stableRS,
  );
  const id0 = { namespace: ns.name, name: 'web' };
  // rollout_info follows the status through the informer: wait for the Healthy one.
  const text = await waitForMetrics(controller, (t) =>
    sample(t, 'rollout_info', { ...id0, phase: 'Healthy' }) === 1 ? t : undefined,
  );
  expect(sample(text, 'rollout_info', { ...id0, strategy: 'canary', traffic_router: '' })).toBe(1);
  expect(text).not.toMatch(new RegExp(`rollout_info\\{[^}]*name="web"[^}]*phase="(Progressing|Paused)"`));
  expect(sample(text, 'rollout_info_replicas_desired', id0)).toBe(2);
  expect(sample(text, 'rollout_info_replicas_available', id0)).toBe(2);
  expect(sample(text, 'rollout_info_replicas_updated', id0)).toBe(2);
  expect(sample(text, 'rollout_reconcile_count', id0)).toBeGreaterThan(2);
  expect(sample(text, 'rollout_reconcile_bucket', { ...id0, le: '+Inf' })).toBeGreaterThan(2);
  expect(sample(text, 'rollout_events_total', { ...id0, reason: 'RolloutCompleted' })).toBeGreaterThan(0);
  expect(
    sample(text, 'controller_clientset_k8s_request_total', {
      kind: 'replicasets',
      namespace: ns.name,
      verb: 'Create',
      status_code: '201',
    }),
  ).toBe(2);
  expect(
    sample(text, 'controller_clientset_k8s_request_total', {
      kind: 'rollouts',
      verb: 'List',
      status_code: '200',
    }),
  ).toBeGreaterThan(0);
  expect(sample(text, 'argo_rollouts_controller_info', {})).toBe(1);

  // A deleted Rollout's series go away.
  await kube().custom.deleteNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural: 'rollouts',
    name: 'web',
  });
  await waitForMetrics(controller, (t) => (sample(t, 'rollout_info', id0) === undefined ? t : undefined));
});

async function waitForMetrics(
  c: ControllerProcess,
  check: (text: string) => string | undefined,
): Promise<string> {
  let last = '';
  try {
    return await waitFor('the expected /metrics', async () => {
      last = await scrapeMetrics(c);
      return check(last);
    });
  } catch (error) {
    process.stderr.write(
      `last /metrics:\n${last
        .split('\n')
        .filter((l) => l.startsWith('rollout_'))
        .join('\n')}\n`,
    );
    throw error;
  }
}
