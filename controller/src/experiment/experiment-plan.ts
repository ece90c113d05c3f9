// What an Experiment needs in one reconcile: a ReplicaSet per template (named
// `<experiment>-<template>`, sized to the template's replicas while it runs), an AnalysisRun per
// analysis once every template is available, and its phase — Pending until the templates are
// available (`availableAt`), Running, then the analyses' verdict when one fails or is
// Inconclusive, when `duration` has passed, or (without a duration) when the analyses required
// for completion succeeded. A completed Experiment ends its runs and scales its ReplicaSets to 0
// after `scaleDownDelaySeconds` (30 by default). Pure; the adapter acts and writes the status.
import {
  type AnalysisRun,
  type Experiment,
  type ExperimentAnalysisRunStatus,
  type ExperimentStatus,
  type TemplateSpec,
  type TemplateStatus,
} from '@rollout-kit/api';
import { isCompleted } from '../analysis/metric-assessment.ts';
import { parseGoDuration } from '../go-duration.ts';
import { withExperimentConditions } from './experiment-conditions.ts';
import { serviceActions, templateServiceName, type OwnedService } from './experiment-services.ts';

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_EXPERIMENT_SCALE_DOWN_DELAY_SECONDS = 30;

/** Worse phases later, as for AnalysisRuns. */
const ORDER = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];
const worst = (phases: readonly string[]): string | undefined =>
  phases.reduce<string | undefined>(
    (w, p) => (w === undefined || ORDER.indexOf(p) > ORDER.indexOf(w) ? p : w),
    undefined,
  );

/** The counts of a template's ReplicaSet as the plan needs them. */
export interface TemplateReplicaSet {
  name: string;
  specReplicas: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  hash?: string;
  /** The scale-down-deadline annotation, when the ReplicaSet waits to be scaled down. */
  scaleDownDeadline?: string;
}

export interface ExperimentPlanInput {
  experiment: Experiment;
  /** The template ReplicaSets that exist, by template name. */
  replicaSets: ReadonlyMap<string, TemplateReplicaSet>;
  /** The runs of the analyses that exist, by analysis name. */
  runs: ReadonlyMap<string, AnalysisRun>;
  /** The template Services the Experiment controls, by template name. */
  services?: ReadonlyMap<string, OwnedService>;
  now: number;
}

