// The rest of a canary Rollout's status after progression decided the step fields: replica
// counts, the conditions (Available, Progressing with the progress deadline, Paused, Healthy,
// Completed, InvalidSpec), phase and message, and the events upstream records when pause,
// abort or completion change. Pure, in the order of upstream's status write pipeline. Blue-green
// shares the pipeline and tells what differs for it through a StrategyStatusView.
import type { Condition, Rollout, RolloutStatus } from '@rollout-kit/api';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from '@rollout-kit/api';
import type { ProgressionFields } from '../canary/progression.ts';
import { canarySteps } from '../canary/steps.ts';
import { findCondition, removeCondition, setCondition, setProgressing } from './conditions.ts';
import { calculatePhase, formatLabelSelector } from './status.ts';
import { abortedMessage, events as rolloutEvents, type RolloutEvent } from './events.ts';
import type { ReplicaSet } from './replica-set.ts';

export interface CanaryStatusInput {
  rollout: Rollout;
  fields: ProgressionFields;
  newRS?: ReplicaSet;
  /** Every owned ReplicaSet, the new one included. */
  replicaSets: readonly ReplicaSet[];
  revision: number;
  /** Why the Rollout aborted in this pass, when something other than a user did (a failed analysis). */
  abortReason?: string;
  /** The InvalidSpec message, when validation failed. */
  invalidSpec?: string;
  /** Another ReplicaSet waits on a scale-down deadline: the progress deadline is not evaluated. */
  scaleDownPending?: boolean;
  /** Another strategy's view of the parts that differ from canary (blue-green). */
  view?: StrategyStatusView;
  now: number;
}

/** What a strategy other than canary says about the parts of the status that are its own. */
export interface StrategyStatusView {
  availableReplicas: number;
  readyReplicas: number;
  HPAReplicas: number;
  selector: string;
  /** Everything the strategy does is done (part of the Healthy predicate). */
  complete: boolean;
  /** Strategy-specific progress, which refreshes the progress deadline's clock. */
  progressed: boolean;
  /** Waiting on purpose (analysis): the progress deadline is not evaluated. */
  waiting: boolean;
  /** Why the strategy aborted the Rollout in this pass, for the condition and the event. */
  abortReason?: string;
}

