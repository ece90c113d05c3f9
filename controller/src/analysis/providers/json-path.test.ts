import { parseJsonPath, selectJsonPath } from './json-path.ts';

const data = {
  data: { ok: true, rate: 0.99, 'odd-key': 'x' },
  items: [{ v: 1 }, { v: 2 }, { v: 3 }],
  empty: [],
  nothing: null,
};

test.each([
  { name: 'the whole document', path: '{$}', want: [data] },
  { name: 'without braces or $', path: '.data.rate', want: [0.99] },
  { name: 'a nested field', path: '{$.data.ok}', want: [true] },
  { name: 'a bracketed field', path: "{$['data']['odd-key']}", want: ['x'] },
  { name: 'a dashed field name', path: '{$.data.odd-key}', want: ['x'] },
  { name: 'an index', path: '{$.items[1].v}', want: [2] },
  { name: 'a negative index counts from the end', path: '{.items[-1].v}', want: [3] },
  { name: 'every element', path: '{$.items[*].v}', want: [1, 2, 3] },
  { name: 'every value of an object', path: '{$.data.*}', want: [true, 0.99, 'x'] },
  { name: 'a missing field selects nothing', path: '{$.data.missing}', want: [] },
  { name: 'an index out of range selects nothing', path: '{$.items[9]}', want: [] },
  { name: 'a field of null selects nothing', path: '{$.nothing.x}', want: [] },
  { name: 'null is a value', path: '{$.nothing}', want: [null] },
  { name: 'an empty array under [*] selects nothing', path: '{$.empty[*]}', want: [] },
])('selectJsonPath: $name', ({ path, want }) => {
  expect(selectJsonPath(data, path)).toEqual(want);
});

test.each([
  { name: 'a filter', path: '{$.items[?(@.v > 1)]}', error: 'unsupported selector [?(@.v > 1)]' },
  { name: 'a slice', path: '{$.items[0:2]}', error: 'unsupported selector [0:2]' },
  { name: 'an unclosed bracket', path: '{$.items[0}', error: 'unclosed [' },
  { name: 'stray characters', path: '{$ items}', error: 'unexpected " "' },
])('parseJsonPath refuses $name', ({ path, error }) => {
  expect(() => parseJsonPath(path)).toThrow(error);
});
