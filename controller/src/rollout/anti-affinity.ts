// spec.strategy.{canary,blueGreen}.antiAffinity: while an update is in progress, the new
// ReplicaSet's pods are kept off the nodes that run the stable ReplicaSet's pods, so that once the
// old version is scaled down its nodes are empty and a cluster autoscaler can remove them without
// evicting (restarting) new pods. The rule is one pod anti-affinity term on the ReplicaSet's
// template, added to whatever affinity the Rollout's template has; the Rollout's template, and so
// the pod-template hash, never carries it. Pure: the reconciler creates and patches what these
// functions describe.
import type { AntiAffinity, Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { hashOf, type ReplicaSet } from './replica-set.ts';

/** One node per topology domain: the new pods avoid every node running a stable pod. */
export const ANTI_AFFINITY_TOPOLOGY_KEY = 'kubernetes.io/hostname';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface PodAffinityTerm {
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] };
  namespaces?: string[];
  topologyKey: string;
  [field: string]: unknown;
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface PodAntiAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** core/v1 Affinity: only podAntiAffinity is read; node and pod affinity are kept as written. */
export interface Affinity {
  nodeAffinity?: unknown;
  podAffinity?: unknown;
  podAntiAffinity?: PodAntiAffinity;
  [field: string]: unknown;
}

/**
 * The strategy's antiAffinity when it names a rule; with both strategies present canary wins, as
 * upstream. Validation has already rejected an antiAffinity naming both rules or neither.
 */
export function antiAffinityOf(rollout: Pick<Rollout, 'spec'>): AntiAffinity | undefined {
  const strategy = rollout.spec.strategy;
  const anti = strategy?.canary?.antiAffinity ?? strategy?.blueGreen?.antiAffinity;
  if (!anti) return undefined;
  const named =
    anti.preferredDuringSchedulingIgnoredDuringExecution !== undefined ||
    anti.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  return named ? anti : undefined;
}

/** The term we inject: pods of the stable ReplicaSet (by hash), in the Rollout's namespace. */
export function injectedTerm(stableHash: string, namespace: string): PodAffinityTerm {
  return {
    labelSelector: {
      matchExpressions: [{ key: POD_TEMPLATE_HASH_LABEL, operator: 'In', values: [stableHash] }],
    },
    namespaces: [namespace],
    topologyKey: ANTI_AFFINITY_TOPOLOGY_KEY,
  };
}

/** Whether a term is one we injected: upstream recognises it by a selector on the hash label. */
function isInjected(term: PodAffinityTerm | undefined): boolean {
  return (term?.labelSelector?.matchExpressions ?? []).some((r) => r.key === POD_TEMPLATE_HASH_LABEL);
}

/**
 * `affinity` without any injected term, pruned as upstream prunes it: an emptied list, then an
 * emptied podAntiAffinity, then an emptied affinity become absent. Never changes its argument.
 */
export function withoutInjectedRule(affinity: Affinity | undefined): Affinity | undefined {
  if (!affinity) return undefined;
  const out = structuredClone(affinity);
  const anti = out.podAntiAffinity;
  if (!anti) return out;
  const required = anti.requiredDuringSchedulingIgnoredDuringExecution?.filter((t) => !isInjected(t));
  const preferred = anti.preferredDuringSchedulingIgnoredDuringExecution?.filter(
    (t) => !isInjected(t.podAffinityTerm),
  );
  if (required?.length) anti.requiredDuringSchedulingIgnoredDuringExecution = required;
  else delete anti.requiredDuringSchedulingIgnoredDuringExecution;
  if (preferred?.length) anti.preferredDuringSchedulingIgnoredDuringExecution = preferred;
  else delete anti.preferredDuringSchedulingIgnoredDuringExecution;
  if (Object.keys(anti).length === 0) delete out.podAntiAffinity;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The affinity a ReplicaSet with pod-template hash `podHash` gets: `base` (the Rollout template's
 * affinity by default) plus the injected term appended to the list the strategy names, when
 * antiAffinity is set, there is a stable ReplicaSet, and this one is not it.
 * Example: stable `aaa`, new `bbb`, preferred weight 40: the new RS gets
 * `podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution: [...user's, {weight: 40,
 * podAffinityTerm: {hash In [aaa], namespaces [ns], topologyKey kubernetes.io/hostname}}]`.
 */
export function replicaSetAffinity(
  rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>,
  podHash: string,
  base: Affinity | undefined = rollout.spec.template?.spec?.affinity as Affinity | undefined,
): Affinity | undefined {
  const affinity = base ? structuredClone(base) : undefined;
  const anti = antiAffinityOf(rollout);
  const stable = rollout.status?.stableRS;
  if (!anti || !stable || stable === podHash) return affinity;
  const term = injectedTerm(stable, rollout.metadata.namespace ?? '');
  const out: Affinity = affinity ?? {};
  const podAnti: PodAntiAffinity = (out.podAntiAffinity ??= {});
  const preferred = anti.preferredDuringSchedulingIgnoredDuringExecution;
  if (preferred) {
    podAnti.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(podAnti.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      { weight: preferred.weight ?? 1, podAffinityTerm: term },
    ];
  } else {
    podAnti.requiredDuringSchedulingIgnoredDuringExecution = [
      ...(podAnti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      term,
    ];
  }
  return out;
}

/**
 * The affinity an existing ReplicaSet (the Rollout's new one) should have, when it differs from
 * what it has; undefined when it is right. The RS keeps its own affinity minus any injected term,
 * and gets the term again for the current stable when `replicaSetAffinity` says so. So a rule
 * naming an earlier stable is renewed (upstream's IfInjectedAntiAffinityRuleNeedsUpdate), and
 * once the RS is itself the stable its rule is dropped. `to: undefined` means no affinity at all.
 */
export function affinityUpdate(
  rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>,
  rs: ReplicaSet,
): { to: Affinity | undefined } | undefined {
  const hash = hashOf(rs);
  if (!hash) return undefined;
  const current = rs.spec?.template?.spec?.affinity as Affinity | undefined;
  const wanted = replicaSetAffinity(rollout, hash, withoutInjectedRule(current));
  return sameJson(current, wanted) ? undefined : { to: wanted };
}

/** Deep equality of JSON values, ignoring key order and undefined members. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].every((k) => sameJson(ra[k], rb[k]));
}
