// Argo CD's built-in Rollout actions (pause, resume, skip-current-step, promote-full, restart,
// abort and retry; the last two in gitops-health.test.ts) and Rollout Kit's own `undo` action
// (the argocd-cm customization we ship) run through Argo CD's API with a real login, each checked
// in the cluster; and an account whose Argo CD role lacks the action permission is refused.
import { REVISION_ANNOTATION } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { getRollout } from '../support/rollouts.ts';
import { listActions, login, ok, runAction, type Session } from './argocd-api.ts';
import { argoCdPerFile } from './argocd-per-file.ts';
import { deployGitOpsApp, type GitOpsApp } from './gitops-app.ts';

const ns = namespacePerTest();
controllerPerFile('argocd-actions');
const env = argoCdPerFile({ name: 'actions' });

const image = (tag: string) => `argoproj/rollouts-demo:${tag}`;
const imageOf = (r: { spec: { template?: { spec?: { containers?: { image?: string }[] } } } }) =>
  r.spec.template?.spec?.containers?.[0]?.image;

async function act(
  session: Session,
  app: GitOpsApp,
  action: string,
  parameters?: Record<string, string>,
): Promise<void> {
  ok(
    `running ${action} on ${app.rollout.name}`,
    await runAction(session, {
      app: app.name,
      resource: app.rollout,
      action,
      ...(parameters ? { parameters } : {}),
    }),
  );
}

async function deployed(session: Session): Promise<GitOpsApp> {
  const app = await deployGitOpsApp({
    session,
    git: env.git,
    argocdNamespace: env.argocd.namespace,
    namespace: ns.name,
    first: { image: image('blue') },
  });
  await app.waitForApp('Synced', 'Healthy');
  return app;
}

test('pause, resume, skip-current-step, promote-full, restart and undo act on the Rollout', async () => {
  const session = await login(env.argocd.url, 'admin', env.argocd.admin.password);
  const app = await deployed(session);

  await app.commit({ image: image('yellow') }, 'yellow');
  await app.waitForRollout(
    'the canary to pause at step 1',
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  const offered = await listActions(session, app.name, app.rollout);
  expect(
    offered
      .filter((a) => !a.disabled)
      .map((a) => a.name)
      .sort(),
  ).toEqual(['abort', 'pause', 'promote-full', 'restart', 'resume', 'skip-current-step', 'undo'].sort());

  await act(session, app, 'pause');
  const paused = await app.waitForRollout('spec.paused', (r) => r.spec.paused === true);
  expect(paused.status?.currentStepIndex).toBe(1);
  await app.waitForRolloutHealth('Suspended');

  // Resume clears the user's pause and the step's pause: the canary goes on to the next pause.
  await act(session, app, 'resume');
  const resumed = await app.waitForRollout(
    'the canary to pause at step 3',
    (r) => r.status?.currentStepIndex === 3,
  );
  expect(resumed.spec.paused).not.toBe(true);

  await act(session, app, 'skip-current-step');
  const yellow = await app.waitForRollout(
    'yellow to be promoted',
    (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
  );
  expect(yellow.status?.currentStepIndex).toBe(4);

  // promote-full skips every remaining step at once.
  await app.commit({ image: image('green') }, 'green');
  await app.waitForRollout(
    'green to pause at step 1',
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  await act(session, app, 'promote-full');
  const green = await app.waitForRollout(
    'green to be promoted in full',
    (r) =>
      r.status?.phase === 'Healthy' &&
      r.status.stableRS === r.status.currentPodHash &&
      imageOf(r) === image('green'),
  );
  expect(green.status?.availableReplicas).toBe(4);
  await app.waitForRolloutHealth('Healthy');

  await act(session, app, 'restart');
  const restarted = await app.waitForRollout(
    'the restart to be carried out',
    (r) => r.status?.restartedAt !== undefined,
  );
  expect(restarted.status?.restartedAt).toBe(restarted.spec.restartAt);

  // Undo to revision 2 (yellow): the controller copies that revision's template back.
  expect((await getRollout(ns.name, 'web')).metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');
  await act(session, app, 'undo', { revision: '2' });
  const undone = await app.waitForRollout(
    'the undo to bring yellow back',
    (r) => imageOf(r) === image('yellow'),
  );
  expect(undone.metadata.annotations?.['rollout-kit.io/undo-to-revision']).toBeUndefined();
  await app.waitForRollout(
    'the rollback to pause at step 1',
    (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
  );
  // The live Rollout now differs from Git: Argo CD says so.
  await app.waitForApp('OutOfSync', 'Suspended');
});

test('an account whose role lacks the action permission is refused, and nothing changes', async () => {
  const admin = await login(env.argocd.url, 'admin', env.argocd.admin.password);
  const app = await deployed(admin);
  await app.commit({ image: image('yellow') }, 'yellow');
  const before = await app.waitForRollout(
    'the canary to pause at step 1',
    (r) => r.status?.phase === 'Paused',
  );

  const viewer = await login(env.argocd.url, env.argocd.viewer.name, env.argocd.viewer.password);
  // role:readonly may read the application and its resources...
  expect((await listActions(viewer, app.name, app.rollout)).map((a) => a.name)).toContain('resume');
  // ...but may run no action, built-in or ours.
  for (const [action, parameters] of [['resume'], ['promote-full'], ['undo', { revision: '1' }]] as const) {
    const refused = await runAction(viewer, {
      app: app.name,
      resource: app.rollout,
      action,
      ...(parameters ? { parameters } : {}),
    });
    expect({ action, status: refused.status }).toEqual({ action, status: 403 });
    expect(String(refused.body.message)).toMatch(/permission denied/);
  }
  const after = await getRollout(ns.name, 'web');
  expect(after.status?.pauseConditions).toEqual(before.status?.pauseConditions);
  expect(after.status?.promoteFull).toBeUndefined();
  expect(after.metadata.annotations?.['rollout-kit.io/undo-to-revision']).toBeUndefined();
});
