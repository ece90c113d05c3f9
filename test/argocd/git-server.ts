// A Git repository served by `git daemon` (Debian's git package) on 127.0.0.1, read-only, for an
// Argo CD Application to sync from. Tests change the repository with commit(): each call writes
// files and records one commit, as a person pushing to the repository would.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../control-plane/ports.ts';
import { startProcess, stopAll, tail } from '../control-plane/processes.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);

/** Commits made by the tests, never by whoever runs them. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Rollout Kit tests',
  GIT_AUTHOR_EMAIL: 'tests@rollout-kit.invalid',
  GIT_COMMITTER_NAME: 'Rollout Kit tests',
  GIT_COMMITTER_EMAIL: 'tests@rollout-kit.invalid',
  // Neither the user's nor the machine's git configuration applies.
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface GitServer {
  /** `git://127.0.0.1:<port>/<name>` for a repository created with createRepository(). */
  url(name: string): string;
  /** Creates an empty repository `name` with a `main` branch. */
  createRepository(name: string): Promise<void>;
  /** Writes `files` (path → content) into repository `name` and commits them; returns the commit SHA. */
  commit(name: string, files: Record<string, string>, message: string): Promise<string>;
  stop(): Promise<void>;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, ...GIT_ENV } });
  return stdout.trim();
}

/** Starts `git daemon` over `baseDir` (created if missing); the process is recorded in `runDir`'s PID file. */
export async function startGitServer(runDir: string, baseDir: string): Promise<GitServer> {
  await mkdir(baseDir, { recursive: true });
  const [port] = (await freePorts(1)) as [number];
  const started = startProcess(
    runDir,
    'git-daemon',
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${baseDir}`,
      '--export-all',
      '--informative-errors',
      baseDir,
    ],
    { ...process.env, ...GIT_ENV },
  );
  const url = (name: string) => `git://127.0.0.1:${port}/${name}`;
  // `git ls-remote` of a repository that does not exist fails once the daemon answers at all.
  await waitFor(
    `git daemon to answer on 127.0.0.1:${port}`,
    () =>
      run('git', ['ls-remote', url('none')], { env: { ...process.env, ...GIT_ENV } }).then(
        () => true,
        (err: { stderr?: string }) => /not exported|does not appear|No such/i.test(err.stderr ?? ''),
      ),
    { timeoutMs: 20_000, observe: () => tail(started.log, 5) },
  );
  return {
    url,
    async createRepository(name) {
      const dir = join(baseDir, name);
      await mkdir(dir, { recursive: true });
      await git(dir, 'init', '--quiet', '--initial-branch=main');
    },
    async commit(name, files, message) {
      const dir = join(baseDir, name);
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), content);
      }
      await git(dir, 'add', '--all');
      await git(dir, 'commit', '--quiet', '-m', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
    async stop() {
      await stopAll([{ name: started.name, pid: started.pid }]);
    },
  };
}
