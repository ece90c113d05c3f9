// Narrow local view of argoproj.io/v1alpha1 Rollout, only the fields the tab reads, with the
// API's exact names. All optional: status can be partial or malformed, so readers still check
// the runtime type of every value (see read.ts).

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: { templateName?: string }[] };
  experiment?: { duration?: string | number };
  setCanaryScale?: { replicas?: number; weight?: number; matchTrafficWeight?: boolean };
  setHeaderRoute?: { name?: string };
  setMirrorRoute?: { name?: string };
  plugin?: { name?: string };
}

export interface Container {
  name?: string;
  image?: string;
}

export interface RolloutSpec {
  replicas?: number;
  paused?: boolean;
  restartAt?: string;
  workloadRef?: { apiVersion?: string; kind?: string; name?: string };
  template?: { spec?: { containers?: Container[] } };
  strategy?: {
    canary?: {
      steps?: CanaryStep[];
      canaryService?: string;
      stableService?: string;
      trafficRouting?: { maxTrafficWeight?: number } & Record<string, unknown>;
    };
    blueGreen?: { activeService?: string; previewService?: string; autoPromotionEnabled?: boolean };
  };
}

export interface WeightDestination {
  weight?: number;
  serviceName?: string;
  podTemplateHash?: string;
}

export interface RolloutCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface PauseCondition {
  reason?: string;
  startTime?: string;
}

export interface RolloutStatus {
  observedGeneration?: string | number;
  workloadObservedGeneration?: string;
  phase?: string;
  message?: string;
  currentPodHash?: string;
  stableRS?: string;
  currentStepIndex?: number;
  pauseConditions?: PauseCondition[];
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string;
  promoteFull?: boolean;
  restartedAt?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: RolloutCondition[];
  canary?: {
    weights?: { canary?: WeightDestination; stable?: WeightDestination; verified?: boolean };
  };
  blueGreen?: { activeSelector?: string; previewSelector?: string };
}

export interface Rollout {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: RolloutSpec;
  status?: RolloutStatus;
}

export const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
export const WORKLOAD_GENERATION = 'rollout.argoproj.io/workload-generation';
