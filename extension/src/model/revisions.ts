// Revisions of a Rollout from Argo CD's resource tree: its ReplicaSets (found through
// parentRefs, i.e. ownerReferences), newest first, each with its role and pods. Roles come only
// from the Rollout's status fields matched against a ReplicaSet's pod-template hash.
import type { ApplicationTree, ResourceNode } from './argocd.ts';
import { asArray, asRecord, asString, asStringMap } from './read.ts';
import { POD_TEMPLATE_HASH, type Rollout } from './rollout.ts';

export type Role = 'stable' | 'canary' | 'active' | 'preview';

export interface PodView {
  name: string;
  /** Containers ready out of total as Argo CD reports them ("1/2"), if known. */
  containers?: string;
  ready: boolean;
  /** Argo CD's "Status Reason" (Running, CrashLoopBackOff, …) or, failing that, the health status. */
  status?: string;
  createdAt?: string;
}

export interface RevisionView {
  /** From the `rollout.argoproj.io/revision` annotation, shown by Argo CD as info "Revision: Rev:N". */
  revision?: number;
  replicaSet: string;
  /** The ReplicaSet node's resourceVersion in the tree: changes whenever the object does. */
  resourceVersion?: string;
  hash?: string;
  roles: Role[];
  health?: string;
  images: string[];
  pods: PodView[];
  readyPods: number;
  createdAt?: string;
}

export type Strategy = 'canary' | 'blueGreen' | 'unknown';

export function strategyOf(rollout: Rollout): Strategy {
  const strategy = asRecord(rollout.spec?.strategy);
  if (asRecord(strategy?.canary) !== undefined) return 'canary';
  if (asRecord(strategy?.blueGreen) !== undefined) return 'blueGreen';
  return 'unknown';
}

/** True when the current pod template is the stable one (Argo CD's "fully promoted"). */
export function isFullyPromoted(rollout: Rollout): boolean {
  const stable = asString(rollout.status?.stableRS);
  return stable !== undefined && stable !== '' && stable === asString(rollout.status?.currentPodHash);
}

/** Every role the Rollout's status gives the ReplicaSet with pod-template hash `hash`. */
export function rolesForHash(rollout: Rollout, hash: string | undefined): Role[] {
  if (hash === undefined || hash === '') return [];
  const status = rollout.status;
  const stable = asString(status?.stableRS);
  const current = asString(status?.currentPodHash);
  const roles: Role[] = [];
  if (hash === stable) roles.push('stable');
  const strategy = strategyOf(rollout);
  if (strategy === 'canary' && hash === current && current !== stable) roles.push('canary');
  if (strategy === 'blueGreen') {
    const blueGreen = asRecord(status?.blueGreen);
    if (hash === asString(blueGreen?.activeSelector)) roles.push('active');
    if (hash === asString(blueGreen?.previewSelector)) roles.push('preview');
  }
  return roles;
}

function info(node: ResourceNode, name: string): string | undefined {
  const item = asArray(node.info)
    .map(asRecord)
    .find((i) => i?.name === name);
  return asString(item?.value);
}

function isChildOf(node: ResourceNode, kind: string, name: string, namespace: string | undefined): boolean {
  return asArray(node.parentRefs).some((raw) => {
    const ref = asRecord(raw);
    return (
      ref?.kind === kind && ref.name === name && (namespace === undefined || ref.namespace === namespace)
    );
  });
}

function podView(node: ResourceNode): PodView {
  const containers = info(node, 'Containers');
  const match = containers !== undefined ? /^(\d+)\/(\d+)$/.exec(containers) : null;
  const ready = match !== null && Number(match[2]) > 0 && match[1] === match[2];
  const view: PodView = { name: asString(node.name) ?? '', ready };
  if (containers !== undefined) view.containers = containers;
  const status = info(node, 'Status Reason') ?? asString(asRecord(node.health)?.status);
  if (status !== undefined) view.status = status;
  const createdAt = asString(node.createdAt);
  if (createdAt !== undefined) view.createdAt = createdAt;
  return view;
}

