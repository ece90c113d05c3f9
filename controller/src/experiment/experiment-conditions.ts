// The Experiment's Progressing condition, as upstream 1.9 keeps it (experiments/conditions.go):
// completed (any final phase) → False/ExperimentCompleted; a template's replica counts moved →
// True/ReplicaSetUpdated (lastUpdateTime bumped, lastTransitionTime kept while it stays True);
// every template available and the duration not over → True/NewReplicaSetAvailable. A condition
// whose status and reason are unchanged is left as it was, so a quiet pass writes nothing. Pure.
import type { Condition, Experiment, ExperimentStatus, TemplateStatus } from '@rollout-kit/api';
import { isCompleted } from '../analysis/metric-assessment.ts';

export const EXPERIMENT_PROGRESSING = 'Progressing';
export const REASON_EXPERIMENT_COMPLETED = 'ExperimentCompleted';
export const REASON_REPLICASET_UPDATED = 'ReplicaSetUpdated';
export const REASON_NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';

const progressed = (before: readonly TemplateStatus[], after: readonly TemplateStatus[]): boolean => {
  if (before.length < after.length) return true;
  return before.some((old) => {
    const now = after.find((t) => t.name === old.name);
    return (
      now !== undefined &&
      (old.replicas !== now.replicas ||
        old.updatedReplicas !== now.updatedReplicas ||
        old.readyReplicas !== now.readyReplicas ||
        old.availableReplicas !== now.availableReplicas)
    );
  });
};

/** Whether the duration since availableAt has passed (never without a duration or availableAt). */
function durationPassed(availableAt: string | undefined, seconds: number | undefined, now: number): boolean {
  if (!availableAt || seconds === undefined) return false;
  return now >= Date.parse(availableAt) + seconds * 1000;
}

/**
 * `status` with its Progressing condition brought up to date. `durationSeconds` is the
 * Experiment's spec.duration in seconds (undefined when unset).
 */
export function withExperimentConditions(
  experiment: Pick<Experiment, 'metadata' | 'status'>,
  status: ExperimentStatus,
  ctx: { now: string; nowMs: number; durationSeconds: number | undefined },
): ExperimentStatus {
  const name = experiment.metadata.name ?? '';
  const old = experiment.status ?? {};
  const current = (old.conditions ?? []).find((c) => c.type === EXPERIMENT_PROGRESSING);
  const others = (status.conditions ?? []).filter((c) => c.type !== EXPERIMENT_PROGRESSING);
  const make = (s: 'True' | 'False', reason: string, message: string): Condition => ({
    type: EXPERIMENT_PROGRESSING,
    status: s,
    lastUpdateTime: ctx.now,
    lastTransitionTime: ctx.now,
    reason,
    message,
  });
  // Same status and reason: kept as it is (upstream's SetExperimentCondition).
  const set = (next: Condition): Condition =>
    current && current.status === next.status && current.reason === next.reason ? current : next;

  let condition: Condition | undefined = current;
  if (isCompleted(status.phase)) {
    condition = set(
      make('False', REASON_EXPERIMENT_COMPLETED, `Experiment "${name}" has successfully ran and completed.`),
    );
  } else if (progressed(old.templateStatuses ?? [], status.templateStatuses ?? [])) {
    const next = make('True', REASON_REPLICASET_UPDATED, `Experiment "${name}" is progressing.`);
    condition =
      current?.status === 'True' ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  } else if (old.availableAt && !durationPassed(old.availableAt, ctx.durationSeconds, ctx.nowMs)) {
    condition = set(make('True', REASON_NEW_RS_AVAILABLE, `Experiment "${name}" is running.`));
  }
  const conditions = condition ? [...others, condition] : others;
  const out = { ...status };
  if (conditions.length > 0) out.conditions = conditions;
  else delete out.conditions;
  return out;
}
