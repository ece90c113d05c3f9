// The Events an Experiment records on itself when something in it changes phase, with upstream
// 1.9's reasons and wording: `Template<Status>` ("Template 'x' transitioned from A -> B[: msg]"),
// `AnalysisRun<Phase>` ("AnalysisRun 'x' transitioned from A -> B[: msg]") and
// `Experiment<Phase>` ("Experiment transitioned from A -> B"), in that order; Warning for the
// bad outcomes. The first pass transitions from "" as upstream's do. Pure.
import type { ExperimentStatus } from '@rollout-kit/api';
import type { RolloutEvent as EventInput } from '../rollout/events.ts';

const warning = (phase: string, bad: readonly string[]): 'Normal' | 'Warning' =>
  bad.includes(phase) ? 'Warning' : 'Normal';

const transition = (what: string, from: string | undefined, to: string, message?: string) =>
  `${what} transitioned from ${from ?? ''} -> ${to}${message ? `: ${message}` : ''}`;

export interface ExperimentEvents {
  /** Events on the Experiment. */
  experiment: EventInput[];
  /** AnalysisRun events, which upstream also records on the Rollout owning the Experiment. */
  analysisRuns: EventInput[];
}

export function experimentEvents(
  before: ExperimentStatus | undefined,
  after: ExperimentStatus,
): ExperimentEvents {
  const experiment: EventInput[] = [];
  for (const t of after.templateStatuses ?? []) {
    const old = before?.templateStatuses?.find((s) => s.name === t.name)?.status;
    if (!t.status || old === t.status) continue;
    experiment.push({
      type: warning(t.status, ['Failed', 'Error']),
      reason: `Template${t.status}`,
      message: transition(`Template '${t.name}'`, old, t.status, t.message),
    });
  }
  const analysisRuns: EventInput[] = [];
  for (const a of after.analysisRuns ?? []) {
    const old = before?.analysisRuns?.find((s) => s.name === a.name)?.phase;
    if (!a.phase || old === a.phase) continue;
    analysisRuns.push({
      type: warning(a.phase, ['Failed', 'Error', 'Inconclusive']),
      reason: `AnalysisRun${a.phase}`,
      message: transition(`AnalysisRun '${a.name}'`, old, a.phase, a.message),
    });
  }
  experiment.push(...analysisRuns);
  if (after.phase && after.phase !== before?.phase) {
    experiment.push({
      type: warning(after.phase, ['Failed', 'Error', 'Inconclusive']),
      reason: `Experiment${after.phase}`,
      message: transition('Experiment', before?.phase, after.phase),
    });
  }
  return { experiment, analysisRuns };
}
