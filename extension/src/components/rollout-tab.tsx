// The Rollout tab Argo CD renders for argoproj.io/Rollout resources. Argo CD passes the live
// manifest and the live resource tree and re-renders on change, so the tab polls nothing; its
// only timer is a clock for countdowns and ages.
import * as React from 'react';
import { availableActions } from '../model/actions.ts';
import type { ResourceTabProps } from '../model/argocd.ts';
import { asRecord, asString } from '../model/read.ts';
import { revisions } from '../model/revisions.ts';
import type { Rollout } from '../model/rollout.ts';
import { stepTimeline } from '../model/steps.ts';
import { rolloutSummary } from '../model/summary.ts';
import { ActionsBar } from './actions-bar.tsx';
import { ReplicaSetCard } from './replica-set-card.tsx';
import { StepList } from './step-list.tsx';
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

function RolloutView({ resource, tree, application }: ResourceTabProps) {
  const now = useNow();
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
      <ActionsBar actions={availableActions(rollout)} rollout={rollout} application={application} />
      <SummaryPanel summary={summary} />
      {timeline.steps.length > 0 && <StepList timeline={timeline} />}
      <section aria-label="Revisions" style={styles.section}>
        <h3 style={styles.heading}>Revisions</h3>
        {revs.length === 0 ? (
          <p style={styles.muted}>No ReplicaSets of this Rollout in the application&apos;s resource tree.</p>
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
