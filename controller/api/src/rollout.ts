// The Rollout kind (argoproj.io/v1alpha1): every spec and status field of Argo Rollouts v1.9, with
// upstream's field names. Types are derived from the schemas, which also become the CRD.
import {
  analysisRunArgumentSchema,
  analysisRunMetadataSchema,
  analysisTemplateRefSchema,
  dryRunSchema,
  measurementRetentionSchema,
  rolloutAnalysisSchema,
} from './analysis.ts';
import {
  conditionSchema,
  labelSelectorSchema,
  podTemplateSpecSchema,
  templateMetadataSchema,
  type KubeObject,
} from './core.ts';
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
  validated,
  type Infer,
} from './schema.ts';

// ---- Strategy pieces shared by canary and blue-green ------------------------------------------

export const podTemplateMetadataSchema = templateMetadataSchema;
export type PodTemplateMetadata = Infer<typeof podTemplateMetadataSchema>;

export const antiAffinitySchema = object({
  preferredDuringSchedulingIgnoredDuringExecution: object({ weight: int32() }, { required: ['weight'] }),
  requiredDuringSchedulingIgnoredDuringExecution: object({}),
});
export type AntiAffinity = Infer<typeof antiAffinitySchema>;

// ---- Canary steps ------------------------------------------------------------------------------

const stringMatchSchema = object({ exact: string(), regex: string(), prefix: string() });

export const rolloutExperimentStepSchema = object(
  {
    templates: array(
      object(
        {
          name: string(),
          specRef: string(),
          replicas: int32(),
          metadata: podTemplateMetadataSchema,
          selector: labelSelectorSchema,
          weight: int32(),
          service: object({ name: string() }),
        },
        { required: ['name', 'specRef'] },
      ),
    ),
    duration: string(),
    analyses: array(
      object(
        {
          name: string(),
          templateName: string(),
          clusterScope: boolean(),
          args: array(analysisRunArgumentSchema),
          requiredForCompletion: boolean(),
        },
        { required: ['name', 'templateName'] },
      ),
    ),
    dryRun: array(dryRunSchema),
    analysisRunMetadata: analysisRunMetadataSchema,
    scaleDownDelaySeconds: int32(),
  },
  { required: ['templates'] },
);
export type RolloutExperimentStep = Infer<typeof rolloutExperimentStepSchema>;

export const setCanaryScaleSchema = object({
  weight: int32(),
  replicas: int32(),
  matchTrafficWeight: boolean(),
});
export type SetCanaryScale = Infer<typeof setCanaryScaleSchema>;

export const setHeaderRouteSchema = object({
  name: string(),
  match: array(
    object(
      { headerName: string(), headerValue: stringMatchSchema },
      { required: ['headerName', 'headerValue'] },
    ),
  ),
});
export type SetHeaderRoute = Infer<typeof setHeaderRouteSchema>;

export const setMirrorRouteSchema = object(
  {
    name: string(),
    match: array(
      object({ method: stringMatchSchema, path: stringMatchSchema, headers: map(stringMatchSchema) }),
    ),
    percentage: int32(),
  },
  { required: ['name'] },
);
export type SetMirrorRoute = Infer<typeof setMirrorRouteSchema>;

/** `duration` is an integer (seconds) or a duration string ("10s", "10m", "1h"). */
export const rolloutPauseSchema = object({ duration: intOrString() });
export type RolloutPause = Infer<typeof rolloutPauseSchema>;

/** Exactly one field should be set (validation reports otherwise). */
export const canaryStepSchema = object({
  setWeight: int32(),
  pause: rolloutPauseSchema,
  experiment: rolloutExperimentStepSchema,
  analysis: rolloutAnalysisSchema,
  setCanaryScale: setCanaryScaleSchema,
  setHeaderRoute: setHeaderRouteSchema,
  setMirrorRoute: setMirrorRouteSchema,
  plugin: object({ name: string(), config: preserved<unknown>() }, { required: ['name'] }),
});
export type CanaryStep = Infer<typeof canaryStepSchema>;

// ---- Traffic routing ---------------------------------------------------------------------------

const istioSchema = object({
  virtualService: object(
    {
      name: string(),
      routes: array(string()),
      tlsRoutes: array(object({ port: int64(), sniHosts: array(string()) })),
      tcpRoutes: array(object({ port: int64() })),
    },
    { required: ['name'] },
  ),
  virtualServices: array(
    object(
      {
        name: string(),
        routes: array(string()),
        tlsRoutes: array(object({ port: int64(), sniHosts: array(string()) })),
        tcpRoutes: array(object({ port: int64() })),
      },
      { required: ['name'] },
    ),
  ),
  destinationRule: object(
    {
      name: string(),
      canarySubsetName: string(),
      stableSubsetName: string(),
      additionalSubsetNames: array(string()),
    },
    { required: ['name', 'canarySubsetName', 'stableSubsetName'] },
  ),
});

