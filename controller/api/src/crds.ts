// The CustomResourceDefinitions, built from the same schemas the types are derived from.
import { analysisRunSpecSchema, analysisRunStatusSchema, analysisTemplateSpecSchema } from './analysis.ts';
import { experimentSpecSchema, experimentStatusSchema } from './experiment.ts';
import { GROUP, VERSION } from './version.ts';
import { rolloutSpecSchema, rolloutStatusSchema } from './rollout.ts';
import type { JSONSchemaProps } from './schema.ts';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'string' | 'date';
  jsonPath: string;
  description?: string;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: {
      name: string;
      served: true;
      storage: true;
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: {
        status?: Record<string, never>;
        scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
      };
    }[];
  };
}

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since resource was created',
};

const STATUS: PrinterColumn = {
  name: 'Status',
  type: 'string',
  jsonPath: '.status.phase',
  description: 'Status',
};

/** apiVersion, kind and metadata as every CRD has them (metadata may only be `type: object`). */
function rootSchema(spec: JSONSchemaProps, status?: JSONSchemaProps): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec,
  };
  if (status) properties['status'] = status;
  return { type: 'object', properties, required: ['spec'] };
}

interface Kind {
  kind: string;
  plural: string;
  short: string;
  scope: 'Namespaced' | 'Cluster';
  columns: PrinterColumn[];
  schema: JSONSchemaProps;
  subresources?: CustomResourceDefinition['spec']['versions'][number]['subresources'];
}

function crd(k: Kind): CustomResourceDefinition {
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: VERSION,
    served: true,
    storage: true,
    additionalPrinterColumns: k.columns,
    schema: { openAPIV3Schema: k.schema },
  };
  version.subresources = k.subresources ?? {};
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: k.kind,
        listKind: `${k.kind}List`,
        plural: k.plural,
        singular: k.kind.toLowerCase(),
        shortNames: [k.short],
      },
      scope: k.scope,
      versions: [version],
    },
  };
}

export const ROLLOUT_CRD = crd({
  kind: 'Rollout',
  plural: 'rollouts',
  short: 'ro',
  scope: 'Namespaced',
  columns: [
    { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Number of desired pods' },
    {
      name: 'Current',
      type: 'integer',
      jsonPath: '.status.replicas',
      description: 'Total number of non-terminated pods targeted by this rollout',
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      jsonPath: '.status.updatedReplicas',
      description:
        'Total number of non-terminated pods targeted by this rollout that have the desired template spec',
    },
    {
      name: 'Available',
      type: 'integer',
      jsonPath: '.status.availableReplicas',
      description:
        'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout',
    },
    AGE,
  ],
  schema: rootSchema(rolloutSpecSchema, rolloutStatusSchema),
  subresources: {
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.HPAReplicas',
      labelSelectorPath: '.status.selector',
    },
  },
});

export const ANALYSIS_TEMPLATE_CRD = crd({
  kind: 'AnalysisTemplate',
  plural: 'analysistemplates',
  short: 'at',
  scope: 'Namespaced',
  columns: [AGE],
  schema: rootSchema(analysisTemplateSpecSchema),
});

export const CLUSTER_ANALYSIS_TEMPLATE_CRD = crd({
  kind: 'ClusterAnalysisTemplate',
  plural: 'clusteranalysistemplates',
  short: 'cat',
  scope: 'Cluster',
  columns: [AGE],
  schema: rootSchema(analysisTemplateSpecSchema),
});

// AnalysisRun and Experiment have no status subresource (`subresources: {}`): their status is
// written on the main resource (`retry experiment` sends {"status":null} there), as upstream.
export const ANALYSIS_RUN_CRD = crd({
  kind: 'AnalysisRun',
  plural: 'analysisruns',
  short: 'ar',
  scope: 'Namespaced',
  columns: [STATUS, AGE],
  schema: rootSchema(analysisRunSpecSchema, analysisRunStatusSchema),
});

export const EXPERIMENT_CRD = crd({
  kind: 'Experiment',
  plural: 'experiments',
  short: 'exp',
  scope: 'Namespaced',
  columns: [STATUS, AGE],
  schema: rootSchema(experimentSpecSchema, experimentStatusSchema),
});

/** File name (under manifests/crds) → CRD, in the order they are applied. */
export const CRDS: Readonly<Record<string, CustomResourceDefinition>> = {
  'rollout-crd.yaml': ROLLOUT_CRD,
  'analysis-template-crd.yaml': ANALYSIS_TEMPLATE_CRD,
  'cluster-analysis-template-crd.yaml': CLUSTER_ANALYSIS_TEMPLATE_CRD,
  'analysis-run-crd.yaml': ANALYSIS_RUN_CRD,
  'experiment-crd.yaml': EXPERIMENT_CRD,
};
