// The seed's Argo CD walkthrough inside a real Argo CD: an Application syncs a canary Rollout
// (4 replicas, 25% → pause → 50% → pause → 100%) from a Git repository, a commit that changes the
// image starts the canary, and Argo CD's own health for the Rollout (its built-in health Lua, read
// from the application's resource tree) follows every stage: Progressing while pods come up,
// Suspended at each pause, Healthy at the end, Degraded after an abort. The user moves it on from
// Argo CD (resume, abort, retry as resource actions, logged in as admin).
import { listeningSocketsOf } from '../control-plane/listening.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { replicaSetSizes } from '../support/rollouts.ts';
import { login, ok, runAction, type Session } from './argocd-api.ts';
import { argoCdPerFile } from './argocd-per-file.ts';
import { deployGitOpsApp, type GitOpsApp } from './gitops-app.ts';

const ns = namespacePerTest();
controllerPerFile('argocd-health');
const env = argoCdPerFile({ name: 'health' });

async function act(session: Session, app: GitOpsApp, action: string): Promise<void> {
  ok(
    `running ${action} on ${app.rollout.name}`,
    await runAction(session, { app: app.name, resource: app.rollout, action }),
  );
}

test('a Git commit walks the canary; Argo CD reports Progressing, Suspended, Healthy and Degraded', async () => {
  const session = await login(env.argocd.url, 'admin', env.argocd.admin.password);
  const app = await deployGitOpsApp({
    session,
    git: env.git,
    argocdNamespace: env.argocd.namespace,
    namespace: ns.name,
    first: { image: 'argoproj/rollouts-demo:blue' },
  });
  await app.waitForApp('Synced', 'Healthy');
  await app.waitForRolloutHealth('Healthy');
  const first = await app.waitForRollout(
    'the first revision to be stable',
    (r) => r.status?.phase === 'Healthy',
  );
  const stable = first.status!.stableRS!;

  // A commit changes the image; the new pods take 10 s to become Ready.
  const yellow = await app.commit(
    { image: 'argoproj/rollouts-demo:yellow', readyAfterSeconds: 10 },
    'yellow',
  );
  await app.waitForRolloutHealth('Progressing');
  const firstPause = await app.waitForRolloutHealth('Suspended', /CanaryPauseStep/);
  expect(firstPause.message).toBe('CanaryPauseStep');
  const atFirstPause = await app.waitForRollout(
    'the canary to pause at step 1',
    (r) => r.status?.currentStepIndex === 1,
  );
  const canary = atFirstPause.status!.currentPodHash!;
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 3, available: 3 },
    [canary]: { spec: 1, available: 1 },
  });
  // The app is in sync with Git (the commit is deployed) and its health is the Rollout's.
  await app.waitForApp('Synced', 'Suspended', yellow);

  await act(session, app, 'resume');
  await app.waitForRolloutHealth('Progressing');
  await app.waitForRolloutHealth('Suspended', /CanaryPauseStep/);
  await app.waitForRollout('the canary to pause at step 3', (r) => r.status?.currentStepIndex === 3);
  expect(await replicaSetSizes(ns.name, 'web')).toEqual({
    [stable]: { spec: 2, available: 2 },
    [canary]: { spec: 2, available: 2 },
  });

  await act(session, app, 'resume');
  await app.waitForRolloutHealth('Progressing');
  await app.waitForRolloutHealth('Healthy');
  await app.waitForApp('Synced', 'Healthy', yellow);
  const promoted = await app.waitForRollout('yellow to be stable', (r) => r.status?.stableRS === canary);
  expect(promoted.status).toMatchObject({ phase: 'Healthy', currentStepIndex: 4, availableReplicas: 4 });

  // The next commit is aborted at its first pause: Degraded, and the stable version takes over.
  await app.commit({ image: 'argoproj/rollouts-demo:green' }, 'green');
  await app.waitForRolloutHealth('Suspended', /CanaryPauseStep/);
  await act(session, app, 'abort');
  const degraded = await app.waitForRolloutHealth('Degraded');
  expect(degraded.message).toMatch(/abort/i);
  const aborted = await app.waitForRollout(
    'the abort to scale the canary down',
    (r) => r.status?.abort === true,
  );
  await app.waitForRollout('the stable ReplicaSet to serve alone', (r) => r.status?.availableReplicas === 4);
  expect((await replicaSetSizes(ns.name, 'web'))[aborted.status!.currentPodHash!]).toEqual({
    spec: 0,
    available: 0,
  });

  // Retry starts the canary again from the first step.
  await act(session, app, 'retry');
  await app.waitForRolloutHealth('Suspended', /CanaryPauseStep/);
  const retried = await app.waitForRollout(
    'the retried canary to pause at step 1',
    (r) => r.status?.abort !== true,
  );
  expect(retried.status?.currentStepIndex).toBe(1);
});

test('Argo CD listens on 127.0.0.1 only; the controller fixed 0.0.0.0 stays in its own network namespace', () => {
  const { processes, controllerMetricsPort } = env.argocd;
  const outside = processes.flatMap((p) => listeningSocketsOf(p.pid).map((s) => ({ name: p.name, ...s })));
  // Redis, the repo server (gRPC and metrics) and argocd-server (HTTP and metrics) at least.
  expect(outside.length).toBeGreaterThanOrEqual(5);
  expect(outside.filter((s) => !s.loopback)).toEqual([]);
  const controller = processes.find((p) => p.name.startsWith('argocd-application-controller'));
  if (controller === undefined) throw new Error('no application controller among the Argo CD processes');
  expect(listeningSocketsOf(controller.pid)).toEqual([]);
  const inside = listeningSocketsOf(controller.pid, `/proc/${controller.pid}/net`);
  expect(inside).toContainEqual(expect.objectContaining({ port: controllerMetricsPort, loopback: false }));
});
