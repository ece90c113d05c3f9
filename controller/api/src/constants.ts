// Wire constants: label and annotation keys, condition types and reasons, phases, pause reasons
// and event reasons, spelled exactly as Argo Rollouts v1.9 writes them (clients match on them).

// ---- Labels -------------------------------------------------------------------------------------
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export const INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';
export const ANALYSIS_RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';

export const ROLLOUT_TYPE_STEP = 'Step';
export const ROLLOUT_TYPE_BACKGROUND = 'Background';
export const ROLLOUT_TYPE_PRE_PROMOTION = 'PrePromotion';
export const ROLLOUT_TYPE_POST_PROMOTION = 'PostPromotion';

// ---- Annotations --------------------------------------------------------------------------------
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'rollout.argoproj.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';
/** No prefix: upstream writes exactly `scale-down-deadline`. */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';
export const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';
export const MANAGED_BY_ROLLOUTS_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
export const RESTARTED_AFTER_ANNOTATION = 'argo-rollouts.argoproj.io/restarted-after';
export const EXPERIMENT_NAME_ANNOTATION = 'experiment.argoproj.io/name';
export const EXPERIMENT_TEMPLATE_NAME_ANNOTATION = 'experiment.argoproj.io/template-name';
export const ANALYSIS_RUN_NAME_ANNOTATION = 'analysisrun.argoproj.io/name';
export const ANALYSIS_RUN_NAMESPACE_ANNOTATION = 'analysisrun.argoproj.io/namespace';
export const ANALYSIS_RUN_METRIC_NAME_ANNOTATION = 'analysisrun.argoproj.io/metric-name';
export const LAST_APPLIED_CONFIGURATION_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const NOTIFIED_ANNOTATION = 'notified.notifications.argoproj.io';

/** Rollout annotations that are not copied onto its ReplicaSets. */
export const ANNOTATIONS_NOT_COPIED_TO_REPLICA_SETS: readonly string[] = [
  LAST_APPLIED_CONFIGURATION_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  NOTIFIED_ANNOTATION,
];

// ---- Rollout phases (status.phase) --------------------------------------------------------------
export const PHASE_HEALTHY = 'Healthy';
export const PHASE_DEGRADED = 'Degraded';
export const PHASE_PROGRESSING = 'Progressing';
export const PHASE_PAUSED = 'Paused';
export type RolloutPhase =
  typeof PHASE_HEALTHY | typeof PHASE_DEGRADED | typeof PHASE_PROGRESSING | typeof PHASE_PAUSED;

// ---- Pause reasons (status.pauseConditions[].reason) --------------------------------------------
export const PAUSE_REASON_CANARY_PAUSE_STEP = 'CanaryPauseStep';
export const PAUSE_REASON_BLUE_GREEN_PAUSE = 'BlueGreenPause';
export const PAUSE_REASON_INCONCLUSIVE_ANALYSIS = 'InconclusiveAnalysisRun';
export const PAUSE_REASON_INCONCLUSIVE_EXPERIMENT = 'InconclusiveExperiment';

// ---- Condition types ----------------------------------------------------------------------------
export const CONDITION_AVAILABLE = 'Available';
export const CONDITION_PROGRESSING = 'Progressing';
export const CONDITION_REPLICA_FAILURE = 'ReplicaFailure';
export const CONDITION_INVALID_SPEC = 'InvalidSpec';
export const CONDITION_PAUSED = 'Paused';
export const CONDITION_COMPLETED = 'Completed';
export const CONDITION_HEALTHY = 'Healthy';

