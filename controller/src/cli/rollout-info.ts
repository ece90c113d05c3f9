// What `get rollout` shows, computed from the objects: the header (phase, step, weights, images,
// replica counts) and the tree (revisions, ReplicaSets with their roles and pods, Experiments,
// AnalysisRuns with their measurement counts and Jobs). As the official plugin's info package.
// Pure: `now` comes in as a parameter.
import type { AnalysisRun, Experiment, ObjectMeta, Rollout } from '@rollout-kit/api';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '@rollout-kit/api';
import { maxTrafficWeight } from '../canary/replicas.ts';
import { canarySteps, currentSetWeight, currentStep } from '../canary/steps.ts';
import { clientPhase } from '../rollout/status.ts';
import { humanDuration } from './human-duration.ts';
import { ICON } from './icons.ts';
import type { PodObject, ReplicaSetObject, RolloutObjects } from './objects.ts';
import { podStatus } from './pod-status.ts';

export type Role = 'stable' | 'canary' | 'active' | 'preview';

export interface PodInfo {
  name: string;
  created?: string;
  status: string;
  icon: string;
  ready: string;
  restarts: number;
}

export interface ReplicaSetInfo {
  name: string;
  created?: string;
  revision: number;
  status: string;
  icon: string;
  roles: Role[];
  /** `delay:<remaining>` or `delay:passed` from the scale-down deadline, or undefined. */
  delay?: string;
  replicas: number;
  images: string[];
  pods: PodInfo[];
}

export interface JobInfo {
  name: string;
  created?: string;
  status: string;
  icon: string;
}

export interface AnalysisRunInfo {
  name: string;
  created?: string;
  revision: number;
  status: string;
  icon: string;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  jobs: JobInfo[];
  /** Per metric: its phase, latest value and the message that decided it (ours, beyond the plugin). */
  metrics: { name: string; phase: string; value?: string; message?: string }[];
}

export interface ExperimentInfo {
  name: string;
  created?: string;
  revision: number;
  status: string;
  icon: string;
  /** The Experiment's own ReplicaSets (one per template) and AnalysisRuns, shown beneath it. */
  replicaSets: ReplicaSetInfo[];
  analysisRuns: AnalysisRunInfo[];
}

export interface ImageInfo {
  image: string;
  tags: Role[];
}

export interface RolloutInfo {
  name: string;
  namespace: string;
  created?: string;
  status: string;
  message: string;
  icon: string;
  strategy: 'Canary' | 'BlueGreen' | 'unknown';
  /** `i/n` for a canary with steps and an index, else ''. */
  step: string;
  setWeight: string;
  actualWeight: string;
  images: ImageInfo[];
  desired: number;
  current: number;
  updated: number;
  ready: number;
  available: number;
  replicaSets: ReplicaSetInfo[];
  analysisRuns: AnalysisRunInfo[];
  experiments: ExperimentInfo[];
}

export function rolloutIcon(phase: string): string {
  switch (phase) {
    case 'Progressing':
      return ICON.progressing;
    case 'Paused':
      return ICON.paused;
    case 'Healthy':
      return ICON.ok;
    case 'Degraded':
      return ICON.bad;
    default:
      return ICON.unknown;
  }
}

/** Icon of an AnalysisRun, Experiment or Job phase (analysis statuses). */
export function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful':
      return ICON.ok;
    case 'Inconclusive':
      return ICON.unknown;
    case 'Failed':
      return ICON.bad;
    case 'Error':
      return ICON.warning;
    case 'Running':
      return ICON.progressing;
    case 'Pending':
      return ICON.waiting;
    default:
      return ' ';
  }
}

export function strategyOf(rollout: Pick<Rollout, 'spec'>): RolloutInfo['strategy'] {
  if (rollout.spec.strategy?.canary) return 'Canary';
  if (rollout.spec.strategy?.blueGreen) return 'BlueGreen';
  return 'unknown';
}

