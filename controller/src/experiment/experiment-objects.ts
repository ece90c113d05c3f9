// The objects an Experiment owns, as upstream makes them: a ReplicaSet per template named
// `<experiment>-<template>` (pod-template hash computed over the template without any hash label
// it carried, added to its labels and selector; annotations naming the experiment and template),
// and an AnalysisRun per analysis named `<experiment>-<analysis>`. Pure.
import {
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  INSTANCE_ID_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  type AnalysisRun,
  type Experiment,
  type ExperimentAnalysisTemplateRef,
  type OwnerReference,
  type TemplateSpec,
} from '@rollout-kit/api';
import { flattenTemplates, overrideArgs, type TemplateLookup } from '../analysis/templates.ts';
import { podTemplateHash } from '../rollout/pod-hash.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';

export function experimentReference(experiment: Pick<Experiment, 'metadata'>): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    name: experiment.metadata.name ?? '',
    uid: experiment.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The ReplicaSet of one template, at 0 replicas (the reconciler scales it). */
export function experimentReplicaSet(experiment: Experiment, template: TemplateSpec): ReplicaSet {
  const podTemplate = structuredClone(template.template ?? {});
  const labels = Object.fromEntries(
    Object.entries(podTemplate.metadata?.labels ?? {}).filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL),
  );
  podTemplate.metadata = { ...(podTemplate.metadata ?? {}), labels };
  const hash = podTemplateHash(podTemplate);
  const hashed = { ...labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = template.selector ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${experiment.metadata.name ?? ''}-${template.name}`,
      namespace: experiment.metadata.namespace ?? '',
      labels: hashed,
      annotations: {
        [EXPERIMENT_NAME_ANNOTATION]: experiment.metadata.name ?? '',
        [EXPERIMENT_TEMPLATE_NAME_ANNOTATION]: template.name,
      },
      ownerReferences: [experimentReference(experiment)],
    },
    spec: {
      replicas: 0,
      ...(template.minReadySeconds ? { minReadySeconds: template.minReadySeconds } : {}),
      selector: {
        ...selector,
        matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
      },
      template: { ...podTemplate, metadata: { ...podTemplate.metadata, labels: hashed } },
    },
  } as ReplicaSet;
}

/**
 * The run of one analysis: the templates flattened, the analysis's args (values; secret
 * references are resolved by the run) over the templates', the Experiment's dryRun,
 * measurementRetention and analysisRunMetadata. Throws AnalysisTemplateError with a message.
 */
export function experimentAnalysisRun(
  experiment: Experiment,
  analysis: ExperimentAnalysisTemplateRef,
  templates: TemplateLookup,
): AnalysisRun {
  const flat = flattenTemplates(
    [{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }],
    templates,
  );
  const values: Record<string, string> = {};
  for (const arg of analysis.args ?? []) if (arg.value !== undefined) values[arg.name] = arg.value;
  const args = overrideArgs(flat.args, values).map((arg) => {
    const given = analysis.args?.find((a) => a.name === arg.name && a.value === undefined && a.valueFrom);
    return given ? structuredClone(given) : arg;
  });
  const metadata = experiment.spec.analysisRunMetadata;
  const hash = experiment.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
  // The run belongs to the controller instance that owns the Experiment.
  const instanceId = experiment.metadata.labels?.[INSTANCE_ID_LABEL];
  const run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: `${experiment.metadata.name ?? ''}-${analysis.name}`,
      namespace: experiment.metadata.namespace ?? '',
      labels: {
        ...(metadata?.labels ?? {}),
        ...(hash ? { [POD_TEMPLATE_HASH_LABEL]: hash } : {}),
        ...(instanceId ? { [INSTANCE_ID_LABEL]: instanceId } : {}),
      },
      annotations: { ...(metadata?.annotations ?? {}) },
      ownerReferences: [experimentReference(experiment)],
    },
    spec: { metrics: flat.metrics, args },
  };
  const dryRun = [...flat.dryRun, ...(experiment.spec.dryRun ?? [])];
  const retention = [...flat.measurementRetention, ...(experiment.spec.measurementRetention ?? [])];
  if (dryRun.length > 0) run.spec.dryRun = dryRun;
  if (retention.length > 0) run.spec.measurementRetention = retention;
  return run;
}
