import { parseJsVars, safeJsString, varsDirectory, varsFile, varsStem } from './js-vars.ts';

test.each([
  {
    name: 'strings',
    raw: '{"a":"1","b":"x y"}',
    want: [
      { key: 'a', value: '1' },
      { key: 'b', value: 'x y' },
    ],
  },
  {
    name: 'numbers and booleans become text',
    raw: '{"n":3,"t":true}',
    want: [
      { key: 'n', value: '3' },
      { key: 't', value: 'true' },
    ],
  },
  { name: 'empty object', raw: '{}', want: [] },
])('parseJsVars: $name', ({ raw, want }) => {
  expect(parseJsVars(raw)).toEqual(want);
});

test.each([
  { name: 'not JSON', raw: '{key1=value1}', message: /not valid JSON/ },
  { name: 'an array', raw: '["a"]', message: /must be a JSON object/ },
  { name: 'a string', raw: '"a"', message: /must be a JSON object/ },
  { name: 'null', raw: 'null', message: /must be a JSON object/ },
  {
    name: 'a nested object',
    raw: '{"a":{"b":1}}',
    message: /EXTENSION_JS_VARS.a must be a string, number or boolean, got object/,
  },
  { name: 'a null value', raw: '{"a":null}', message: /got null/ },
])('parseJsVars refuses $name', ({ raw, message }) => {
  expect(() => parseJsVars(raw)).toThrow(message);
});

test.each([
  { name: 'lower case', input: 'rollout', want: 'ROLLOUT' },
  { name: 'dash becomes underscore', input: 'Ephemeral-Access', want: 'EPHEMERAL_ACCESS' },
  { name: 'digits and underscores stay', input: 'my_ext2', want: 'MY_EXT2' },
])('varsStem: $name', ({ input, want }) => {
  expect(varsStem(input)).toBe(want);
});

test.each([
  { name: 'a slash', input: 'a/b' },
  { name: 'a dot', input: 'a.b' },
  { name: 'a quote', input: 'a"b' },
  { name: 'a space', input: 'a b' },
  { name: 'empty', input: '' },
])('varsStem refuses $name', ({ input }) => {
  expect(() => varsStem(input)).toThrow(/cannot name EXTENSION_JS_VARS/);
});

test.each([
  { name: 'plain text', input: 'abc', want: '"abc"' },
  { name: 'quotes and backslashes', input: 'a"b\\c', want: '"a\\"b\\\\c"' },
  { name: 'a closing script tag', input: '</script>', want: '"\\u003c/script\\u003e"' },
  { name: 'an ampersand', input: 'a&b', want: '"a\\u0026b"' },
  { name: 'JavaScript line separators', input: 'a\u2028b\u2029c', want: '"a\\u2028b\\u2029c"' },
  { name: 'a newline', input: 'a\nb', want: '"a\\nb"' },
])('safeJsString: $name', ({ input, want }) => {
  expect(safeJsString(input)).toBe(want);
  expect(JSON.parse(safeJsString(input))).toBe(input);
});

test('varsFile names the file and variable as upstream and upper-cases the keys', () => {
  const file = varsFile('rollout-ext', [
    { key: 'apiUrl', value: 'https://x' },
    { key: 'q', value: '"; alert(1); "</script>' },
  ]);
  expect(file.fileName).toBe('extension-0-ROLLOUT_EXT_vars.js');
  expect(file.content).toBe(
    '((window) => { const vars = { "APIURL": "https://x", "Q": "\\"; alert(1); \\"\\u003c/script\\u003e" }; ' +
      'window["ROLLOUT_EXT_VARS"] = vars; })(window);\n',
  );
});

test('varsFile upper-cases ASCII letters only, as jq ascii_upcase', () => {
  expect(varsFile('x', [{ key: 'straße', value: '' }]).content).toContain('"STRAßE": ""');
});

const dirs = [
  'resources',
  'resources/b',
  'resources/b/extension-rollout.js',
  'resources/a',
  'resources/a/extension-x-rollout-ui.js',
  'resources/extension-other.js',
];
test.each([
  {
    name: 'first in depth-first lexical order',
    name_: 'rollout',
    want: 'resources/a/extension-x-rollout-ui.js',
  },
  { name: 'only the matching one', name_: 'other', want: 'resources/extension-other.js' },
  { name: 'no match', name_: 'metrics', want: undefined },
  { name: 'case matters, as for find -name', name_: 'Rollout', want: undefined },
])('varsDirectory: $name', ({ name_, want }) => {
  expect(varsDirectory(dirs, name_)).toBe(want);
});

test('varsDirectory matches the base name only and needs the .js suffix', () => {
  expect(
    varsDirectory(['resources/extension-rollout.js/sub', 'resources/extension-rollout'], 'rollout'),
  ).toBeUndefined();
});
