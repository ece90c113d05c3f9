import {
  installedChildren,
  installedDirectories,
  newExtraction,
  pathSegments,
  planEntry,
  recordEntry,
  safeSymlinkTarget,
  type ArchiveEntry,
  type Extraction,
  type Limits,
} from './entry-rules.ts';

const LIMITS: Limits = { maxBytes: 1000, maxEntries: 10 };
const file = (path: string, size = 10): ArchiveEntry => ({ path, type: 'File', size });
const dir = (path: string): ArchiveEntry => ({ path, type: 'Directory', size: 0 });
const symlink = (path: string, linkpath: string): ArchiveEntry => ({
  path,
  type: 'SymbolicLink',
  size: 0,
  linkpath,
});
const hardlink = (path: string, linkpath: string): ArchiveEntry => ({
  path,
  type: 'Link',
  size: 0,
  linkpath,
});

/** Plans and records `earlier`, then plans `entry` against them. */
function planAfter(earlier: readonly ArchiveEntry[], entry: ArchiveEntry, limits = LIMITS) {
  const done: Extraction = newExtraction();
  for (const e of earlier) {
    const plan = planEntry(e, done, limits);
    if (plan.action === 'reject') throw new Error(`setup entry ${e.path} rejected: ${plan.reason}`);
    recordEntry(done, plan);
  }
  return planEntry(entry, done, limits);
}

test.each([
  { name: 'plain', raw: 'resources/a.js', want: { segments: ['resources', 'a.js'] } },
  { name: 'leading ./', raw: './resources/a.js', want: { segments: ['resources', 'a.js'] } },
  {
    name: 'trailing slash and doubled slashes',
    raw: 'resources//dir/',
    want: { segments: ['resources', 'dir'] },
  },
  {
    name: 'dots inside names are fine',
    raw: 'resources/a..b/..c',
    want: { segments: ['resources', 'a..b', '..c'] },
  },
  { name: 'absolute', raw: '/etc/passwd', want: { unsafe: 'an absolute path' } },
  { name: 'Windows drive', raw: 'C:/x', want: { unsafe: 'an absolute path' } },
  { name: 'dot-dot at the start', raw: '../x', want: { unsafe: 'a ".." in the path' } },
  { name: 'dot-dot in the middle', raw: 'resources/../../x', want: { unsafe: 'a ".." in the path' } },
  { name: 'backslash', raw: 'resources\\..\\x', want: { unsafe: 'a backslash in the path' } },
  { name: 'empty', raw: '', want: { unsafe: 'an empty path' } },
])('pathSegments: $name', ({ raw, want }) => {
  expect(pathSegments(raw)).toEqual(want);
});

test.each([
  { name: 'a sibling', link: 'resources/d/l', target: 'x.js', want: 'x.js' },
  { name: 'down into a subdirectory', link: 'resources/l', target: './sub/x.js', want: 'sub/x.js' },
  { name: 'up to resources/', link: 'resources/d/l', target: '../x.js', want: '../x.js' },
  { name: 'up twice from two levels down', link: 'resources/d/e/l', target: '../../x', want: '../../x' },
  { name: 'its own directory', link: 'resources/d/l', target: '.', want: '.' },
  { name: 'above resources/', link: 'resources/d/l', target: '../../x', want: undefined },
  { name: 'above resources/ from the top', link: 'resources/l', target: '../x', want: undefined },
  { name: 'climbing after descending', link: 'resources/d/l', target: 'a/../../x', want: undefined },
  {
    name: 'climbing after descending, even when it would stay inside',
    link: 'resources/d/l',
    target: 'a/../x',
    want: undefined,
  },
  { name: 'absolute', link: 'resources/l', target: '/etc/passwd', want: undefined },
  { name: 'empty', link: 'resources/l', target: '', want: undefined },
  { name: 'backslash', link: 'resources/l', target: '..\\..\\x', want: undefined },
])('safeSymlinkTarget: $name', ({ link, target, want }) => {
  expect(safeSymlinkTarget(link.split('/'), target)).toBe(want);
});

