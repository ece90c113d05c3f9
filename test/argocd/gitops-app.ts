// A Rollout delivered the GitOps way: its manifest committed to a repository on the test Git
// server, an Argo CD Application (created through Argo CD's API, automated sync) deploying it into
// the test's namespace, and commits that change it. After each commit the test asks Argo CD to
// refresh, as a Git webhook would, instead of waiting for its polling interval.
import type { Rollout } from '@rollout-kit/api';
import { getRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  getApplication,
  ok,
  resourceHealth,
  type Application,
  type ResourceRef,
  type Session,
} from './argocd-api.ts';
import type { GitServer } from './git-server.ts';
import { application, revisionFiles, rolloutRef, type RevisionOptions } from './rollout-app.ts';

export interface GitOpsApp {
  name: string;
  rollout: ResourceRef;
  /** Commits a new revision of the Rollout and asks Argo CD to refresh; returns the commit SHA. */
  commit(revision: RevisionOptions, message: string): Promise<string>;
  /** Waits until Argo CD's health of the Rollout has `status` (and a message matching `message`). */
  waitForRolloutHealth(
    status: string,
    message?: RegExp,
    timeoutMs?: number,
  ): Promise<{ status?: string; message?: string }>;
  /** Waits until the Application's sync and health read `sync` and `health`. */
  waitForApp(sync: string, health: string, revision?: string): Promise<Application>;
  /** Waits until the live Rollout satisfies `done`. */
  waitForRollout(what: string, done: (r: Rollout) => boolean): Promise<Rollout>;
}

export async function deployGitOpsApp(opts: {
  session: Session;
  git: GitServer;
  argocdNamespace: string;
  namespace: string;
  first: RevisionOptions;
}): Promise<GitOpsApp> {
  const { session, git, namespace } = opts;
  // One repository and one Application per test namespace.
  const name = namespace;
  await git.createRepository(name);
  let revision = await git.commit(name, revisionFiles(opts.first), 'the first revision');
  ok(
    `creating Application ${name}`,
    await session.post(
      'api/v1/applications',
      application({ name, argocdNamespace: opts.argocdNamespace, repoURL: git.url(name), namespace }),
    ),
  );
  const rollout = rolloutRef(namespace);
  const describe = async () => {
    const app = await getApplication(session, name);
    return {
      sync: app.status?.sync,
      health: app.status?.health,
      operation: app.status?.operationState?.message,
      rollout: await resourceHealth(session, name, rollout),
    };
  };

  const gitOpsApp: GitOpsApp = {
    name,
    rollout,
    async commit(next, message) {
      revision = await git.commit(name, revisionFiles(next), message);
      await getApplication(session, name, 'normal');
      return revision;
    },
    waitForRolloutHealth(status, message, timeoutMs = 90_000) {
      return waitFor(
        `Argo CD's health of Rollout ${namespace}/${rollout.name} to be ${status}${message ? ` (${String(message)})` : ''}`,
        async () => {
          const health = await resourceHealth(session, name, rollout);
          return health?.status === status && (message === undefined || message.test(health.message ?? ''))
            ? health
            : undefined;
        },
        { timeoutMs, intervalMs: 200, observe: describe },
      );
    },
    waitForApp(sync, health, wanted = revision) {
      return waitFor(
        `Application ${name} to be ${sync} and ${health} at ${wanted.slice(0, 8)}`,
        async () => {
          const app = await getApplication(session, name);
          const status = app.status;
          return status?.sync?.status === sync &&
            status.sync.revision === wanted &&
            status.health?.status === health
            ? app
            : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500, observe: describe },
      );
    },
    waitForRollout(what, done) {
      return waitFor(
        what,
        async () => {
          const r = await getRollout(namespace, rollout.name);
          return done(r) ? r : undefined;
        },
        { timeoutMs: 90_000, observe: () => getRollout(namespace, rollout.name).then((r) => r.status) },
      );
    },
  };
  return gitOpsApp;
}
