// History of a Rollout: when each revision was created, promoted, aborted, paused or rolled back,
// and why, taken only from what the cluster still records: ReplicaSet creation times and
// revision annotations (`rollout.argoproj.io/revision-history` marks a ReplicaSet reused by a
// rollback), the Rollout's conditions, abort and pause fields, and its Events when Argo CD can
// return them. Nothing is inferred beyond that; an entry without a recorded time says so.
import { asArray, asNumber, asRecord, asString, asStringMap, asTime, isTrue } from './read.ts';
import type { RevisionView } from './revisions.ts';
import type { Rollout } from './rollout.ts';

export const REVISION_HISTORY = 'rollout.argoproj.io/revision-history';

export type HistoryKind =
  | 'created'
  | 'promoted'
  | 'aborted'
  | 'rolled-back'
  | 'paused'
  | 'resumed'
  | 'restarted'
  | 'condition'
  | 'event';

export interface HistoryEntry {
  /** When it happened (ms since the epoch), when the cluster recorded it. */
  at?: number;
  kind: HistoryKind;
  revision?: number;
  title: string;
  /** Why, in the controller's or the user's words. */
  detail?: string;
  /** Where the entry comes from, so a reader can check it. */
  source: string;
  warning?: boolean;
}

export interface HistoryInput {
  rollout: Rollout;
  revisions: readonly RevisionView[];
  /** Live ReplicaSets by name, for their revision-history annotation; may be empty. */
  replicaSets?: ReadonlyMap<string, Record<string, unknown>>;
  /** The Rollout's Events (Argo CD's events API), when read. */
  events?: readonly unknown[];
}

const EVENT_KINDS: Record<string, HistoryKind> = {
  RolloutCompleted: 'promoted',
  RolloutAborted: 'aborted',
  RolloutPaused: 'paused',
  RolloutResumed: 'resumed',
  SkipSteps: 'rolled-back',
  RolloutUpdated: 'created',
  NewReplicaSetCreated: 'created',
};

function add<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): T {
  if (value !== undefined) target[key] = value;
  return target;
}

function revisionOf(revisions: readonly RevisionView[], hash: string | undefined): number | undefined {
  if (hash === undefined || hash === '') return undefined;
  return revisions.find((r) => r.hash === hash)?.revision;
}

function replicaSetEntries(input: HistoryInput): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const rs of input.revisions) {
    const label = rs.revision === undefined ? `ReplicaSet ${rs.replicaSet}` : `Revision ${rs.revision}`;
    const created: HistoryEntry = {
      kind: 'created',
      title: `${label} created`,
      source: `ReplicaSet ${rs.replicaSet} creation time`,
    };
    add(created, 'at', asTime(rs.createdAt));
    out.push(add(created, 'revision', rs.revision));
    const annotations = asStringMap(asRecord(input.replicaSets?.get(rs.replicaSet)?.metadata)?.annotations);
    const earlier = (annotations[REVISION_HISTORY] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^\d+$/.test(s));
    if (earlier.length > 0) {
      const entry: HistoryEntry = {
        kind: 'rolled-back',
        title: `${label}: rolled back to the template of revision${earlier.length > 1 ? 's' : ''} ${earlier.join(', ')}`,
        detail:
          'the ReplicaSet of an earlier revision was reused; the time of the rollback is not recorded on it',
        source: `ReplicaSet ${rs.replicaSet} annotation ${REVISION_HISTORY}`,
      };
      out.push(add(entry, 'revision', rs.revision));
    }
  }
  return out;
}

