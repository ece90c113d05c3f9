// The extension as argocd-server sees it: extension.tar, unpacked the way the installer does
// (its resources/* copied into <dir>/resources/), ready to be joined into /extensions.js.
// By default the tar is built fresh from extension/src with extension/build.mjs's own functions
// into a scratch directory, so the test always sees the current source and never writes into
// extension/; ROLLOUT_KIT_EXTENSION_TAR points at a given tar instead (a release, say).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const BUILD_SCRIPT = join(import.meta.dirname, '..', '..', 'extension', 'build.mjs');

/** The parts of extension/build.mjs used here. */
interface BuildModule {
  bundle(): Promise<string>;
  checkParses(code: string): void;
  checkReact16(code: string): void;
  pack(code: string, opts: { dist: string; tar: string }): Promise<{ file: string; digest: string }>;
}

/** Builds extension.tar into `dir` and returns its path. */
export async function buildExtensionTar(dir: string): Promise<string> {
  const build = (await import(pathToFileURL(BUILD_SCRIPT).href)) as BuildModule;
  const code = await build.bundle();
  build.checkParses(code);
  build.checkReact16(code);
  const tar = join(dir, 'extension.tar');
  await build.pack(code, { dist: join(dir, 'dist'), tar });
  return tar;
}

/**
 * Unpacks `tar` like argocd-extension-installer (a top-level resources/ is required; its content
 * goes to <extensionsDir>/resources/) and returns the extensions directory.
 */
export async function installExtension(tar: string, extensionsDir: string): Promise<string> {
  const scratch = await mkdtemp(`${extensionsDir}.unpack-`);
  try {
    await run('tar', ['-xf', tar, '-C', scratch]);
    await mkdir(join(extensionsDir, 'resources'), { recursive: true });
    await cp(join(scratch, 'resources'), join(extensionsDir, 'resources'), { recursive: true });
    return extensionsDir;
  } catch (err) {
    throw new Error(`installing ${tar} into ${extensionsDir}`, { cause: err });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** An extensions directory holding the Rollout tab, under `workDir`. */
export async function prepareExtensions(workDir: string): Promise<{ tar: string; extensionsDir: string }> {
  const tar = process.env.ROLLOUT_KIT_EXTENSION_TAR ?? (await buildExtensionTar(join(workDir, 'build')));
  return { tar, extensionsDir: await installExtension(tar, join(workDir, 'extensions')) };
}
