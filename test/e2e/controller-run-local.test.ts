// `make run`'s command, controller/tools/run-local.ts: installs the CRDs in the cluster of the
// kubeconfig (server-side apply, waiting until they are Established), then runs the controller
// from source in the same process, with leader election off unless asked for.
import { join } from 'node:path';
import { namespacePerTest } from '../support/namespace.ts';
import { createRollout, waitForRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  canaryRollout,
  healthy,
  launchController,
  newInstanceId,
  repo,
  type ControllerProcess,
} from './controller-process.ts';

const ns = namespacePerTest();
let controller: ControllerProcess | undefined;

afterEach(async () => {
  const state = expect.getState();
  if (controller && state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`run-local log:\n${controller.tail()}\n`);
  await controller?.stop();
});

test('run-local installs the CRDs, then runs the controller from source', async () => {
  const id = newInstanceId('run-local');
  controller = launchController(id, {
    entry: join(repo, 'controller', 'tools', 'run-local.ts'),
    args: [`--instance-id=${id}`],
  });
  const running = controller;
  await waitFor('the controller to reconcile', () => running.logged('caches synced; reconciling'), {
    observe: () => running.tail(5),
  });
  const log = running.tail(200);
  for (const crd of [
    'rollouts',
    'analysisruns',
    'analysistemplates',
    'clusteranalysistemplates',
    'experiments',
  ])
    expect(log).toContain(`run-local: applied ${crd}.argoproj.io`);
  // No Lease was sought: a laptop has no POD_NAMESPACE and maybe no argo-rollouts namespace.
  expect(running.logged('became the leader')).toBe(false);
  await createRollout(ns.name, canaryRollout({ name: 'web', instanceId: id, image: 'nginx:1' }));
  await waitForRollout(ns.name, 'web', 'Healthy', healthy);
  running.kill('SIGTERM');
  expect(await running.exited).toBe(0);
});
