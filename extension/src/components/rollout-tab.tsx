// The Rollout tab Argo CD renders for argoproj.io/Rollout resources. Argo CD passes the live
// manifest and the live resource tree and re-renders on change, so the tab polls nothing; its
// only timer is a clock for countdowns and ages.
import * as React from 'react';
import { availableActions } from '../model/actions.ts';
import { analysisRunRefs } from '../model/analysis-runs.ts';
import type { ResourceTabProps } from '../model/argocd.ts';
import { asRecord, asString } from '../model/read.ts';
import { revisions } from '../model/revisions.ts';
import type { Rollout } from '../model/rollout.ts';
import { stepTimeline } from '../model/steps.ts';
import { rolloutSummary } from '../model/summary.ts';
import { pendingUndo, undoChoices } from '../model/undo.ts';
import { ActionsBar } from './actions-bar.tsx';
import { AnalysisPanel } from './analysis-panel.tsx';
import { HistoryPanel } from './history-panel.tsx';
import { ReplicaSetCard } from './replica-set-card.tsx';
import { RolloutsTable } from './rollouts-table.tsx';
import { StepList } from './step-list.tsx';
import { UndoControl } from './undo-control.tsx';
import { styles } from './styles.ts';
import { SummaryPanel } from './summary.tsx';
import { useScaleDownDeadlines } from './use-scale-down-deadlines.ts';

const TICK_MS = 1000;

function useNow(): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const VIEWS = [
  { id: 'rollout', label: 'This Rollout' },
  { id: 'history', label: 'History' },
  { id: 'all', label: 'All Rollouts' },
] as const;

type View = (typeof VIEWS)[number]['id'];

function ViewTabs({ view, onChange }: { view: View; onChange: (view: View) => void }) {
  return (
    <div role="tablist" aria-label="Rollout views" style={styles.bar}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          aria-selected={view === v.id}
          style={{
            ...styles.button,
            // The selected view is underlined; a longhand such as fontWeight beside the `font`
            // shorthand would make React warn when it comes and goes.
            boxShadow: view === v.id ? 'inset 0 -2px 0 currentColor' : 'none',
          }}
          onClick={() => onChange(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

function RolloutView({ resource, tree, application }: ResourceTabProps) {
  const now = useNow();
  const [view, setView] = React.useState<View>('rollout');
  const rollout = asRecord(resource) as Rollout | undefined;
  const revs = rollout === undefined ? [] : revisions(rollout, tree);
  // Hooks run on every render, before any early return.
  const deadlines = useScaleDownDeadlines(application, asString(rollout?.metadata?.namespace) ?? '', revs);
  if (resource === undefined || resource === null) {
    return (
      <div role="status" style={styles.tab}>
        Loading the Rollout…
      </div>
    );
  }
  const kind = asString(rollout?.kind);
  if (rollout === undefined || (kind !== undefined && kind !== 'Rollout')) {
    return (
      <div role="alert" style={styles.error}>
        This tab shows argoproj.io Rollouts; this resource is {kind ?? 'not a Kubernetes object'}.
      </div>
    );
  }
  const summary = rolloutSummary(rollout, revs);
  const timeline = stepTimeline(rollout, now);
  return (
    <div style={styles.tab}>
      <ViewTabs view={view} onChange={setView} />
      {view === 'history' && (
        <HistoryPanel rollout={rollout} revisions={revs} application={application} now={now} />
      )}
      {view === 'all' && <RolloutsTable rollout={rollout} tree={tree} application={application} />}
      {view === 'rollout' && (
        <>
          <ActionsBar actions={availableActions(rollout)} rollout={rollout} application={application} />
          <UndoControl
            choices={undoChoices(rollout, revs)}
            pending={pendingUndo(rollout)}
            rollout={rollout}
            application={application}
          />
          <SummaryPanel summary={summary} />
          {timeline.steps.length > 0 && <StepList timeline={timeline} />}
          <AnalysisPanel application={application} runs={analysisRunRefs(rollout, tree)} />
          <section aria-label="Revisions" style={styles.section}>
            <h3 style={styles.heading}>Revisions</h3>
            {revs.length === 0 ? (
              <p style={styles.muted}>
                No ReplicaSets of this Rollout in the application&apos;s resource tree.
              </p>
            ) : (
              revs.map((revision) => (
                <ReplicaSetCard
                  key={revision.replicaSet}
                  revision={revision}
                  now={now}
                  scaleDownAt={deadlines.get(revision.replicaSet)}
                />
              ))
            )}
          </section>
        </>
      )}
    </div>
  );
}

interface BoundaryState {
  error: string | null;
}

/** Keeps a bug in the tab inside the tab, with its message, instead of Argo CD's generic one. */
class TabErrorBoundary extends React.Component<{ children: React.ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.error !== null) {
      return (
        <div role="alert" style={styles.error}>
          The Rollout tab failed: {this.state.error}
        </div>
      );
    }
    return this.props.children;
  }
}

export function RolloutTab(props: ResourceTabProps) {
  return (
    <TabErrorBoundary>
      <RolloutView {...props} />
    </TabErrorBoundary>
  );
}
