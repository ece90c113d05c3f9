// Bundles the installer into one ES module, dist/installer.mjs, that runs on a bare Node 24 with
// no node_modules: the only thing the container image has to copy.
//
//   node build.mjs
//
// The file is written beside its final name and renamed, so a test that runs the bundle while
// a build is under way sees either the old file or the new one.
import { rename, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const BUNDLE = join(here, 'dist', 'installer.mjs');

/** Builds dist/installer.mjs and returns its size in bytes. */
export async function buildInstaller() {
  const result = await build({
    absWorkingDir: here,
    entryPoints: ['src/main.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  await mkdir(dirname(BUNDLE), { recursive: true });
  const partial = `${BUNDLE}.${process.pid}.tmp`;
  await writeFile(partial, output.contents, { mode: 0o755 });
  await rename(partial, BUNDLE);
  return output.contents.byteLength;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildInstaller();
  console.log(`[installer] ${BUNDLE} (${(bytes / 1024).toFixed(1)} KiB)`);
}
