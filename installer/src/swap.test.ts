import { isWorkDirName, swapIntoPlace, WORK_DIR_PREFIX, type SwapFs, type SwapPlan } from './swap.ts';

/** A file system of path → content, whose rename can be made to fail for one source path. */
function memoryFs(
  initial: Record<string, string>,
  failRenameOf?: string,
): SwapFs & { files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  return {
    files,
    exists: async (path) => files.has(path),
    mkdir: async () => undefined,
    rename: async (from, to) => {
      if (from === failRenameOf) throw new Error(`EXDEV: cannot rename ${from}`);
      const content = files.get(from);
      if (content === undefined) throw new Error(`ENOENT: ${from}`);
      files.delete(from);
      files.set(to, content);
    },
  };
}

const plan: SwapPlan = {
  stagedDir: '/ext/.w/stage/resources',
  installedDir: '/ext/resources',
  previousDir: '/ext/.w/previous',
  children: ['a', 'b'],
};

test('moves every child into place and the replaced ones aside', async () => {
  const fs = memoryFs({
    '/ext/.w/stage/resources/a': 'new a',
    '/ext/.w/stage/resources/b': 'new b',
    '/ext/resources/a': 'old a',
    '/ext/resources/other': 'another extension',
  });
  expect(await swapIntoPlace(plan, fs)).toEqual(['a']);
  expect(Object.fromEntries(fs.files)).toEqual({
    '/ext/resources/a': 'new a',
    '/ext/resources/b': 'new b',
    '/ext/.w/previous/a': 'old a',
    '/ext/resources/other': 'another extension',
  });
});

test.each([
  { name: 'moving the first new child fails', failRenameOf: '/ext/.w/stage/resources/a' },
  { name: 'moving the second new child fails', failRenameOf: '/ext/.w/stage/resources/b' },
  { name: 'moving the second old child aside fails', failRenameOf: '/ext/resources/b' },
])('restores what was installed when $name', async ({ failRenameOf }) => {
  const before = {
    '/ext/.w/stage/resources/a': 'new a',
    '/ext/.w/stage/resources/b': 'new b',
    '/ext/resources/a': 'old a',
    '/ext/resources/b': 'old b',
    '/ext/resources/other': 'another extension',
  };
  const fs = memoryFs(before, failRenameOf);
  await expect(swapIntoPlace(plan, fs)).rejects.toThrow('moving the extension into /ext/resources');
  expect(Object.fromEntries(fs.files)).toEqual(before);
});

test.each([
  { name: 'our prefix', input: `${WORK_DIR_PREFIX}abc123`, want: true },
  { name: 'the installed directory', input: 'resources', want: false },
  { name: 'another hidden directory', input: '.cache', want: false },
])('isWorkDirName: $name', ({ input, want }) => {
  expect(isWorkDirName(input)).toBe(want);
});
