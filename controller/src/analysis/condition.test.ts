import { evaluateCondition, measurementVerdict } from './condition.ts';

describe('evaluateCondition gives the value upstream conditions mean', () => {
  test.each([
    { name: 'vector element at or above threshold', expr: 'result[0] >= 0.95', result: [0.97], want: true },
    { name: 'vector element below threshold', expr: 'result[0] >= 0.95', result: [0.91], want: false },
    { name: 'scalar comparison', expr: 'result < 5', result: 3, want: true },
    { name: 'len of an empty vector', expr: 'len(result) > 0', result: [], want: false },
    { name: 'all with a closure', expr: 'all(result, {# > 0.9})', result: [0.95, 0.99], want: true },
    {
      name: 'all with one element failing',
      expr: 'all(result, {# > 0.9})',
      result: [0.95, 0.8],
      want: false,
    },
    { name: 'all of nothing is true', expr: 'all(result, {# > 0.9})', result: [], want: true },
    { name: 'any with a closure', expr: 'any(result, {# > 0.9})', result: [0.1, 0.95], want: true },
    { name: 'none', expr: 'none(result, {# < 0})', result: [1, 2], want: true },
    { name: 'one', expr: 'one(result, {# == 2})', result: [1, 2, 3], want: true },
    { name: 'predicate without braces', expr: 'all(result, # > 0)', result: [1, 2], want: true },
    {
      name: 'the element shorthand in a predicate',
      expr: 'all(result.values, {.value >= 9500 and .ok})',
      result: { values: [{ value: 9800, ok: true }] },
      want: true,
    },
    {
      name: 'the shorthand failing',
      expr: 'any(result, {.v > 1})',
      result: [{ v: 0 }, { v: 1 }],
      want: false,
    },
    { name: 'a leading-dot number is no shorthand', expr: 'result > .5', result: 0.7, want: true },
    { name: 'a dot in a string is no shorthand', expr: 'result == "{.x}"', result: '{.x}', want: true },
    { name: 'count with closure', expr: 'count(result, {# > 1}) == 2', result: [1, 2, 3], want: true },
    { name: 'filter then len', expr: 'len(filter(result, {# >= 2})) == 2', result: [1, 2, 3], want: true },
    { name: 'map then sum', expr: 'sum(map(result, {# * 2})) == 12', result: [1, 2, 3], want: true },
    { name: 'isNaN on NaN', expr: 'isNaN(result)', result: NaN, want: true },
    { name: 'isNaN on a number', expr: 'isNaN(result)', result: 1, want: false },
    { name: 'not isNaN keyword', expr: 'not isNaN(result) and result > 0', result: 2, want: true },
    { name: 'isInf', expr: 'isInf(result)', result: -Infinity, want: true },
    { name: 'default replaces nil', expr: 'default(result, 0) == 0', result: null, want: true },
    { name: 'default keeps a value', expr: 'default(result, 0) == 7', result: 7, want: true },
    { name: 'isNil on nil', expr: 'isNil(result)', result: null, want: true },
    { name: 'isNil on empty array is false', expr: 'isNil(result)', result: [], want: false },
    { name: 'asInt on numeric string', expr: 'asInt(result) == 42', result: '42', want: true },
    { name: 'asFloat on numeric string', expr: 'asFloat(result) > 0.5', result: '0.75', want: true },
    { name: 'asFloat on exponent', expr: 'asFloat(result) == 1500', result: '1.5e3', want: true },
    { name: 'asInt truncates a float', expr: 'asInt(result) == 3', result: 3.9, want: true },
    { name: 'and / or precedence', expr: 'true or false and false', result: null, want: true },
    { name: '&& and ||', expr: 'result > 1 && result < 3 || false', result: 2, want: true },
    { name: 'not with parentheses', expr: '!(result == 1)', result: 2, want: true },
    { name: 'arithmetic precedence', expr: '1 + 2 * 3 == 7', result: null, want: true },
    { name: 'division is float division', expr: '7 / 2 == 3.5', result: null, want: true },
    { name: 'modulo', expr: 'result % 2 == 1', result: 7, want: true },
    { name: 'power', expr: '2 ** 10 == 1024', result: null, want: true },
    { name: 'unary minus', expr: '-result == -4', result: 4, want: true },
    { name: 'web JSON field', expr: 'result.status == "ok"', result: { status: 'ok' }, want: true },
    {
      name: 'nested JSON field',
      expr: 'result.data.ratio <= 0.01',
      result: { data: { ratio: 0.001 } },
      want: true,
    },
    { name: 'missing map key is nil', expr: 'result.missing == nil', result: { a: 1 }, want: true },
    { name: 'bracket key', expr: 'result["error-rate"] < 1', result: { 'error-rate': 0.5 }, want: true },
    { name: 'negative index from the end', expr: 'result[-1] == 3', result: [1, 2, 3], want: true },
    { name: 'in an array literal', expr: 'result in ["a", "b"]', result: 'b', want: true },
    { name: 'key in a map', expr: '"a" in result', result: { a: 1 }, want: true },
    { name: 'string contains', expr: 'result contains "err"', result: 'no error', want: true },
    { name: 'startsWith', expr: 'result startsWith "2"', result: '200 OK', want: true },
    { name: 'endsWith', expr: 'result endsWith "OK"', result: '200 OK', want: true },
    { name: 'matches', expr: 'result matches "^v[0-9]+$"', result: 'v12', want: true },
    { name: 'string comparison', expr: 'result < "b"', result: 'a', want: true },
    { name: 'equality across types is false', expr: 'result == "1"', result: 1, want: false },
    { name: 'array equality', expr: 'result == [1, 2]', result: [1, 2], want: true },
    { name: 'ternary', expr: '(result > 0 ? "pos" : "neg") == "pos"', result: 5, want: true },
    { name: 'nil coalescing', expr: '(result.x ?? 5) == 5', result: {}, want: true },
    { name: 'optional chaining on nil', expr: 'result?.x == nil', result: null, want: true },
    { name: 'min and max', expr: 'min(result) == 1 and max(result) == 9', result: [4, 1, 9], want: true },
    { name: 'mean', expr: 'mean(result) == 2', result: [1, 2, 3], want: true },
    { name: 'abs and round', expr: 'abs(round(result)) == 3', result: -2.6, want: true },
    { name: 'boolean result', expr: 'result', result: true, want: true },
    {
      name: 'a map field never reaches the prototype',
      expr: 'result.constructor == nil',
      result: {},
      want: true,
    },
  ])('$name', ({ expr, result, want }) => {
    expect(evaluateCondition(expr, result).value).toBe(want);
  });
});

