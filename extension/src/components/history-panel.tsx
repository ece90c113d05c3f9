// The Rollout's history, newest first: what the cluster still records about each revision
// (ReplicaSets, conditions, abort and pause fields, Events), each entry with its source.
import moment from 'moment';
import * as React from 'react';
import type { Application } from '../model/argocd.ts';
import { rolloutHistory } from '../model/history.ts';
import { eventItems, eventsUrl } from '../model/resource-request.ts';
import { asString } from '../model/read.ts';
import type { RevisionView } from '../model/revisions.ts';
import type { Rollout } from '../model/rollout.ts';
import { styles } from './styles.ts';
import { useLiveObjects } from './use-live-objects.ts';
import { useArgoCdGet } from './use-argocd-get.ts';

interface Props {
  rollout: Rollout;
  revisions: RevisionView[];
  application: Application | undefined;
  now: number;
}

const KIND_LABELS = {
  created: 'created',
  promoted: 'promoted',
  aborted: 'aborted',
  'rolled-back': 'rolled back',
  paused: 'paused',
  resumed: 'resumed',
  restarted: 'restarted',
  condition: 'condition',
  event: 'event',
} as const;

export function HistoryPanel({ rollout, revisions, application, now }: Props) {
  const namespace = asString(rollout.metadata?.namespace) ?? '';
  const name = asString(rollout.metadata?.name);
  const uid = asString(rollout.metadata?.uid);
  const replicaSets = useLiveObjects(
    application,
    revisions.map((r) => ({
      namespace,
      name: r.replicaSet,
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      resourceVersion: r.resourceVersion,
    })),
  );
  // The Rollout's Events, read again when the Rollout changes (a new Event usually comes with a
  // status change).
  const read = useArgoCdGet(
    (base) =>
      name === undefined || uid === undefined
        ? undefined
        : eventsUrl(base, application, { namespace, name, uid }),
    JSON.stringify([
      application?.metadata,
      application?.spec?.project,
      namespace,
      name,
      uid,
      rollout.metadata?.resourceVersion,
    ]),
  );
  const events = read.body === undefined ? undefined : eventItems(read.body);
  const error = read.error;
  const entries = rolloutHistory({
    rollout,
    revisions,
    replicaSets: replicaSets.objects,
    ...(events === undefined ? {} : { events }),
  });
  return (
    <section aria-label="History" style={styles.section}>
      <h3 style={styles.heading}>History</h3>
      <p style={styles.muted}>
        Only what the cluster still records: ReplicaSets, the Rollout&apos;s status and conditions, and its
        Events (Kubernetes keeps Events for about an hour).
        {error !== undefined && ` Events could not be read: ${error}.`}
      </p>
      {entries.length === 0 ? (
        <p style={styles.muted}>Nothing recorded.</p>
      ) : (
        <ol style={styles.list} aria-label="History entries">
          {entries.map((entry, i) => (
            <li
              key={i}
              style={{
                ...styles.step,
                display: 'block',
                ...(entry.warning === true ? { color: '#e96d76' } : {}),
              }}
            >
              <span style={styles.muted}>
                {entry.at === undefined
                  ? 'time not recorded'
                  : `${moment(entry.at).utc().format('YYYY-MM-DD HH:mm:ss')} UTC (${moment(entry.at).from(now)})`}
              </span>{' '}
              <strong>{entry.title}</strong>
              {entry.detail !== undefined && <span>: {entry.detail}</span>}
              <span style={styles.muted}>
                {' '}
                · {KIND_LABELS[entry.kind]} · from {entry.source}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