export interface ExperimentPlan {
  /** Templates whose ReplicaSet must be created (at 0 replicas, then scaled). */
  createReplicaSets: string[];
  /** ReplicaSets to scale: to the template's replicas, or to 0 once the delay after completion passed. */
  scale: { name: string; to: number }[];
  /** ReplicaSets to mark with a scale-down deadline (RFC 3339) when the Experiment completes. */
  markScaleDown: { name: string; deadline: string }[];
  /** Analyses whose run must be created. */
  createRuns: string[];
  /** Runs to end (the Experiment completed or is terminating). */
  terminateRuns: AnalysisRun[];
  /** Templates whose Service must be created. */
  createServices: string[];
  /** Template Services to delete, by name. */
  deleteServices: string[];
  status: ExperimentStatus;
  /** When to look again (epoch ms). */
  recheckAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const wanted = (t: TemplateSpec) => t.replicas ?? 1;
const available = (t: TemplateSpec, rs: TemplateReplicaSet | undefined) =>
  rs !== undefined && rs.specReplicas === wanted(t) && rs.availableReplicas >= wanted(t);

/** Seconds of a Go duration string (`"30s"`, `"1m"`); a bare number is seconds; undefined if unset. */
export function durationSeconds(duration: string | undefined): number | undefined {
  if (duration === undefined || duration === '') return undefined;
  if (/^\d+$/.test(duration)) return Number(duration);
  const nanos = parseGoDuration(duration);
  return nanos === undefined ? undefined : nanos / 1e9;
}

export function experimentPlan(input: ExperimentPlanInput): ExperimentPlan {
  const { experiment, replicaSets, runs, now } = input;
  const spec = experiment.spec;
  const old = experiment.status ?? {};
  const templates = spec.templates ?? [];
  const plan: ExperimentPlan = {
    createReplicaSets: [],
    scale: [],
    markScaleDown: [],
    createRuns: [],
    terminateRuns: [],
    createServices: [],
    deleteServices: [],
    status: {},
  };
  const completedBefore = isCompleted(old.phase);
  let availableAt = old.availableAt;
  if (!availableAt && templates.length > 0 && templates.every((t) => available(t, replicaSets.get(t.name))))
    availableAt = iso(now);

  // The verdict, worst first: a template that never became available, a failed analysis, time up.
  let phase = completedBefore ? (old.phase as string) : availableAt ? 'Running' : 'Pending';
  let message = completedBefore ? old.message : undefined;
  const recheck: number[] = [];
  const started = Date.parse(experiment.metadata.creationTimestamp ?? '') || now;
  const deadline = started + (spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
  let failedTemplate: string | undefined;
  if (!completedBefore && !availableAt) {
    if (now > deadline) {
      failedTemplate = templates.find((t) => !available(t, replicaSets.get(t.name)))?.name;
      phase = 'Failed';
      message = `Template '${failedTemplate}' exceeded its progressDeadlineSeconds (${spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS})`;
    } else recheck.push(deadline + 1_000);
  }
  const analyses = spec.analyses ?? [];
  const runPhases = analyses.map((a) => runs.get(a.name)?.status?.phase ?? 'Pending');
  if (!isCompleted(phase)) {
    const bad = worst(runPhases.filter((p) => p === 'Failed' || p === 'Error' || p === 'Inconclusive'));
    const seconds = durationSeconds(spec.duration);
    if (bad) {
      const culprit = analyses.find((_a, i) => runPhases[i] === bad);
      const run = culprit ? runs.get(culprit.name) : undefined;
      phase = bad;
      message = `Analysis '${culprit?.name}' ${bad.toLowerCase()}${run?.status?.message ? `: ${run.status.message}` : ''}`;
    } else if (spec.terminate) {
      phase = 'Successful';
      message = 'Experiment terminated';
    } else if (availableAt && seconds !== undefined) {
      const ends = Date.parse(availableAt) + seconds * 1000;
      if (now >= ends) {
        phase = 'Successful';
        message = 'Experiment completed';
      } else recheck.push(ends + 500);
    } else if (availableAt && analyses.length > 0) {
      const required = analyses.filter((a) => a.requiredForCompletion);
      const decisive = required.length > 0 ? required : analyses;
      if (decisive.every((a) => runs.get(a.name)?.status?.phase === 'Successful')) {
        phase = 'Successful';
        message = 'Experiment completed';
      }
    }
  }
  const completed = isCompleted(phase);

  // ReplicaSets: one per template; full size while running, 0 after the delay once completed.
  const delay = spec.scaleDownDelaySeconds ?? DEFAULT_EXPERIMENT_SCALE_DOWN_DELAY_SECONDS;
  for (const t of templates) {
    const rs = replicaSets.get(t.name);
    if (!rs) {
      if (!completed) plan.createReplicaSets.push(t.name);
      continue;
    }
    if (!completed) {
      if (rs.specReplicas !== wanted(t)) plan.scale.push({ name: rs.name, to: wanted(t) });
      continue;
    }
    if (rs.specReplicas === 0) continue;
    if (delay <= 0) {
      plan.scale.push({ name: rs.name, to: 0 });
    } else if (!rs.scaleDownDeadline) {
      plan.markScaleDown.push({ name: rs.name, deadline: iso(now + delay * 1000) });
      recheck.push(now + delay * 1000 + 500);
    } else {
      const due = Date.parse(rs.scaleDownDeadline);
      if (Number.isNaN(due) || now >= due) plan.scale.push({ name: rs.name, to: 0 });
      else recheck.push(due + 500);
    }
  }

  // Analyses start once every template is available, and end with the Experiment.
  const analysisRuns: ExperimentAnalysisRunStatus[] = [];
  for (const a of analyses) {
    const run = runs.get(a.name);
    if (!run) {
      if (availableAt && !completed) plan.createRuns.push(a.name);
      continue;
    }
    if (completed && run.spec.terminate !== true && !isCompleted(run.status?.phase))
      plan.terminateRuns.push(run);
    const entry: ExperimentAnalysisRunStatus = {
      name: a.name,
      analysisRun: run.metadata.name ?? '',
      phase: run.status?.phase ?? 'Pending',
    };
    if (run.status?.message) entry.message = run.status.message;
    analysisRuns.push(entry);
  }

  // Template Services: while the template runs; gone once its ReplicaSet is scaled down.
  const services = input.services ?? new Map<string, OwnedService>();
  const scaledToZero = new Set(plan.scale.filter((s) => s.to === 0).map((s) => s.name));
  const svc = serviceActions({
    experiment,
    services,
    completed,
    replicaSets: new Map(
      [...replicaSets].map(([t, rs]) => [
        t,
        {
          ...(rs.hash ? { hash: rs.hash } : {}),
          scaledDown: rs.specReplicas === 0 || scaledToZero.has(rs.name),
        },
      ]),
    ),
  });
  plan.createServices = svc.create;
  plan.deleteServices = svc.delete;
  const serviceOf = (t: TemplateSpec): string | undefined => {
    if (svc.create.includes(t.name)) return templateServiceName(experiment, t);
    const existing = services.get(t.name)?.name;
    return existing && !svc.delete.includes(existing) ? existing : undefined;
  };

  plan.status = {
    ...old,
    phase,
    templateStatuses: templates.map((t) =>
      templateStatus(t, replicaSets.get(t.name), old.templateStatuses, {
        phase,
        failed: t.name === failedTemplate,
        now,
        serviceName: serviceOf(t),
      }),
    ),
  };
  if (message) plan.status.message = message;
  else delete plan.status.message;
  if (availableAt) plan.status.availableAt = availableAt;
  if (analysisRuns.length > 0) plan.status.analysisRuns = analysisRuns;
  plan.status = withExperimentConditions(experiment, plan.status, {
    now: iso(now),
    nowMs: now,
    durationSeconds: durationSeconds(spec.duration),
  });
  if (recheck.length > 0) plan.recheckAt = Math.min(...recheck);
  return plan;
}

function templateStatus(
  t: TemplateSpec,
  rs: TemplateReplicaSet | undefined,
  before: readonly TemplateStatus[] | undefined,
  ctx: { phase: string; failed: boolean; now: number; serviceName: string | undefined },
): TemplateStatus {
  const previous = before?.find((s) => s.name === t.name);
  const status = ctx.failed
    ? 'Failed'
    : isCompleted(ctx.phase)
      ? ctx.phase === 'Successful'
        ? 'Successful'
        : (previous?.status ?? 'Running')
      : available(t, rs)
        ? 'Running'
        : 'Progressing';
  const out: TemplateStatus = {
    name: t.name,
    replicas: rs?.replicas ?? 0,
    updatedReplicas: rs?.replicas ?? 0,
    readyReplicas: rs?.readyReplicas ?? 0,
    availableReplicas: rs?.availableReplicas ?? 0,
    status,
    lastTransitionTime:
      previous?.status === status && previous.lastTransitionTime ? previous.lastTransitionTime : iso(ctx.now),
  };
  if (rs?.hash) out.podTemplateHash = rs.hash;
  if (ctx.serviceName) out.serviceName = ctx.serviceName;
  if (previous?.collisionCount !== undefined) out.collisionCount = previous.collisionCount;
  return out;
}
