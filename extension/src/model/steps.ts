// The canary steps as a timeline: which are done, which is current, which are pending, and how
// long a timed pause has left. Pure: `now` is a parameter.
import { durationMs } from './duration.ts';
import { asArray, asNumber, asRecord, asString, asTime, isTrue } from './read.ts';
import type { Rollout } from './rollout.ts';

export type StepState = 'done' | 'current' | 'pending';

export interface StepView {
  index: number;
  /** The step as the controller names it in events, e.g. `setWeight: 20`, `pause: 30s`. */
  label: string;
  state: StepState;
  /** Current pause step that waits for a person (no duration). */
  waitsForPromotion?: boolean;
  /** Current timed pause: milliseconds left, 0 once elapsed. */
  pauseRemainingMs?: number;
}

export interface StepTimeline {
  steps: StepView[];
  /** `status.currentStepIndex` clamped to [0, steps], undefined when the status has none. */
  currentIndex: number | undefined;
  aborted: boolean;
}

/** The step string Argo Rollouts uses in `RolloutStepCompleted` events; `invalid` otherwise. */
export function stepLabel(raw: unknown): string {
  const step = asRecord(raw);
  if (step === undefined) return 'invalid';
  const weight = asNumber(step.setWeight);
  if (weight !== undefined) return `setWeight: ${weight}`;
  if ('pause' in step) {
    const duration = asRecord(step.pause)?.duration;
    return typeof duration === 'number' || typeof duration === 'string' ? `pause: ${duration}` : 'pause';
  }
  if ('experiment' in step) return 'experiment';
  if ('analysis' in step) return 'analysis';
  const scale = asRecord(step.setCanaryScale);
  if (scale !== undefined) {
    if (asNumber(scale.weight) !== undefined) return `setCanaryScale{weight: ${asNumber(scale.weight)}}`;
    if (isTrue(scale.matchTrafficWeight)) return 'setCanaryScale{matchTrafficWeight: true}';
    if (asNumber(scale.replicas) !== undefined)
      return `setCanaryScale{replicas: ${asNumber(scale.replicas)}}`;
  }
  for (const key of ['plugin', 'setHeaderRoute', 'setMirrorRoute']) {
    const name = asString(asRecord(step[key])?.name);
    if (name !== undefined) return `${key}: ${name}`;
  }
  return 'invalid';
}

export function canarySteps(rollout: Rollout): unknown[] {
  return asArray(asRecord(asRecord(rollout.spec?.strategy)?.canary)?.steps);
}

/** Clamped current step index, or undefined when the status does not say. */
export function currentStepIndex(rollout: Rollout): number | undefined {
  const index = asNumber(rollout.status?.currentStepIndex);
  if (index === undefined) return undefined;
  return Math.min(Math.max(Math.trunc(index), 0), canarySteps(rollout).length);
}

export function stepTimeline(rollout: Rollout, now: number): StepTimeline {
  const raw = canarySteps(rollout);
  const index = currentStepIndex(rollout);
  const aborted = isTrue(rollout.status?.abort);
  const pause = asArray(rollout.status?.pauseConditions)
    .map(asRecord)
    .find((c) => c?.reason === 'CanaryPauseStep');
  const steps = raw.map((step, i): StepView => {
    const label = stepLabel(step);
    if (index === undefined || i > index || (aborted && i === index))
      return { index: i, label, state: 'pending' };
    if (i < index) return { index: i, label, state: 'done' };
    const view: StepView = { index: i, label, state: 'current' };
    const record = asRecord(step);
    const pauseSpec = record !== undefined && 'pause' in record ? (asRecord(record.pause) ?? {}) : undefined;
    if (pauseSpec === undefined || pause === undefined) return view;
    const total = durationMs(pauseSpec.duration);
    const started = asTime(pause.startTime);
    if (pauseSpec.duration === undefined) view.waitsForPromotion = true;
    else if (total !== undefined && started !== undefined) {
      view.pauseRemainingMs = Math.max(0, started + total - now);
    }
    return view;
  });
  return { steps, currentIndex: index, aborted };
}
