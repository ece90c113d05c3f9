// Argo CD's view of live objects, for the host page: the resource tree an application's resource
// tab receives as `tree`, built from Kubernetes objects the way Argo CD's application controller
// builds it (parentRefs from ownerReferences, a `Revision: Rev:N` info item from the revision
// annotations, Pod info items, pod labels as networkingInfo, container images, health). Pure.

/** A live Kubernetes object as the API server returns it; only the fields read here are typed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string | Date;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

export interface ResourceNode extends ResourceRef {
  parentRefs: ResourceRef[];
  info: { name: string; value: string }[];
  networkingInfo?: { labels: Record<string, string> };
  images?: string[];
  resourceVersion: string;
  createdAt?: string;
  health?: { status: string; message?: string };
}

export interface ApplicationTree {
  nodes: ResourceNode[];
  orphanedNodes: ResourceNode[];
  hosts: unknown[];
}

/** `argoproj.io/v1alpha1` → group and version; `v1` → core group. */
export function groupVersion(apiVersion: string | undefined): { group: string; version: string } {
  const value = apiVersion ?? '';
  const slash = value.indexOf('/');
  return slash < 0
    ? { group: '', version: value }
    : { group: value.slice(0, slash), version: value.slice(slash + 1) };
}

/** Argo CD marks an object with its revision annotation, Deployment's or Argo Rollouts'. */
const REVISION_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'rollout.argoproj.io/revision'];

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

function containerStatuses(object: KubeObject): ContainerStatus[] {
  const list = object.status?.containerStatuses;
  return Array.isArray(list) ? (list as ContainerStatus[]) : [];
}

function containers(object: KubeObject): { image?: string }[] {
  const list = object.spec?.containers;
  return Array.isArray(list) ? (list as { image?: string }[]) : [];
}

/** Pod info as Argo CD shows it: the reason a container waits or ended beats the phase. */
function podInfo(pod: KubeObject): { name: string; value: string }[] {
  const statuses = containerStatuses(pod);
  let reason = typeof pod.status?.reason === 'string' ? pod.status.reason : String(pod.status?.phase ?? '');
  for (const status of statuses) {
    const waiting = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (waiting !== undefined && waiting !== '') reason = waiting;
  }
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
  const info = [{ name: 'Status Reason', value: reason }];
  if (typeof pod.spec?.nodeName === 'string') info.push({ name: 'Node', value: pod.spec.nodeName });
  info.push({ name: 'Containers', value: `${ready}/${containers(pod).length}` });
  if (restarts > 0) info.push({ name: 'Restart Count', value: String(restarts) });
  return info;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Health the way Argo CD's built-in checks (and the Rollout health.lua) decide it, simplified. */
export function healthOf(object: KubeObject): ResourceNode['health'] {
  const status = object.status ?? {};
  switch (object.kind) {
    case 'Rollout': {
      if (typeof status.phase !== 'string')
        return { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' };
      const phase = status.phase === 'Paused' ? 'Suspended' : status.phase;
      return { status: phase, message: typeof status.message === 'string' ? status.message : '' };
    }
    case 'ReplicaSet': {
      const wanted = num(object.spec?.replicas);
      const available = num(status.availableReplicas);
      return available < wanted
        ? {
            status: 'Progressing',
            message: `Waiting for rollout to finish: ${available} of ${wanted} updated replicas are available...`,
          }
        : { status: 'Healthy' };
    }
    case 'Pod': {
      if (status.phase === 'Failed') return { status: 'Degraded', message: String(status.message ?? '') };
      if (status.phase === 'Succeeded') return { status: 'Healthy' };
      const statuses = containerStatuses(object);
      const ready =
        status.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready === true);
      return { status: ready ? 'Healthy' : 'Progressing' };
    }
    case 'AnalysisRun': {
      const byPhase: Record<string, string> = {
        Pending: 'Progressing',
        Running: 'Progressing',
        Successful: 'Healthy',
        Failed: 'Degraded',
        Error: 'Degraded',
        Inconclusive: 'Unknown',
      };
      const health = typeof status.phase === 'string' ? byPhase[status.phase] : undefined;
      return health === undefined ? undefined : { status: health, message: String(status.message ?? '') };
    }
    default:
      return undefined;
  }
}

function timestamp(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString().replace('.000Z', 'Z') : value;
}

/** One tree node for a live object. */
export function nodeOf(object: KubeObject): ResourceNode {
  const { group, version } = groupVersion(object.apiVersion);
  const metadata = object.metadata ?? {};
  const namespace = metadata.namespace ?? '';
  const node: ResourceNode = {
    group,
    version,
    kind: object.kind ?? '',
    namespace,
    name: metadata.name ?? '',
    uid: metadata.uid ?? '',
    parentRefs: (metadata.ownerReferences ?? []).map((owner) => ({
      ...groupVersion(owner.apiVersion),
      kind: owner.kind ?? '',
      namespace,
      name: owner.name ?? '',
      uid: owner.uid ?? '',
    })),
    info: [],
    resourceVersion: metadata.resourceVersion ?? '',
  };
  // Argo CD has no version in parentRefs' JSON; keep only group, kind, namespace, name and uid.
  for (const ref of node.parentRefs) delete (ref as Partial<ResourceRef>).version;
  const createdAt = timestamp(metadata.creationTimestamp);
  if (createdAt !== undefined) node.createdAt = createdAt;
  for (const key of REVISION_ANNOTATIONS) {
    const revision = metadata.annotations?.[key];
    if (revision !== undefined) node.info.push({ name: 'Revision', value: `Rev:${revision}` });
  }
  if (object.kind === 'Pod' && group === '') {
    node.info.push(...podInfo(object));
    node.networkingInfo = { labels: { ...(metadata.labels ?? {}) } };
    node.images = containers(object).flatMap((c) => (c.image === undefined ? [] : [c.image]));
  }
  const health = healthOf(object);
  if (health !== undefined) node.health = health;
  return node;
}

/** The tree for a set of live objects, sorted like Argo CD's (by group, kind, namespace, name). */
export function resourceTree(objects: readonly KubeObject[]): ApplicationTree {
  const nodes = objects.map(nodeOf);
  nodes.sort((a, b) =>
    [a.group, a.kind, a.namespace, a.name]
      .join('/')
      .localeCompare([b.group, b.kind, b.namespace, b.name].join('/')),
  );
  return { nodes, orphanedNodes: [], hosts: [] };
}
