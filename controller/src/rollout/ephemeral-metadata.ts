// Ephemeral metadata (canaryMetadata/stableMetadata): labels and annotations the controller puts
// on a ReplicaSet's pod template and live pods while it plays a role, and takes off when the role
// changes. What was injected is recorded on the RS (rollout.argoproj.io/ephemeral-metadata), so
// only those keys are ever removed; keys the user or other tools set are never touched.
import type { Rollout } from '@rollout-kit/api';
import { EPHEMERAL_METADATA_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { hashOf, type ReplicaSet } from './replica-set.ts';

export interface PodMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A JSON merge patch of metadata: a value sets the key, null removes it. */
export interface MetadataPatch {
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
}

const isEmpty = (m: Record<string, string> | undefined) => !m || Object.keys(m).length === 0;
const sortedObject = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** What the RS records as injected, or undefined when absent or not readable JSON. */
export function recordedMetadata(rs: ReplicaSet): PodMetadata | undefined {
  const raw = rs.metadata.annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { labels, annotations } = parsed as Record<string, unknown>;
    const strings = (v: unknown) =>
      v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
        : undefined;
    const out: PodMetadata = {};
    const l = strings(labels);
    const a = strings(annotations);
    if (l) out.labels = l;
    if (a) out.annotations = a;
    return out;
  } catch {
    return undefined;
  }
}

/** The annotation value recording `m` (Go's JSON of PodTemplateMetadata), or null for none. */
export function recordValue(m: PodMetadata | undefined): string | null {
  if (!m || (isEmpty(m.labels) && isEmpty(m.annotations))) return null;
  return JSON.stringify({
    ...(isEmpty(m.labels) ? {} : { labels: sortedObject(m.labels ?? {}) }),
    ...(isEmpty(m.annotations) ? {} : { annotations: sortedObject(m.annotations ?? {}) }),
  });
}

function mapPatch(
  current: Record<string, string> | undefined,
  previous: Record<string, string> | undefined,
  desired: Record<string, string> | undefined,
): Record<string, string | null> | undefined {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(desired ?? {})) {
    // The hash label identifies the revision: ephemeral metadata never overrides it.
    if (k !== POD_TEMPLATE_HASH_LABEL && current?.[k] !== v) out[k] = v;
  }
  for (const k of Object.keys(previous ?? {})) {
    if (
      k !== POD_TEMPLATE_HASH_LABEL &&
      !Object.hasOwn(desired ?? {}, k) &&
      current &&
      Object.hasOwn(current, k)
    )
      out[k] = null;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The patch that takes metadata `current` from what was injected before (`previous`) to what is
 * wanted now (`desired`); undefined when nothing changes.
 * Example: current {app: web, role: canary}, previous {role: canary}, desired {role: stable}
 * → labels {role: stable}; desired none → labels {role: null}.
 */
export function metadataPatch(
  current: PodMetadata,
  previous: PodMetadata | undefined,
  desired: PodMetadata | undefined,
): MetadataPatch | undefined {
  const labels = mapPatch(current.labels, previous?.labels, desired?.labels);
  const annotations = mapPatch(current.annotations, previous?.annotations, desired?.annotations);
  if (!labels && !annotations) return undefined;
  return { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
}

/** One RS whose ephemeral metadata is out of date: the merge patches of its pods and of the RS. */
export interface EphemeralSync {
  rs: ReplicaSet;
  previous: PodMetadata | undefined;
  desired: PodMetadata | undefined;
  /** JSON merge patch of the RS (template metadata and the record annotation). */
  replicaSetPatch: object;
}

/** The sync of one RS to `desired`; undefined when its record already says `desired`. */
export function ephemeralSync(rs: ReplicaSet, desired: PodMetadata | undefined): EphemeralSync | undefined {
  const previous = recordedMetadata(rs);
  const value = recordValue(desired);
  if (value === recordValue(previous)) return undefined;
  const templatePatch = metadataPatch(rs.spec?.template?.metadata ?? {}, previous, desired);
  return {
    rs,
    previous,
    desired,
    replicaSetPatch: {
      metadata: { annotations: { [EPHEMERAL_METADATA_ANNOTATION]: value } },
      ...(templatePatch ? { spec: { template: { metadata: templatePatch } } } : {}),
    },
  };
}

/**
 * Which metadata each RS of a canary should carry (upstream reconcileEphemeralMetadata): fully
 * rolled out (no stable yet, or the new RS is the stable) ⇒ the new RS gets stableMetadata;
 * mid-update ⇒ the new RS gets canaryMetadata and the stable RS stableMetadata.
 */
export function canaryEphemeralSyncs(input: {
  rollout: Pick<Rollout, 'spec' | 'status'>;
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
}): EphemeralSync[] {
  const canary = input.rollout.spec.strategy?.canary;
  if (!canary || !input.newRS) return [];
  const stableHash = input.rollout.status?.stableRS;
  const fullyRolledOut = !stableHash || stableHash === hashOf(input.newRS);
  const wanted: [ReplicaSet | undefined, PodMetadata | undefined][] = fullyRolledOut
    ? [[input.newRS, canary.stableMetadata]]
    : [
        [input.newRS, canary.canaryMetadata],
        [input.stableRS, canary.stableMetadata],
      ];
  return wanted
    .map(([rs, desired]) => (rs ? ephemeralSync(rs, desired) : undefined))
    .filter((s): s is EphemeralSync => s !== undefined);
}

/**
 * The metadata a new RS is created with: canary (preview) metadata if a different stable RS
 * exists, else stable (active) metadata.
 */
export function newReplicaSetMetadata(
  rollout: Pick<Rollout, 'spec' | 'status'>,
  hash: string,
): PodMetadata | undefined {
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  const stable = rollout.status?.stableRS;
  const updating = Boolean(stable) && stable !== hash;
  if (canary) return updating ? canary.canaryMetadata : canary.stableMetadata;
  if (blueGreen) return updating ? blueGreen.previewMetadata : blueGreen.activeMetadata;
  return undefined;
}
