// Go's encoding/json, driven by field tables generated from the real Go structs (see the
// generated *-fields.ts files): Go field order, unknown fields dropped, omitempty/omitzero applied,
// zero values written for other missing fields, map keys sorted, strings escaped as Go does.
// Hashes that upstream computes over json.Marshal output (pod template, canary steps) need these
// exact bytes.
import { canonicalQuantity } from './quantity.ts';

/** Go struct name → its JSON fields in order as [name, type, flags] (flags: 1 omitempty, 2 omitzero). */
export type GoStructs = Readonly<
  Record<string, readonly (readonly [name: string, type: string, flags: number])[]>
>;

const OMITEMPTY = 1;
const OMITZERO = 2;

/**
 * A JSON string as Go's encoding/json writes it: like JSON.stringify, but `<`, `>`, `&`, U+2028
 * and U+2029 escaped as \u003c, \u003e, \u0026, \u2028, \u2029, and lone surrogates (invalid
 * UTF-8 in Go) replaced with U+FFFD.
 */
export function goString(s: string): string {
  return JSON.stringify(s.toWellFormed()).replace(/[<>&\u2028\u2029]/g, escapeChar);
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Go sorts map keys by their UTF-8 bytes, which is code point order, not UTF-16 order. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether Go's omitempty drops this value of this type (structs are never dropped). */
function isEmpty(type: string, v: unknown): boolean {
  if (v === undefined || v === null) return !isStructType(type) || type.startsWith('*');
  if (type.startsWith('*')) return false;
  if (type.startsWith('[]') || type === 'bytes') return Array.isArray(v) ? v.length === 0 : v === '';
  if (type.startsWith('map[')) return isObject(v) && Object.keys(v).length === 0;
  switch (type) {
    case 'string':
      return v === '' || typeof v !== 'string';
    case 'bool':
      return v !== true;
    case 'int':
    case 'float':
      return typeof v !== 'number' || v === 0;
  }
  return false;
}

function isStructType(type: string): boolean {
  return !['string', 'bool', 'int', 'float', 'bytes', 'raw'].includes(type) && !/^(\[\]|map\[)/.test(type);
}

/** omitzero: the value is Go's zero value (only metav1.Time carries it in a pod template). */
function isZero(type: string, v: unknown): boolean {
  if (type === 'time') return typeof v !== 'string' || v === '';
  return isEmpty(type, v);
}

function goTime(v: unknown): string {
  if (typeof v !== 'string' || v === '') return 'null';
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) return 'null';
  return goString(t.toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

function goNumber(v: unknown, integer: boolean): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '0';
  return integer ? String(Math.trunc(v)) : String(v);
}

function goValue(structs: GoStructs, type: string, v: unknown): string {
  if (type.startsWith('*'))
    return v === undefined || v === null ? 'null' : goValue(structs, type.slice(1), v);
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return 'null';
    return `[${v.map((item) => goValue(structs, type.slice(2), item)).join(',')}]`;
  }
  if (type.startsWith('map[')) {
    if (!isObject(v)) return 'null';
    const valueType = type.slice(4, -1);
    const keys = Object.keys(v).sort(compareCodePoints);
    return `{${keys.map((k) => `${goString(k)}:${goValue(structs, valueType, v[k])}`).join(',')}}`;
  }
  switch (type) {
    case 'string':
      return goString(typeof v === 'string' ? v : '');
    case 'bool':
      return v === true ? 'true' : 'false';
    case 'int':
      return goNumber(v, true);
    case 'float':
      return goNumber(v, false);
    case 'bytes':
      return typeof v === 'string' ? goString(v) : 'null';
    case 'raw':
      // Go compacts raw JSON with the same HTML escaping as strings (only strings hold these).
      return v === undefined ? 'null' : JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, escapeChar);
    case 'time':
      return goTime(v);
    case 'quantity':
      return goString(typeof v === 'string' || typeof v === 'number' ? canonicalQuantity(v) : '0');
    case 'intOrString':
      return typeof v === 'string' ? goString(v) : goNumber(v, true);
  }
  return goStruct(structs, type, isObject(v) ? v : {});
}

