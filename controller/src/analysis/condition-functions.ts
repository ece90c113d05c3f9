// The functions a condition may call: Argo Rollouts' own (asInt, asFloat, isNaN, isInf, isNil,
// default) and the expr-lang built-ins conditions use. Predicate functions (all, any, filter, …)
// receive their predicate unevaluated, to run once per element with `#` bound to it.
import { ConditionEvalError, isMap, typeName, type Value } from './condition-value.ts';

export type Predicate = (element: Value) => Value;

export interface FunctionSpec {
  /** Argument indexes that are predicates, evaluated per element instead of once. */
  predicates?: number[];
  call(args: (Value | Predicate)[]): Value;
}

const fail = (message: string): never => {
  throw new ConditionEvalError(message);
};

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    fail(`${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`);
  }
}

function num(name: string, v: Value | Predicate | undefined): number {
  return typeof v === 'number' ? v : fail(`${name}() expects a number, got ${typeName(v)}`);
}

function list(name: string, v: Value | Predicate | undefined): Value[] {
  return Array.isArray(v) ? v : fail(`${name}() expects an array, got ${typeName(v)}`);
}

function bool(name: string, v: Value): boolean {
  return typeof v === 'boolean' ? v : fail(`the predicate of ${name}() must give a bool, got ${typeName(v)}`);
}

function numbers(name: string, args: (Value | Predicate)[]): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return flat.map((v) => num(name, v as Value));
}

/** Parses a whole numeric string the way Go's strconv would accept it (no trailing junk). */
function parseNumber(name: string, s: string, integer: boolean): number {
  const text = s.trim();
  const ok = integer
    ? /^[+-]?\d+$/.test(text)
    : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Inf|NaN)$/i.test(text);
  if (!ok) fail(`${name}(): cannot parse ${JSON.stringify(s)} as ${integer ? 'an integer' : 'a float'}`);
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return NaN;
  return Number(text);
}

const predicate = (name: string, fn: (list: Value[], p: (v: Value) => boolean) => Value): FunctionSpec => ({
  predicates: [1],
  call(args) {
    arity(name, args, 2);
    const p = args[1] as Predicate;
    return fn(list(name, args[0]), (v) => bool(name, p(v)));
  },
});

export const FUNCTIONS: Record<string, FunctionSpec> = {
  asInt: {
    call(args) {
      arity('asInt', args, 1);
      const v = args[0] as Value;
      if (typeof v === 'number') return Math.trunc(v);
      if (typeof v === 'string') return parseNumber('asInt', v, true);
      return fail(`asInt() expects a number or a numeric string, got ${typeName(v)}`);
    },
  },
  asFloat: {
    call(args) {
      arity('asFloat', args, 1);
      const v = args[0] as Value;
      if (typeof v === 'number') return v;
      if (typeof v === 'string') return parseNumber('asFloat', v, false);
      return fail(`asFloat() expects a number or a numeric string, got ${typeName(v)}`);
    },
  },
  isNaN: { call: (args) => (arity('isNaN', args, 1), Number.isNaN(num('isNaN', args[0]))) },
  isInf: {
    call: (args) => (arity('isInf', args, 1), Math.abs(num('isInf', args[0])) === Infinity),
  },
  isNil: { call: (args) => (arity('isNil', args, 1), args[0] === null) },
  default: { call: (args) => (arity('default', args, 2), (args[0] === null ? args[1] : args[0]) as Value) },
  len: {
    call(args) {
      arity('len', args, 1);
      const v = args[0] as Value;
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (isMap(v)) return Object.keys(v).length;
      return fail(`len() of ${typeName(v)} is not defined`);
    },
  },
  all: predicate('all', (xs, p) => xs.every(p)),
  any: predicate('any', (xs, p) => xs.some(p)),
  none: predicate('none', (xs, p) => !xs.some(p)),
  one: predicate('one', (xs, p) => xs.filter(p).length === 1),
  filter: predicate('filter', (xs, p) => xs.filter(p)),
  count: predicate('count', (xs, p) => xs.filter(p).length),
  map: {
    predicates: [1],
    call(args) {
      arity('map', args, 2);
      return list('map', args[0]).map((x) => (args[1] as Predicate)(x));
    },
  },
  sum: { call: (args) => (arity('sum', args, 1), numbers('sum', args).reduce((a, b) => a + b, 0)) },
  min: {
    call: (args) =>
      Math.min(...(args.length > 0 ? numbers('min', args) : fail('min() needs at least one value'))),
  },
  max: {
    call: (args) =>
      Math.max(...(args.length > 0 ? numbers('max', args) : fail('max() needs at least one value'))),
  },
  mean: {
    call(args) {
      const xs = numbers('mean', args);
      return xs.length === 0 ? fail('mean() of an empty array') : xs.reduce((a, b) => a + b, 0) / xs.length;
    },
  },
  abs: { call: (args) => (arity('abs', args, 1), Math.abs(num('abs', args[0]))) },
  ceil: { call: (args) => (arity('ceil', args, 1), Math.ceil(num('ceil', args[0]))) },
  floor: { call: (args) => (arity('floor', args, 1), Math.floor(num('floor', args[0]))) },
  round: { call: (args) => (arity('round', args, 1), Math.round(num('round', args[0]))) },
  int: {
    call(args) {
      arity('int', args, 1);
      const v = args[0] as Value;
      return typeof v === 'string' ? parseNumber('int', v, true) : Math.trunc(num('int', v));
    },
  },
  float: {
    call(args) {
      arity('float', args, 1);
      const v = args[0] as Value;
      return typeof v === 'string' ? parseNumber('float', v, false) : num('float', v);
    },
  },
  string: {
    call(args) {
      arity('string', args, 1);
      const v = args[0] as Value;
      return typeof v === 'string' ? v : JSON.stringify(v);
    },
  },
};
