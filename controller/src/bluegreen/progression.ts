// The blue-green sequence for one reconcile (upstream rolloutBlueGreen, reconcileActiveService,
// syncRolloutStatusBlueGreen): from what the controller observed — the new and stable
// ReplicaSets, the live active and preview Services, the analysis gates — decide the status
// fields (pause, abort, promotion, checkpoint, selectors), which Service selectors switch, and
// the events. Replica counts and deadlines are decided in scaling.ts on the result.
import type { PauseCondition, Rollout, RolloutStatus } from '@rollout-kit/api';
import {
  PAUSE_REASON_BLUE_GREEN_PAUSE,
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  POD_TEMPLATE_HASH_LABEL,
} from '@rollout-kit/api';
import type { ServiceSwitch, ServiceView } from '../canary/services.ts';
import { events as rolloutEvents, type CompletedReason, type RolloutEvent } from '../rollout/events.ts';
import { findByHash, hashOf, type ReplicaSet } from '../rollout/replica-set.ts';
import { gateAbortReason, gatePassed, NO_GATE, type AnalysisGate } from './analysis-gate.ts';
import { blueGreenPause } from './pause.ts';
import {
  deadlineOf,
  isSaturated,
  newReplicaSetSize,
  readyForPause,
  rfc3339,
  specReplicas,
} from './replicas.ts';

export interface BlueGreenInput {
  rollout: Rollout;
  currentPodHash: string;
  newRS?: ReplicaSet;
  /** Every owned ReplicaSet, the new one included. */
  owned: readonly ReplicaSet[];
  services: Readonly<Record<string, ServiceView>>;
  gates: { pre: AnalysisGate; post: AnalysisGate };
  revision: number;
  now: number;
}

export interface BlueGreenProgression {
  fields: Partial<RolloutStatus>;
  events: RolloutEvent[];
  recheckAt?: number;
  switches: ServiceSwitch[];
  /** The hashes the active and preview Services select once this pass's switches are made. */
  activeHash?: string;
  previewHash?: string;
  /** The template went back to an RS still within its scale-down delay. */
  fastRollback: boolean;
  /** The post-promotion gate this pass applied (none when skipped). */
  postGate: AnalysisGate;
  /** Why this pass aborted the Rollout (a failed analysis), for the condition and the event. */
  abortReason?: string;
  promotedBecause?: CompletedReason;
}

const without = (conditions: readonly PauseCondition[] | undefined, reason: string) => {
  const left = (conditions ?? []).filter((c) => c.reason !== reason);
  // Never an empty list: Argo CD enables its resume action only when pauseConditions is absent.
  return left.length > 0 ? left : undefined;
};

/** The status fields this strategy owns, starting from the stored ones (steps are canary's). */
function startingFields(rollout: Rollout, currentPodHash: string): Partial<RolloutStatus> {
  const old = rollout.status ?? {};
  const fields: Partial<RolloutStatus> = {
    currentPodHash,
    currentStepIndex: undefined,
    currentStepHash: undefined,
    stableRS: old.stableRS,
    pauseConditions: old.pauseConditions,
    controllerPause: old.controllerPause,
    abort: old.abort,
    abortedAt: old.abortedAt,
    promoteFull: old.promoteFull,
    blueGreen: { ...(old.blueGreen ?? {}) },
  };
  if (old.currentPodHash !== currentPodHash) {
    // A new template starts the sequence again.
    Object.assign(fields, {
      pauseConditions: undefined,
      controllerPause: undefined,
      abort: undefined,
      abortedAt: undefined,
      promoteFull: undefined,
    });
    fields.blueGreen = {
      ...fields.blueGreen,
      scaleUpPreviewCheckPoint: undefined,
      prePromotionAnalysisRunStatus: undefined,
      postPromotionAnalysisRunStatus: undefined,
    };
  }
  return fields;
}

function clearPauses(fields: Partial<RolloutStatus>): void {
  fields.pauseConditions = undefined;
  fields.controllerPause = undefined;
}

