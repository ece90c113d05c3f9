// Evaluates a parsed condition over the measurement's `result`, following expr-lang's rules for
// the operators conditions use: no implicit conversions between strings and numbers, `and`/`or`
// only on booleans (short-circuit), `/` always a float division, nil for a missing map key, and
// an error for anything undefined, so that a mistyped condition becomes an Error measurement
// rather than a silent false.
import { FUNCTIONS, type Predicate } from './condition-functions.ts';
import { render, type ConditionNode } from './condition-parse.ts';
import {
  ConditionEvalError,
  deepEqual,
  formatValue,
  isMap,
  typeName,
  type Value,
} from './condition-value.ts';

/** One comparison or call seen while evaluating, outside any predicate, for explanations. */
export interface TraceEntry {
  expression: string;
  detail: string;
}

interface Scope {
  vars: Record<string, Value>;
  trace: TraceEntry[] | undefined;
}

const fail = (message: string): never => {
  throw new ConditionEvalError(message);
};

const COMPARISONS = new Set([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
]);

export function evaluate(node: ConditionNode, vars: Record<string, Value>, trace?: TraceEntry[]): Value {
  return walk(node, { vars, trace });
}

function walk(node: ConditionNode, scope: Scope): Value {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      // Own properties only: `constructor` or `__proto__` must not reach Object.prototype.
      if (Object.hasOwn(scope.vars, node.name)) return scope.vars[node.name] ?? null;
      if (Object.hasOwn(FUNCTIONS, node.name))
        return fail(`${node.name} is a function: call it as ${node.name}(…)`);
      return fail(`unknown name ${node.name}`);
    case 'ArrayExpression':
      return node.elements.map((e) => walk(e, scope));
    case 'MemberExpression':
      return member(node, scope);
    case 'UnaryExpression':
      return unary(node.operator, walk(node.argument, scope));
    case 'ConditionalExpression': {
      const test = walk(node.test, scope);
      if (typeof test !== 'boolean') fail(`the test of ?: must be a bool, got ${typeName(test)}`);
      return walk(test ? node.consequent : node.alternate, scope);
    }
    case 'BinaryExpression':
      return binary(node, scope);
    case 'CallExpression':
      return call(node, scope);
    case 'Closure':
      return fail(`a predicate {…} can only be passed to a function such as all()`);
  }
}

function member(node: Extract<ConditionNode, { type: 'MemberExpression' }>, scope: Scope): Value {
  const object = walk(node.object, scope);
  const key = node.computed
    ? walk(node.property, scope)
    : node.property.type === 'Identifier'
      ? node.property.name
      : fail('bad property');
  if (object === null)
    return node.optional ? null : fail(`cannot fetch ${formatValue(key)} from nil (${render(node.object)})`);
  if (Array.isArray(object)) {
    if (typeof key !== 'number' || !Number.isInteger(key))
      return fail(`array index must be an integer, got ${typeName(key)}`);
    const index = key < 0 ? object.length + key : key;
    if (index < 0 || index >= object.length)
      return fail(`index out of range: ${key} (${render(node.object)} has length ${object.length})`);
    return object[index] ?? null;
  }
  if (typeof object === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) return fail(`string index must be an integer`);
    const index = key < 0 ? object.length + key : key;
    return index >= 0 && index < object.length ? (object[index] ?? null) : fail(`index out of range: ${key}`);
  }
  if (isMap(object)) {
    if (typeof key !== 'string') return fail(`map key must be a string, got ${typeName(key)}`);
    return Object.hasOwn(object, key) ? (object[key] ?? null) : null;
  }
  return fail(`cannot fetch ${formatValue(key)} from ${typeName(object)}`);
}

function unary(op: string, v: Value): Value {
  switch (op) {
    case '!':
    case 'not':
      return typeof v === 'boolean' ? !v : fail(`invalid operation: ${op} ${typeName(v)}`);
    case '-':
      return typeof v === 'number' ? -v : fail(`invalid operation: - ${typeName(v)}`);
    case '+':
      return typeof v === 'number' ? v : fail(`invalid operation: + ${typeName(v)}`);
    default:
      return fail(`unknown operator ${op}`);
  }
}

function binary(node: Extract<ConditionNode, { type: 'BinaryExpression' }>, scope: Scope): Value {
  const op = node.operator;
  if (op === '&&' || op === 'and' || op === '||' || op === 'or') {
    const left = walk(node.left, scope);
    if (typeof left !== 'boolean') return fail(`invalid operation: ${typeName(left)} ${op} … (needs bool)`);
    const isAnd = op === '&&' || op === 'and';
    if (isAnd ? !left : left) return left;
    const right = walk(node.right, scope);
    return typeof right === 'boolean'
      ? right
      : fail(`invalid operation: … ${op} ${typeName(right)} (needs bool)`);
  }
  if (op === '??') {
    const left = walk(node.left, scope);
    return left !== null ? left : walk(node.right, scope);
  }
  const left = walk(node.left, scope);
  const right = walk(node.right, scope);
  const value = operate(op, left, right);
  if (scope.trace && COMPARISONS.has(op)) {
    const side = (n: ConditionNode, v: Value) =>
      n.type === 'Literal' ? '' : `${render(n)} = ${formatValue(v)}; `;
    scope.trace.push({
      expression: render(node),
      detail: `${side(node.left, left)}${side(node.right, right)}${formatValue(value)}`,
    });
  }
  return value;
}

function operate(op: string, a: Value, b: Value): Value {
  const bad = () => fail(`invalid operation: ${typeName(a)} ${op} ${typeName(b)}`);
  switch (op) {
    case '==':
      return deepEqual(a, b);
    case '!=':
      return !deepEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!(
        (typeof a === 'number' && typeof b === 'number') ||
        (typeof a === 'string' && typeof b === 'string')
      ))
        return bad();
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      return bad();
    case '-':
    case '*':
    case '/':
    case '%':
    case '**': {
      if (typeof a !== 'number' || typeof b !== 'number') return bad();
      if (op === '%') return b === 0 ? fail('integer divide by zero') : a % b;
      return op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a ** b;
    }
    case 'in':
      if (Array.isArray(b)) return b.some((x) => deepEqual(x, a));
      if (isMap(b)) return typeof a === 'string' ? Object.hasOwn(b, a) : bad();
      return bad();
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'matches': {
      if (typeof a !== 'string' || typeof b !== 'string') return bad();
      if (op === 'contains') return a.includes(b);
      if (op === 'startsWith') return a.startsWith(b);
      if (op === 'endsWith') return a.endsWith(b);
      try {
        return new RegExp(b, 'u').test(a);
      } catch {
        return fail(`invalid regular expression ${JSON.stringify(b)}`);
      }
    }
    default:
      return fail(`unknown operator ${op}`);
  }
}

function call(node: Extract<ConditionNode, { type: 'CallExpression' }>, scope: Scope): Value {
  if (node.callee.type !== 'Identifier')
    return fail(`only named functions can be called, not ${render(node.callee)}`);
  const name = node.callee.name;
  const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) return fail(`unknown function ${name}()`);
  const args = node.arguments.map((arg, i): Value | Predicate => {
    if (!spec.predicates?.includes(i)) return walk(arg, scope);
    const body = arg.type === 'Closure' ? arg.body : arg;
    // Predicates see `#` (the element) and are left out of the trace: one line per element is noise.
    return (element: Value) => walk(body, { vars: { ...scope.vars, '#': element }, trace: undefined });
  });
  const value = spec.call(args);
  scope.trace?.push({ expression: render(node), detail: formatValue(value) });
  return value;
}
