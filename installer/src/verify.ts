import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InstallFailure } from './failure.ts';

const SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * The expected sha256 of `fileName` from the text of a checksum file, lower-cased. Understands
 * the GNU format (`<hex>  name`, or `<hex> *name` in binary mode), the BSD format
 * (`SHA256 (name) = <hex>`), and a file holding a single bare hash. A line matches when its name
 * is `fileName` or ends with `/fileName`; several matching lines must agree.
 *
 * Upstream greps the file for the name and compares whatever the first column holds, so an entry
 * for `extension.tar.gz` can be taken for `extension.tar`; here only the exact name counts.
 * Throws InstallFailure `checksum` when the file has no usable line for `fileName`.
 */
export function expectedChecksum(checksumFile: string, fileName: string): string {
  const lines = checksumFile
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const found = new Set<string>();
  for (const line of lines) {
    const entry = checksumLine(line);
    if (entry?.name === undefined) continue;
    if (entry.name === fileName || entry.name.endsWith(`/${fileName}`)) found.add(entry.hash);
  }
  if (found.size === 0 && lines.length === 1) {
    const only = checksumLine(lines[0] as string);
    if (only !== undefined && only.name === undefined) found.add(only.hash);
  }
  if (found.size === 0) {
    throw new InstallFailure('checksum', `the checksum file has no sha256 for ${fileName}`);
  }
  if (found.size > 1) {
    throw new InstallFailure('checksum', `the checksum file has different sha256 values for ${fileName}`);
  }
  return [...found][0] as string;
}

function checksumLine(line: string): { hash: string; name: string | undefined } | undefined {
  const bsd = /^SHA256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})$/.exec(line);
  if (bsd) return { hash: (bsd[2] as string).toLowerCase(), name: bsd[1] as string };
  const gnu = /^([0-9a-fA-F]{64})(?:\s+\*?(.+))?$/.exec(line);
  if (gnu) return { hash: (gnu[1] as string).toLowerCase(), name: gnu[2] };
  return undefined;
}

/** Case-insensitive comparison of two hex digests; false when either is not a sha256. */
export function sameSha256(a: string, b: string): boolean {
  return SHA256.test(a) && SHA256.test(b) && a.toLowerCase() === b.toLowerCase();
}

/** The sha256 of a file, as lower-case hex. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
