// A validation error as Kubernetes' field.Error reports it, and its text exactly as Go prints it:
// the first error of a Rollout becomes its InvalidSpec message, which clients may match on.

/** A k8s field.Error: `<field>: <Type>[: <value>][: <detail>]`. */
export interface FieldError {
  type: 'Required value' | 'Invalid value' | 'Unsupported value' | 'Forbidden' | 'Internal error';
  field: string;
  value?: unknown;
  detail: string;
}

/** JSON as Go marshals the values we report: map keys sorted, LabelSelector in struct order. */
function goJsonValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJsonValue).join(',')}]`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v ?? null);
  const isEmpty = (x: unknown) =>
    x === undefined || (typeof x === 'object' && x !== null && Object.keys(x).length === 0);
  // The structs we print (LabelSelector, steps) mark every optional field omitempty.
  const keys = Object.keys(v).filter((k) => !isEmpty((v as Record<string, unknown>)[k]));
  const selectorOrder = ['matchLabels', 'matchExpressions'];
  keys.sort((a, b) => {
    if (selectorOrder.includes(a) && selectorOrder.includes(b))
      return selectorOrder.indexOf(a) - selectorOrder.indexOf(b);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return `{${keys.map((k) => `${JSON.stringify(k)}:${goJsonValue((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The text of a field error as Go's field.Error.Error() prints it. */
export function fieldErrorString(e: FieldError): string {
  let body: string = e.type;
  if (e.type === 'Invalid value' || e.type === 'Unsupported value') {
    const v = e.value;
    body += `: ${typeof v === 'number' || typeof v === 'boolean' ? String(v) : goJsonValue(v)}`;
  }
  return `${e.field}: ${body}${e.detail ? `: ${e.detail}` : ''}`;
}

/** The InvalidSpec condition message for the first error. */
export function invalidSpecMessage(rolloutName: string, error: FieldError): string {
  return `The Rollout "${rolloutName}" is invalid: ${fieldErrorString(error)}`;
}

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'Invalid value',
  field,
  value,
  detail,
});
export const required = (field: string, detail: string): FieldError => ({
  type: 'Required value',
  field,
  detail,
});
export const NONNEGATIVE = 'must be greater than or equal to 0';