function goStruct(structs: GoStructs, name: string, v: Record<string, unknown>): string {
  const fields = structs[name];
  if (!fields) throw new Error(`no Go field table for struct ${name}`);
  const parts: string[] = [];
  for (const [field, type, flags] of fields) {
    const value = v[field];
    if (flags & OMITEMPTY && isEmpty(type, value)) continue;
    if (flags & OMITZERO && isZero(type, value)) continue;
    parts.push(`${goString(field)}:${goValue(structs, type, value)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * What Go's json.Marshal writes for `value` decoded into Go type `type` (a type of the table's
 * language: a struct name, "[]T", "*T", …), e.g. goJson(POD_TEMPLATE_STRUCTS, 'PodTemplateSpec', t).
 */
export function goJson(structs: GoStructs, type: string, value: unknown): string {
  return goValue(structs, type, value);
}

/** Thrown inside goDecode when Go's decoder would stop; carries what was decoded so far. */
class DecodeAbort extends Error {
  partial: unknown;
  constructor(message: string, partial: unknown) {
    super(message);
    this.partial = partial;
  }
}

/** The first type mismatch Go would report after decoding everything else. */
interface DecodeContext {
  typeError?: string;
}

function mismatch(ctx: DecodeContext, type: string): undefined {
  ctx.typeError ??= `cannot unmarshal into a Go value of type ${type}`;
  return undefined;
}

const MAX_INT64 = 2 ** 63;

/** The zero value of a Go type, as goJson writes it back (undefined where that is nil). */
function zeroOf(type: string): unknown {
  switch (type) {
    case 'int':
    case 'float':
    case 'intOrString':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'quantity':
      return '0';
  }
  return isStructType(type) && !type.startsWith('*') && type !== 'time' ? {} : undefined;
}

function decodeValue(structs: GoStructs, type: string, v: unknown, ctx: DecodeContext): unknown {
  if (v === undefined || v === null) return undefined; // Go leaves the zero value
  if (type.startsWith('*')) {
    // Go allocates the pointer before it looks at the value: a wrong or failing value still
    // leaves a pointer to the zero value.
    const elem = type.slice(1);
    try {
      return decodeValue(structs, elem, v, ctx) ?? zeroOf(elem);
    } catch (e) {
      if (e instanceof DecodeAbort) e.partial = e.partial ?? zeroOf(elem);
      throw e;
    }
  }
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return mismatch(ctx, type); // Go records a type error and goes on
    const out: unknown[] = [];
    for (const item of v) {
      try {
        out.push(decodeValue(structs, type.slice(2), item, ctx));
      } catch (e) {
        // Go has already grown the slice: the partly decoded element stays.
        if (e instanceof DecodeAbort) out.push(e.partial);
        if (e instanceof DecodeAbort) e.partial = out;
        throw e;
      }
    }
    return out;
  }
  if (type.startsWith('map[')) {
    if (!isObject(v)) return mismatch(ctx, type);
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      try {
        out[k] = decodeValue(structs, type.slice(4, -1), item, ctx);
      } catch (e) {
        // A map entry is stored only once its value decoded.
        if (e instanceof DecodeAbort) e.partial = out;
        throw e;
      }
    }
    return out;
  }
  switch (type) {
    case 'string':
    case 'bytes':
      return typeof v === 'string' ? v : mismatch(ctx, type);
    case 'bool':
      return typeof v === 'boolean' ? v : mismatch(ctx, type);
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < MAX_INT64
        ? v
        : mismatch(ctx, type);
    case 'float':
      return typeof v === 'number' ? v : mismatch(ctx, type);
    case 'raw':
      return v;
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number')
        throw new DecodeAbort('quantity: not a string', '0');
      try {
        canonicalQuantity(v);
      } catch (e) {
        throw new DecodeAbort(e instanceof Error ? e.message : String(e), '0');
      }
      return v;
    case 'intOrString':
      if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return v;
      throw new DecodeAbort('intOrString: neither an integer nor a string', undefined);
    case 'time':
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
      throw new DecodeAbort('time: not RFC 3339', undefined);
  }
  if (!isObject(v)) return mismatch(ctx, type);
  const fields = structs[type];
  if (!fields) throw new Error(`no Go field table for struct ${type}`);
  const out: Record<string, unknown> = {};
  const byName = new Map(fields.map(([name, fieldType]) => [name, fieldType]));
  for (const [k, item] of Object.entries(v)) {
    const fieldType = byName.get(k);
    if (fieldType === undefined) continue; // unknown fields are dropped
    try {
      out[k] = decodeValue(structs, fieldType, item, ctx);
    } catch (e) {
      if (e instanceof DecodeAbort) {
        out[k] = e.partial;
        e.partial = out;
      }
      throw e;
    }
  }
  return out;
}

/**
 * `value` as Go holds it after json.Unmarshal into `type`: fields read in document order;
 * a wrong JSON type leaves that field zero and decoding goes on; an error from a type's own
 * decoder (an invalid quantity, time or IntOrString) stops decoding, keeping only what was read
 * before it. Upstream's informer decodes malformed objects this way and hashes the result, so
 * `error` says the object is malformed while `value` is what upstream would work with.
 */
export function goDecode(
  structs: GoStructs,
  type: string,
  value: unknown,
): { value: unknown; error?: string } {
  const ctx: DecodeContext = {};
  try {
    const decoded = decodeValue(structs, type, value, ctx);
    return ctx.typeError === undefined ? { value: decoded } : { value: decoded, error: ctx.typeError };
  } catch (e) {
    if (e instanceof DecodeAbort) return { value: e.partial, error: ctx.typeError ?? e.message };
    throw e;
  }
}
