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
import { blueGreenPause, type PauseDecision } from './pause.ts';
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
  /** Going back to a ReplicaSet within spec.rollbackWindow: no pause, no analysis. */
  rollbackWithinWindow?: boolean;
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

/** What the pass observed that the sequence keys on: the Services' hashes and the new RS. */
interface Observed {
  activeSvc?: ServiceView;
  previewSvc?: ServiceView;
  activeBefore?: string;
  previewBefore?: string;
  newHash?: string;
  fastRollback: boolean;
}

function observe(input: BlueGreenInput): Observed {
  const { rollout, newRS, now } = input;
  const bg = rollout.spec.strategy?.blueGreen;
  const activeSvc = bg ? input.services[bg.activeService] : undefined;
  const previewSvc = bg?.previewService ? input.services[bg.previewService] : undefined;
  const activeBefore = activeSvc?.selector?.[POD_TEMPLATE_HASH_LABEL];
  const newHash = newRS ? hashOf(newRS) : undefined;
  const deadline = newRS ? deadlineOf(newRS) : undefined;
  const old = rollout.status ?? {};
  // Back to a template whose RS is still up in its scale-down delay: switch back at once.
  const fastRollback =
    old.currentPodHash !== input.currentPodHash &&
    Boolean(old.stableRS) &&
    newHash !== undefined &&
    newHash !== activeBefore &&
    deadline !== undefined &&
    deadline > now;
  return {
    ...(activeSvc ? { activeSvc } : {}),
    ...(previewSvc ? { previewSvc } : {}),
    ...(activeBefore !== undefined ? { activeBefore } : {}),
    ...(previewSvc?.selector?.[POD_TEMPLATE_HASH_LABEL] !== undefined
      ? { previewBefore: previewSvc.selector[POD_TEMPLATE_HASH_LABEL] }
      : {}),
    ...(newHash !== undefined ? { newHash } : {}),
    fastRollback,
  };
}

/** Abort seen: recorded once, pauses cleared. Retry (abort cleared): fresh runs for the hooks. */
function abortOrRetry(fields: Partial<RolloutStatus>, now: number): void {
  if (fields.abort) {
    fields.abortedAt = fields.abortedAt ?? rfc3339(now);
    clearPauses(fields);
  } else if (fields.abortedAt) {
    fields.abortedAt = undefined;
    fields.blueGreen = {
      ...fields.blueGreen,
      prePromotionAnalysisRunStatus: undefined,
      postPromotionAnalysisRunStatus: undefined,
    };
  }
}

/**
 * Which gates apply: none for a fast-tracked update (first deploy, back to stable, promoteFull,
 * fast rollback, rollback within the window).
 */
function gatesInEffect(
  fields: Partial<RolloutStatus>,
  seen: Observed,
  gates: BlueGreenInput['gates'],
  windowed: boolean,
) {
  const skipAnalysis =
    !fields.stableRS ||
    fields.stableRS === seen.newHash ||
    fields.promoteFull === true ||
    seen.fastRollback ||
    windowed;
  const fastTracked = skipAnalysis || seen.activeBefore === undefined || seen.activeBefore === seen.newHash;
  return { fastTracked, pre: fastTracked ? NO_GATE : gates.pre, post: skipAnalysis ? NO_GATE : gates.post };
}

/**
 * A failed hook aborts (post-promotion only once the active Service is on the new RS); an
 * inconclusive one pauses with InconclusiveAnalysisRun, unless the user just resumed it.
 * Returns the abort reason when this pass aborted.
 */
function applyGates(
  fields: Partial<RolloutStatus>,
  ctx: {
    seen: Observed;
    pre: AnalysisGate;
    post: AnalysisGate;
    resumed: boolean;
    promoted: boolean;
    now: number;
  },
): string | undefined {
  const { seen, pre, post, now } = ctx;
  let reason: string | undefined;
  if (!fields.abort && pre.outcome === 'failed') reason = gateAbortReason('pre', pre);
  else if (!fields.abort && post.outcome === 'failed' && seen.activeBefore === seen.newHash && !ctx.promoted)
    reason = gateAbortReason('post', post);
  if (reason) {
    fields.abort = true;
    fields.abortedAt = rfc3339(now);
    clearPauses(fields);
    return reason;
  }
  const inconclusive = pre.outcome === 'inconclusive' || post.outcome === 'inconclusive';
  const held = fields.pauseConditions?.some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);
  if (!fields.abort && inconclusive && !held && !ctx.resumed) {
    fields.pauseConditions = [
      ...(fields.pauseConditions ?? []),
      { reason: PAUSE_REASON_INCONCLUSIVE_ANALYSIS, startTime: rfc3339(now) },
    ];
    fields.controllerPause = true;
  }
  return undefined;
}

/** Adds or removes the BlueGreenPause condition as decided. */
function applyPause(fields: Partial<RolloutStatus>, pause: PauseDecision, now: number): void {
  if (pause.remove) fields.pauseConditions = without(fields.pauseConditions, PAUSE_REASON_BLUE_GREEN_PAUSE);
  if (pause.add) {
    fields.pauseConditions = [
      ...(fields.pauseConditions ?? []),
      { reason: PAUSE_REASON_BLUE_GREEN_PAUSE, startTime: rfc3339(now) },
    ];
    fields.controllerPause = true;
  }
}

