// Values a condition works on: what JSON can hold. Type names in messages follow expr-lang's
// (Go's) so error texts read like upstream's.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export class ConditionEvalError extends Error {
  override name = 'ConditionEvalError';
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** JSON-like data into a Value: undefined becomes nil, anything not JSON is refused. */
export function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: { [key: string]: Value } = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = toValue(x);
    return out;
  }
  throw new ConditionEvalError(`unsupported value of type ${typeof v}`);
}

export function isMap(v: Value): v is { [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] ?? null));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => k in b && deepEqual(a[k] ?? null, b[k] ?? null))
    );
  }
  return false;
}

/** A short rendering of a value for explanations; long arrays are cut. */
export function formatValue(v: Value): string {
  if (Array.isArray(v)) {
    const shown = v.slice(0, 10).map(formatValue);
    return `[${shown.join(', ')}${v.length > 10 ? `, … ${v.length - 10} more` : ''}]`;
  }
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  if (v === null) return 'nil';
  return JSON.stringify(v) ?? String(v);
}