// ---- Condition reasons --------------------------------------------------------------------------
export const REASON_INVALID_SPEC = 'InvalidSpec';
export const REASON_AVAILABLE = 'AvailableReason';
export const REASON_NEW_REPLICA_SET_CREATED = 'NewReplicaSetCreated';
export const REASON_FOUND_NEW_REPLICA_SET = 'FoundNewReplicaSet';
export const REASON_REPLICA_SET_UPDATED = 'ReplicaSetUpdated';
export const REASON_NEW_REPLICA_SET_AVAILABLE = 'NewReplicaSetAvailable';
export const REASON_REPLICA_SET_NOT_AVAILABLE = 'ReplicaSetNotAvailable';
export const REASON_REPLICA_SET_CREATE_ERROR = 'ReplicaSetCreateError';
export const REASON_PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';
export const REASON_ROLLOUT_ABORTED = 'RolloutAborted';
export const REASON_ROLLOUT_PAUSED = 'RolloutPaused';
export const REASON_ROLLOUT_RESUMED = 'RolloutResumed';
export const REASON_ROLLOUT_RETRY = 'RolloutRetry';
export const REASON_ROLLOUT_COMPLETED = 'RolloutCompleted';
export const REASON_ROLLOUT_HEALTHY = 'RolloutHealthy';

// ---- Event reasons (Events on the Rollout, component rollouts-controller) ----------------------
export const EVENT_COMPONENT = 'rollouts-controller';
export const EVENT_ROLLOUT_ADDED_TO_INFORMER = 'RolloutAddedToInformer';
export const EVENT_ROLLOUT_UPDATED = 'RolloutUpdated';
export const EVENT_NEW_REPLICA_SET_CREATED = 'NewReplicaSetCreated';
export const EVENT_SCALING_REPLICA_SET = 'ScalingReplicaSet';
export const EVENT_ROLLOUT_STEP_COMPLETED = 'RolloutStepCompleted';
export const EVENT_ROLLOUT_PAUSED = 'RolloutPaused';
export const EVENT_ROLLOUT_RESUMED = 'RolloutResumed';
export const EVENT_ROLLOUT_COMPLETED = 'RolloutCompleted';
export const EVENT_ROLLOUT_NOT_COMPLETED = 'RolloutNotCompleted';
export const EVENT_ROLLOUT_ABORTED = 'RolloutAborted';
export const EVENT_SWITCH_SERVICE = 'SwitchService';
export const EVENT_SKIP_STEPS = 'SkipSteps';
export const EVENT_TRAFFIC_WEIGHT_UPDATED = 'TrafficWeightUpdated';
export const EVENT_EXPERIMENT_CREATED = 'ExperimentCreated';
export const EVENT_REPLICA_SET_CREATE_ERROR = 'ReplicaSetCreateError';
export const EVENT_TRAFFIC_ROUTING_ERROR = 'TrafficRoutingError';
export const EVENT_WEIGHT_VERIFY_ERROR = 'WeightVerifyError';
export const EVENT_ROLLOUT_DELETED = 'RolloutDeleted';
export const EVENT_INVALID_SPEC = 'InvalidSpec';

// ---- Analysis -----------------------------------------------------------------------------------
export const ANALYSIS_PHASE_PENDING = 'Pending';
export const ANALYSIS_PHASE_RUNNING = 'Running';
export const ANALYSIS_PHASE_SUCCESSFUL = 'Successful';
export const ANALYSIS_PHASE_FAILED = 'Failed';
export const ANALYSIS_PHASE_ERROR = 'Error';
export const ANALYSIS_PHASE_INCONCLUSIVE = 'Inconclusive';
export type AnalysisPhase =
  | typeof ANALYSIS_PHASE_PENDING
  | typeof ANALYSIS_PHASE_RUNNING
  | typeof ANALYSIS_PHASE_SUCCESSFUL
  | typeof ANALYSIS_PHASE_FAILED
  | typeof ANALYSIS_PHASE_ERROR
  | typeof ANALYSIS_PHASE_INCONCLUSIVE;

// ---- Defaults -----------------------------------------------------------------------------------
export const DEFAULT_REPLICAS = 1;
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_MAX_TRAFFIC_WEIGHT = 100;
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT = 5;
/** Seconds before an InvalidSpec Rollout is looked at again. */
export const INVALID_SPEC_RECHECK_SECONDS = 20;
