import { constants, createReadStream } from 'node:fs';
import { copyFile, mkdir, open, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser } from 'tar/parse';
import type { ReadEntry } from 'tar/read-entry';
import { archiveFormat, FORMAT_PROBE_BYTES, isTarHeader } from './archive-format.ts';
import {
  installedChildren,
  installedDirectories,
  newExtraction,
  planEntry,
  recordEntry,
  type EntryPlan,
  type Extraction,
  type Limits,
} from './entry-rules.ts';
import { InstallFailure } from './failure.ts';

export interface Unpacked {
  /** Top-level names under resources/, each replaced as a whole when swapped into place. */
  children: string[];
  /** Directories under resources/, slash-separated and relative to the staging directory. */
  directories: string[];
  bytes: number;
}

/**
 * Bytes of tar stream allowed for `limits`: the content cap plus room for a header and padding
 * per entry. It bounds the download and the decompressed stream, so a gzip bomb stops early.
 */
export function tarStreamCap(limits: Limits): number {
  return limits.maxBytes + limits.maxEntries * 1024 + 1024 * 1024;
}

const FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/**
 * Unpacks `resources/**` of the tar or tar.gz at `archivePath` into `stageDir/resources`, which
 * must not exist yet. Every entry is planned by the rules in entry-rules.ts before anything is
 * written. Throws InstallFailure `unsupportedArchive`, `unsafeEntry` or `tooLarge`; on a throw,
 * `stageDir` may hold part of the archive and is the caller's to remove.
 */
export async function unpackArchive(
  archivePath: string,
  stageDir: string,
  limits: Limits,
): Promise<Unpacked> {
  const head = await firstBytes(archivePath);
  const format = archiveFormat(head);
  if (format.format === 'unsupported') {
    throw new InstallFailure(
      'unsupportedArchive',
      `unsupported extension archive (${format.detail}); supported formats: tar and gzip-compressed tar`,
    );
  }
  const file = createReadStream(archivePath);
  const tar: Readable = format.format === 'gzip' ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => tar.destroy(error));
  try {
    return await parse(tar, stageDir, limits, format.format === 'gzip');
  } finally {
    file.destroy();
    tar.destroy();
  }
}

