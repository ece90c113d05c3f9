// AnalysisRun arguments: their values (inline or from Secrets the adapter has read), substituted
// into a metric's fields as `{{args.name}}`, and secrets redacted from anything shown to users.
// Pure: the reconciler reads the Secrets and passes their values in.
import type { Argument, Metric } from '@rollout-kit/api';

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

/** A Secret key an argument reads, `name/key` as the key of the map `resolveArgs` takes. */
export interface SecretRef {
  name: string;
  key: string;
}
export const secretRefKey = (ref: SecretRef): string => `${ref.name}/${ref.key}`;

/** The Secret keys the arguments need, for the adapter to read before resolving. */
export function secretRefs(args: readonly Argument[] | undefined): SecretRef[] {
  return (args ?? []).flatMap((a) => (a.valueFrom?.secretKeyRef ? [a.valueFrom.secretKeyRef] : []));
}

export interface ResolvedArgs {
  values: Record<string, string>;
  /** Values that came from Secrets: redacted from messages. */
  secrets: string[];
}

/**
 * Argument values by name. `value` wins; `valueFrom.secretKeyRef` reads `secrets` (keyed by
 * `secretRefKey`; a missing Secret or key is an error naming it). An argument with no value
 * is the upstream error `args.<name> was not resolved`. `valueFrom.fieldRef` only exists on
 * runs made by a Rollout, which resolves it before creating the run, so here it is unresolved.
 */
export function resolveArgs(
  args: readonly Argument[] | undefined,
  secrets: ReadonlyMap<string, string | undefined>,
): ResolvedArgs {
  const resolved: ResolvedArgs = { values: {}, secrets: [] };
  for (const arg of args ?? []) {
    if (arg.value !== undefined) {
      resolved.values[arg.name] = arg.value;
      continue;
    }
    const ref = arg.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets.get(secretRefKey(ref));
      if (value === undefined)
        throw new ArgumentError(
          `args.${arg.name}: key "${ref.key}" of Secret "${ref.name}" could not be read`,
        );
      resolved.values[arg.name] = value;
      if (value !== '') resolved.secrets.push(value);
      continue;
    }
    throw new ArgumentError(`args.${arg.name} was not resolved`);
  }
  return resolved;
}

const PLACEHOLDER = /\{\{\s*args\.([^}\s]+)\s*\}\}/g;

/**
 * The metric with every `{{args.name}}` in its string fields replaced by the argument's value.
 * As upstream, substitution happens on the metric's JSON text with the value JSON-escaped, so a
 * value with quotes or newlines cannot change the structure. A placeholder naming an argument the
 * run does not have is an error. Placeholders may fill IntOrString fields (`count: "{{args.n}}"`).
 */
export function substituteArgs(metric: Metric, values: Readonly<Record<string, string>>): Metric {
  const text = JSON.stringify(metric);
  const missing = new Set<string>();
  const replaced = text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0)
    throw new ArgumentError(
      `metric "${metric.name}": ${[...missing].map((n) => `{{args.${n}}}`).join(', ')} not supplied by the run's args`,
    );
  return JSON.parse(replaced) as Metric;
}

/** `text` with every secret value replaced by `*****`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('*****');
  return out;
}