/**
 * The switches of this pass. Preview follows the new RS as soon as it exists. Active goes back to
 * the stable RS on abort; otherwise to the new RS only once it is saturated and the update is
 * fast-tracked, or its pause is over and pre-promotion analysis passed. Nothing moves while halted.
 */
function switchesOf(
  input: BlueGreenInput,
  ctx: {
    fields: Partial<RolloutStatus>;
    seen: Observed;
    halted: boolean;
    mayPromote: boolean;
    ready: boolean;
  },
): ServiceSwitch[] {
  const { rollout, newRS, owned } = input;
  const { fields, seen, halted } = ctx;
  const name = rollout.metadata.name ?? '';
  const out: ServiceSwitch[] = [];
  if (seen.previewSvc && seen.newHash && !halted && seen.previewBefore !== seen.newHash) {
    out.push({ service: seen.previewSvc.name, from: seen.previewBefore, hash: seen.newHash, rollout: name });
  }
  let target: string | undefined;
  if (fields.abort) {
    target = findByHash(owned, fields.stableRS) ? fields.stableRS : undefined;
  } else if (!halted && newRS && seen.newHash && ctx.ready && isSaturated(rollout, newRS) && ctx.mayPromote) {
    target = seen.newHash;
  }
  if (seen.activeSvc && target && target !== seen.activeBefore) {
    out.push({ service: seen.activeSvc.name, from: seen.activeBefore, hash: target, rollout: name });
  }
  return out;
}

/** Decides the blue-green fields and Service switches of one reconcile. */
export function blueGreenProgression(input: BlueGreenInput): BlueGreenProgression {
  const { rollout, currentPodHash, newRS, now } = input;
  const bg = rollout.spec.strategy?.blueGreen;
  const old = rollout.status ?? {};
  const fields = startingFields(rollout, currentPodHash);
  const events: RolloutEvent[] = [];
  const seen = observe(input);
  const promoted = () => Boolean(fields.stableRS) && fields.stableRS === currentPodHash;
  // Within the rollback window the update goes straight through, as promoteFull does, and an
  // abort does not hold (upstream removes it).
  const windowed = input.rollbackWithinWindow === true && Boolean(fields.stableRS) && !promoted();
  if (windowed) fields.abort = undefined;
  abortOrRetry(fields, now);
  if ((fields.promoteFull || windowed) && !promoted()) clearPauses(fields);

  const { fastTracked, pre, post } = gatesInEffect(fields, seen, input.gates, windowed);
  const resumed = old.controllerPause === true;
  const abortReason = applyGates(fields, { seen, pre, post, resumed, promoted: promoted(), now });
  const halted =
    rollout.spec.paused === true ||
    (fields.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);

  const decided: Rollout = { ...rollout, status: { ...old, ...fields } };
  const size = newRS ? newReplicaSetSize(decided, newRS, seen.activeBefore) : specReplicas(rollout);
  const ready = newRS ? readyForPause(newRS, size) : false;
  const pause = blueGreenPause({
    autoPromotionEnabled: bg?.autoPromotionEnabled ?? true,
    autoPromotionSeconds: bg?.autoPromotionSeconds ?? 0,
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
  applyPause(fields, pause, now);
  const pauseDone = pause.state === 'completed';

  // previewReplicaCount: once the preview is up, the pause is over and pre-promotion passed,
  // the new RS may grow to R (a one-way latch until the template changes or it is promoted).
  const previewCount = bg?.previewReplicaCount;
  if (
    previewCount !== undefined &&
    pauseDone &&
    gatePassed(pre) &&
    (newRS?.status?.availableReplicas ?? 0) === previewCount
  ) {
    fields.blueGreen = { ...fields.blueGreen, scaleUpPreviewCheckPoint: true };
  }

  const mayPromote = fastTracked || (pauseDone && gatePassed(pre));
  const switches = switchesOf(input, { fields, seen, halted, mayPromote, ready });
  const activeHash = switches.find((s) => s.service === seen.activeSvc?.name)?.hash ?? seen.activeBefore;
  const previewHash = switches.find((s) => s.service === seen.previewSvc?.name)?.hash ?? seen.previewBefore;

  const fastRollback = seen.fastRollback;
  const promotedBecause = promotionReason({
    fields,
    activeHash,
    currentPodHash,
    fastRollback,
    windowed,
    post,
  });
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
  return {
    fields,
    events,
    ...(pause.recheckAt !== undefined ? { recheckAt: pause.recheckAt } : {}),
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
  windowed: boolean;
  post: AnalysisGate;
}): CompletedReason | undefined {
  const { fields, currentPodHash } = ctx;
  if (!fields.stableRS) return 'Initial deploy';
  if (fields.abort || fields.stableRS === currentPodHash) return undefined;
  if (ctx.activeHash !== currentPodHash) return undefined;
  if (fields.promoteFull) return 'Full promotion requested';
  if (ctx.windowed) return 'Rollback within window';
  if (ctx.fastRollback) return 'Fast rollback';
  if (!gatePassed(ctx.post)) return undefined;
  return 'Completed blue-green update';
}

/** status.blueGreen without its empty fields, or undefined when nothing is left. */
function compact(bg: NonNullable<RolloutStatus['blueGreen']>): RolloutStatus['blueGreen'] {
  const entries = Object.entries(bg).filter(([, v]) => v !== undefined && v !== '' && v !== false);
  return entries.length > 0 ? (Object.fromEntries(entries) as RolloutStatus['blueGreen']) : undefined;
}