function statusEntries(input: HistoryInput): HistoryEntry[] {
  const { rollout, revisions } = input;
  const status = asRecord(rollout.status);
  if (status === undefined) return [];
  const out: HistoryEntry[] = [];
  const current = revisionOf(revisions, asString(status.currentPodHash));
  const stable = revisionOf(revisions, asString(status.stableRS));
  const conditions = asArray(status.conditions)
    .map(asRecord)
    .filter((c) => c !== undefined);
  const aborted = conditions.find((c) => c.type === 'Progressing' && c.reason === 'RolloutAborted');

  if (isTrue(status.abort)) {
    const title = current === undefined ? 'Update aborted' : `Revision ${current} aborted`;
    const entry: HistoryEntry = { kind: 'aborted', title, source: 'status.abortedAt', warning: true };
    add(entry, 'at', asTime(status.abortedAt));
    add(entry, 'revision', current);
    add(entry, 'detail', asString(aborted?.message) ?? asString(status.message));
    out.push(entry);
  }
  const completed = conditions.find((c) => c.type === 'Completed' && c.status === 'True');
  if (
    stable !== undefined &&
    completed !== undefined &&
    asString(status.stableRS) === asString(status.currentPodHash)
  ) {
    const entry: HistoryEntry = {
      kind: 'promoted',
      revision: stable,
      title: `Revision ${stable} fully promoted`,
      source: 'condition Completed',
    };
    out.push(add(entry, 'at', asTime(completed.lastTransitionTime)));
  }
  for (const raw of asArray(status.pauseConditions)) {
    const pause = asRecord(raw);
    const reason = asString(pause?.reason) ?? 'unknown reason';
    const entry: HistoryEntry = {
      kind: 'paused',
      title: `Paused: ${reason}`,
      source: 'status.pauseConditions',
    };
    add(entry, 'revision', current);
    out.push(add(entry, 'at', asTime(pause?.startTime)));
  }
  if (isTrue(rollout.spec?.paused)) {
    out.push({ kind: 'paused', title: 'Paused by a user (spec.paused)', source: 'spec.paused' });
  }
  const restartedAt = asTime(status.restartedAt);
  if (restartedAt !== undefined) {
    out.push({ kind: 'restarted', at: restartedAt, title: 'Pods restarted', source: 'status.restartedAt' });
  }
  for (const c of conditions) {
    if (c === aborted && isTrue(status.abort)) continue;
    if (c === completed && out.some((e) => e.source === 'condition Completed')) continue;
    const type = asString(c.type) ?? '?';
    const reason = asString(c.reason);
    const entry: HistoryEntry = {
      kind: 'condition',
      title: `${type} ${asString(c.status) ?? '?'}${reason === undefined ? '' : ` (${reason})`}`,
      source: `condition ${type}, last transition`,
    };
    add(entry, 'detail', asString(c.message));
    if (type === 'InvalidSpec' || (type === 'Progressing' && asString(c.status) === 'False'))
      entry.warning = true;
    out.push(add(entry, 'at', asTime(c.lastTransitionTime) ?? asTime(c.lastUpdateTime)));
  }
  return out;
}

function eventEntries(events: readonly unknown[]): HistoryEntry[] {
  return events.flatMap((raw): HistoryEntry[] => {
    const event = asRecord(raw);
    const reason = asString(event?.reason);
    if (event === undefined || reason === undefined) return [];
    const count = asNumber(event.count);
    const entry: HistoryEntry = {
      kind: EVENT_KINDS[reason] ?? 'event',
      title: count !== undefined && count > 1 ? `${reason} (${count} times)` : reason,
      source: `event ${reason}`,
    };
    if (
      reason === 'RolloutCompleted' &&
      /Fast rollback|Rollback within window/.test(asString(event.message) ?? '')
    ) {
      entry.kind = 'rolled-back';
    }
    add(entry, 'detail', asString(event.message));
    add(entry, 'at', asTime(event.lastTimestamp) ?? asTime(event.eventTime) ?? asTime(event.firstTimestamp));
    if (event.type === 'Warning') entry.warning = true;
    return [entry];
  });
}

/** Every recorded entry, newest first; entries with no recorded time come last, in source order. */
export function rolloutHistory(input: HistoryInput): HistoryEntry[] {
  const entries = [...eventEntries(input.events ?? []), ...statusEntries(input), ...replicaSetEntries(input)];
  const timed = entries.filter((e) => e.at !== undefined).sort((a, b) => (b.at as number) - (a.at as number));
  return [...timed, ...entries.filter((e) => e.at === undefined)];
}