const nginxSchema = object({
  annotationPrefix: string(),
  stableIngress: string(),
  stableIngresses: array(string()),
  additionalIngressAnnotations: map(string()),
  canaryIngressAnnotations: map(string()),
});

const albSchema = object(
  {
    ingress: string(),
    ingresses: array(string()),
    servicePort: int32(),
    annotationPrefix: string(),
    rootService: string(),
    stickinessConfig: object(
      { enabled: boolean(), durationSeconds: int64() },
      { required: ['enabled', 'durationSeconds'] },
    ),
  },
  { required: ['servicePort'] },
);

const virtualNodeReference = () => object({ name: string() }, { required: ['name'] });

export const rolloutTrafficRoutingSchema = object({
  istio: istioSchema,
  nginx: nginxSchema,
  alb: albSchema,
  smi: object({ rootService: string(), trafficSplitName: string() }),
  ambassador: object({ mappings: array(string()) }, { required: ['mappings'] }),
  appMesh: object({
    virtualService: object({ name: string(), routes: array(string()) }, { required: ['name'] }),
    virtualNodeGroup: object(
      { canaryVirtualNodeRef: virtualNodeReference(), stableVirtualNodeRef: virtualNodeReference() },
      { required: ['canaryVirtualNodeRef', 'stableVirtualNodeRef'] },
    ),
  }),
  traefik: object({ weightedTraefikServiceName: string() }, { required: ['weightedTraefikServiceName'] }),
  apisix: object({ route: object({ name: string(), rules: array(string()) }, { required: ['name'] }) }),
  plugins: preserved<Record<string, unknown>>(),
  managedRoutes: array(object({ name: string() }, { required: ['name'] })),
  maxTrafficWeight: int32(),
});
export type RolloutTrafficRouting = Infer<typeof rolloutTrafficRoutingSchema>;

// ---- Strategies --------------------------------------------------------------------------------

export const rolloutAnalysisBackgroundSchema = object({
  templates: array(analysisTemplateRefSchema),
  args: array(analysisRunArgumentSchema),
  dryRun: array(dryRunSchema),
  measurementRetention: array(measurementRetentionSchema),
  analysisRunMetadata: analysisRunMetadataSchema,
  startingStep: int32(),
});
export type RolloutAnalysisBackground = Infer<typeof rolloutAnalysisBackgroundSchema>;

export const canaryStrategySchema = object({
  canaryService: string(),
  stableService: string(),
  steps: array(canaryStepSchema),
  trafficRouting: rolloutTrafficRoutingSchema,
  maxUnavailable: intOrString(),
  maxSurge: intOrString(),
  analysis: rolloutAnalysisBackgroundSchema,
  antiAffinity: antiAffinitySchema,
  canaryMetadata: podTemplateMetadataSchema,
  stableMetadata: podTemplateMetadataSchema,
  scaleDownDelaySeconds: int32(),
  scaleDownDelayRevisionLimit: int32(),
  abortScaleDownDelaySeconds: int32(),
  dynamicStableScale: boolean(),
  pingPong: object(
    { pingService: string(), pongService: string() },
    { required: ['pingService', 'pongService'] },
  ),
  minPodsPerReplicaSet: int32(),
  replicaProgressThreshold: object({ type: string(), value: int32() }, { required: ['type', 'value'] }),
});
export type CanaryStrategy = Infer<typeof canaryStrategySchema>;

export const blueGreenStrategySchema = object(
  {
    activeService: string(),
    previewService: string(),
    previewReplicaCount: int32(),
    autoPromotionEnabled: boolean(),
    autoPromotionSeconds: int32(),
    maxUnavailable: intOrString(),
    scaleDownDelaySeconds: int32(),
    scaleDownDelayRevisionLimit: int32(),
    prePromotionAnalysis: rolloutAnalysisSchema,
    antiAffinity: antiAffinitySchema,
    postPromotionAnalysis: rolloutAnalysisSchema,
    previewMetadata: podTemplateMetadataSchema,
    activeMetadata: podTemplateMetadataSchema,
    abortScaleDownDelaySeconds: int32(),
  },
  { required: ['activeService'] },
);
export type BlueGreenStrategy = Infer<typeof blueGreenStrategySchema>;

