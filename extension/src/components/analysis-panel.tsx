// Analysis runs of the Rollout: each run's phase and message, counts, and per metric its phase,
// its measurements against the condition that decided them, and a chart of numeric values.
// Runs are found in the tree; their details come from the live objects, read once per
// resourceVersion.
import moment from 'moment';
import * as React from 'react';
import {
  analysisRunView,
  type AnalysisRunRef,
  type AnalysisRunView,
  type Counts,
  type MetricView,
} from '../model/analysis-runs.ts';
import type { Application } from '../model/argocd.ts';
import { MetricChart } from './metric-chart.tsx';
import { badge, styles } from './styles.ts';
import { useLiveObjects } from './use-live-objects.ts';

/** Measurements listed per metric; the controller keeps 10 by default. */
const SHOWN_MEASUREMENTS = 10;

const COUNT_NAMES = ['successful', 'failed', 'inconclusive', 'error'] as const;

/** A metric's counts: `count` is the number of measurements taken (errors excluded). */
export function countsText(counts: Counts): string {
  const parts = COUNT_NAMES.map((name) => `${counts[name] ?? 0} ${name}`);
  return counts.count === undefined ? parts.join(', ') : `${counts.count} measured: ${parts.join(', ')}`;
}

/** A run's `runSummary`: there `count` is the number of metrics, the others count metrics too. */
export function runSummaryText(counts: Counts): string {
  const parts = COUNT_NAMES.map((name) => `${counts[name] ?? 0} ${name}`);
  return counts.count === undefined
    ? `metrics: ${parts.join(', ')}`
    : `${counts.count} metrics: ${parts.join(', ')}`;
}

function time(at: number | undefined): string {
  return at === undefined ? '' : `${moment(at).utc().format('HH:mm:ss')} UTC`;
}

function Metric({ metric }: { metric: MetricView }) {
  const shown = metric.measurements.slice(-SHOWN_MEASUREMENTS);
  return (
    <li aria-label={`Metric ${metric.name}`} style={{ margin: '6px 0' }}>
      <div>
        <strong>{metric.name}</strong>{' '}
        {metric.phase !== undefined && <span style={badge(metric.phase)}>{metric.phase}</span>}
        {metric.dryRun && <span style={styles.muted}> (dry run)</span>}
      </div>
      {metric.successCondition !== undefined && (
        <div style={styles.mono}>successCondition: {metric.successCondition}</div>
      )}
      {metric.failureCondition !== undefined && (
        <div style={styles.mono}>failureCondition: {metric.failureCondition}</div>
      )}
      {metric.message !== undefined && <div>{metric.message}</div>}
      <div style={styles.muted}>{countsText(metric.counts)}</div>
      <MetricChart metric={metric.name} measurements={shown} />
      {shown.length > 0 && (
        <table
          aria-label={`Measurements of ${metric.name}`}
          style={{ borderCollapse: 'collapse', fontSize: 13 }}
        >
          <thead>
            <tr>
              <th style={cell}>Time</th>
              <th style={cell}>Value</th>
              <th style={cell}>Phase</th>
              <th style={cell}>Why</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m, i) => (
              <tr key={i}>
                <td style={cell}>{time(m.at)}</td>
                <td style={{ ...cell, ...styles.mono }}>{m.value ?? '–'}</td>
                <td style={cell}>{m.phase ?? '–'}</td>
                <td style={cell}>{[m.decidedBy, m.message].filter((t) => t !== undefined).join(': ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

const cell = { textAlign: 'left', padding: '1px 8px 1px 0', verticalAlign: 'top' } as const;

function RunCard({ run, view, error }: { run: AnalysisRunRef; view?: AnalysisRunView; error?: string }) {
  const phase = view?.phase ?? run.health;
  const kind =
    view?.type === undefined
      ? ''
      : `${view.type}${view.stepIndex === undefined ? '' : ` (step ${view.stepIndex + 1})`} · `;
  const revision = view?.revision ?? run.revision;
  return (
    <article aria-label={`Analysis run ${run.name}`} style={styles.card}>
      <h4 style={styles.heading}>
        <span style={styles.mono}>{run.name}</span>{' '}
        {phase !== undefined && <span style={badge(phase)}>{phase}</span>}
      </h4>
      <div style={styles.muted}>
        {kind}
        {revision === undefined ? 'revision ?' : `revision ${revision}`}
        {view?.summary !== undefined && ` · ${runSummaryText(view.summary)}`}
      </div>
      {view?.message !== undefined && <p style={{ margin: '4px 0' }}>{view.message}</p>}
      {view === undefined ? (
        <p style={styles.muted}>
          {error === undefined ? 'Reading the run…' : `Could not read the run: ${error}`}
        </p>
      ) : view.metrics.length === 0 ? (
        <p style={styles.muted}>No metrics recorded yet.</p>
      ) : (
        <ul style={styles.list}>
          {view.metrics.map((metric) => (
            <Metric key={metric.name} metric={metric} />
          ))}
        </ul>
      )}
    </article>
  );
}

export function AnalysisPanel({
  application,
  runs,
}: {
  application: Application | undefined;
  runs: AnalysisRunRef[];
}) {
  const targets = runs.map((r) => ({
    namespace: r.namespace,
    name: r.name,
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'AnalysisRun',
    resourceVersion: r.resourceVersion,
  }));
  const live = useLiveObjects(application, targets);
  if (runs.length === 0) return null;
  return (
    <section aria-label="Analysis runs" style={styles.section}>
      <h3 style={styles.heading}>Analysis runs</h3>
      {runs.map((run) => {
        const object = live.objects.get(run.name);
        const error = live.errors.get(run.name);
        return (
          <RunCard
            key={run.name}
            run={run}
            {...(object === undefined ? {} : { view: analysisRunView(object) })}
            {...(error === undefined ? {} : { error })}
          />
        );
      })}
    </section>
  );
}
