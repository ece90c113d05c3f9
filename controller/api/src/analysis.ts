// AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun (argoproj.io/v1alpha1), plus the
// analysis pieces a Rollout embeds (RolloutAnalysis). Field names are exactly upstream's.
import { templateMetadataSchema, type KubeObject } from './core.ts';
import {
  array,
  boolean,
  dateTime,
  int32,
  int64,
  intOrString,
  map,
  object,
  preserved,
  string,
  stringEnum,
  type Infer,
} from './schema.ts';

const keyValue = () => object({ key: string(), value: string() }, { required: ['key', 'value'] });

const oauth2Schema = object({
  tokenUrl: string(),
  clientId: string(),
  clientSecret: string(),
  scopes: array(string()),
});

const authenticationSchema = object({
  sigv4: object({ region: string(), profile: string(), roleArn: string() }),
  oauth2: oauth2Schema,
});

export const prometheusMetricSchema = object({
  address: string(),
  query: string(),
  authentication: authenticationSchema,
  timeout: int64(),
  insecure: boolean(),
  headers: array(keyValue()),
  rangeQuery: object({ start: string(), end: string(), step: string() }),
});
export type PrometheusMetric = Infer<typeof prometheusMetricSchema>;

export const webMetricSchema = object(
  {
    method: string(),
    url: string(),
    headers: array(keyValue()),
    body: string(),
    jsonBody: preserved<unknown>(),
    timeoutSeconds: int64(),
    jsonPath: string(),
    insecure: boolean(),
    authentication: authenticationSchema,
  },
  { required: ['url'] },
);
export type WebMetric = Infer<typeof webMetricSchema>;

export const jobMetricSchema = object(
  { metadata: templateMetadataSchema, spec: preserved<Record<string, unknown>>() },
  { required: ['spec'] },
);
export type JobMetric = Infer<typeof jobMetricSchema>;

export const datadogMetricSchema = object({
  interval: string(),
  query: string(),
  queries: map(string()),
  formula: string(),
  apiVersion: stringEnum('v1', 'v2'),
  aggregator: stringEnum('avg', 'min', 'max', 'sum', 'last', 'percentile', 'mean', 'l2norm', 'area'),
  secretRef: object({ name: string(), namespaced: boolean() }),
});
export type DatadogMetric = Infer<typeof datadogMetricSchema>;

export const graphiteMetricSchema = object({ address: string(), query: string() });
export type GraphiteMetric = Infer<typeof graphiteMetricSchema>;

export const newRelicMetricSchema = object(
  { profile: string(), query: string(), timeout: int64() },
  { required: ['query'] },
);
export type NewRelicMetric = Infer<typeof newRelicMetricSchema>;

export const skyWalkingMetricSchema = object({ address: string(), query: string(), interval: string() });
export type SkyWalkingMetric = Infer<typeof skyWalkingMetricSchema>;

/** Providers we implement are typed; the others are stored as sent and read by their provider. */
const otherProvider = () => preserved<Record<string, unknown>>();

export const metricProviderSchema = object({
  prometheus: prometheusMetricSchema,
  web: webMetricSchema,
  job: jobMetricSchema,
  kayenta: otherProvider(),
  datadog: datadogMetricSchema,
  wavefront: otherProvider(),
  newRelic: newRelicMetricSchema,
  cloudWatch: otherProvider(),
  graphite: graphiteMetricSchema,
  influxdb: otherProvider(),
  skywalking: skyWalkingMetricSchema,
  plugin: otherProvider(),
});
export type MetricProvider = Infer<typeof metricProviderSchema>;

export const metricSchema = object(
  {
    name: string(),
    interval: string(),
    initialDelay: string(),
    count: intOrString(),
    successCondition: string(),
    failureCondition: string(),
    failureLimit: intOrString(),
    inconclusiveLimit: intOrString(),
    consecutiveErrorLimit: intOrString(),
    consecutiveSuccessLimit: intOrString(),
    provider: metricProviderSchema,
  },
  { required: ['name', 'provider'] },
);
export type Metric = Infer<typeof metricSchema>;

export const argumentSchema = object(
  {
    name: string(),
    value: string(),
    valueFrom: object({
      secretKeyRef: object({ name: string(), key: string() }, { required: ['name', 'key'] }),
      fieldRef: object({ fieldPath: string() }, { required: ['fieldPath'] }),
    }),
  },
  { required: ['name'] },
);
export type Argument = Infer<typeof argumentSchema>;