test.each([
  {
    name: 'a file under resources/',
    earlier: [],
    entry: file('resources/e/a.js'),
    want: { action: 'file', path: 'resources/e/a.js', size: 10 },
  },
  {
    name: 'the resources/ directory',
    earlier: [],
    entry: dir('./resources/'),
    want: { action: 'directory', path: 'resources' },
  },
  { name: 'a file outside resources/', earlier: [], entry: file('README.md'), want: { action: 'skip' } },
  {
    name: 'a device outside resources/ is never written',
    earlier: [],
    entry: { path: 'dev/x', type: 'CharacterDevice', size: 0 },
    want: { action: 'skip' },
  },
  {
    name: 'a symlink outside resources/',
    earlier: [],
    entry: symlink('x', '/etc'),
    want: { action: 'skip' },
  },
  {
    name: 'a safe symlink',
    earlier: [],
    entry: symlink('resources/d/l', '../a.js'),
    want: { action: 'symlink', path: 'resources/d/l', target: '../a.js' },
  },
  {
    name: 'a hard link to an earlier file is a copy',
    earlier: [file('resources/a.js', 7)],
    entry: hardlink('resources/b.js', './resources/a.js'),
    want: { action: 'copy', path: 'resources/b.js', from: 'resources/a.js', size: 7 },
  },
  {
    name: 'rewriting a file, as tar does',
    earlier: [file('resources/a.js')],
    entry: file('resources/a.js'),
    want: { action: 'file' },
  },
  {
    name: 'repeating a directory',
    earlier: [dir('resources/d')],
    entry: dir('resources/d/'),
    want: { action: 'directory' },
  },
  {
    name: 'a directory implied by a file, then given',
    earlier: [file('resources/d/a.js')],
    entry: dir('resources/d'),
    want: { action: 'directory' },
  },
])('planEntry: $name', ({ earlier, entry, want }) => {
  expect(planAfter(earlier, entry)).toMatchObject(want);
});

