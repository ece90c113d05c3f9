// One revision: its ReplicaSet, role, images, and pods with their readiness and age.
import moment from 'moment';
import * as React from 'react';
import { formatDuration } from '../model/duration.ts';
import type { RevisionView } from '../model/revisions.ts';
import { RoleBadges } from './role-badges.tsx';
import { badge, styles } from './styles.ts';

function age(createdAt: string | undefined, now: number): string | undefined {
  if (createdAt === undefined) return undefined;
  const created = moment(createdAt, moment.ISO_8601, true);
  return created.isValid() ? created.from(now) : undefined;
}

interface Props {
  revision: RevisionView;
  now: number;
  /** The ReplicaSet's scale-down deadline (ms since epoch), when the controller has set one. */
  scaleDownAt?: number | undefined;
}

export function ReplicaSetCard({ revision, now, scaleDownAt }: Props) {
  const title = revision.revision === undefined ? 'Revision ?' : `Revision ${revision.revision}`;
  const created = age(revision.createdAt, now);
  return (
    <article aria-label={title} style={styles.card}>
      <h4 style={styles.heading}>
        {title} <RoleBadges roles={revision.roles} />
      </h4>
      <div>
        <span style={styles.mono}>{revision.replicaSet}</span>
        {revision.health !== undefined && (
          <span style={{ ...badge(revision.health), marginLeft: 8 }}>{revision.health}</span>
        )}
        {created !== undefined && <span style={styles.muted}> created {created}</span>}
      </div>
      {revision.images.map((image) => (
        <div key={image} style={styles.mono}>
          {image}
        </div>
      ))}
      <div style={styles.muted}>
        {revision.readyPods}/{revision.pods.length} pods ready
        {scaleDownAt !== undefined &&
          (scaleDownAt > now
            ? ` · scale-down in ${formatDuration(scaleDownAt - now)}`
            : ' · scale-down delay passed')}
      </div>
      {revision.pods.length > 0 && (
        <ul style={styles.list} aria-label={`Pods of ${revision.replicaSet}`}>
          {revision.pods.map((pod) => (
            <li key={pod.name}>
              <span style={styles.mono}>{pod.name}</span> {pod.ready ? 'ready' : 'not ready'}
              {pod.containers !== undefined && ` (${pod.containers})`}
              {pod.status !== undefined && ` · ${pod.status}`}
              {age(pod.createdAt, now) !== undefined && (
                <span style={styles.muted}> · {age(pod.createdAt, now)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