export const dryRunSchema = object({ metricName: string() }, { required: ['metricName'] });
export type DryRun = Infer<typeof dryRunSchema>;

export const measurementRetentionSchema = object(
  { metricName: string(), limit: int32() },
  { required: ['metricName', 'limit'] },
);
export type MeasurementRetention = Infer<typeof measurementRetentionSchema>;

export const analysisTemplateRefSchema = object({ templateName: string(), clusterScope: boolean() });
export type AnalysisTemplateRef = Infer<typeof analysisTemplateRefSchema>;

export const analysisTemplateSpecSchema = object({
  metrics: array(metricSchema),
  args: array(argumentSchema),
  dryRun: array(dryRunSchema),
  measurementRetention: array(measurementRetentionSchema),
  templates: array(analysisTemplateRefSchema),
});
export type AnalysisTemplateSpec = Infer<typeof analysisTemplateSpecSchema>;

export type AnalysisTemplate = KubeObject<'AnalysisTemplate', { spec: AnalysisTemplateSpec }>;
export type ClusterAnalysisTemplate = KubeObject<'ClusterAnalysisTemplate', { spec: AnalysisTemplateSpec }>;

export const measurementSchema = object(
  {
    phase: string(),
    message: string(),
    startedAt: dateTime(),
    finishedAt: dateTime(),
    value: string(),
    metadata: map(string()),
    resumeAt: dateTime(),
  },
  { required: ['phase'] },
);
export type Measurement = Infer<typeof measurementSchema>;

export const metricResultSchema = object(
  {
    name: string(),
    phase: string(),
    measurements: array(measurementSchema),
    message: string(),
    count: int32(),
    successful: int32(),
    failed: int32(),
    inconclusive: int32(),
    error: int32(),
    consecutiveError: int32(),
    consecutiveSuccess: int32(),
    dryRun: boolean(),
    metadata: map(string()),
  },
  { required: ['name', 'phase'] },
);
export type MetricResult = Infer<typeof metricResultSchema>;

export const runSummarySchema = object({
  count: int32(),
  successful: int32(),
  failed: int32(),
  inconclusive: int32(),
  error: int32(),
});
export type RunSummary = Infer<typeof runSummarySchema>;

export const analysisRunSpecSchema = object(
  {
    metrics: array(metricSchema),
    args: array(argumentSchema),
    terminate: boolean(),
    dryRun: array(dryRunSchema),
    measurementRetention: array(measurementRetentionSchema),
    ttlStrategy: object({
      secondsAfterCompletion: int32(),
      secondsAfterFailure: int32(),
      secondsAfterSuccess: int32(),
    }),
  },
  { required: ['metrics'] },
);
export type AnalysisRunSpec = Infer<typeof analysisRunSpecSchema>;

export const analysisRunStatusSchema = object(
  {
    phase: string(),
    message: string(),
    metricResults: array(metricResultSchema),
    startedAt: dateTime(),
    completedAt: dateTime(),
    runSummary: runSummarySchema,
    dryRunSummary: runSummarySchema,
  },
  { required: ['phase'] },
);
export type AnalysisRunStatus = Infer<typeof analysisRunStatusSchema>;

export type AnalysisRun = KubeObject<'AnalysisRun', { spec: AnalysisRunSpec; status?: AnalysisRunStatus }>;

// What a Rollout (or an Experiment) embeds to ask for an AnalysisRun.

export const analysisRunArgumentSchema = object(
  {
    name: string(),
    value: string(),
    valueFrom: object({
      podTemplateHashValue: string(),
      fieldRef: object({ fieldPath: string() }, { required: ['fieldPath'] }),
    }),
  },
  { required: ['name'] },
);
export type AnalysisRunArgument = Infer<typeof analysisRunArgumentSchema>;

export const analysisRunMetadataSchema = templateMetadataSchema;

export const rolloutAnalysisSchema = object({
  templates: array(analysisTemplateRefSchema),
  args: array(analysisRunArgumentSchema),
  dryRun: array(dryRunSchema),
  measurementRetention: array(measurementRetentionSchema),
  analysisRunMetadata: analysisRunMetadataSchema,
});
export type RolloutAnalysis = Infer<typeof rolloutAnalysisSchema>;
