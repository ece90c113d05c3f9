import { archiveFormat, isTarHeader } from './archive-format.ts';

/** A 512-byte tar header for a file `name`, with or without the ustar magic. */
function header(name: string, options: { ustar: boolean; breakChecksum?: boolean }): Uint8Array {
  const block = Buffer.alloc(512);
  block.write(name, 0, 'latin1');
  block.write('0000644\0', 100, 'latin1');
  block.write('00000000000\0', 124, 'latin1');
  block.write('0', 156, 'latin1');
  if (options.ustar) block.write('ustar\x0000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  if (options.breakChecksum) sum += 1;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from([...values, ...new Array(600).fill(0)]);

test.each([
  { name: 'gzip magic', head: bytes(0x1f, 0x8b, 0x08), want: { format: 'gzip' } },
  { name: 'POSIX ustar tar', head: header('resources/a.js', { ustar: true }), want: { format: 'tar' } },
  {
    name: 'old v7 tar with a valid checksum',
    head: header('resources/a.js', { ustar: false }),
    want: { format: 'tar' },
  },
  {
    name: 'v7 tar with a wrong checksum',
    head: header('resources/a.js', { ustar: false, breakChecksum: true }),
    want: { format: 'unsupported', detail: 'unknown content' },
  },
  { name: 'zstd', head: bytes(0x28, 0xb5, 0x2f, 0xfd), want: { format: 'unsupported', detail: 'zstd' } },
  { name: 'bzip2', head: bytes(0x42, 0x5a, 0x68, 0x39), want: { format: 'unsupported', detail: 'bzip2' } },
  {
    name: 'xz',
    head: bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00),
    want: { format: 'unsupported', detail: 'xz' },
  },
  { name: 'zip', head: bytes(0x50, 0x4b, 0x03, 0x04), want: { format: 'unsupported', detail: 'zip' } },
  {
    name: 'an HTML page',
    head: Buffer.from('<html><body>Not Found</body></html>'.padEnd(600, ' ')),
    want: { format: 'unsupported', detail: 'text or HTML (an error page?)' },
  },
  { name: 'an empty file', head: new Uint8Array(0), want: { format: 'unsupported', detail: 'only 0 bytes' } },
  {
    name: 'a short file',
    head: Buffer.from('hello'),
    want: { format: 'unsupported', detail: 'only 5 bytes' },
  },
  {
    name: 'zero blocks only',
    head: new Uint8Array(1024),
    want: { format: 'unsupported', detail: 'unknown content' },
  },
])('archiveFormat: $name', ({ head, want }) => {
  expect(archiveFormat(head)).toEqual(want);
});

test('isTarHeader needs a whole block', () => {
  expect(isTarHeader(header('a', { ustar: true }).subarray(0, 511))).toBe(false);
  expect(isTarHeader(header('a', { ustar: true }))).toBe(true);
});
