/**
 * What an archive is, from its first bytes, never from its name (upstream asks `file --mime-type`
 * the same question). Only tar and gzip-compressed tar are supported; the other formats people
 * commonly try are named so the error says what was received.
 */
export type ArchiveFormat =
  { format: 'tar' } | { format: 'gzip' } | { format: 'unsupported'; detail: string };

/** Bytes needed to recognise every format: one tar header block. */
export const FORMAT_PROBE_BYTES = 512;

const MAGIC: ReadonlyArray<{ bytes: readonly number[]; detail: string }> = [
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], detail: 'zstd' },
  { bytes: [0x42, 0x5a, 0x68], detail: 'bzip2' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], detail: 'xz' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], detail: 'zip' },
  { bytes: [0x3c], detail: 'text or HTML (an error page?)' },
];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/** The format of an archive given at least its first FORMAT_PROBE_BYTES bytes (or all, if shorter). */
export function archiveFormat(head: Uint8Array): ArchiveFormat {
  if (startsWith(head, [0x1f, 0x8b])) return { format: 'gzip' };
  if (isTarHeader(head)) return { format: 'tar' };
  const known = MAGIC.find((m) => startsWith(head, m.bytes));
  if (known) return { format: 'unsupported', detail: known.detail };
  if (head.length < FORMAT_PROBE_BYTES) return { format: 'unsupported', detail: `only ${head.length} bytes` };
  return { format: 'unsupported', detail: 'unknown content' };
}

/**
 * True when the first 512 bytes are a tar header: the POSIX/GNU `ustar` magic, or, for old v7
 * archives that have no magic, a valid header checksum (the sum of the block's bytes with the
 * checksum field read as spaces, stored as octal).
 */
export function isTarHeader(head: Uint8Array): boolean {
  if (head.length < FORMAT_PROBE_BYTES) return false;
  const block = head.subarray(0, FORMAT_PROBE_BYTES);
  if (String.fromCharCode(...block.subarray(257, 262)) === 'ustar') return true;
  const field = String.fromCharCode(...block.subarray(148, 156))
    .replace(/\0.*$/, '')
    .trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < FORMAT_PROBE_BYTES; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum === parseInt(field, 8);
}
