// A tiny schema builder: each builder returns a plain OpenAPI v3 schema object (exactly what goes
// into a CRD's openAPIV3Schema) that also carries, at the type level only, the TypeScript type of
// the values it accepts. The kinds' types are derived from their schemas with `Infer`, so the types
// and the CRD schemas cannot drift apart: there is one definition of each field.

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that our CRDs use. */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps;
  enum?: (string | number)[];
  anyOf?: JSONSchemaProps[];
  minimum?: number;
  maximum?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
}

declare const valueType: unique symbol;

/**
 * A schema for values of type `T`. The `valueType` key never exists at run time (it is a
 * phantom: declared, never assigned), so a Schema serialises to plain JSONSchemaProps.
 */
export type Schema<T> = JSONSchemaProps & { readonly [valueType]: T };

/** The TypeScript type a schema describes. */
export type Infer<S> = S extends { readonly [valueType]: infer T } ? T : never;

type AnySchema = Schema<unknown>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Object type of `props`: keys listed in `R` are required, the others optional. */
export type ObjectOf<P extends Record<string, AnySchema>, R extends keyof P> = Simplify<
  { [K in Exclude<keyof P, R>]?: Infer<P[K]> } & { [K in R]: Infer<P[K]> }
>;

function schema<T>(props: JSONSchemaProps): Schema<T> {
  return props as Schema<T>;
}

export function string(): Schema<string> {
  return schema({ type: 'string' });
}

/** An RFC 3339 timestamp, kept as the string the API server sends. */
export function dateTime(): Schema<string> {
  return schema({ type: 'string', format: 'date-time' });
}

export function stringEnum<const V extends string>(...values: V[]): Schema<V> {
  return schema({ type: 'string', enum: values });
}

export function int32(): Schema<number> {
  return schema({ type: 'integer', format: 'int32' });
}

export function int64(): Schema<number> {
  return schema({ type: 'integer', format: 'int64' });
}

export function number(): Schema<number> {
  return schema({ type: 'number' });
}

export function boolean(): Schema<boolean> {
  return schema({ type: 'boolean' });
}

/** Kubernetes IntOrString: `8080`, `"http"` and `"25%"` are all valid and keep their kind. */
export function intOrString(): Schema<number | string> {
  return schema({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
}

export function array<T>(items: Schema<T>): Schema<T[]> {
  return schema({ type: 'array', items });
}

/** A map with string keys, e.g. labels (`map(string())`). */
export function map<T>(values: Schema<T>): Schema<Record<string, T>> {
  return schema({ type: 'object', additionalProperties: values });
}

/** An object with the given properties; only the keys in `required` are required. */
export function object<const P extends Record<string, AnySchema>, const R extends keyof P & string = never>(
  properties: P,
  options: { required?: readonly R[] } = {},
): Schema<ObjectOf<P, R>> {
  const out: JSONSchemaProps = { type: 'object', properties };
  if (options.required && options.required.length > 0) out.required = [...options.required];
  return schema(out);
}

/** Adds a CEL validation rule (x-kubernetes-validations), e.g. immutability: `self == oldSelf`. */
export function validated<T>(s: Schema<T>, rule: { rule: string; message?: string }): Schema<T> {
  return schema({ ...s, 'x-kubernetes-validations': [...(s['x-kubernetes-validations'] ?? []), rule] });
}

/**
 * An object the API server stores as sent (x-kubernetes-preserve-unknown-fields). Used where
 * the schema would otherwise copy a large upstream type (PodSpec, JobSpec, router plugins): real
 * manifests then apply unchanged. `T` is the narrower shape the controller reads.
 */
export function preserved<T>(): Schema<T> {
  return schema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
}

/** Adds a description (kept in the CRD, shown by `kubectl explain`). */
export function described<T>(s: Schema<T>, description: string): Schema<T> {
  return schema({ ...s, description });
}
