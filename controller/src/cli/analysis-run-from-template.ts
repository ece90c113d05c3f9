// `create analysisrun --from TEMPLATE`: an AnalysisRun built from an AnalysisTemplate (or a
// ClusterAnalysisTemplate with --global) as the plugin builds it: the template's metrics,
// dry-run and retention rules, its args with the values given by `-a name=value`, and
// `generateName: <template>-` unless a name is given. Every arg must end up with a value.
import type { AnalysisRun, Argument } from '@rollout-kit/api';
import { INSTANCE_ID_LABEL } from '@rollout-kit/api';

/** An (Cluster)AnalysisTemplate as read from the API: the spec is kept as JSON, unknown fields included. */
export interface TemplateObject {
  kind?: string;
  metadata: { name?: string };
  spec?: { metrics?: unknown[]; args?: Argument[]; dryRun?: unknown[]; measurementRetention?: unknown[] };
}

export interface FromTemplateOptions {
  /** `-a name=value`, in order. */
  args: readonly string[];
  name?: string;
  generateName?: string;
  instanceId?: string;
}

/** Parses `-a name=value`. */
export function parseArg(arg: string): { name: string; value: string } {
  const at = arg.indexOf('=');
  if (at <= 0) throw new Error(`arguments must be in the form NAME=VALUE: "${arg}"`);
  return { name: arg.slice(0, at), value: arg.slice(at + 1) };
}

/** The template's args with the given values; an arg given but not declared, or left without a value, is an error. */
export function mergeArgs(declared: readonly Argument[], given: readonly string[]): Argument[] {
  const values = new Map(given.map(parseArg).map((a) => [a.name, a.value] as const));
  for (const name of values.keys()) {
    if (!declared.some((a) => a.name === name))
      throw new Error(`argument "${name}" is not declared by the template`);
  }
  return declared.map((a) => {
    const value = values.get(a.name);
    const merged: Argument = value !== undefined ? { name: a.name, value } : { ...a };
    if (merged.value === undefined && merged.valueFrom === undefined) {
      throw new Error(`args.${a.name} was not resolved`);
    }
    return merged;
  });
}

export function analysisRunFromTemplate(template: TemplateObject, options: FromTemplateOptions): AnalysisRun {
  const spec = template.spec ?? {};
  if (!spec.metrics || spec.metrics.length === 0) {
    throw new Error(`${template.kind ?? 'AnalysisTemplate'} "${template.metadata.name}" has no metrics`);
  }
  if (options.name && options.generateName)
    throw new Error('--name and --generate-name are mutually exclusive');
  const args = mergeArgs(spec.args ?? [], options.args);
  const metadata: AnalysisRun['metadata'] = options.name
    ? { name: options.name }
    : { generateName: options.generateName ?? `${template.metadata.name}-` };
  if (options.instanceId) metadata.labels = { [INSTANCE_ID_LABEL]: options.instanceId };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata,
    spec: {
      metrics: spec.metrics as AnalysisRun['spec']['metrics'],
      ...(args.length > 0 ? { args: args as AnalysisRun['spec']['args'] } : {}),
      ...(spec.dryRun ? { dryRun: spec.dryRun as AnalysisRun['spec']['dryRun'] } : {}),
      ...(spec.measurementRetention
        ? { measurementRetention: spec.measurementRetention as AnalysisRun['spec']['measurementRetention'] }
        : {}),
    },
  };
}
