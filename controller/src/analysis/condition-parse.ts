// Parsing of analysis conditions (successCondition / failureCondition). Argo Rollouts evaluates
// them with expr-lang; we accept the part of that language real conditions use, parsed by jsep
// into a tree that our own walker evaluates. Nothing is ever compiled to JavaScript.
import jsep from 'jsep';

/** The node types our evaluator understands; anything else is rejected at parse time. */
export type ConditionNode =
  | { type: 'Literal'; value: boolean | number | string | null }
  | { type: 'Identifier'; name: string }
  | {
      type: 'MemberExpression';
      object: ConditionNode;
      property: ConditionNode;
      computed: boolean;
      optional: boolean;
    }
  | { type: 'CallExpression'; callee: ConditionNode; arguments: ConditionNode[] }
  | { type: 'UnaryExpression'; operator: string; argument: ConditionNode }
  | { type: 'BinaryExpression'; operator: string; left: ConditionNode; right: ConditionNode }
  | {
      type: 'ConditionalExpression';
      test: ConditionNode;
      consequent: ConditionNode;
      alternate: ConditionNode;
    }
  | { type: 'ArrayExpression'; elements: ConditionNode[] }
  | { type: 'Closure'; body: ConditionNode };

export class ConditionSyntaxError extends Error {
  override name = 'ConditionSyntaxError';
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

let configured = false;

/** jsep's operator tables are global to the module; we set them once, to expr-lang's operators. */
function configure(): void {
  if (configured) return;
  configured = true;
  for (const op of ['|', '^', '&', '===', '!==', '<<', '>>', '>>>']) jsep.removeBinaryOp(op);
  jsep.removeUnaryOp('~');
  jsep.addBinaryOp('or', 1);
  jsep.addBinaryOp('??', 1);
  jsep.addBinaryOp('and', 2);
  for (const op of ['in', 'contains', 'startsWith', 'endsWith', 'matches']) jsep.addBinaryOp(op, 7);
  jsep.addUnaryOp('not');
  jsep.addLiteral('nil', null);
  // `#` is the element a closure is applied to, as in all(result, {# > 0.9}).
  jsep.addIdentifierChar('#');
  jsep.hooks.add('gobble-token', function closure(env) {
    if (this.code !== OPEN_BRACE) return;
    this.index++;
    const body = this.gobbleExpression();
    this.gobbleSpaces();
    // `code` moved on while gobbling; read it afresh (TypeScript still remembers the `{`).
    if ((this.code as number) !== CLOSE_BRACE) this.throwError('Expected } to close the predicate');
    this.index++;
    env.node = { type: 'Closure', body };
  });
}

const WORD_OPERATORS = new Set(['and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'matches']);

/**
 * expr-lang's shorthand in a predicate: `{.value > 1}` is `{#.value > 1}`. A `.` that starts a
 * name where no value precedes it (outside string literals) gets its `#`; anywhere else such a
 * dot is a syntax error in expr-lang too, so nothing valid changes meaning.
 */
export function withElementShorthand(text: string): string {
  let out = '';
  let quote: string | undefined;
  let last = ''; // the last character outside white space, strings included
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote) {
      out += ch;
      if (ch === '\\') out += text.charAt(++i);
      else if (ch === quote) quote = undefined;
      last = ch;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    const startsName = /[A-Za-z_$]/.test(text.charAt(i + 1));
    // A word operator (`and .ok`) is not a value; a name, number, string or bracket is.
    const word = /([A-Za-z_$][\w$]*)\s*$/.exec(out)?.[1];
    const valueBefore = /[\w$#)\]'"`?]/.test(last) && !(word !== undefined && WORD_OPERATORS.has(word));
    if (ch === '.' && startsName && !valueBefore) out += '#';
    out += ch;
    if (!/\s/.test(ch)) last = ch;
  }
  return out;
}

/** Parses a condition; throws ConditionSyntaxError with a message naming what is wrong. */
export function parseCondition(text: string): ConditionNode {
  configure();
  if (text.trim() === '') throw new ConditionSyntaxError('the condition is empty');
  let tree: jsep.Expression;
  try {
    tree = jsep(withElementShorthand(text));
  } catch (error) {
    throw new ConditionSyntaxError(`cannot parse ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
  return checked(tree, text);
}

function checked(node: jsep.Expression, text: string): ConditionNode {
  const child = (n: unknown) => checked(n as jsep.Expression, text);
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (value instanceof RegExp)
        throw new ConditionSyntaxError(`regular expression literals are not supported`);
      return { type: 'Literal', value };
    }
    case 'Identifier':
      return { type: 'Identifier', name: (node as jsep.Identifier).name };
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      return {
        type: 'MemberExpression',
        object: child(m.object),
        property: child(m.property),
        computed: m.computed,
        optional: m.optional === true,
      };
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      return { type: 'CallExpression', callee: child(c.callee), arguments: c.arguments.map(child) };
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      return { type: 'UnaryExpression', operator: u.operator, argument: child(u.argument) };
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      return { type: 'BinaryExpression', operator: b.operator, left: child(b.left), right: child(b.right) };
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      return {
        type: 'ConditionalExpression',
        test: child(c.test),
        consequent: child(c.consequent),
        alternate: child(c.alternate),
      };
    }
    case 'ArrayExpression': {
      const elements = (node as jsep.ArrayExpression).elements;
      if (elements.some((e) => e === null))
        throw new ConditionSyntaxError('array literals cannot have holes');
      return { type: 'ArrayExpression', elements: elements.map(child) };
    }
    case 'Closure':
      return { type: 'Closure', body: child(node.body) };
    case 'Compound':
      throw new ConditionSyntaxError(`${JSON.stringify(text)} holds more than one expression`);
    default:
      throw new ConditionSyntaxError(`${node.type} is not allowed in a condition`);
  }
}

/** The condition written back as text, for explanations and messages. */
export function render(node: ConditionNode): string {
  switch (node.type) {
    case 'Literal':
      return node.value === null
        ? 'nil'
        : typeof node.value === 'string'
          ? JSON.stringify(node.value)
          : String(node.value);
    case 'Identifier':
      return node.name;
    case 'MemberExpression':
      return node.computed
        ? `${render(node.object)}${node.optional ? '?.' : ''}[${render(node.property)}]`
        : `${render(node.object)}${node.optional ? '?.' : '.'}${render(node.property)}`;
    case 'CallExpression':
      return `${render(node.callee)}(${node.arguments.map(render).join(', ')})`;
    case 'UnaryExpression':
      return /^[a-z]/.test(node.operator)
        ? `${node.operator} ${render(node.argument)}`
        : `${node.operator}${render(node.argument)}`;
    case 'BinaryExpression':
      return `${wrap(node.left)} ${node.operator} ${wrap(node.right)}`;
    case 'ConditionalExpression':
      return `${wrap(node.test)} ? ${wrap(node.consequent)} : ${wrap(node.alternate)}`;
    case 'ArrayExpression':
      return `[${node.elements.map(render).join(', ')}]`;
    case 'Closure':
      return `{${render(node.body)}}`;
  }
}

function wrap(node: ConditionNode): string {
  return node.type === 'BinaryExpression' || node.type === 'ConditionalExpression'
    ? `(${render(node)})`
    : render(node);
}