test.each([
  {
    name: 'a dot-dot path',
    earlier: [],
    entry: file('resources/../../etc/cron.d/x'),
    kind: 'unsafeEntry',
    reason: /has a "\.\." in the path/,
  },
  {
    name: 'a dot-dot path outside resources/ too',
    earlier: [],
    entry: file('../x'),
    kind: 'unsafeEntry',
    reason: /"\.\."/,
  },
  {
    name: 'an absolute path',
    earlier: [],
    entry: file('/resources/a.js'),
    kind: 'unsafeEntry',
    reason: /absolute path/,
  },
  {
    name: 'a symlink escaping',
    earlier: [],
    entry: symlink('resources/l', '../../../etc/passwd'),
    kind: 'unsafeEntry',
    reason: /points outside resources/,
  },
  {
    name: 'an absolute symlink',
    earlier: [],
    entry: symlink('resources/l', '/etc/passwd'),
    kind: 'unsafeEntry',
    reason: /points outside/,
  },
  {
    name: 'resources/ itself a symlink',
    earlier: [],
    entry: symlink('resources', 'x'),
    kind: 'unsafeEntry',
    reason: /must be a directory/,
  },
  {
    name: 'resources/ itself a file',
    earlier: [],
    entry: file('resources'),
    kind: 'unsafeEntry',
    reason: /must be a directory/,
  },
  {
    name: 'a file beneath a symlink',
    earlier: [symlink('resources/l', 'd')],
    entry: file('resources/l/a.js'),
    kind: 'unsafeEntry',
    reason: /beneath an earlier symlink/,
  },
  {
    name: 'a file beneath a file',
    earlier: [file('resources/a')],
    entry: file('resources/a/b'),
    kind: 'unsafeEntry',
    reason: /beneath an earlier file/,
  },
  {
    name: 'a file replacing a symlink',
    earlier: [symlink('resources/l', 'a.js')],
    entry: file('resources/l'),
    kind: 'unsafeEntry',
    reason: /replace an earlier symlink/,
  },
  {
    name: 'a symlink replacing a symlink',
    earlier: [symlink('resources/l', 'a.js')],
    entry: symlink('resources/l', 'b.js'),
    kind: 'unsafeEntry',
    reason: /replace an earlier symlink/,
  },
  {
    name: 'a symlink replacing a directory',
    earlier: [dir('resources/d')],
    entry: symlink('resources/d', '.'),
    kind: 'unsafeEntry',
    reason: /replace an earlier directory with a symlink/,
  },
  {
    name: 'a file replacing a directory',
    earlier: [file('resources/d/x')],
    entry: file('resources/d'),
    kind: 'unsafeEntry',
    reason: /replace an earlier directory with a file/,
  },
  {
    name: 'a hard link to a file outside resources/',
    earlier: [],
    entry: hardlink('resources/a', '/etc/passwd'),
    kind: 'unsafeEntry',
    reason: /hard link/,
  },
  {
    name: 'a hard link with dot-dot',
    earlier: [],
    entry: hardlink('resources/a', '../../etc/passwd'),
    kind: 'unsafeEntry',
    reason: /hard link/,
  },
  {
    name: 'a hard link to a later file',
    earlier: [],
    entry: hardlink('resources/a', 'resources/b'),
    kind: 'unsafeEntry',
    reason: /earlier file/,
  },
  {
    name: 'a hard link to a symlink',
    earlier: [symlink('resources/l', 'a')],
    entry: hardlink('resources/b', 'resources/l'),
    kind: 'unsafeEntry',
    reason: /earlier file/,
  },
  {
    name: 'a hard link to a skipped file',
    earlier: [file('README')],
    entry: hardlink('resources/b', 'README'),
    kind: 'unsafeEntry',
    reason: /earlier file in resources/,
  },
  {
    name: 'a character device',
    earlier: [],
    entry: { path: 'resources/tty', type: 'CharacterDevice', size: 0 },
    kind: 'unsafeEntry',
    reason: /device or FIFO/,
  },
  {
    name: 'a block device',
    earlier: [],
    entry: { path: 'resources/sda', type: 'BlockDevice', size: 0 },
    kind: 'unsafeEntry',
    reason: /device or FIFO/,
  },
  {
    name: 'a FIFO',
    earlier: [],
    entry: { path: 'resources/p', type: 'FIFO', size: 0 },
    kind: 'unsafeEntry',
    reason: /device or FIFO/,
  },
  {
    name: 'an unknown type',
    earlier: [],
    entry: { path: 'resources/s', type: 'SparseFile', size: 0 },
    kind: 'unsafeEntry',
    reason: /unsupported entry type SparseFile/,
  },
  {
    name: 'a file over the byte cap',
    earlier: [],
    entry: file('resources/big', 1001),
    kind: 'tooLarge',
    reason: /exceed the cap of 1000 bytes/,
  },
  {
    name: 'files adding up over the cap',
    earlier: [file('resources/a', 600)],
    entry: file('resources/b', 401),
    kind: 'tooLarge',
    reason: /cap/,
  },
  {
    name: 'hard-link copies count against the cap',
    earlier: [file('resources/a', 600)],
    entry: hardlink('resources/b', 'resources/a'),
    kind: 'tooLarge',
    reason: /cap/,
  },
  {
    name: 'too many entries',
    earlier: Array.from({ length: 10 }, (_, i) => file(`x${i}`)),
    entry: file('resources/a'),
    kind: 'tooLarge',
    reason: /more than 10 entries/,
  },
])('planEntry rejects $name', ({ earlier, entry, kind, reason }) => {
  const plan = planAfter(earlier, entry);
  expect(plan).toMatchObject({ action: 'reject', kind });
  expect(plan.action === 'reject' && plan.reason).toMatch(reason);
});

test('recordEntry tracks children, directories and bytes', () => {
  const done = newExtraction();
  for (const entry of [
    file('./resources/extension-x.js/extension-x.js', 5),
    file('resources/extension-x.js/sub/y.js', 6),
    file('resources/top.js', 7),
    file('LICENSE', 100),
  ]) {
    recordEntry(done, planEntry(entry, done, LIMITS));
  }
  expect(installedChildren(done)).toEqual(['extension-x.js', 'top.js']);
  expect(installedDirectories(done).sort()).toEqual([
    'resources',
    'resources/extension-x.js',
    'resources/extension-x.js/sub',
  ]);
  expect(done.bytes).toBe(18);
  expect(done.entries).toBe(4);
});
