import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnabledConfig } from './config.ts';
import {
  archiveFileName,
  authorization,
  downloadToFile,
  shownUrl,
  type DownloadOptions,
} from './download.ts';
import type { Limits } from './entry-rules.ts';
import { InstallFailure } from './failure.ts';
import { varsDirectory, varsFile } from './js-vars.ts';
import { createWorkDir, INSTALLED_DIR, nodeSwapFs, removeWorkDir, swapIntoPlace } from './swap.ts';
import { tarStreamCap, unpackArchive, type Unpacked } from './unpack.ts';
import { expectedChecksum, sameSha256, sha256OfFile } from './verify.ts';

/** Entries an extension archive may hold; real ones hold a handful. */
const MAX_ENTRIES = 10_000;
const MAX_CHECKSUM_FILE_BYTES = 1024 * 1024;

export interface InstallDeps {
  log: (line: string) => void;
}

/**
 * Downloads, verifies, unpacks and swaps one extension into config.extensionsDir, in that order;
 * every step before the swap works inside a work directory, so a failure leaves the installed
 * extension as it was. Throws InstallFailure for the failures it understands.
 */
export async function install(config: EnabledConfig, deps: InstallDeps): Promise<void> {
  const { log } = deps;
  const label = [config.name, config.version].filter((s) => s !== '').join(' ') || 'the';
  log(`Installing ${label} extension from ${shownUrl(config.url)} into ${config.extensionsDir}`);
  const limits: Limits = { maxBytes: config.maxExtractBytes, maxEntries: MAX_ENTRIES };
  const workDir = await createWorkDir(config.extensionsDir);
  try {
    const archive = join(workDir, 'archive');
    const download = (url: URL, maxBytes: number): DownloadOptions => ({
      budgetMs: config.maxDownloadMs,
      retries: config.retries,
      maxBytes,
      headers: authorization(url, config.gitToken),
      log,
    });
    log('Downloading the UI extension...');
    const bytes = await downloadToFile(config.url, archive, download(config.url, tarStreamCap(limits)));
    log(`Downloaded ${bytes} bytes`);
    await verify(
      config,
      archive,
      workDir,
      download(config.checksumUrl ?? config.url, MAX_CHECKSUM_FILE_BYTES),
      log,
    );

    log('Unpacking the UI extension...');
    const stage = join(workDir, 'stage');
    const unpacked = await unpackArchive(archive, stage, limits);
    if (config.jsVars !== undefined) await writeVars(config, stage, unpacked, log);

    const replaced = await swapIntoPlace(
      {
        stagedDir: join(stage, INSTALLED_DIR),
        installedDir: join(config.extensionsDir, INSTALLED_DIR),
        previousDir: join(workDir, 'previous'),
        children: unpacked.children,
      },
      nodeSwapFs,
    );
    const what = unpacked.children.map((c) => `${INSTALLED_DIR}/${c}`).join(', ');
    log(
      `UI extension installed successfully: ${what} (${unpacked.bytes} bytes; ${replaced.length} replaced)`,
    );
  } finally {
    await removeWorkDir(workDir);
  }
}

async function verify(
  config: EnabledConfig,
  archive: string,
  workDir: string,
  options: DownloadOptions,
  log: (line: string) => void,
): Promise<void> {
  const wanted: { source: string; sha256: string }[] = [];
  if (config.sha256 !== undefined) wanted.push({ source: 'EXTENSION_SHA256', sha256: config.sha256 });
  if (config.checksumUrl !== undefined) {
    log('Validating the UI extension checksum...');
    const file = join(workDir, 'checksum');
    await downloadToFile(config.checksumUrl, file, options);
    const text = await readFile(file, 'utf8');
    wanted.push({
      source: shownUrl(config.checksumUrl),
      sha256: expectedChecksum(text, archiveFileName(config.url)),
    });
  }
  if (wanted.length === 0) return;
  const actual = await sha256OfFile(archive);
  for (const { source, sha256 } of wanted) {
    if (!sameSha256(sha256, actual)) {
      throw new InstallFailure(
        'checksum',
        `extension checksum mismatch: ${source} expects ${sha256}, got ${actual}`,
      );
    }
  }
  log(`Checksum verified: sha256 ${actual}`);
}

async function writeVars(
  config: EnabledConfig,
  stage: string,
  unpacked: Unpacked,
  log: (line: string) => void,
): Promise<void> {
  if (config.name === '') {
    log('WARNING: EXTENSION_JS_VARS is set but EXTENSION_NAME is not, so no vars file was written');
    return;
  }
  // Only this archive's directories: upstream searches everything installed, so the vars of one
  // extension could land in another's directory.
  const dir = varsDirectory(unpacked.directories, config.name);
  if (dir === undefined) {
    log(
      `WARNING: no directory matching extension*-${config.name}*.js in the archive; no vars file was written`,
    );
    return;
  }
  const file = varsFile(config.name, config.jsVars ?? []);
  const path = join(stage, dir, file.fileName);
  // Replaces a file of that name from the archive, as upstream does; removing first means a
  // symlink of that name is replaced, never written through.
  await rm(path, { force: true });
  await writeFile(path, file.content, { mode: 0o644, flag: 'wx' });
  log(`Exporting extension vars file at ${dir}/${file.fileName}`);
}
