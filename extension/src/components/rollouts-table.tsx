// Every Rollout of the application in one table: status, step, weights, ready counts, and a
// link that selects the Rollout in Argo CD's application view (a plain link to Argo CD's own
// URL for it: the extension API offers no way to select a resource).
import * as React from 'react';
import type { Application, ApplicationTree } from '../model/argocd.ts';
import type { Rollout } from '../model/rollout.ts';
import { liveKey, rolloutLink, rolloutNodes, rolloutRows, type RolloutRow } from '../model/rollouts-table.ts';
import { stepLabel, type Summary } from '../model/summary.ts';
import { badge, styles } from './styles.ts';
import { useLiveObjects } from './use-live-objects.ts';

const cell = { textAlign: 'left', padding: '4px 12px 4px 0', verticalAlign: 'top' } as const;

function weights(summary: Summary): string {
  if (summary.strategy !== 'canary') return '–';
  const unit = (v: number, max: number) => (max === 100 ? `${v}%` : `${v}/${max}`);
  const set = summary.setWeight === undefined ? '–' : unit(summary.setWeight, summary.maxWeight);
  const actualMax = summary.actualWeightSource === 'traffic' ? summary.maxWeight : 100;
  const actual = summary.actualWeight === undefined ? '–' : unit(summary.actualWeight, actualMax);
  return `${set} set, ${actual} actual`;
}

function Row({ row, pageHref }: { row: RolloutRow; pageHref: string }) {
  const { ref, summary } = row;
  const phase = summary?.phase ?? ref.health;
  return (
    <tr aria-current={row.current ? 'true' : undefined}>
      <td style={cell}>
        {row.current ? (
          <strong>{ref.name}</strong>
        ) : (
          <a href={rolloutLink(pageHref, ref)} style={{ color: 'inherit', textDecoration: 'underline' }}>
            {ref.name}
          </a>
        )}
        {ref.namespace !== '' && <div style={styles.muted}>{ref.namespace}</div>}
      </td>
      <td style={cell}>
        {phase !== undefined && <span style={badge(phase)}>{phase}</span>}
        {summary?.reason !== undefined && <span>{summary.reason}</span>}
        {summary === undefined && <div style={styles.muted}>reading…</div>}
      </td>
      <td style={cell}>{summary?.step === undefined ? '–' : stepLabel(summary.step)}</td>
      <td style={cell}>{summary === undefined ? '–' : weights(summary)}</td>
      <td style={cell}>
        {summary === undefined ? '–' : `${summary.replicas.ready}/${summary.replicas.desired}`}
      </td>
    </tr>
  );
}

interface Props {
  rollout: Rollout;
  tree: ApplicationTree | undefined;
  application: Application | undefined;
}

export function RolloutsTable({ rollout, tree, application }: Props) {
  const others = rolloutNodes(tree).filter(
    (r) => !(r.name === rollout.metadata?.name && r.namespace === (rollout.metadata?.namespace ?? '')),
  );
  const live = useLiveObjects(
    application,
    others.map((r) => ({
      // Keyed by namespace/name: two Rollouts may share a name in two namespaces.
      id: liveKey(r),
      namespace: r.namespace,
      name: r.name,
      group: 'argoproj.io',
      version: r.version,
      kind: 'Rollout',
      resourceVersion: r.resourceVersion,
    })),
  );
  const rows = rolloutRows({ tree, self: rollout, live: live.objects });
  return (
    <section aria-label="All Rollouts" style={styles.section}>
      <h3 style={styles.heading}>All Rollouts of the application</h3>
      {rows.length === 0 ? (
        <p style={styles.muted}>No Rollouts in the application&apos;s resource tree.</p>
      ) : (
        <table aria-label="Rollouts" style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              <th style={cell}>Name</th>
              <th style={cell}>Status</th>
              <th style={cell}>Step</th>
              <th style={cell}>Weights</th>
              <th style={cell}>Ready</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row key={liveKey(row.ref)} row={row} pageHref={window.location.href} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
