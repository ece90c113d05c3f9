// The host page's backend for a live cluster (`make demo`): the application holds every Rollout
// (in one namespace, or all), the ReplicaSets they own, those ReplicaSets' Pods, and the
// AnalysisRuns the Rollouts own. Read-only: it only lists, and answers every action with 403,
// as Argo CD does for a user without action rights.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from './argocd-tree.ts';
import type { HostApplication, HostBackend } from './host-server.ts';

/** client-node's typed objects as the API server's JSON (Dates become text), with the kind set. */
function wire(object: unknown, apiVersion: string, kind: string): KubeObject {
  return { apiVersion, kind, ...(JSON.parse(JSON.stringify(object)) as KubeObject) };
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
}

export interface ClusterBackendOptions {
  /** Only this namespace; all namespaces when undefined. */
  namespace?: string;
  application?: HostApplication;
}

export function clusterBackend(config: KubeConfig, opts: ClusterBackendOptions = {}): HostBackend {
  const custom = config.makeApiClient(CustomObjectsApi);
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const namespace = opts.namespace;

  /** Objects of an argoproj.io kind; none when its CRD is not installed. */
  async function argo(plural: string, kind: string): Promise<KubeObject[]> {
    const group = 'argoproj.io';
    const version = 'v1alpha1';
    try {
      const list = (
        namespace === undefined
          ? await custom.listClusterCustomObject({ group, version, plural })
          : await custom.listNamespacedCustomObject({ group, version, namespace, plural })
      ) as { items?: unknown[] };
      return (list.items ?? []).map((item) => wire(item, `${group}/${version}`, kind));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw new Error(`listing ${plural}.${group}`, { cause: err });
    }
  }

  async function objects(): Promise<KubeObject[]> {
    const [rollouts, analysisRuns, replicaSets, pods] = await Promise.all([
      argo('rollouts', 'Rollout'),
      argo('analysisruns', 'AnalysisRun'),
      namespace === undefined
        ? apps.listReplicaSetForAllNamespaces()
        : apps.listNamespacedReplicaSet({ namespace }),
      namespace === undefined ? core.listPodForAllNamespaces() : core.listNamespacedPod({ namespace }),
    ]);
    const ownedBy = (object: KubeObject, owners: Set<string>) =>
      (object.metadata?.ownerReferences ?? []).some((ref) => ref.uid !== undefined && owners.has(ref.uid));
    const uids = (list: KubeObject[]) =>
      new Set(list.flatMap((o) => (o.metadata?.uid === undefined ? [] : [o.metadata.uid])));
    const rolloutUids = uids(rollouts);
    const sets = replicaSets.items
      .map((rs) => wire(rs, 'apps/v1', 'ReplicaSet'))
      .filter((rs) => ownedBy(rs, rolloutUids));
    const setUids = uids(sets);
    return [
      ...rollouts,
      ...sets,
      ...pods.items.map((pod) => wire(pod, 'v1', 'Pod')).filter((pod) => ownedBy(pod, setUids)),
      ...analysisRuns.filter((run) => ownedBy(run, rolloutUids)),
    ];
  }

  return {
    application: opts.application ?? {
      metadata: { name: 'local', namespace: 'argocd' },
      spec: {
        project: 'default',
        destination: { server: config.getCurrentCluster()?.server ?? '', namespace: namespace ?? '' },
      },
    },
    objects,
    action: async () => ({
      status: 403,
      body: {
        error: 'permission denied: this local page is read-only; run actions with kubectl',
        code: 7,
        message: 'permission denied: this local page is read-only; run actions with kubectl',
      },
    }),
  };
}
