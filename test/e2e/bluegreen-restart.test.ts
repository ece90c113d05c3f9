// The controller killed with SIGKILL around the active Service switch of a blue-green update, and
// started again: the new controller finishes the switch, the Services and status.blueGreen agree,
// blue still waits out its scale-down delay and is scaled down once, and nothing is done twice.
// The first kill lands right after the promote (before, during or just after the switch — the
// pass runs within milliseconds); the second while blue waits on its deadline.
import { INSTANCE_ID_LABEL } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { argoRollouts, getRollout, replicaSetSizes } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  blueGreenRollout,
  deployFirst,
  healthyOn,
  serviceState,
  updateToGreen,
} from './bluegreen-support.ts';
import { restartableController } from './restartable-controller.ts';

const ns = namespacePerTest();
const controllers = restartableController('bg-restart');

async function eventMessages(reason: string): Promise<string[]> {
  const list = await kube().core.listNamespacedEvent({
    namespace: ns.name,
    fieldSelector: `involvedObject.name=web,reason=${reason}`,
  });
  return list.items.flatMap((e) => Array.from({ length: e.count ?? 1 }, () => e.message ?? ''));
}

test('killed around the active switch, the restarted controller leaves the Services consistent', async () => {
  const { instanceId, start, crash } = controllers;

  let controller = start();
  const first = await deployFirst(
    ns.name,
    blueGreenRollout({
      image: 'argoproj/rollouts-demo:blue',
      labels: { [INSTANCE_ID_LABEL]: instanceId },
      blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 8 },
    }),
  );
  const blue = first.status!.stableRS!;
  const paused = await updateToGreen(ns.name);
  const green = paused.status!.currentPodHash!;

  // 1. Killed right as the promote is acted on.
  await argoRollouts(ns.name, 'promote', 'web');
  await crash(controller);
  controller = start();

  const done = await healthyOn(ns.name, green);
  expect(done.status?.blueGreen).toEqual({ activeSelector: green, previewSelector: green });
  expect((await serviceState(ns.name, 'web-active')).hash).toBe(green);
  expect((await serviceState(ns.name, 'web-preview')).hash).toBe(green);

  // 2. Killed while blue waits out its scale-down delay: the deadline survives the restart.
  const withDeadline = await waitFor('blue to carry its scale-down deadline', async () => {
    const rs = await kube().apps.readNamespacedReplicaSet({ namespace: ns.name, name: `web-${blue}` });
    return rs.metadata?.annotations?.['scale-down-deadline'];
  });
  expect((await replicaSetSizes(ns.name, 'web'))[blue]).toEqual({ spec: 3, available: 3 });
  await crash(controller);
  start();
  await waitFor('blue scaled to 0 after its deadline', async () =>
    (await replicaSetSizes(ns.name, 'web'))[blue]?.spec === 0 ? true : undefined,
  );
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(withDeadline));
  const final = await getRollout(ns.name, 'web');
  expect(final.status).toMatchObject({
    phase: 'Healthy',
    stableRS: green,
    blueGreen: { activeSelector: green, previewSelector: green },
  });
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [blue]: { spec: 0, available: 0 },
    [green]: { spec: 3, available: 3 },
  });

  // Nothing done twice: the active Service moved to green at most once (its Event is lost if the
  // kill landed between the patch and the Event), never back, and blue was scaled down once.
  const switches = await eventMessages('SwitchService');
  const activeSwitches = switches.filter((m) => m.startsWith("Switched selector for service 'web-active'"));
  expect(activeSwitches.filter((m) => m.endsWith(`to '${green}'`)).length).toBeLessThanOrEqual(1);
  expect(activeSwitches.filter((m) => m.includes(`from '${green}'`))).toEqual([]);
  const scaledDown = (await eventMessages('ScalingReplicaSet')).filter((m) =>
    m.startsWith(`Scaled down ReplicaSet web-${blue}`),
  );
  expect(scaledDown).toEqual([`Scaled down ReplicaSet web-${blue} (revision 1) from 3 to 0`]);
  expect((await eventMessages('NewReplicaSetCreated')).length).toBe(2);
});
