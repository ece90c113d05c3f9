// The summary at the top of the tab: phase, reason and message, strategy, step, weights, images
// with their roles, replica counts. Computed from the Rollout's status and its revisions only.
import { asNumber, asRecord, asString, asStringMap, isTrue } from './read.ts';
import { isFullyPromoted, strategyOf, type RevisionView, type Role, type Strategy } from './revisions.ts';
import { WORKLOAD_GENERATION, type Rollout } from './rollout.ts';
import { canarySteps, currentStepIndex } from './steps.ts';

export interface ImageView {
  image: string;
  roles: Role[];
}

export interface Summary {
  name: string;
  namespace?: string;
  phase: string;
  reason?: string;
  message?: string;
  strategy: Strategy;
  /** "Deployment/web" for a workloadRef Rollout. */
  workloadRef?: string;
  /** Canary with steps: `status.currentStepIndex` (steps done) out of the number of steps. */
  step?: { index?: number; total: number };
  /** Canary: the weight the steps ask for now. */
  setWeight?: number;
  /** Canary: the weight traffic really gets (router) or, without a router, the ready-pod share. */
  actualWeight?: number;
  actualWeightSource?: 'traffic' | 'replicas';
  /** `status.canary.weights.verified`, when the router verifies weights. */
  weightVerified?: boolean;
  maxWeight: number;
  images: ImageView[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  aborted: boolean;
}

/** Generation written as a string by the controller (older ones wrote a number). */
function generationOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : asString(value);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Phase and message the way `kubectl argo rollouts` shows them: while the controller has not
 * observed the latest spec, or a user resume is not yet processed, the stored phase is stale.
 */
export function displayPhase(rollout: Rollout): { phase: string; reason?: string; message?: string } {
  const status = rollout.status;
  const observed = generationOf(status?.observedGeneration);
  const generation = asNumber(rollout.metadata?.generation);
  if (observed !== undefined && generation !== undefined && observed < generation) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  const pauses = status?.pauseConditions;
  if (isTrue(status?.controllerPause) && (!Array.isArray(pauses) || pauses.length === 0)) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  if (asRecord(rollout.spec?.workloadRef) !== undefined) {
    const wanted = asStringMap(rollout.metadata?.annotations)[WORKLOAD_GENERATION];
    if (wanted !== undefined && wanted !== asString(status?.workloadObservedGeneration)) {
      return {
        phase: 'Progressing',
        message: 'waiting for rollout spec update to be observed for the reference workload',
      };
    }
  }
  const phase = asString(status?.phase);
  const message = asString(status?.message);
  if (phase === undefined || phase === '') return { phase: 'Unknown', message: 'no phase reported yet' };
  // The controller writes Degraded messages as "<Reason>: <message>" and Paused messages as the
  // bare pause reason (or "manually paused").
  const degraded = phase === 'Degraded' && message !== undefined ? /^(\w+): ([\s\S]*)$/.exec(message) : null;
  if (degraded !== null) return { phase, reason: degraded[1], message: degraded[2] };
  if (phase === 'Paused' && message !== undefined && message !== '') return { phase, reason: message };
  return message === undefined || message === '' ? { phase } : { phase, message };
}

/** Canary weight the steps want now: 0 when aborted, max when promoted, else the last setWeight reached. */
export function setWeight(rollout: Rollout, maxWeight: number): number | undefined {
  if (isTrue(rollout.status?.abort)) return 0;
  if (isFullyPromoted(rollout)) return maxWeight;
  const steps = canarySteps(rollout);
  const index = currentStepIndex(rollout);
  if (steps.length === 0 || index === undefined) return undefined;
  if (index >= steps.length) return maxWeight;
  for (let i = index; i >= 0; i--) {
    const weight = asNumber(asRecord(steps[i])?.setWeight);
    if (weight !== undefined) return weight;
  }
  return 0;
}

function readyWithRole(revisions: RevisionView[], role: Role): number {
  return revisions.filter((r) => r.roles.includes(role)).reduce((sum, r) => sum + r.readyPods, 0);
}

function actualWeight(
  rollout: Rollout,
  revisions: RevisionView[],
  maxWeight: number,
): Pick<Summary, 'actualWeight' | 'actualWeightSource' | 'weightVerified'> {
  const canary = asRecord(rollout.spec?.strategy?.canary);
  const weights = asRecord(asRecord(rollout.status?.canary)?.weights);
  const routed = asNumber(asRecord(weights?.canary)?.weight);
  // Past the last step the new version is the stable one and has all of it, as the plugin shows
  // (the router's canary weight reads 0 then, both hashes being the same).
  const index = currentStepIndex(rollout);
  const steps = canarySteps(rollout).length;
  if (canary !== undefined && index !== undefined && index >= steps) {
    return { actualWeight: maxWeight, actualWeightSource: routed !== undefined ? 'traffic' : 'replicas' };
  }
  if (routed !== undefined) {
    const verified = weights?.verified;
    return typeof verified === 'boolean'
      ? { actualWeight: routed, actualWeightSource: 'traffic', weightVerified: verified }
      : { actualWeight: routed, actualWeightSource: 'traffic' };
  }
  if (canary === undefined || asRecord(canary.trafficRouting) !== undefined) return {};
  // Without a router, traffic follows pods: the canary's share of the ready pods.
  const canaryReady = readyWithRole(revisions, 'canary');
  const total = canaryReady + readyWithRole(revisions, 'stable');
  return total === 0
    ? {}
    : { actualWeight: Math.round((100 * canaryReady) / total), actualWeightSource: 'replicas' };
}

/**
 * Images with their roles, stable (or active) first. When no revision with a role shows an image
 * (the controller has not written its status yet, say), the images the revision cards show are
 * listed without roles, so the summary never says "none" while a card shows one.
 */
function images(revisions: RevisionView[]): ImageView[] {
  const withRoles = imagesOf(revisions.filter((r) => r.roles.length > 0));
  if (withRoles.length > 0) return withRoles;
  return imagesOf(revisions);
}

function imagesOf(revisions: RevisionView[]): ImageView[] {
  const byImage = new Map<string, Set<Role>>();
  for (const revision of revisions) {
    for (const image of revision.images) {
      const roles = byImage.get(image) ?? new Set<Role>();
      revision.roles.forEach((r) => roles.add(r));
      byImage.set(image, roles);
    }
  }
  const order: Role[] = ['stable', 'active', 'canary', 'preview'];
  // Stable (or active) first, then the new version.
  return [...byImage]
    .map(([image, roles]) => ({ image, roles: order.filter((r) => roles.has(r)) }))
    .sort((a, b) => order.indexOf(a.roles[0] ?? 'preview') - order.indexOf(b.roles[0] ?? 'preview'));
}

/**
 * The step as the summary and the all-Rollouts table show it, numbered like the step timeline
 * (from 1): `2/5` while step 2 of 5 runs, `5/5 done` once every step is done, `–/5` when the
 * status names no step. (`kubectl argo rollouts get` prints the count of steps done instead.)
 */
export function stepLabel(step: { index?: number; total: number }): string {
  if (step.index === undefined) return `–/${step.total}`;
  if (step.index >= step.total) return `${step.total}/${step.total} done`;
  return `${step.index + 1}/${step.total}`;
}

export function rolloutSummary(rollout: Rollout, revisions: RevisionView[]): Summary {
  const status = rollout.status;
  const strategy = strategyOf(rollout);
  const maxWeight =
    asNumber(asRecord(rollout.spec?.strategy?.canary?.trafficRouting)?.maxTrafficWeight) ?? 100;
  const summary: Summary = {
    name: asString(rollout.metadata?.name) ?? '',
    ...displayPhase(rollout),
    strategy,
    maxWeight,
    images: images(revisions),
    replicas: {
      desired: asNumber(rollout.spec?.replicas) ?? 1,
      current: asNumber(status?.replicas) ?? 0,
      updated: asNumber(status?.updatedReplicas) ?? 0,
      ready: asNumber(status?.readyReplicas) ?? 0,
      available: asNumber(status?.availableReplicas) ?? 0,
    },
    aborted: isTrue(status?.abort),
  };
  const namespace = asString(rollout.metadata?.namespace);
  if (namespace !== undefined) summary.namespace = namespace;
  const ref = asRecord(rollout.spec?.workloadRef);
  if (ref !== undefined) summary.workloadRef = `${asString(ref.kind) ?? '?'}/${asString(ref.name) ?? '?'}`;
  if (strategy === 'canary') {
    const total = canarySteps(rollout).length;
    if (total > 0) {
      const index = currentStepIndex(rollout);
      summary.step = index === undefined ? { total } : { index, total };
    }
    const weight = setWeight(rollout, maxWeight);
    if (weight !== undefined) summary.setWeight = weight;
    Object.assign(summary, actualWeight(rollout, revisions, maxWeight));
  }
  return summary;
}
