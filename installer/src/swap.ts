import { lstat, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Installing is: download and unpack into a work directory inside EXTENSIONS_DIR, then rename each
 * top-level entry of the new `resources/` over the installed one. The work directory must sit
 * inside EXTENSIONS_DIR because that is usually its own emptyDir volume, and rename does not cross
 * file systems. Until the renames, nothing installed is touched; if a rename fails, the ones done
 * are undone, so the previous extension stays as it was.
 *
 * Each top-level entry (normally one directory such as `extension-Rollout.js/`) is replaced as a
 * whole rather than merged as upstream's `cp -Rf` does, so files that a new version dropped are
 * not left behind for argocd-server to keep serving. Other extensions' entries are left alone.
 *
 * argocd-server serves every `extension*.js` below /tmp/extensions, work directories included, so
 * the work directory is removed on every exit path, and leftovers of a killed run are removed at
 * the next start.
 */
export const WORK_DIR_PREFIX = '.rollout-kit-';
export const INSTALLED_DIR = 'resources';

export function isWorkDirName(name: string): boolean {
  return name.startsWith(WORK_DIR_PREFIX);
}

/** The file-system calls a swap makes, passed in so that the rollback can be tested without a disk. */
export interface SwapFs {
  exists(path: string): Promise<boolean>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
}

export const nodeSwapFs: SwapFs = {
  exists: async (path) => {
    try {
      await lstat(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  },
  rename: (from, to) => rename(from, to),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true, mode: 0o755 });
  },
};

export interface SwapPlan {
  /** Directory holding the new entries (the staged `resources/`). */
  stagedDir: string;
  /** Directory they replace entries in (EXTENSIONS_DIR/resources). */
  installedDir: string;
  /** Directory, inside the work directory, that receives the replaced entries. */
  previousDir: string;
  /** Top-level names to move. */
  children: readonly string[];
}

/**
 * Moves every child of the plan into place. Returns the names that replaced an installed entry.
 * On failure, undoes the moves made and rethrows with what it was doing.
 */
export async function swapIntoPlace(plan: SwapPlan, fs: SwapFs): Promise<string[]> {
  await fs.mkdir(plan.installedDir);
  await fs.mkdir(plan.previousDir);
  const replaced: string[] = [];
  const placed: string[] = [];
  try {
    for (const child of plan.children) {
      const installed = join(plan.installedDir, child);
      if (await fs.exists(installed)) {
        await fs.rename(installed, join(plan.previousDir, child));
        replaced.push(child);
      }
      await fs.rename(join(plan.stagedDir, child), installed);
      placed.push(child);
    }
    return replaced;
  } catch (error) {
    await rollBack(plan, fs, { placed, replaced });
    throw new Error(`moving the extension into ${plan.installedDir}`, { cause: error });
  }
}

async function rollBack(
  plan: SwapPlan,
  fs: SwapFs,
  done: { placed: string[]; replaced: string[] },
): Promise<void> {
  for (const child of done.placed.reverse()) {
    await fs.rename(join(plan.installedDir, child), join(plan.stagedDir, child));
  }
  for (const child of done.replaced.reverse()) {
    await fs.rename(join(plan.previousDir, child), join(plan.installedDir, child));
  }
}

/** Creates EXTENSIONS_DIR if needed, removes work directories left by a killed run, and makes a new one. */
export async function createWorkDir(extensionsDir: string): Promise<string> {
  await mkdir(extensionsDir, { recursive: true, mode: 0o755 });
  for (const name of await readdir(extensionsDir)) {
    if (isWorkDirName(name)) await rm(join(extensionsDir, name), { recursive: true, force: true });
  }
  return mkdtemp(join(extensionsDir, WORK_DIR_PREFIX));
}

export async function removeWorkDir(workDir: string): Promise<void> {
  await rm(workDir, { recursive: true, force: true });
}
