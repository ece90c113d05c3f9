// Type guards for reading live objects. The manifest comes from the cluster through Argo CD and
// may be partial, from an older controller, or hand-edited: every value is checked before use,
// and a value of the wrong type reads as absent.

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or undefined. Numeric strings are not numbers here: the API sends numbers. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Only literal `true` counts; Argo CD and the controller treat absent as false. */
export function isTrue(value: unknown): boolean {
  return value === true;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A map of string values (labels, annotations); non-string values are dropped. */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Milliseconds since the epoch for an RFC 3339 time, or undefined. */
export function asTime(value: unknown): number | undefined {
  const text = asString(value);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
