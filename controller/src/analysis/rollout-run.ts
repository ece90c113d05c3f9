// The AnalysisRun a Rollout creates for a step, a background analysis, or a blue-green pre- or
// post-promotion analysis: its name, labels, annotations and owner, its args resolved from the
// Rollout (value, podTemplateHashValue, fieldRef), and its spec flattened from the templates.
// Pure: the Rollout reconciler reads the templates and creates what this returns.
import {
  INSTANCE_ID_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
  type AnalysisRun,
  type AnalysisRunArgument,
  type Rollout,
  type RolloutAnalysis,
} from '@rollout-kit/api';
import { controllerReference } from '../rollout/replica-set.ts';
import { AnalysisTemplateError, flattenTemplates, overrideArgs, type TemplateLookup } from './templates.ts';

export type RolloutRunType = 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion';

/** Upstream's run names: `<rollout>-<podHash>-<revision>` plus `-<stepIndex>`, `-pre` or `-post`. */
export function rolloutRunName(
  rollout: Pick<Rollout, 'metadata'>,
  type: RolloutRunType,
  podHash: string,
  revision: number,
  stepIndex?: number,
): string {
  const base = `${rollout.metadata.name ?? ''}-${podHash}-${revision}`;
  if (type === 'Step') return `${base}-${stepIndex ?? 0}`;
  if (type === 'PrePromotion') return `${base}-pre`;
  if (type === 'PostPromotion') return `${base}-post`;
  return base;
}

/**
 * A `fieldRef.fieldPath` read from the Rollout: `metadata.name|namespace|uid`,
 * `metadata.labels['k']`, `metadata.annotations['k']` as the downward API does, otherwise a
 * dotted path with `[i]` indexes (`spec.template.spec.containers[0].image`). Strings are as is,
 * other values JSON. A path that selects nothing is an error naming it.
 */
export function rolloutFieldValue(rollout: Rollout, fieldPath: string): string {
  const fail = () =>
    new AnalysisTemplateError(`fieldRef ${JSON.stringify(fieldPath)} does not resolve on the Rollout`);
  const mapKey = /^metadata\.(labels|annotations)\[['"](.+)['"]\]$/.exec(fieldPath);
  if (mapKey) {
    const value = rollout.metadata[mapKey[1] as 'labels' | 'annotations']?.[mapKey[2] ?? ''];
    if (value === undefined) throw fail();
    return value;
  }
  let current: unknown = rollout;
  for (const part of fieldPath.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw fail();
    current = (current as Record<string, unknown> | undefined)?.[m[1] ?? ''];
    for (const index of (m[2] ?? '').match(/\d+/g) ?? [])
      current = Array.isArray(current) ? (current as unknown[])[Number(index)] : undefined;
    if (current === undefined || current === null) throw fail();
  }
  return typeof current === 'string' ? current : JSON.stringify(current);
}

/** The Rollout-side args as values: `value`, `podTemplateHashValue` (Stable | Latest), `fieldRef`. */
export function rolloutArgValues(
  args: readonly AnalysisRunArgument[] | undefined,
  rollout: Rollout,
  hashes: { stable?: string; latest: string },
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const arg of args ?? []) {
    if (arg.value !== undefined) values[arg.name] = arg.value;
    else if (arg.valueFrom?.podTemplateHashValue !== undefined) {
      const which = arg.valueFrom.podTemplateHashValue;
      if (which !== 'Stable' && which !== 'Latest')
        throw new AnalysisTemplateError(
          `args.${arg.name}: podTemplateHashValue "${which}" is not Stable or Latest`,
        );
      const hash = which === 'Stable' ? hashes.stable : hashes.latest;
      if (hash !== undefined) values[arg.name] = hash;
    } else if (arg.valueFrom?.fieldRef)
      values[arg.name] = rolloutFieldValue(rollout, arg.valueFrom.fieldRef.fieldPath);
  }
  return values;
}

export interface RolloutRunInput {
  rollout: Rollout;
  type: RolloutRunType;
  analysis: RolloutAnalysis;
  templates: TemplateLookup;
  /** The pod-template hash of the revision analysed (the new ReplicaSet's). */
  podHash: string;
  stableHash?: string;
  revision: number;
  /** For `Step` runs. */
  stepIndex?: number;
  instanceId?: string;
}

/** The AnalysisRun to create; throws AnalysisTemplateError with a message for the Rollout's status. */
export function newRolloutAnalysisRun(input: RolloutRunInput): AnalysisRun {
  const { rollout, type, analysis } = input;
  const flat = flattenTemplates(analysis.templates ?? [], input.templates);
  const values = rolloutArgValues(analysis.args, rollout, {
    stable: input.stableHash,
    latest: input.podHash,
  });
  const labels: Record<string, string> = {
    ...(rollout.spec.selector?.matchLabels ?? {}),
    ...(analysis.analysisRunMetadata?.labels ?? {}),
    [POD_TEMPLATE_HASH_LABEL]: input.podHash,
    [ROLLOUT_TYPE_LABEL]: type,
  };
  if (type === 'Step') labels[STEP_INDEX_LABEL] = String(input.stepIndex ?? 0);
  if (input.instanceId) labels[INSTANCE_ID_LABEL] = input.instanceId;
  const dryRun = [...flat.dryRun];
  for (const d of analysis.dryRun ?? [])
    if (!dryRun.some((x) => x.metricName === d.metricName)) dryRun.push(d);
  const retention = [...flat.measurementRetention];
  for (const r of analysis.measurementRetention ?? [])
    if (!retention.some((x) => x.metricName === r.metricName)) retention.push(r);
  const run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: rolloutRunName(rollout, type, input.podHash, input.revision, input.stepIndex),
      namespace: rollout.metadata.namespace ?? '',
      labels,
      annotations: {
        ...(analysis.analysisRunMetadata?.annotations ?? {}),
        [REVISION_ANNOTATION]: String(input.revision),
      },
      ownerReferences: [controllerReference(rollout)],
    },
    spec: { metrics: flat.metrics, args: overrideArgs(flat.args, values) },
  };
  if (dryRun.length > 0) run.spec.dryRun = dryRun;
  if (retention.length > 0) run.spec.measurementRetention = retention;
  return run;
}
