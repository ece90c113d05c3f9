// One Argo CD and one Git server for a whole test file: started before its first test, stopped
// after its last, with Argo CD's logs printed under any test that failed. Read `.current` inside
// tests.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startArgoCd, type ArgoCd, type ArgoCdOptions } from './argocd.ts';
import { startGitServer, type GitServer } from './git-server.ts';

export interface PerFile {
  readonly argocd: ArgoCd;
  readonly git: GitServer;
}

export function argoCdPerFile(options: ArgoCdOptions): PerFile {
  const holder: { argocd?: ArgoCd; git?: GitServer } = {};
  beforeAll(async () => {
    const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
    if (!runDir) throw new Error('ROLLOUT_KIT_RUN_DIR is not set: run integration tests through `make test`');
    const started = Date.now();
    holder.git = await startGitServer(runDir, mkdtempSync(join(runDir, `git-${options.name}-`)));
    holder.argocd = await startArgoCd(options);
    process.stderr.write(`[argocd] ${options.name} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 240_000);
  afterAll(async () => {
    await holder.argocd?.stop();
    await holder.git?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (holder.argocd && state.assertionCalls !== state.numPassingAsserts) {
      process.stderr.write(`Argo CD logs:\n${holder.argocd.logs()}\n`);
    }
  });
  return {
    get argocd() {
      if (!holder.argocd) throw new Error('Argo CD is not running (its beforeAll failed)');
      return holder.argocd;
    },
    get git() {
      if (!holder.git) throw new Error('the Git server is not running (its beforeAll failed)');
      return holder.git;
    },
  };
}