/** Decides the blue-green fields and Service switches of one reconcile. */
export function blueGreenProgression(input: BlueGreenInput): BlueGreenProgression {
  const { rollout, currentPodHash, newRS, owned, now } = input;
  const bg = rollout.spec.strategy?.blueGreen ?? { activeService: '' };
  const old = rollout.status ?? {};
  const fields = startingFields(rollout, currentPodHash);
  const events: RolloutEvent[] = [];
  const activeSvc = input.services[bg.activeService];
  const previewSvc = bg.previewService ? input.services[bg.previewService] : undefined;
  const activeBefore = activeSvc?.selector?.[POD_TEMPLATE_HASH_LABEL];
  const previewBefore = previewSvc?.selector?.[POD_TEMPLATE_HASH_LABEL];
  const newHash = newRS ? hashOf(newRS) : undefined;
  const templateChanged = old.currentPodHash !== currentPodHash;
  const deadline = newRS ? deadlineOf(newRS) : undefined;
  // Back to a template whose RS is still up in its scale-down delay: switch back at once.
  const fastRollback =
    templateChanged &&
    Boolean(old.stableRS) &&
    newHash !== undefined &&
    newHash !== activeBefore &&
    deadline !== undefined &&
    deadline > now;

  if (fields.abort) {
    fields.abortedAt = fields.abortedAt ?? rfc3339(now);
    clearPauses(fields);
  } else if (fields.abortedAt) {
    // Retry: the user cleared abort. Fresh analysis runs are needed for the hooks.
    fields.abortedAt = undefined;
    fields.blueGreen = {
      ...fields.blueGreen,
      prePromotionAnalysisRunStatus: undefined,
      postPromotionAnalysisRunStatus: undefined,
    };
  }
  const promoted = () => Boolean(fields.stableRS) && fields.stableRS === currentPodHash;
  if (fields.promoteFull && !promoted()) clearPauses(fields);

  const firstDeploy = !fields.stableRS;
  const toStable = fields.stableRS === newHash;
  const skipAnalysis = firstDeploy || toStable || fields.promoteFull === true || fastRollback;
  const fastTracked = skipAnalysis || activeBefore === undefined || activeBefore === newHash;
  const pre = fastTracked ? NO_GATE : input.gates.pre;
  const post = skipAnalysis ? NO_GATE : input.gates.post;

  let abortReason: string | undefined;
  if (!fields.abort && pre.outcome === 'failed') abortReason = gateAbortReason('pre', pre);
  else if (!fields.abort && post.outcome === 'failed' && activeBefore === newHash && !promoted())
    abortReason = gateAbortReason('post', post);
  if (abortReason) {
    fields.abort = true;
    fields.abortedAt = rfc3339(now);
    clearPauses(fields);
  }
  const inconclusive = pre.outcome === 'inconclusive' || post.outcome === 'inconclusive';
  const hasInconclusive = fields.pauseConditions?.some(
    (c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  );
  if (!fields.abort && inconclusive && !hasInconclusive && !old.controllerPause) {
    fields.pauseConditions = [
      ...(fields.pauseConditions ?? []),
      { reason: PAUSE_REASON_INCONCLUSIVE_ANALYSIS, startTime: rfc3339(now) },
    ];
    fields.controllerPause = true;
  }
  const halted =
    rollout.spec.paused === true ||
    (fields.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);

  const decided: Rollout = { ...rollout, status: { ...old, ...fields } };
  const size = newRS ? newReplicaSetSize(decided, newRS, activeBefore) : specReplicas(rollout);
  const ready = newRS ? readyForPause(newRS, size) : false;
  const pause = blueGreenPause({
    autoPromotionEnabled: bg.autoPromotionEnabled ?? true,
    autoPromotionSeconds: bg.autoPromotionSeconds ?? 0,
    pauseConditions: fields.pauseConditions,
    controllerPause: fields.controllerPause === true,
    halted,
    aborted: fields.abort === true,
    readyForPause: ready,
    fastTracked,
    checkpoint: fields.blueGreen?.scaleUpPreviewCheckPoint === true,
    prePromotionPassed: gatePassed(pre),
    now,
  });
  if (pause.remove) {
    fields.pauseConditions = without(fields.pauseConditions, PAUSE_REASON_BLUE_GREEN_PAUSE);
  }
  if (pause.add) {
    fields.pauseConditions = [
      ...(fields.pauseConditions ?? []),
      { reason: PAUSE_REASON_BLUE_GREEN_PAUSE, startTime: rfc3339(now) },
    ];
    fields.controllerPause = true;
  }
  const pauseDone = pause.state === 'completed';

  // previewReplicaCount: once the preview is up, the pause is over and pre-promotion passed,
  // the new RS may grow to R (a one-way latch until the template changes or it is promoted).
  const previewCount = bg.previewReplicaCount;
  if (
    previewCount !== undefined &&
    newRS &&
    !fields.blueGreen?.scaleUpPreviewCheckPoint &&
    pauseDone &&
    gatePassed(pre) &&
    (newRS.status?.availableReplicas ?? 0) === previewCount
  ) {
    fields.blueGreen = { ...fields.blueGreen, scaleUpPreviewCheckPoint: true };
  }

  const switches: ServiceSwitch[] = [];
  const name = rollout.metadata.name ?? '';
  if (previewSvc && newHash && !halted && previewBefore !== newHash) {
    switches.push({ service: previewSvc.name, from: previewBefore, hash: newHash, rollout: name });
  }
  const stableRS = findByHash(owned, fields.stableRS);
  let activeTarget: string | undefined;
  if (fields.abort) {
    activeTarget = stableRS ? fields.stableRS : undefined;
  } else if (
    !halted &&
    newRS &&
    newHash &&
    ready &&
    isSaturated(rollout, newRS) &&
    (fastTracked || (pauseDone && gatePassed(pre)))
  ) {
    activeTarget = newHash;
  }
  if (activeSvc && activeTarget && activeTarget !== activeBefore) {
    switches.push({ service: activeSvc.name, from: activeBefore, hash: activeTarget, rollout: name });
  }
  const activeHash = activeSvc && activeTarget ? activeTarget : activeBefore;
  const previewHash = switches.find((s) => s.service === previewSvc?.name)?.hash ?? previewBefore;

  const promotedBecause = promotionReason({ fields, activeHash, currentPodHash, fastRollback, post });
  if (promotedBecause) {
    if (fields.stableRS !== currentPodHash) {
      events.push(rolloutEvents.completed(input.revision, currentPodHash, promotedBecause));
    }
    fields.stableRS = currentPodHash;
    clearPauses(fields);
    fields.promoteFull = undefined;
  }
  if (activeHash === currentPodHash && promoted()) {
    fields.blueGreen = { ...fields.blueGreen, scaleUpPreviewCheckPoint: undefined };
  }
  fields.blueGreen = compact({
    ...fields.blueGreen,
    activeSelector: activeHash,
    previewSelector: previewHash,
  });
  const recheckAt = pause.recheckAt;
  return {
    fields,
    events,
    ...(recheckAt !== undefined ? { recheckAt } : {}),
    switches,
    ...(activeHash !== undefined ? { activeHash } : {}),
    ...(previewHash !== undefined ? { previewHash } : {}),
    fastRollback,
    postGate: post,
    ...(abortReason ? { abortReason } : {}),
    ...(promotedBecause ? { promotedBecause } : {}),
  };
}

/** Upstream's blue-green promotion checks, in order; undefined when not promoted now. */
function promotionReason(ctx: {
  fields: Partial<RolloutStatus>;
  activeHash: string | undefined;
  currentPodHash: string;
  fastRollback: boolean;
  post: AnalysisGate;
}): CompletedReason | undefined {
  const { fields, currentPodHash } = ctx;
  if (!fields.stableRS) return 'Initial deploy';
  if (fields.abort || fields.stableRS === currentPodHash) return undefined;
  if (ctx.activeHash !== currentPodHash) return undefined;
  if (fields.promoteFull) return 'Full promotion requested';
  if (ctx.fastRollback) return 'Fast rollback';
  if (!gatePassed(ctx.post)) return undefined;
  return 'Completed blue-green update';
}

/** status.blueGreen without its empty fields, or undefined when nothing is left. */
function compact(bg: NonNullable<RolloutStatus['blueGreen']>): RolloutStatus['blueGreen'] {
  const entries = Object.entries(bg).filter(([, v]) => v !== undefined && v !== '' && v !== false);
  return entries.length > 0 ? (Object.fromEntries(entries) as RolloutStatus['blueGreen']) : undefined;
}
