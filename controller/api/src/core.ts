// The few Kubernetes core shapes the Argo kinds embed or the controller reads. Narrow structural
// types on purpose: this package must not import @kubernetes/client-node (the browser extension
// imports it), and any object from the API server with extra fields still fits them.
import { array, dateTime, map, object, preserved, string, stringEnum, type Infer } from './schema.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** An object as the API server returns it; `T` adds the kind's spec and status. */
export type KubeObject<K extends string, T extends object> = {
  apiVersion?: string;
  kind?: K;
  metadata: ObjectMeta;
} & T;

export const labelSelectorSchema = object({
  matchLabels: map(string()),
  matchExpressions: array(
    object({ key: string(), operator: string(), values: array(string()) }, { required: ['key', 'operator'] }),
  ),
});
export type LabelSelector = Infer<typeof labelSelectorSchema>;

/** Labels and annotations only: the API server prunes other template metadata, as upstream. */
export const templateMetadataSchema = object({ labels: map(string()), annotations: map(string()) });
export type TemplateMetadata = Infer<typeof templateMetadataSchema>;

export type IntOrString = number | string;
export type ResourceList = Record<string, string | number>;

export interface ResourceRequirements {
  limits?: ResourceList;
  requests?: ResourceList;
  claims?: { name: string; request?: string }[];
}

export interface ContainerPort {
  name?: string;
  hostPort?: number;
  containerPort: number;
  protocol?: string;
  hostIP?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: IntOrString; host?: string; scheme?: string };
  tcpSocket?: { port: IntOrString; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
  resources?: ResourceRequirements;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  imagePullPolicy?: string;
  [field: string]: unknown;
}

/** The parts of a PodSpec the controller reads; every other field is kept as sent. */
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: ({ name: string } & Record<string, unknown>)[];
  affinity?: Record<string, unknown>;
  [field: string]: unknown;
}

export const podTemplateSpecSchema = object({ metadata: templateMetadataSchema, spec: preserved<PodSpec>() });
export type PodTemplateSpec = Infer<typeof podTemplateSpecSchema>;

/** The condition shape shared by Rollout and Experiment status (every field required, as upstream). */
export const conditionSchema = object(
  {
    type: string(),
    status: stringEnum('True', 'False', 'Unknown'),
    lastUpdateTime: dateTime(),
    lastTransitionTime: dateTime(),
    reason: string(),
    message: string(),
  },
  { required: ['type', 'status', 'lastUpdateTime', 'lastTransitionTime', 'reason', 'message'] },
);
export type Condition = Infer<typeof conditionSchema>;
