import { expectedChecksum, sameSha256 } from './verify.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'C'.repeat(64);

test.each([
  { name: 'GNU text mode', file: `${A}  extension.tar\n`, want: A },
  { name: 'GNU binary mode', file: `${A} *extension.tar\n`, want: A },
  { name: 'BSD format', file: `SHA256 (extension.tar) = ${A}\n`, want: A },
  { name: 'upper-case hex is lowered', file: `${C}  extension.tar`, want: 'c'.repeat(64) },
  {
    name: 'the line for our name among others',
    file: `${B}  extension.tar.gz\n${A}  extension.tar\n`,
    want: A,
  },
  { name: 'a path ending in our name', file: `${A}  dist/extension.tar\n`, want: A },
  { name: 'CRLF line ends', file: `${B}  other.tar\r\n${A}  extension.tar\r\n`, want: A },
  { name: 'a single bare hash', file: `${A}\n`, want: A },
  { name: 'comments and blank lines are ignored', file: `# sums\n\n${A}  extension.tar\n`, want: A },
  { name: 'the same hash twice', file: `${A}  extension.tar\n${A}  ./extension.tar\n`, want: A },
])('expectedChecksum: $name', ({ file, want }) => {
  expect(expectedChecksum(file, 'extension.tar')).toBe(want);
});

test.each([
  { name: 'an empty file', file: '', message: /no sha256 for extension.tar/ },
  { name: 'only another file', file: `${A}  extension.tar.gz\n`, message: /no sha256 for extension.tar/ },
  { name: 'a name that only contains ours', file: `${A}  my-extension.tar\n`, message: /no sha256/ },
  { name: 'a short hash', file: `abc123  extension.tar\n`, message: /no sha256/ },
  { name: 'an HTML error page', file: '<html>not found</html>', message: /no sha256/ },
  {
    name: 'two different hashes',
    file: `${A}  extension.tar\n${B}  x/extension.tar\n`,
    message: /different sha256/,
  },
  { name: 'several bare hashes', file: `${A}\n${B}\n`, message: /no sha256/ },
])('expectedChecksum refuses $name', ({ file, message }) => {
  expect(() => expectedChecksum(file, 'extension.tar')).toThrow(message);
});

test.each([
  { name: 'equal', a: A, b: A, want: true },
  { name: 'case-insensitive', a: C, b: 'c'.repeat(64), want: true },
  { name: 'different', a: A, b: B, want: false },
  { name: 'empty never matches', a: '', b: '', want: false },
])('sameSha256: $name', ({ a, b, want }) => {
  expect(sameSha256(a, b)).toBe(want);
});