export interface CanaryStatusResult {
  status: RolloutStatus;
  events: RolloutEvent[];
  /** When the progress deadline would pass, so the Rollout is looked at again then (epoch ms). */
  recheckAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const sum = (rss: readonly ReplicaSet[], pick: (rs: ReplicaSet) => number | undefined) =>
  rss.reduce((total, rs) => total + (pick(rs) ?? 0), 0);

export function canaryStatus(input: CanaryStatusInput): CanaryStatusResult {
  const { rollout, fields, newRS, replicaSets, view, now } = input;
  const old = rollout.status ?? {};
  const r = rollout.spec.replicas ?? 1;
  const nowIso = iso(now);
  const events: RolloutEvent[] = [];
  const status: RolloutStatus = {
    ...old,
    ...fields,
    observedGeneration: String(rollout.metadata.generation ?? 0),
    replicas: sum(replicaSets, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(replicaSets, (rs) => rs.status?.readyReplicas),
    availableReplicas: sum(replicaSets, (rs) => rs.status?.availableReplicas),
    HPAReplicas: sum(replicaSets, (rs) => rs.status?.replicas),
    selector: formatLabelSelector(rollout.spec.selector),
    ...(view
      ? {
          availableReplicas: view.availableReplicas,
          readyReplicas: view.readyReplicas,
          HPAReplicas: view.HPAReplicas,
          selector: view.selector,
        }
      : {}),
  };
  // The controller holds controllerPause only while a pause condition of its own remains. While
  // the spec is invalid or paused nothing progressed, so a resume (controllerPause with no
  // condition) is kept for the pass that can act on it: Argo CD's resume action and the plugin's
  // promote clear the conditions first and spec.paused a moment later, and a pass in between must
  // not turn their resume into a fresh pause.
  if (!status.pauseConditions?.length) {
    status.pauseConditions = undefined;
    if (!input.invalidSpec && rollout.spec.paused !== true) status.controllerPause = undefined;
  }
  if (status.stableRS === status.currentPodHash) status.promoteFull = undefined;

  let conditions: Condition[] = old.conditions ?? [];
  conditions = input.invalidSpec
    ? setCondition(
        conditions,
        { type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec', message: input.invalidSpec },
        nowIso,
      )
    : removeCondition(conditions, 'InvalidSpec');

  const paused = rollout.spec.paused === true || (status.pauseConditions?.length ?? 0) > 0;
  const completed = Boolean(status.stableRS) && status.stableRS === status.currentPodHash;
  const steps = canarySteps(rollout);
  const stepsDone = steps.length === 0 || (status.currentStepIndex ?? 0) >= steps.length;
  const healthy =
    !paused &&
    status.updatedReplicas === r &&
    status.availableReplicas === r &&
    old.observedGeneration === String(rollout.metadata.generation ?? 0) &&
    completed &&
    (view ? view.complete : stepsDone && status.replicas === r);

  const rsName = newRS?.metadata.name;
  const progressed =
    old.updatedReplicas !== status.updatedReplicas ||
    (status.replicas ?? 0) < (old.replicas ?? 0) ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
    old.stableRS !== status.stableRS ||
    old.currentStepIndex !== status.currentStepIndex ||
    old.currentStepHash !== status.currentStepHash ||
    view?.progressed === true;

  let recheckAt: number | undefined;
  if (status.abort) {
    conditions = setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: abortedMessage(input.revision, input.abortReason ?? view?.abortReason),
      },
      nowIso,
    );
    if (!old.abortedAt)
      events.push(
        rolloutEvents.aborted(abortedMessage(input.revision, input.abortReason ?? view?.abortReason)),
      );
  } else if (old.abortedAt && !status.abortedAt) {
    conditions = setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'RolloutRetry',
        message: 'Retrying Rollout after abort',
      },
      nowIso,
    );
  } else if (paused) {
    conditions = setCondition(
      conditions,
      { type: 'Progressing', status: 'Unknown', reason: 'RolloutPaused', message: 'Rollout is paused' },
      nowIso,
    );
  } else if (healthy) {
    conditions = setProgressing(
      conditions,
      {
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      },
      nowIso,
      progressed,
    );
  } else {
    const existing = findCondition(conditions, 'Progressing');
    // A fresh "created" reason, or a deadline already exceeded, stays until the rollout moves.
    const keep =
      !progressed &&
      (existing?.reason === 'NewReplicaSetCreated' || existing?.reason === 'ProgressDeadlineExceeded');
    if (!keep) {
      const message = rsName
        ? `ReplicaSet "${rsName}" is progressing.`
        : `Rollout "${rollout.metadata.name}" is progressing.`;
      conditions = setProgressing(
        conditions,
        { status: 'True', reason: 'ReplicaSetUpdated', message },
        nowIso,
        progressed,
      );
    }
    // Steps that wait on purpose (pauses, analysis, experiments) do not count against the deadline.
    const step = steps[status.currentStepIndex ?? 0];
    const waiting =
      step?.pause !== undefined || step?.analysis !== undefined || step?.experiment !== undefined;
    const exempt = input.scaleDownPending === true || waiting || view?.waiting === true;
    ({ conditions, recheckAt } = progressDeadline(conditions, rollout, { rsName, completed, exempt, now }));
    if (
      findCondition(conditions, 'Progressing')?.reason === 'ProgressDeadlineExceeded' &&
      existing?.reason !== 'ProgressDeadlineExceeded'
    ) {
      const timedOut = findCondition(conditions, 'Progressing')?.message ?? '';
      events.push(rolloutEvents.progressDeadlineExceeded(timedOut));
      // progressDeadlineAbort: the update is aborted as well, and scales back on the next pass.
      if (rollout.spec.progressDeadlineAbort === true && !status.abort) {
        status.abort = true;
        status.abortedAt = nowIso;
        events.push(rolloutEvents.aborted(abortedMessage(input.revision, timedOut)));
      }
    }
  }

  const available = (status.availableReplicas ?? 0) >= r;
  conditions = setCondition(
    conditions,
    available
      ? {
          type: 'Available',
          status: 'True',
          reason: 'AvailableReason',
          message: 'Rollout has minimum availability',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'AvailableReason',
          message: 'Rollout does not have minimum availability',
        },
    nowIso,
  );
  conditions = setCondition(
    conditions,
    {
      type: 'Paused',
      status: paused ? 'True' : 'False',
      reason: 'RolloutPaused',
      message: 'Rollout is paused',
    },
    nowIso,
  );
  if (healthy || findCondition(conditions, 'Healthy')) {
    conditions = setCondition(
      conditions,
      {
        type: 'Healthy',
        status: healthy ? 'True' : 'False',
        reason: 'RolloutHealthy',
        message: healthy ? 'Rollout is healthy' : 'Rollout is not healthy',
      },
      nowIso,
    );
  }
  const wasCompleted = findCondition(conditions, 'Completed')?.status === 'True';
  conditions = setCondition(
    conditions,
    {
      type: 'Completed',
      status: completed ? 'True' : 'False',
      reason: 'RolloutCompleted',
      message: 'RolloutCompleted',
    },
    nowIso,
  );
  if (wasCompleted && !completed) {
    events.push(rolloutEvents.notCompleted(input.revision, status.currentPodHash ?? ''));
  }
  status.conditions = conditions;

  // A user's promote removes the pause conditions itself and leaves controllerPause: the pause
  // ends in this pass all the same (upstream reads it off the Paused condition).
  const userResumed =
    old.controllerPause === true && findCondition(old.conditions, 'Paused')?.status === 'True';
  const hadPause = (old.pauseConditions?.length ?? 0) > 0 || userResumed;
  const hasPause = (status.pauseConditions?.length ?? 0) > 0;
  if (!hadPause && hasPause) events.push(rolloutEvents.paused(status.pauseConditions?.[0]?.reason ?? ''));
  if (hadPause && !hasPause && !status.abort) events.push(rolloutEvents.resumed());

  const { phase, message } = calculatePhase(rollout.spec, status);
  status.phase = phase;
  status.message = message;
  return { status, events, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/**
 * Progressing=False/ProgressDeadlineExceeded once lastUpdateTime + progressDeadlineSeconds has
 * passed without the Rollout completing; exempt while another ReplicaSet waits on a scale-down
 * deadline. Otherwise returns when to check again.
 */
function progressDeadline(
  conditions: Condition[],
  rollout: Rollout,
  ctx: { rsName?: string; completed: boolean; exempt: boolean; now: number },
): { conditions: Condition[]; recheckAt?: number } {
  const progressing = findCondition(conditions, 'Progressing');
  if (!progressing || ctx.completed || ctx.exempt || progressing.status !== 'True') return { conditions };
  const deadlineMs = (rollout.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
  const due = Date.parse(progressing.lastUpdateTime) + deadlineMs;
  if (Number.isNaN(due) || ctx.now <= due)
    return { conditions, ...(Number.isNaN(due) ? {} : { recheckAt: due + 1_000 }) };
  const message = ctx.rsName
    ? `ReplicaSet "${ctx.rsName}" has timed out progressing.`
    : `Rollout "${rollout.metadata.name}" has timed out progressing.`;
  return {
    conditions: setCondition(
      conditions,
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message },
      iso(ctx.now),
    ),
  };
}