async function firstBytes(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(FORMAT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, FORMAT_PROBE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A tar Parser with our handlers attached, and the state shared between them and the feeding loop. */
interface Run {
  parser: Parser;
  /** Records the first failure, stops the entry being written, and wakes anything waiting. */
  fail(error: unknown): void;
  failure(): unknown;
  /** Rejects with the first failure. */
  failed: Promise<never>;
  /** Resolves once every entry handed out has been written or abandoned. */
  written(): Promise<void>;
  sawEnd(): boolean;
}

function startRun(stageDir: string, limits: Limits, done: Extraction): Run {
  // strict: every tar warning (bad header checksum, truncated input) fails the install.
  // No brotli or zstd: the format was decided from content before the parser sees a byte.
  const parser = new Parser({ strict: true, brotli: false, zstd: false });
  let rejectFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  let failure: unknown;
  let current: ReadEntry | undefined;
  let sawEnd = false;
  const fail = (error: unknown): void => {
    failure ??= error;
    // The entry being written gets no more data: end it so its writer stops waiting. (Not
    // destroy(): a Minipass destroyed before it is read never ends its async iteration.)
    current?.end();
    rejectFailed(failure);
  };
  let work = Promise.resolve();
  parser.on('entry', (entry: ReadEntry) => {
    work = work
      .then(async () => {
        if (failure !== undefined) return;
        current = entry;
        await writeEntry(entry, stageDir, limits, done);
        current = undefined;
      })
      .catch(fail);
  });
  parser.on('ignoredEntry', (entry: ReadEntry) =>
    fail(
      new InstallFailure(
        'unsafeEntry',
        `${JSON.stringify(entry.path)} has the unsupported entry type ${entry.type}`,
      ),
    ),
  );
  parser.on('error', (error: Error) =>
    fail(
      new InstallFailure('unsupportedArchive', `the extension archive is not a valid tar: ${error.message}`),
    ),
  );
  parser.on('eof', () => (sawEnd = true));
  return { parser, fail, failure: () => failure, failed, written: () => work, sawEnd: () => sawEnd };
}

/**
 * Feeds the tar stream to the parser until the end-of-archive blocks, with backpressure, and
 * fails when it exceeds the cap. For gzip, nothing reaches the parser until the first 512
 * decompressed bytes are known to be a tar header (tar's parser would otherwise gunzip again).
 */
async function feed(tar: Readable, run: Run, limits: Limits, gzip: boolean): Promise<void> {
  const cap = tarStreamCap(limits);
  let total = 0;
  let probe: Buffer | undefined = gzip ? Buffer.alloc(0) : undefined;
  for await (const chunk of tar) {
    let bytes = chunk as Buffer;
    total += bytes.length;
    if (total > cap)
      throw new InstallFailure('tooLarge', `the extension archive unpacks to more than ${cap} bytes`);
    if (probe !== undefined) {
      probe = Buffer.concat([probe, bytes]);
      if (probe.length < FORMAT_PROBE_BYTES) continue;
      if (!isTarHeader(probe))
        throw new InstallFailure('unsupportedArchive', 'the gzip file does not hold a tar');
      [bytes, probe] = [probe, undefined];
    }
    if (run.failure() !== undefined || run.sawEnd()) return;
    if (!run.parser.write(bytes)) {
      await Promise.race([new Promise((resolve) => run.parser.once('drain', resolve)), run.failed]);
    }
  }
  if (probe !== undefined)
    throw new InstallFailure('unsupportedArchive', 'the gzip file does not hold a tar');
}

/** zlib reports corrupt or truncated gzip data with Z_* codes. */
function asFailure(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InstallFailure('unsupportedArchive', `the gzip data is corrupt: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error;
}

async function parse(tar: Readable, stageDir: string, limits: Limits, gzip: boolean): Promise<Unpacked> {
  const done = newExtraction();
  const run = startRun(stageDir, limits, done);
  const ended = new Promise<void>((resolve) => run.parser.once('end', resolve));
  try {
    await feed(tar, run, limits, gzip);
    if (run.failure() === undefined) run.parser.end();
    await Promise.race([ended, run.failed]);
  } catch (error) {
    run.fail(asFailure(error));
  }
  // Nothing may still be writing into the stage when the caller removes it.
  await run.written();
  if (run.failure() !== undefined) throw run.failure();
  const children = installedChildren(done);
  if (children.length === 0) {
    throw new InstallFailure(
      'unsupportedArchive',
      'the extension archive has nothing under a top-level resources/',
    );
  }
  return { children, directories: installedDirectories(done), bytes: done.bytes };
}

async function writeEntry(
  entry: ReadEntry,
  stageDir: string,
  limits: Limits,
  done: Extraction,
): Promise<void> {
  const plan = planEntry(
    { path: entry.path, type: entry.type, size: entry.size, linkpath: entry.linkpath },
    done,
    limits,
  );
  if (plan.action === 'reject') {
    entry.resume();
    throw new InstallFailure(plan.kind, `refusing the extension archive: ${plan.reason}`);
  }
  recordEntry(done, plan);
  await act(plan, entry, stageDir);
}

/** Writes one planned entry. Parents were checked to be real directories (or absent) by the plan. */
async function act(
  plan: Exclude<EntryPlan, { action: 'reject' }>,
  entry: ReadEntry,
  stageDir: string,
): Promise<void> {
  if (plan.action === 'skip') {
    entry.resume();
    return;
  }
  const target = join(stageDir, plan.path);
  if (plan.action === 'directory') {
    await mkdir(target, { recursive: true, mode: 0o755 });
    entry.resume();
    return;
  }
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  switch (plan.action) {
    case 'file': {
      const handle = await open(target, FILE_FLAGS, 0o644);
      try {
        for await (const chunk of entry) await handle.write(chunk as Buffer);
      } finally {
        await handle.close();
      }
      return;
    }
    case 'symlink':
      entry.resume();
      await symlink(plan.target, target);
      return;
    case 'copy':
      entry.resume();
      await copyFile(join(stageDir, plan.from), target);
      return;
  }
}
