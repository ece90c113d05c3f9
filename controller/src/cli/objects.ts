// The shapes of the non-Argo objects the CLI reads (ReplicaSets, Pods), narrowed to the fields it
// uses, and what `get rollout` gathers for one Rollout. Plain JSON as the API server returns it.
import type { AnalysisRun, Experiment, ObjectMeta, PodTemplateSpec, Rollout } from '@rollout-kit/api';

export interface ReplicaSetObject {
  metadata: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplateSpec; selector?: unknown };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: string }[];
  };
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
}

export interface PodObject {
  metadata: ObjectMeta;
  spec?: { containers?: { name: string }[]; initContainers?: { name: string; restartPolicy?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** Everything `get rollout` shows: the Rollout and the objects in its namespace it may own. */
export interface RolloutObjects {
  rollout: Rollout;
  replicaSets: readonly ReplicaSetObject[];
  pods: readonly PodObject[];
  analysisRuns: readonly AnalysisRun[];
  experiments: readonly Experiment[];
}