/** The revision annotation as a number, 0 when absent or unparseable. */
export function revisionOf(meta: ObjectMeta): number {
  const n = Number(meta.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

const ownedBy = (meta: ObjectMeta, uid: string | undefined): boolean =>
  uid !== undefined && (meta.ownerReferences ?? []).some((o) => o.uid === uid);

const byCreation = <T extends { name: string; created?: string }>(a: T, b: T): number => {
  const ta = Date.parse(a.created ?? '') || 0;
  const tb = Date.parse(b.created ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

/** ReplicaSet health as the plugin shows it. */
export function replicaSetStatus(rs: ReplicaSetObject): string {
  const generation = rs.metadata.generation ?? 0;
  if (generation > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure?.status === 'True') return 'ReplicaFailure';
  const spec = rs.spec?.replicas;
  if (spec !== undefined && (rs.status?.availableReplicas ?? 0) < spec) return 'Progressing';
  if (spec === 0) return 'ScaledDown';
  return 'Healthy';
}

function replicaSetIcon(status: string): string {
  return (
    { Progressing: ICON.progressing, Healthy: ICON.ok, ReplicaFailure: ICON.bad, ScaledDown: ICON.neutral }[
      status
    ] ?? ' '
  );
}

function rolesOf(rollout: Rollout, hash: string | undefined): Role[] {
  const status = rollout.status ?? {};
  const roles: Role[] = [];
  if (hash === undefined) return roles;
  if (rollout.spec.strategy?.canary) {
    if (status.stableRS === hash) roles.push('stable');
    else if (status.currentPodHash === hash) roles.push('canary');
  }
  if (rollout.spec.strategy?.blueGreen) {
    if (status.stableRS === hash) roles.push('stable');
    if (status.blueGreen?.activeSelector === hash) roles.push('active');
    else if (status.blueGreen?.previewSelector === hash) roles.push('preview');
  }
  return roles;
}

function scaleDownDelay(rs: ReplicaSetObject, now: number): string | undefined {
  const deadline = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  if (!deadline) return undefined;
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) return undefined;
  return at < now ? 'passed' : humanDuration(at - now);
}

function podInfo(pod: PodObject): PodInfo {
  const { status, icon, ready, restarts } = podStatus(pod);
  return {
    name: pod.metadata.name ?? '',
    created: pod.metadata.creationTimestamp,
    status,
    icon,
    ready,
    restarts,
  };
}

/** ReplicaSets controlled by `ownerUid` with their pods, newest revision first. */
function replicaSetInfos(
  objects: RolloutObjects,
  ownerUid: string | undefined,
  roles: (hash: string | undefined) => Role[],
  now: number,
): ReplicaSetInfo[] {
  const infos: (ReplicaSetInfo & { uid?: string })[] = [];
  for (const rs of objects.replicaSets) {
    if (!ownedBy(rs.metadata, ownerUid)) continue;
    const status = replicaSetStatus(rs);
    infos.push({
      uid: rs.metadata.uid,
      name: rs.metadata.name ?? '',
      created: rs.metadata.creationTimestamp,
      revision: revisionOf(rs.metadata),
      status,
      icon: replicaSetIcon(status),
      roles: roles(rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]),
      delay: scaleDownDelay(rs, now),
      replicas: rs.status?.replicas ?? 0,
      images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
      pods: [],
    });
  }
  infos.sort((a, b) => b.revision - a.revision || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const info of infos) {
    info.pods = objects.pods
      .filter((p) => ownedBy(p.metadata, info.uid))
      .map(podInfo)
      .sort(byCreation);
  }
  return infos.map(({ uid: _uid, ...info }) => info);
}

function experimentInfo(objects: RolloutObjects, experiment: Experiment, now: number): ExperimentInfo {
  const uid = experiment.metadata.uid;
  const phase = experiment.status?.phase ?? '';
  return {
    name: experiment.metadata.name ?? '',
    created: experiment.metadata.creationTimestamp,
    revision: revisionOf(experiment.metadata),
    status: phase,
    icon: analysisIcon(phase),
    replicaSets: replicaSetInfos(objects, uid, () => [], now),
    analysisRuns: objects.analysisRuns
      .filter((r) => ownedBy(r.metadata, uid))
      .map(analysisRunInfo)
      .sort(byCreation),
  };
}

function analysisRunInfo(run: AnalysisRun): AnalysisRunInfo {
  const phase = run.status?.phase ?? '';
  const info: AnalysisRunInfo = {
    name: run.metadata.name ?? '',
    created: run.metadata.creationTimestamp,
    revision: revisionOf(run.metadata),
    status: phase,
    icon: analysisIcon(phase),
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    jobs: [],
    metrics: [],
  };
  for (const result of run.status?.metricResults ?? []) {
    info.successful += result.successful ?? 0;
    info.failed += result.failed ?? 0;
    info.inconclusive += result.inconclusive ?? 0;
    info.error += result.error ?? 0;
    const measurements = result.measurements ?? [];
    const last = measurements[measurements.length - 1];
    info.metrics.push({
      name: result.name,
      phase: result.phase,
      value: last?.value,
      message: result.message ?? last?.message,
    });
    for (const m of measurements) {
      const jobName = m.metadata?.['job-name'];
      if (jobName) {
        info.jobs.push({ name: jobName, created: m.startedAt, status: m.phase, icon: analysisIcon(m.phase) });
      }
    }
  }
  return info;
}

/** Images of the ReplicaSets that have pods, each with its roles; sorted by image. */
function imagesOf(replicaSets: readonly ReplicaSetInfo[]): ImageInfo[] {
  const images = new Map<string, Role[]>();
  for (const rs of replicaSets) {
    if (rs.replicas <= 0) continue;
    for (const image of rs.images) {
      const tags = images.get(image) ?? [];
      for (const role of rs.roles) if (!tags.includes(role)) tags.push(role);
      images.set(image, tags);
    }
  }
  return [...images.entries()]
    .map(([image, tags]) => ({ image, tags }))
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}

/** The canary's actual weight: all of maxW once steps are done, else the canary's share of available pods. */
function actualWeight(rollout: Rollout, replicaSets: readonly ReplicaSetObject[], setWeight: number): number {
  const maxW = maxTrafficWeight(rollout);
  if (currentStep(rollout).step === undefined) return maxW;
  const available = rollout.status?.availableReplicas ?? 0;
  if (available <= 0) return 0;
  if (rollout.spec.strategy?.canary?.trafficRouting) {
    return rollout.status?.canary?.weights?.canary.weight ?? setWeight;
  }
  const hash = rollout.status?.currentPodHash;
  const canary = replicaSets.find(
    (rs) =>
      ownedBy(rs.metadata, rollout.metadata.uid) && rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash,
  );
  return Math.trunc(((canary?.status?.availableReplicas ?? 0) * maxW) / available);
}

export function rolloutInfo(objects: RolloutObjects, now: number): RolloutInfo {
  const { rollout } = objects;
  const { phase, message } = clientPhase(rollout);
  const status = rollout.status ?? {};
  const strategy = strategyOf(rollout);
  const replicaSets = replicaSetInfos(objects, rollout.metadata.uid, (hash) => rolesOf(rollout, hash), now);
  const steps = canarySteps(rollout);
  let step = '';
  let setWeight = '';
  let actual = '';
  if (strategy === 'Canary') {
    if (status.currentStepIndex !== undefined && steps.length > 0)
      step = `${status.currentStepIndex}/${steps.length}`;
    const weight = currentSetWeight(rollout, maxTrafficWeight(rollout));
    setWeight = String(weight);
    actual = String(actualWeight(rollout, objects.replicaSets, weight));
  }
  const uid = rollout.metadata.uid;
  return {
    name: rollout.metadata.name ?? '',
    namespace: rollout.metadata.namespace ?? '',
    created: rollout.metadata.creationTimestamp,
    status: phase,
    message,
    icon: rolloutIcon(phase),
    strategy,
    step,
    setWeight,
    actualWeight: actual,
    images: imagesOf(replicaSets),
    desired: rollout.spec.replicas ?? 1,
    current: status.replicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    replicaSets,
    analysisRuns: objects.analysisRuns
      .filter((r) => ownedBy(r.metadata, uid))
      .map(analysisRunInfo)
      .sort(byCreation),
    experiments: objects.experiments
      .filter((e: Experiment) => ownedBy(e.metadata, uid))
      .map((e) => experimentInfo(objects, e, now))
      .sort(byCreation),
  };
}

/** Revisions that have a ReplicaSet, Experiment or AnalysisRun, highest first. */
export function revisions(info: RolloutInfo): number[] {
  const all = new Set<number>();
  for (const x of [...info.replicaSets, ...info.experiments, ...info.analysisRuns]) all.add(x.revision);
  return [...all].sort((a, b) => b - a);
}
