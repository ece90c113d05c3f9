// The Experiment kind (argoproj.io/v1alpha1), with upstream's field names.
import {
  argumentSchema,
  analysisRunMetadataSchema,
  dryRunSchema,
  measurementRetentionSchema,
} from './analysis.ts';
import { conditionSchema, labelSelectorSchema, podTemplateSpecSchema, type KubeObject } from './core.ts';
import { array, boolean, dateTime, int32, object, string, type Infer } from './schema.ts';

export const templateSpecSchema = object(
  {
    name: string(),
    replicas: int32(),
    minReadySeconds: int32(),
    selector: labelSelectorSchema,
    template: podTemplateSpecSchema,
    service: object({ name: string() }),
  },
  { required: ['name', 'selector', 'template'] },
);
export type TemplateSpec = Infer<typeof templateSpecSchema>;

export const experimentAnalysisTemplateRefSchema = object(
  {
    name: string(),
    templateName: string(),
    clusterScope: boolean(),
    args: array(argumentSchema),
    requiredForCompletion: boolean(),
  },
  { required: ['name', 'templateName'] },
);
export type ExperimentAnalysisTemplateRef = Infer<typeof experimentAnalysisTemplateRefSchema>;

export const experimentSpecSchema = object(
  {
    templates: array(templateSpecSchema),
    duration: string(),
    progressDeadlineSeconds: int32(),
    terminate: boolean(),
    analyses: array(experimentAnalysisTemplateRefSchema),
    scaleDownDelaySeconds: int32(),
    dryRun: array(dryRunSchema),
    measurementRetention: array(measurementRetentionSchema),
    analysisRunMetadata: analysisRunMetadataSchema,
  },
  { required: ['templates'] },
);
export type ExperimentSpec = Infer<typeof experimentSpecSchema>;

export const templateStatusSchema = object(
  {
    name: string(),
    replicas: int32(),
    updatedReplicas: int32(),
    readyReplicas: int32(),
    availableReplicas: int32(),
    collisionCount: int32(),
    status: string(),
    message: string(),
    lastTransitionTime: dateTime(),
    serviceName: string(),
    podTemplateHash: string(),
  },
  { required: ['name', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] },
);
export type TemplateStatus = Infer<typeof templateStatusSchema>;

export const experimentAnalysisRunStatusSchema = object(
  { name: string(), analysisRun: string(), phase: string(), message: string() },
  { required: ['name', 'analysisRun', 'phase'] },
);
export type ExperimentAnalysisRunStatus = Infer<typeof experimentAnalysisRunStatusSchema>;

export const experimentStatusSchema = object({
  phase: string(),
  message: string(),
  templateStatuses: array(templateStatusSchema),
  availableAt: dateTime(),
  conditions: array(conditionSchema),
  analysisRuns: array(experimentAnalysisRunStatusSchema),
});
export type ExperimentStatus = Infer<typeof experimentStatusSchema>;

export type Experiment = KubeObject<'Experiment', { spec: ExperimentSpec; status?: ExperimentStatus }>;
