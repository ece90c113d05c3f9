// AnalysisTemplates and ClusterAnalysisTemplates flattened into one run spec, as upstream does
// when a Rollout (or Experiment) references several: nested `templates[]` followed, each
// template used once, metrics concatenated (duplicate names are an error), args merged
// (the same name with two different values is an error), dryRun and measurementRetention joined.
import type {
  AnalysisTemplateRef,
  AnalysisTemplateSpec,
  Argument,
  DryRun,
  MeasurementRetention,
  Metric,
} from '@rollout-kit/api';

export class AnalysisTemplateError extends Error {
  override name = 'AnalysisTemplateError';
}

/** Finds a template's spec: namespaced by name, or cluster-scoped when `clusterScope`. */
export interface TemplateLookup {
  namespaced(name: string): AnalysisTemplateSpec | undefined;
  cluster(name: string): AnalysisTemplateSpec | undefined;
}

export interface FlatTemplates {
  metrics: Metric[];
  args: Argument[];
  dryRun: DryRun[];
  measurementRetention: MeasurementRetention[];
}

const refKey = (ref: AnalysisTemplateRef) =>
  `${ref.clusterScope ? 'cluster' : 'namespaced'}/${ref.templateName ?? ''}`;

/**
 * The templates `refs` name, flattened depth first in order. A missing template is an error
 * naming it (upstream: `analysistemplate.argoproj.io "<name>" not found`); a template reached
 * twice (directly or through nesting) contributes once; a cycle is harmless for the same reason.
 */
export function flattenTemplates(
  refs: readonly AnalysisTemplateRef[],
  lookup: TemplateLookup,
): FlatTemplates {
  const flat: FlatTemplates = { metrics: [], args: [], dryRun: [], measurementRetention: [] };
  const seen = new Set<string>();
  const visit = (ref: AnalysisTemplateRef) => {
    const key = refKey(ref);
    if (seen.has(key)) return;
    seen.add(key);
    const name = ref.templateName ?? '';
    const spec = ref.clusterScope ? lookup.cluster(name) : lookup.namespaced(name);
    if (!spec)
      throw new AnalysisTemplateError(
        `${ref.clusterScope ? 'clusteranalysistemplate' : 'analysistemplate'}.argoproj.io "${name}" not found`,
      );
    for (const nested of spec.templates ?? []) visit(nested);
    for (const metric of spec.metrics ?? []) {
      if (flat.metrics.some((m) => m.name === metric.name))
        throw new AnalysisTemplateError(`two metrics have the same name "${metric.name}"`);
      flat.metrics.push(structuredClone(metric));
    }
    flat.args = mergeArgs(flat.args, spec.args ?? []);
    for (const d of spec.dryRun ?? [])
      if (!flat.dryRun.some((x) => x.metricName === d.metricName)) flat.dryRun.push({ ...d });
    for (const r of spec.measurementRetention ?? [])
      if (!flat.measurementRetention.some((x) => x.metricName === r.metricName))
        flat.measurementRetention.push({ ...r });
  };
  refs.forEach(visit);
  return flat;
}

/** Template args joined by name: a value fills a valueless one; two different values are an error. */
export function mergeArgs(existing: readonly Argument[], incoming: readonly Argument[]): Argument[] {
  const out = existing.map((a) => structuredClone(a));
  for (const arg of incoming) {
    const same = out.find((a) => a.name === arg.name);
    if (!same) {
      out.push(structuredClone(arg));
      continue;
    }
    if (same.value !== undefined && arg.value !== undefined && same.value !== arg.value)
      throw new AnalysisTemplateError(`arg "${arg.name}" has two different values in the templates`);
    if (same.value === undefined && same.valueFrom === undefined) Object.assign(same, structuredClone(arg));
  }
  return out;
}

/**
 * The run's args: the templates' args with the caller's (already resolved to values) overriding
 * by name, as upstream. Caller args the templates do not declare are ignored, as upstream.
 */
export function overrideArgs(
  templateArgs: readonly Argument[],
  values: Readonly<Record<string, string>>,
): Argument[] {
  return templateArgs.map((arg) => {
    const value = values[arg.name];
    return value === undefined ? structuredClone(arg) : { name: arg.name, value };
  });
}