describe('evaluateCondition refuses what it cannot mean', () => {
  test.each([
    { name: 'syntax error', expr: 'result >=', result: 1, error: /cannot parse/ },
    { name: 'empty condition', expr: '  ', result: 1, error: /empty/ },
    { name: 'two expressions', expr: 'result; result', result: 1, error: /more than one expression/ },
    { name: 'non-boolean result', expr: 'result + 1', result: 1, error: /expected bool, but got int/ },
    { name: 'unknown name', expr: 'results[0] > 1', result: [1], error: /unknown name results/ },
    { name: 'unknown function', expr: 'exec("rm") == 1', result: 1, error: /unknown function exec/ },
    {
      name: 'prototype tricks are just unknown names',
      expr: 'constructor == 1',
      result: 1,
      error: /unknown name constructor/,
    },
    {
      name: 'no calling inherited names',
      expr: 'toString(result) == 1',
      result: 1,
      error: /unknown function toString/,
    },
    { name: 'no method calls', expr: 'result.toString() == "1"', result: 1, error: /only named functions/ },
    { name: 'index out of range', expr: 'result[0] > 1', result: [], error: /index out of range/ },
    { name: 'field of nil', expr: 'result.x > 1', result: null, error: /cannot fetch "x" from nil/ },
    {
      name: 'number compared with string',
      expr: 'result > "1"',
      result: 2,
      error: /invalid operation: int > string/,
    },
    { name: 'and on numbers', expr: 'result and true', result: 1, error: /needs bool/ },
    { name: 'asInt on junk', expr: 'asInt(result) > 0', result: '12abc', error: /cannot parse "12abc"/ },
    { name: 'isNaN on an array', expr: 'isNaN(result)', result: [1], error: /expects a number/ },
    { name: 'predicate not boolean', expr: 'all(result, {# + 1})', result: [1], error: /must give a bool/ },
    { name: 'modulo by zero', expr: 'result % 0 == 1', result: 1, error: /divide by zero/ },
    { name: 'closure outside a function', expr: '{# > 1}', result: 1, error: /predicate/ },
    { name: 'wrong arity', expr: 'len(result, 2) == 1', result: [1], error: /takes 1 argument/ },
    { name: 'regex literal', expr: 'result matches /a/', result: 'a', error: /cannot parse|not supported/ },
  ])('$name', ({ expr, result, error }) => {
    expect(() => evaluateCondition(expr, result)).toThrow(error);
  });
});

test('the explanation names the values that decided the condition', () => {
  const { value, explanation } = evaluateCondition('result[0] >= 0.95 and len(result) > 0', [0.91]);
  expect(value).toBe(false);
  expect(explanation).toBe('result[0] >= 0.95: result[0] = 0.91; false');
});

test('the explanation of a predicate function gives its value, not one line per element', () => {
  const { explanation } = evaluateCondition('all(result, {# > 0.9})', [0.95, 0.5, 0.99]);
  expect(explanation).toBe('all(result, {# > 0.9}): false');
});

describe('measurementVerdict follows the upstream table', () => {
  test.each([
    { name: 'no conditions', c: {}, result: 1, want: 'Successful' },
    { name: 'success only, true', c: { successCondition: 'result > 0' }, result: 1, want: 'Successful' },
    { name: 'success only, false', c: { successCondition: 'result > 0' }, result: 0, want: 'Failed' },
    { name: 'failure only, true', c: { failureCondition: 'result > 0' }, result: 1, want: 'Failed' },
    { name: 'failure only, false', c: { failureCondition: 'result > 0' }, result: 0, want: 'Successful' },
    {
      name: 'both, failure wins',
      c: { successCondition: 'result > 0', failureCondition: 'result > 5' },
      result: 9,
      want: 'Failed',
    },
    {
      name: 'both, success',
      c: { successCondition: 'result > 0', failureCondition: 'result > 5' },
      result: 1,
      want: 'Successful',
    },
    {
      name: 'both false is inconclusive',
      c: { successCondition: 'result > 5', failureCondition: 'result < 0' },
      result: 1,
      want: 'Inconclusive',
    },
    { name: 'error in success', c: { successCondition: 'result >' }, result: 1, want: 'Error' },
  ])('$name', ({ c, result, want }) => {
    expect(measurementVerdict(c, result).phase).toBe(want);
  });

  test('an error names the condition and the expression as upstream does', () => {
    expect(measurementVerdict({ successCondition: 'result[0] > 1' }, [])).toEqual({
      phase: 'Error',
      message:
        'could not evaluate successCondition "result[0] > 1": index out of range: 0 (result has length 0)',
    });
  });
});