export const rolloutStrategySchema = object({
  blueGreen: blueGreenStrategySchema,
  canary: canaryStrategySchema,
});
export type RolloutStrategy = Infer<typeof rolloutStrategySchema>;

// ---- Spec --------------------------------------------------------------------------------------

export const workloadRefSchema = object({
  apiVersion: string(),
  kind: string(),
  name: string(),
  scaleDown: string(),
});
export type ObjectRef = Infer<typeof workloadRefSchema>;

export const rolloutSpecSchema = object({
  replicas: int32(),
  selector: validated(labelSelectorSchema, {
    rule: 'self == oldSelf',
    message: '.spec.selector is immutable',
  }),
  template: podTemplateSpecSchema,
  workloadRef: workloadRefSchema,
  minReadySeconds: int32(),
  strategy: rolloutStrategySchema,
  revisionHistoryLimit: int32(),
  paused: boolean(),
  progressDeadlineSeconds: int32(),
  progressDeadlineAbort: boolean(),
  restartAt: dateTime(),
  analysis: object({ successfulRunHistoryLimit: int32(), unsuccessfulRunHistoryLimit: int32() }),
  rollbackWindow: object({ revisions: int32() }),
});
export type RolloutSpec = Infer<typeof rolloutSpecSchema>;

// ---- Status ------------------------------------------------------------------------------------

export const rolloutAnalysisRunStatusSchema = object(
  { name: string(), status: string(), message: string() },
  { required: ['name', 'status'] },
);
export type RolloutAnalysisRunStatus = Infer<typeof rolloutAnalysisRunStatusSchema>;

const weightDestinationSchema = object(
  { weight: int32(), serviceName: string(), podTemplateHash: string() },
  { required: ['weight'] },
);
export type WeightDestination = Infer<typeof weightDestinationSchema>;

export const trafficWeightsSchema = object(
  {
    canary: weightDestinationSchema,
    stable: weightDestinationSchema,
    additional: array(weightDestinationSchema),
    verified: boolean(),
  },
  { required: ['canary', 'stable'] },
);
export type TrafficWeights = Infer<typeof trafficWeightsSchema>;

export const pauseConditionSchema = object(
  { reason: string(), startTime: dateTime() },
  { required: ['reason', 'startTime'] },
);
export type PauseCondition = Infer<typeof pauseConditionSchema>;

const awsResourceRef = () =>
  object({ name: string(), arn: string(), fullName: string() }, { required: ['name', 'arn'] });
const albStatusSchema = object({
  loadBalancer: awsResourceRef(),
  canaryTargetGroup: awsResourceRef(),
  stableTargetGroup: awsResourceRef(),
  ingress: string(),
});

export const rolloutStatusSchema = object({
  abort: boolean(),
  pauseConditions: array(pauseConditionSchema),
  controllerPause: boolean(),
  abortedAt: dateTime(),
  currentPodHash: string(),
  currentStepHash: string(),
  replicas: int32(),
  updatedReplicas: int32(),
  readyReplicas: int32(),
  availableReplicas: int32(),
  currentStepIndex: int32(),
  collisionCount: int32(),
  observedGeneration: string(),
  conditions: array(conditionSchema),
  canary: object({
    currentStepAnalysisRunStatus: rolloutAnalysisRunStatusSchema,
    currentBackgroundAnalysisRunStatus: rolloutAnalysisRunStatusSchema,
    currentExperiment: string(),
    weights: trafficWeightsSchema,
    stablePingPong: string(),
    stepPluginStatuses: array(preserved<Record<string, unknown>>()),
  }),
  blueGreen: object({
    previewSelector: string(),
    activeSelector: string(),
    scaleUpPreviewCheckPoint: boolean(),
    prePromotionAnalysisRunStatus: rolloutAnalysisRunStatusSchema,
    postPromotionAnalysisRunStatus: rolloutAnalysisRunStatusSchema,
  }),
  HPAReplicas: int32(),
  selector: string(),
  stableRS: string(),
  restartedAt: dateTime(),
  promoteFull: boolean(),
  phase: string(),
  message: string(),
  workloadObservedGeneration: string(),
  alb: albStatusSchema,
  albs: array(albStatusSchema),
});
export type RolloutStatus = Infer<typeof rolloutStatusSchema>;

export type Rollout = KubeObject<'Rollout', { spec: RolloutSpec; status?: RolloutStatus }>;
