import { mergePatch } from './merge-patch.ts';

test.each([
  {
    name: 'equal objects give no patch',
    before: { a: 1, b: { c: [1, 2] } },
    after: { a: 1, b: { c: [1, 2] } },
    want: undefined,
  },
  { name: 'a changed scalar', before: { a: 1 }, after: { a: 2 }, want: { a: 2 } },
  { name: 'an added key', before: {}, after: { a: 'x' }, want: { a: 'x' } },
  { name: 'a removed key becomes null', before: { a: 1, b: 2 }, after: { a: 1 }, want: { b: null } },
  {
    name: 'undefined counts as absent',
    before: { a: 1, b: undefined },
    after: { a: 1, c: undefined },
    want: undefined,
  },
  {
    name: 'an explicitly undefined key is removed',
    before: { pauseConditions: [{ reason: 'x' }] },
    after: { pauseConditions: undefined },
    want: { pauseConditions: null },
  },
  {
    name: 'nested objects are diffed',
    before: { s: { a: 1, b: 2 } },
    after: { s: { a: 1, b: 3 } },
    want: { s: { b: 3 } },
  },
  { name: 'arrays are replaced whole', before: { l: [1, 2, 3] }, after: { l: [1, 2] }, want: { l: [1, 2] } },
  { name: 'object replaced by scalar', before: { a: { b: 1 } }, after: { a: 'x' }, want: { a: 'x' } },
  {
    name: 'false and 0 are values',
    before: { a: true, n: 1 },
    after: { a: false, n: 0 },
    want: { a: false, n: 0 },
  },
])('$name', ({ before, after, want }) => {
  expect(mergePatch(before as Record<string, unknown>, after as Record<string, unknown>)).toEqual(want);
});
