import { goDecode, goJson, goString, type GoStructs } from './go-json.ts';

describe('goString', () => {
  test.each([
    { name: 'plain text', input: 'nginx:1.25', want: '"nginx:1.25"' },
    { name: 'HTML characters escaped as Go does', input: '<a&b>', want: '"\\u003ca\\u0026b\\u003e"' },
    { name: 'line and paragraph separators', input: 'a\u2028b\u2029', want: '"a\\u2028b\\u2029"' },
    { name: 'control characters', input: 'a\tb\n\u0001', want: '"a\\tb\\n\\u0001"' },
    { name: 'a lone surrogate becomes U+FFFD', input: 'x\ud800', want: '"x\ufffd"' },
    { name: 'non-ASCII stays as UTF-8', input: 'héllo ☃', want: '"héllo ☃"' },
  ])('$name', ({ input, want }) => {
    expect(goString(input)).toBe(want);
  });
});

describe('goJson', () => {
  // A small table in the generated format, to pin the rules independently of the big ones.
  const structs: GoStructs = {
    Outer: [
      ['name', 'string', 0],
      ['note', 'string', 1],
      ['count', '*int', 1],
      ['inner', 'Inner', 1],
      ['list', '[]string', 0],
      ['tags', 'map[string]', 1],
      ['port', 'intOrString', 0],
      ['size', 'quantity', 1],
    ],
    Inner: [['on', 'bool', 1]],
  };
  test.each([
    {
      name: 'zero values for missing non-omitempty fields, structs never omitted',
      value: {},
      want: '{"name":"","inner":{},"list":null,"port":0,"size":"0"}',
    },
    {
      name: 'a pointer keeps 0, an empty list is kept, map keys sorted, unknown fields dropped',
      value: {
        count: 0,
        list: [],
        tags: { b: '2', a: '1' },
        extra: true,
        name: 'x',
        port: 'http',
        size: '2000m',
      },
      want: '{"name":"x","count":0,"inner":{},"list":[],"tags":{"a":"1","b":"2"},"port":"http","size":"2"}',
    },
    {
      name: 'null is Go nil',
      value: { list: null, inner: null },
      want: '{"name":"","inner":{},"list":null,"port":0,"size":"0"}',
    },
  ])('$name', ({ value, want }) => {
    expect(goJson(structs, 'Outer', value)).toBe(want);
  });

  test('a nil slice at the top is null, an empty one []', () => {
    expect(goJson(structs, '[]Inner', undefined)).toBe('null');
    expect(goJson(structs, '[]Inner', [])).toBe('[]');
  });
});

describe('goDecode', () => {
  const structs: GoStructs = {
    Pod: [
      ['name', 'string', 0],
      ['limits', 'map[quantity]', 1],
      ['items', '[]Item', 1],
      ['count', '*int', 1],
      ['after', 'string', 1],
    ],
    Item: [
      ['a', 'string', 1],
      ['b', 'quantity', 1],
    ],
  };
  test.each([
    {
      name: 'a valid object is kept whole',
      value: { name: 'x', after: 'y' },
      want: { name: 'x', after: 'y' },
      error: false,
    },
    {
      name: 'an invalid map value stops decoding; earlier entries stay, the bad one is not stored',
      value: { name: 'x', limits: { cpu: '1', memory: 'bad', gpu: '1' }, after: 'y' },
      want: { name: 'x', limits: { cpu: '1' } },
      error: true,
    },
    {
      name: 'an invalid value inside a slice keeps the partial element',
      value: { items: [{ a: 'first' }, { a: 'second', b: 'bad' }, { a: 'third' }], after: 'y' },
      want: { items: [{ a: 'first' }, { a: 'second', b: '0' }] },
      error: true,
    },
    {
      name: 'a wrong type is zero and decoding goes on; a pointer is still allocated',
      value: { name: 7, count: 'three', after: 'y' },
      want: { name: undefined, count: 0, after: 'y' },
      error: true,
    },
  ])('$name', ({ value, want, error }) => {
    const decoded = goDecode(structs, 'Pod', value);
    expect(decoded.value).toEqual(want);
    expect(decoded.error !== undefined).toBe(error);
  });
});
