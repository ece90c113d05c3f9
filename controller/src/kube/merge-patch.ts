// The JSON merge patch (RFC 7386) that turns one object into another: changed or added keys with
// their new value, removed keys as null, nested objects diffed key by key, arrays replaced
// whole. Used to send only what a reconcile changed, so fields other writers own survive.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

/** The merge patch from `before` to `after`, or undefined when they are equal. `undefined` values count as absent. */
export function mergePatch(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, Json> | undefined {
  const patch: Record<string, Json> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (equal(old, value)) continue;
    if (isObject(old) && isObject(value)) {
      const nested = mergePatch(old, value);
      if (nested) patch[key] = nested;
    } else {
      patch[key] = value as Json;
    }
  }
  for (const [key, value] of Object.entries(before)) {
    if (value !== undefined && after[key] === undefined) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