/** Hashes named by the status, used to recognise a ReplicaSet that has no pods left. */
function knownHashes(rollout: Rollout): string[] {
  const status = rollout.status;
  const blueGreen = asRecord(status?.blueGreen);
  return [status?.stableRS, status?.currentPodHash, blueGreen?.activeSelector, blueGreen?.previewSelector]
    .map(asString)
    .filter((h): h is string => h !== undefined && h !== '');
}

/**
 * The ReplicaSet's pod-template hash: the `rollouts-pod-template-hash` label of its pods (Argo CD
 * puts pod labels in `networkingInfo`). A ReplicaSet without pods is matched by the name the
 * controller always gives it, `<rollout>-<hash>`, and only against hashes the status names.
 */
function hashOf(rollout: Rollout, rs: ResourceNode, pods: ResourceNode[]): string | undefined {
  for (const pod of pods) {
    const hash = asStringMap(asRecord(pod.networkingInfo)?.labels)[POD_TEMPLATE_HASH];
    if (hash !== undefined) return hash;
  }
  const name = asString(rollout.metadata?.name);
  return knownHashes(rollout).find((h) => asString(rs.name) === `${name}-${h}`);
}

/**
 * The images of the Rollout's own pod template (`spec.template`), which is what the ReplicaSet of
 * `status.currentPodHash` runs. Empty for a workloadRef Rollout (no template of its own).
 */
export function templateImages(rollout: Rollout): string[] {
  const containers = asArray(asRecord(asRecord(rollout.spec?.template)?.spec)?.containers);
  return containers
    .map((c) => asString(asRecord(c)?.image))
    .filter((i): i is string => i !== undefined && i !== '');
}

function revisionNumber(node: ResourceNode): number | undefined {
  const match = /^Rev:(\d+)$/.exec(info(node, 'Revision') ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** The Rollout's ReplicaSets in the tree, newest revision first. */
export function revisions(rollout: Rollout, tree: ApplicationTree | undefined): RevisionView[] {
  const name = asString(rollout.metadata?.name);
  if (name === undefined) return [];
  const namespace = asString(rollout.metadata?.namespace);
  const nodes = asArray(asRecord(tree)?.nodes)
    .map(asRecord)
    .filter((n): n is ResourceNode & Record<string, unknown> => n !== undefined);
  const sets = nodes.filter((n) => n.kind === 'ReplicaSet' && isChildOf(n, 'Rollout', name, namespace));
  const views = sets.map((rs): RevisionView => {
    const rsName = asString(rs.name) ?? '';
    const podNodes = nodes.filter((n) => n.kind === 'Pod' && isChildOf(n, 'ReplicaSet', rsName, namespace));
    const pods = podNodes.map(podView).sort((a, b) => a.name.localeCompare(b.name));
    const hash = hashOf(rollout, rs, podNodes);
    const ownImages = asArray(rs.images).filter((i): i is string => typeof i === 'string');
    const podImages = podNodes
      .flatMap((p) => asArray(p.images))
      .filter((i): i is string => typeof i === 'string');
    let images = ownImages.length > 0 ? ownImages : podImages;
    // A ReplicaSet scaled to 0 (an aborted canary) has no pods to show its image; when it runs the
    // current pod template, that template's images are its images.
    if (images.length === 0 && hash !== undefined && hash === asString(rollout.status?.currentPodHash))
      images = templateImages(rollout);
    const view: RevisionView = {
      replicaSet: rsName,
      roles: rolesForHash(rollout, hash),
      images: [...new Set(images)],
      pods,
      readyPods: pods.filter((p) => p.ready).length,
    };
    const revision = revisionNumber(rs);
    if (revision !== undefined) view.revision = revision;
    if (hash !== undefined) view.hash = hash;
    const resourceVersion = asString(rs.resourceVersion);
    if (resourceVersion !== undefined) view.resourceVersion = resourceVersion;
    const health = asString(asRecord(rs.health)?.status);
    if (health !== undefined) view.health = health;
    const createdAt = asString(rs.createdAt);
    if (createdAt !== undefined) view.createdAt = createdAt;
    return view;
  });
  return views.sort(
    (a, b) =>
      (b.revision ?? -1) - (a.revision ?? -1) ||
      (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
      a.replicaSet.localeCompare(b.replicaSet),
  );
}
