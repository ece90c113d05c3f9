// What `make demo` prints about a Rollout: one line per observed state (canary: phase, step i/n
// with the step itself, set weight; blue-green: phase, what the active and preview Services
// select; then ReplicaSet sizes with their images and roles), and whether the Rollout waits at an
// indefinite pause the demo should promote. Pure: it reads the objects given.
import type { Rollout } from '@rollout-kit/api';

/** The ReplicaSet fields the demo reads, as the API server returns them. */
export interface ReplicaSetLike {
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: { readyReplicas?: number; availableReplicas?: number };
}

type CanaryStep = NonNullable<
  NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps']
>[number];

const HASH_LABEL = 'rollouts-pod-template-hash';
const REVISION = 'rollout.argoproj.io/revision';

function steps(rollout: Rollout): readonly CanaryStep[] {
  return rollout.spec.strategy?.canary?.steps ?? [];
}

/** `setWeight: 20`, `pause`, `pause 10s`, `analysis success-rate`, or the step's first key. */
export function describeStep(step: CanaryStep | undefined): string {
  if (step === undefined) return 'done';
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}%`;
  if (step.pause !== undefined) {
    const duration = step.pause.duration;
    if (duration === undefined) return 'pause (until promoted)';
    return `pause ${typeof duration === 'number' ? `${duration}s` : duration}`;
  }
  if (step.analysis !== undefined)
    return `analysis ${(step.analysis.templates ?? []).map((t) => t.templateName).join(', ')}`.trimEnd();
  return Object.keys(step)[0] ?? 'step';
}

/** The canary weight the steps ask for at the current index: the nearest setWeight at or before it. */
export function setWeight(rollout: Rollout): number {
  const list = steps(rollout);
  const index = rollout.status?.currentStepIndex ?? 0;
  if (rollout.status?.abort === true) return 0;
  if (index >= list.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = list[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

function image(rs: ReplicaSetLike): string {
  const images = (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '?');
  // `argoproj/rollouts-demo:blue` reads as `blue`: the tag is what changes in the demo.
  return images.map((i) => (i.includes(':') ? i.slice(i.lastIndexOf(':') + 1) : i)).join(',');
}

function role(rollout: Rollout, hash: string | undefined): string {
  const status = rollout.status;
  if (hash === undefined) return '';
  if (rollout.spec.strategy?.blueGreen) {
    const roles = [
      hash === status?.stableRS ? 'stable' : '',
      hash === status?.blueGreen?.activeSelector ? 'active' : '',
      hash === status?.blueGreen?.previewSelector ? 'preview' : '',
    ].filter((r) => r !== '');
    return roles.length > 0 ? roles.join(', ') : 'old';
  }
  if (hash === status?.stableRS && hash === status.currentPodHash) return 'stable';
  if (hash === status?.stableRS) return 'stable';
  if (hash === status?.currentPodHash) return 'canary';
  return 'old';
}

/** `blue (stable) 4/4` per ReplicaSet the Rollout owns, newest revision first, empty ones left out. */
export function replicaSetSummary(rollout: Rollout, replicaSets: readonly ReplicaSetLike[]): string {
  const sorted = [...replicaSets].sort(
    (a, b) =>
      Number(b.metadata?.annotations?.[REVISION] ?? 0) - Number(a.metadata?.annotations?.[REVISION] ?? 0),
  );
  const parts = sorted
    .filter((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.readyReplicas ?? 0) > 0)
    .map((rs) => {
      const hash = rs.metadata?.labels?.[HASH_LABEL];
      return `${image(rs)} (${role(rollout, hash)}) ${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0} ready`;
    });
  return parts.length === 0 ? 'no pods' : parts.join(', ');
}

/** One progress line: phase, step i/n (1-based, as the tab and the official plugin count), set weight, sizes. */
export function progressLine(rollout: Rollout, replicaSets: readonly ReplicaSetLike[]): string {
  const status = rollout.status ?? {};
  const list = steps(rollout);
  const index = status.currentStepIndex ?? 0;
  const phase = status.phase ?? 'Pending';
  const message = status.message !== undefined && status.message !== '' ? ` (${status.message})` : '';
  if (rollout.spec.strategy?.blueGreen) {
    const tagOf = (hash: string | undefined) => {
      const rs = replicaSets.find((r) => hash !== undefined && r.metadata?.labels?.[HASH_LABEL] === hash);
      return rs ? image(rs) : 'none';
    };
    const services = `active → ${tagOf(status.blueGreen?.activeSelector)} · preview → ${tagOf(status.blueGreen?.previewSelector)}`;
    return `${phase}${message} · ${services} · ${replicaSetSummary(rollout, replicaSets)}`;
  }
  const step =
    list.length === 0
      ? 'no steps'
      : index >= list.length
        ? `step ${list.length}/${list.length} done`
        : `step ${index + 1}/${list.length} ${describeStep(list[index])}${stepRun(rollout)}`;
  return `${phase}${message} · ${step} · set weight ${setWeight(rollout)}% · ${replicaSetSummary(rollout, replicaSets)}`;
}

/** ` (AnalysisRun Running)` at an analysis step whose run the status records, else nothing. */
function stepRun(rollout: Rollout): string {
  const run = rollout.status?.canary?.currentStepAnalysisRunStatus;
  const atAnalysis = steps(rollout)[rollout.status?.currentStepIndex ?? 0]?.analysis !== undefined;
  return run && atAnalysis ? ` (AnalysisRun ${run.status || 'Pending'})` : '';
}

/**
 * `step 3/8 setWeight 40% completed` for each step between the index last printed and the
 * current one, exclusive: the steps the controller completed between two reads.
 */
export function passedSteps(rollout: Rollout, lastIndex: number | undefined): string[] {
  const list = steps(rollout);
  const index = rollout.status?.currentStepIndex;
  if (lastIndex === undefined || index === undefined || index <= lastIndex + 1) return [];
  const out: string[] = [];
  for (let i = lastIndex + 1; i < index && i < list.length; i++)
    out.push(`step ${i + 1}/${list.length} ${describeStep(list[i])} completed`);
  return out;
}

/**
 * True when the Rollout waits at a canary pause step without a duration, or in a blue-green
 * preview with auto-promotion off: only a promote moves it on.
 */
export function atIndefinitePause(rollout: Rollout): boolean {
  const status = rollout.status;
  if (status === undefined || status.abort === true) return false;
  const blueGreen = rollout.spec.strategy?.blueGreen;
  if (blueGreen) {
    return (
      blueGreen.autoPromotionEnabled === false &&
      !blueGreen.autoPromotionSeconds &&
      (status.pauseConditions ?? []).some((c) => c.reason === 'BlueGreenPause')
    );
  }
  const step = steps(rollout)[status.currentStepIndex ?? 0];
  return (
    step?.pause !== undefined &&
    step.pause.duration === undefined &&
    (status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep')
  );
}

/** Healthy for the current spec: the phase says so and the controller has seen this generation. */
export function isHealthy(rollout: Rollout): boolean {
  return (
    rollout.status?.phase === 'Healthy' &&
    rollout.status.observedGeneration === String(rollout.metadata.generation ?? '')
  );
}
