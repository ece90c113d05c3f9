// Rollout Kit's installer run the way the argo-cd Helm chart runs its init container: with its
// own /tmp and the extensions volume mounted at /tmp/extensions (its default target), here a
// private mount namespace with directories of the test run bound there. argocd-server later gets
// the same volume at the same path (argocd.ts), so what the installer wrote is what it serves.
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withPrivateTmp } from './namespaces.ts';

export interface InstallerRun {
  code: number | null;
  output: string;
}

/** Runs `bundle` (installer/dist/installer.mjs) with only PATH and `env`; killed after 60 s. */
export async function runInstallerInitContainer(opts: {
  bundle: string;
  privateTmp: string;
  extensionsDir: string;
  env: Record<string, string>;
}): Promise<InstallerRun> {
  await mkdir(opts.privateTmp, { recursive: true });
  await mkdir(opts.extensionsDir, { recursive: true });
  // Inside, /tmp is the private one: a checkout under /tmp (a CI clone, say) is hidden there, so
  // the bundle goes in with it, as the image carries it beside the installer's working files.
  await copyFile(opts.bundle, join(opts.privateTmp, 'installer.mjs'));
  const line = withPrivateTmp(
    { command: process.execPath, args: ['/tmp/installer.mjs'] },
    { privateTmp: opts.privateTmp, extensionsDir: opts.extensionsDir },
    process.getuid?.() ?? 0,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(line.command, line.args, {
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
