// The summary block: phase, reason, message, strategy, step, weights, images, replicas.
import * as React from 'react';
import { stepLabel, type Summary } from '../model/summary.ts';
import { RoleBadges } from './role-badges.tsx';
import { badge, styles } from './styles.ts';

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt style={styles.term}>{term}</dt>
      <dd style={styles.value}>{children}</dd>
    </>
  );
}

function weight(value: number, max: number): string {
  return max === 100 ? `${value}%` : `${value}/${max}`;
}

const STRATEGY_NAMES = { canary: 'Canary', blueGreen: 'Blue-green', unknown: 'Unknown' } as const;

export function SummaryPanel({ summary }: { summary: Summary }) {
  const { replicas } = summary;
  return (
    <section aria-label="Summary" style={styles.section}>
      <dl style={styles.grid}>
        <Row term="Status">
          <span style={badge(summary.phase)}>{summary.phase}</span>
          {summary.reason !== undefined && <span>{summary.reason}</span>}
        </Row>
        {summary.message !== undefined && <Row term="Message">{summary.message}</Row>}
        <Row term="Strategy">{STRATEGY_NAMES[summary.strategy]}</Row>
        {summary.workloadRef !== undefined && <Row term="Workload">{summary.workloadRef}</Row>}
        {summary.step !== undefined && <Row term="Step">{stepLabel(summary.step)}</Row>}
        {summary.setWeight !== undefined && (
          <Row term="Set weight">{weight(summary.setWeight, summary.maxWeight)}</Row>
        )}
        {summary.strategy === 'canary' && (
          <Row term="Actual weight">
            {summary.actualWeight === undefined
              ? 'not reported'
              : weight(
                  summary.actualWeight,
                  summary.actualWeightSource === 'traffic' ? summary.maxWeight : 100,
                )}
            {summary.actualWeightSource === 'replicas' && (
              <span style={styles.muted}> (share of ready pods)</span>
            )}
            {summary.weightVerified === false && <span style={styles.muted}> (not verified)</span>}
          </Row>
        )}
        <Row term="Images">
          {summary.images.length === 0 ? (
            <span style={styles.muted}>none found in the resource tree</span>
          ) : (
            <ul style={styles.list} aria-label="Images">
              {summary.images.map((image) => (
                <li key={image.image}>
                  <span style={styles.mono}>{image.image}</span> <RoleBadges roles={image.roles} />
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row term="Replicas">
          {`desired ${replicas.desired}, current ${replicas.current}, updated ${replicas.updated}, ` +
            `ready ${replicas.ready}, available ${replicas.available}`}
        </Row>
      </dl>
    </section>
  );
}
