// The host page's backend for a live cluster (`make demo`): the application holds every Rollout
// (in one namespace, or all), the ReplicaSets they own, those ReplicaSets' Pods, and the
// AnalysisRuns the Rollouts own; the events route lists an object's Events. Read-only by default:
// every action gets 403, as Argo CD answers a user without action rights. With `actions: true`
// it carries out Rollout actions as Argo CD would: the built-in ones as the merge patches their
// Lua amounts to (the status part to the status subresource), and Rollout Kit's `undo` as its Lua
// does, by recording the revision in an annotation that the controller acts on.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { KubeObject } from './argocd-tree.ts';
import type { HostApplication, HostBackend, RecordedRequest } from './host-server.ts';
import { actionTarget, builtinActionPatches } from './rollout-actions.ts';

/** client-node's typed objects as the API server's JSON (Dates become text), with the kind set. */
function wire(object: unknown, apiVersion: string, kind: string): KubeObject {
  return { apiVersion, kind, ...(JSON.parse(JSON.stringify(object)) as KubeObject) };
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
}

/**
 * A read retried while the API server answers 429: it does so for a kind whose CRD is new
 * ("storage is (re)initializing") for a moment after the CRD is Established. At most 10 tries.
 */
async function read<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
      if (code !== 429 || attempt >= 10) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export interface ClusterBackendOptions {
  /** Only this namespace; all namespaces when undefined. */
  namespace?: string;
  application?: HostApplication;
  /** Carry out resource actions on the cluster (the demo) instead of refusing them. */
  actions?: boolean;
}

type Answer = { status: number; body: unknown };

/** Argo CD's gRPC-gateway error body. */
function apiError(status: number, code: number, message: string): Answer {
  return { status, body: { error: message, code, message } };
}

const REVISION = 'rollout.argoproj.io/revision';
const UNDO_TO_REVISION = 'rollout-kit.io/undo-to-revision';

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
      const list = (await read(() =>
        namespace === undefined
          ? custom.listClusterCustomObject({ group, version, plural })
          : custom.listNamespacedCustomObject({ group, version, namespace, plural }),
      )) as { items?: unknown[] };
      return (list.items ?? []).map((item) => wire(item, `${group}/${version}`, kind));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw new Error(`listing ${plural}.${group}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }

  const readOnly = apiError(
    403,
    7,
    'permission denied: this local page is read-only; run actions with kubectl',
  );
  const rolloutRef = (ns: string, name: string) => ({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns,
    plural: 'rollouts',
    name,
  });
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  async function events(target: { namespace: string; name: string; uid: string }): Promise<unknown[]> {
    if (namespace !== undefined && target.namespace !== namespace) return [];
    const selectors = [`involvedObject.name=${target.name}`];
    if (target.uid !== '') selectors.push(`involvedObject.uid=${target.uid}`);
    const list = await read(() =>
      core.listNamespacedEvent({ namespace: target.namespace, fieldSelector: selectors.join(',') }),
    );
    return list.items.map((event) => wire(event, 'v1', 'Event'));
  }

  /**
   * `undo` as Rollout Kit's action Lua (extension/argocd/) does it: the revision is checked the
   * same way and recorded in the `rollout-kit.io/undo-to-revision` annotation; the controller
   * then copies that revision's template into the Rollout and removes the annotation.
   */
  async function undo(rollout: KubeObject, raw: string | undefined): Promise<Answer> {
    if (raw === undefined || raw === '')
      return apiError(400, 3, 'undo needs the parameter revision, the revision to go back to');
    if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2147483647)
      return apiError(400, 3, `undo: revision must be a whole number of 1 or more, such as 3, not ${raw}`);
    if (rollout.metadata?.annotations?.[REVISION] === raw)
      return apiError(400, 3, `undo: revision ${raw} is already the current revision`);
    await custom.patchNamespacedCustomObject(
      {
        ...rolloutRef(rollout.metadata?.namespace ?? '', rollout.metadata?.name ?? ''),
        body: { metadata: { annotations: { [UNDO_TO_REVISION]: raw } } },
      },
      mergePatch,
    );
    return { status: 200, body: {} };
  }

  async function act(request: RecordedRequest): Promise<Answer> {
    let target;
    try {
      target = actionTarget(request.path, request.query, request.body);
    } catch (err) {
      return apiError(400, 3, err instanceof Error ? err.message : String(err));
    }
    if (target.group !== 'argoproj.io' || target.kind !== 'Rollout')
      return apiError(400, 3, `no actions for ${target.group}/${target.kind} on this page`);
    if (namespace !== undefined && target.namespace !== namespace)
      return apiError(
        403,
        7,
        `permission denied: namespace ${target.namespace} is not part of this application`,
      );
    let rollout: KubeObject;
    try {
      rollout = wire(
        await read(() => custom.getNamespacedCustomObject(rolloutRef(target.namespace, target.resourceName))),
        'argoproj.io/v1alpha1',
        'Rollout',
      );
    } catch (err) {
      if (isNotFound(err)) return apiError(404, 5, `Rollout "${target.resourceName}" not found`);
      throw err;
    }
    if (target.action === 'undo') return undo(rollout, target.parameters.revision);
    const patches = builtinActionPatches(rollout, target.action, new Date());
    if (patches === undefined) return apiError(400, 3, `action ${target.action} not found for Rollout`);
    const ref = rolloutRef(target.namespace, target.resourceName);
    if (patches.status !== undefined)
      await custom.patchNamespacedCustomObjectStatus(
        { ...ref, body: { status: patches.status } },
        mergePatch,
      );
    if (patches.main !== undefined)
      await custom.patchNamespacedCustomObject({ ...ref, body: patches.main }, mergePatch);
    return { status: 200, body: {} };
  }

  async function objects(): Promise<KubeObject[]> {
    const [rollouts, analysisRuns, replicaSets, pods] = await Promise.all([
      argo('rollouts', 'Rollout'),
      argo('analysisruns', 'AnalysisRun'),
      read(() =>
        namespace === undefined
          ? apps.listReplicaSetForAllNamespaces()
          : apps.listNamespacedReplicaSet({ namespace }),
      ),
      read(() =>
        namespace === undefined ? core.listPodForAllNamespaces() : core.listNamespacedPod({ namespace }),
      ),
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
    events,
    action: opts.actions === true ? act : async () => readOnly,
  };
}
