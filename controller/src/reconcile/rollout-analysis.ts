// The Rollout's AnalysisRuns, the adapter side: reads the runs it owns (the informer cache, plus a
// read of any run its status names that the cache has not seen yet), creates the runs the pure
// plan asks for (templates read from the API, names made unique as upstream does), terminates
// runs that are no longer current and deletes old ones beyond the history limits. Decisions are
// canary/analysis-step.ts and analysis/rollout-runs.ts; this only carries them out.
import {
  INSTANCE_ID_LABEL,
  type AnalysisRun,
  type AnalysisTemplateRef,
  type AnalysisTemplateSpec,
  type Experiment,
  type Rollout,
  type RolloutAnalysis,
  type RolloutStatus,
} from '@rollout-kit/api';
import { isCompleted } from '../analysis/metric-assessment.ts';
import { currentRunNames, type RunReaction } from '../analysis/rollout-runs.ts';
import { newRolloutAnalysisRun, type RolloutRunType } from '../analysis/rollout-run.ts';
import { AnalysisTemplateError, type TemplateLookup } from '../analysis/templates.ts';
import {
  canaryAnalysisPlan,
  canaryAnalysisStatus,
  otherRunsPlan,
  type CanaryAnalysisPlan,
} from '../canary/analysis-step.ts';
import type { KubeClient } from '../kube/client.ts';
import { ForbiddenError, isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import type { Informer } from '../kube/informer.ts';
import type { Logger } from '../observe/logger.ts';
import { deleteOwned, terminateOwned, type OwnedKind } from './owned-object.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import type { FieldError } from '../rollout/validate.ts';
import { hashOf } from '../rollout/replica-set.ts';
import type { CanaryRunContext, RunContext } from './run-context.ts';

export interface RolloutAnalysisDeps {
  client: KubeClient;
  analysisRuns: Informer<AnalysisRun>;
  log: Logger;
}

const runsPath = (namespace: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/analysisruns`;

/** The runs whose controller reference is the Rollout, as upstream getAnalysisRunsForRollout. */
export async function ownedRuns(deps: RolloutAnalysisDeps, rollout: Rollout): Promise<AnalysisRun[]> {
  const namespace = rollout.metadata.namespace ?? '';
  const uid = rollout.metadata.uid;
  const owned = deps.analysisRuns
    .list(namespace)
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid));
  // A run the status names but the cache has not seen yet (just created): read it.
  for (const name of Object.values(currentRunNames(rollout.status))) {
    if (!name || owned.some((r) => r.metadata.name === name)) continue;
    try {
      const run = await kubeCall(`reading AnalysisRun ${namespace}/${name}`, () =>
        deps.client.requestJson<AnalysisRun>('GET', `${runsPath(namespace)}/${encodeURIComponent(name)}`),
      );
      if (run.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid)) owned.push(run);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return owned.map((r) => structuredClone(r));
}

export interface CanaryAnalysisOutcome {
  plan: CanaryAnalysisPlan;
  /** The current runs after this pass (created ones included). */
  step?: AnalysisRun;
  background?: AnalysisRun;
  /** A run could not be made from its templates: the error for the InvalidSpec condition. */
  invalid?: FieldError;
}

/** Plans and carries out the canary's analysis for one reconcile. */
export async function reconcileCanaryAnalysis(
  deps: RolloutAnalysisDeps,
  rollout: Rollout,
  ctx: CanaryRunContext,
): Promise<CanaryAnalysisOutcome> {
  const podHash = ctx.newRS ? hashOf(ctx.newRS) : undefined;
  const runs = await ownedRuns(deps, rollout);
  const plan = canaryAnalysisPlan({
    rollout,
    runs,
    stepHash: ctx.stepHash,
    ...(podHash ? { podHash } : {}),
    ...(ctx.rollbackWithinWindow ? { rollbackWithinWindow: true } : {}),
  });
  const outcome: CanaryAnalysisOutcome = { plan, step: plan.step, background: plan.background };
  for (const want of plan.create) {
    const made = await createRolloutRun(deps, rollout, ctx, want, analysisField(want.type, want.stepIndex));
    if ('invalid' in made) {
      outcome.invalid = made.invalid;
      continue;
    }
    if (want.type === 'Step') outcome.step = made.run;
    else outcome.background = made.run;
  }
  for (const run of plan.terminate) await terminateRun(deps, run);
  const currentNames = [outcome.step, outcome.background].flatMap((r) => (r ? [r.metadata.name ?? ''] : []));
  const rest = otherRunsPlan(plan, currentNames, {
    replicaSets: ctx.owned.map((rs) => ({
      hash: hashOf(rs),
      deleting: Boolean(rs.metadata.deletionTimestamp),
    })),
    limits: rollout.spec.analysis,
  });
  for (const run of rest.terminate) await terminateRun(deps, run);
  for (const run of rest.delete) await deleteRun(deps, run);
  return outcome;
}

/** Where the analysis that makes a run of `type` sits in the spec, for error messages. */
function analysisField(type: RolloutRunType, stepIndex?: number): string {
  if (type === 'Step') return `spec.strategy.canary.steps[${stepIndex ?? 0}].analysis.templates`;
  if (type === 'Background') return 'spec.strategy.canary.analysis.templates';
  const which = type === 'PrePromotion' ? 'prePromotionAnalysis' : 'postPromotionAnalysis';
  return `spec.strategy.blueGreen.${which}.templates`;
}

/**
 * Reads the templates `refs` name, nested ones included, into a lookup for the pure run builder.
 * A template that does not exist is left out (the builder reports it by name).
 */
export async function readTemplates(
  deps: Pick<RolloutAnalysisDeps, 'client'>,
  owner: { metadata: { namespace?: string } },
  refs: readonly AnalysisTemplateRef[],
): Promise<TemplateLookup> {
  const namespace = owner.metadata.namespace ?? '';
  const namespaced = new Map<string, AnalysisTemplateSpec>();
  const cluster = new Map<string, AnalysisTemplateSpec>();
  const queue = [...refs];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const ref = queue.shift() as AnalysisTemplateRef;
    const name = ref.templateName ?? '';
    const key = `${ref.clusterScope ? 'c' : 'n'}/${name}`;
    if (seen.has(key) || !name) continue;
    seen.add(key);
    const path = ref.clusterScope
      ? `/apis/argoproj.io/v1alpha1/clusteranalysistemplates/${encodeURIComponent(name)}`
      : `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/analysistemplates/${encodeURIComponent(name)}`;
    let spec: AnalysisTemplateSpec;
    try {
      spec = (
        await kubeCall(
          `reading ${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} ${name}`,
          () => deps.client.requestJson<{ spec: AnalysisTemplateSpec }>('GET', path),
        )
      ).spec;
    } catch (error) {
      if (isNotFound(error)) continue;
      // A namespaced install may not read ClusterAnalysisTemplates: say so on the Rollout.
      if (error instanceof ForbiddenError)
        throw new AnalysisTemplateError(
          `${ref.clusterScope ? 'clusteranalysistemplate' : 'analysistemplate'}.argoproj.io "${name}" cannot be read: forbidden`,
        );
      throw error;
    }
    (ref.clusterScope ? cluster : namespaced).set(name, spec);
    queue.push(...(spec.templates ?? []));
  }
  return { namespaced: (n) => namespaced.get(n), cluster: (n) => cluster.get(n) };
}

/** JSON with object keys sorted, so specs compare equal whatever order the API server kept. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sameSpec = (a: AnalysisRun['spec'], b: AnalysisRun['spec']) =>
  canonical([a.metrics, a.args, a.dryRun, a.measurementRetention]) ===
  canonical([b.metrics, b.args, b.dryRun, b.measurementRetention]);

/**
 * Creates the run; when its name is taken (upstream CreateWithCollisionCounter) an unfinished run
 * of ours with the same spec is taken as this one (a pass on a stale cache, or a restart), and
 * anything else moves the name on to `<name>.1`, `<name>.2`, …
 */
/**
 * Makes the run a Rollout asks for from its templates and creates it; a template that cannot be
 * read is the InvalidSpec error at `field` instead (canary steps and background, blue-green hooks).
 */
export async function createRolloutRun(
  deps: RolloutAnalysisDeps,
  rollout: Rollout,
  ctx: RunContext,
  want: { type: RolloutRunType; analysis: RolloutAnalysis; stepIndex?: number },
  field: string,
): Promise<{ run: AnalysisRun } | { invalid: FieldError }> {
  let run: AnalysisRun;
  try {
    const templates = await readTemplates(deps, rollout, want.analysis.templates ?? []);
    const stableHash = ctx.stableRS ? hashOf(ctx.stableRS) : undefined;
    const instanceId = rollout.metadata.labels?.[INSTANCE_ID_LABEL];
    run = newRolloutAnalysisRun({
      rollout,
      type: want.type,
      analysis: want.analysis,
      templates,
      podHash: (ctx.newRS && hashOf(ctx.newRS)) ?? '',
      ...(stableHash ? { stableHash } : {}),
      revision: ctx.revision,
      ...(want.stepIndex !== undefined ? { stepIndex: want.stepIndex } : {}),
      ...(instanceId ? { instanceId } : {}),
    });
  } catch (error) {
    if (!(error instanceof AnalysisTemplateError)) throw error;
    const value = (want.analysis.templates ?? []).map((t) => t.templateName).join(', ');
    return { invalid: { type: 'Invalid value', field, value, detail: error.message } };
  }
  return { run: await createRun(deps, run) };
}

export async function createRun(deps: RolloutAnalysisDeps, run: AnalysisRun): Promise<AnalysisRun> {
  const namespace = run.metadata.namespace ?? '';
  const base = run.metadata.name ?? '';
  const owner = run.metadata.ownerReferences?.[0]?.uid;
  for (let collision = 0; ; collision++) {
    const name = collision === 0 ? base : `${base}.${collision}`;
    const body = { ...run, metadata: { ...run.metadata, name } };
    try {
      const created = await kubeCall(`creating AnalysisRun ${namespace}/${name}`, () =>
        deps.client.requestJson<AnalysisRun>('POST', runsPath(namespace), { body }),
      );
      deps.log.info(
        { analysisRun: name, type: run.metadata.labels?.['rollout-type'] },
        'created AnalysisRun',
      );
      return created;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    let existing: AnalysisRun;
    try {
      existing = await kubeCall(`reading AnalysisRun ${namespace}/${name}`, () =>
        deps.client.requestJson<AnalysisRun>('GET', `${runsPath(namespace)}/${encodeURIComponent(name)}`),
      );
    } catch (error) {
      if (isNotFound(error)) {
        collision--; // deleted meanwhile: try the same name again
        continue;
      }
      throw error;
    }
    const ours = existing.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === owner);
    if (ours && !isCompleted(existing.status?.phase) && sameSpec(existing.spec, run.spec)) return existing;
  }
}

const ANALYSIS_RUN: OwnedKind = { kind: 'AnalysisRun', plural: 'analysisruns', logKey: 'analysisRun' };

export const terminateRun = (deps: RolloutAnalysisDeps, run: AnalysisRun): Promise<void> =>
  terminateOwned(deps, ANALYSIS_RUN, run);

export const deleteRun = (deps: RolloutAnalysisDeps, run: AnalysisRun): Promise<void> =>
  deleteOwned(deps, ANALYSIS_RUN, run);

/** Both reactions as one: an abort wins over a pause, analysis first. */
export function combinedReaction(...reactions: (RunReaction | undefined)[]): RunReaction {
  return (
    reactions.find((r) => r?.kind === 'abort') ??
    reactions.find((r) => r?.kind === 'pause') ?? { kind: 'none' }
  );
}

/**
 * Progression's status fields with this pass's analysis statuses and current Experiment in
 * status.canary, and the Events of run phase changes. The step's run or Experiment is dropped once
 * progression moved past its step.
 */
export function withCanaryAnalysis(
  old: Rollout['status'],
  fields: Partial<RolloutStatus>,
  outcome: CanaryAnalysisOutcome,
  experiment?: { current?: Experiment; plan: { recordCurrent: boolean } },
): { fields: Partial<RolloutStatus>; events: RolloutEvent[] } {
  const stepMovedOn = (fields.currentStepIndex ?? 0) > (old?.currentStepIndex ?? 0);
  const { canary, events } = canaryAnalysisStatus(old, outcome.plan, {
    ...(outcome.step ? { step: outcome.step } : {}),
    ...(outcome.background ? { background: outcome.background } : {}),
    stepMovedOn,
  });
  const {
    currentStepAnalysisRunStatus: _step,
    currentBackgroundAnalysisRunStatus: _background,
    currentExperiment: _experiment,
    ...rest
  } = fields.canary ?? {};
  const merged: NonNullable<RolloutStatus['canary']> = { ...rest, ...canary };
  const name = experiment?.current?.metadata.name;
  if (name && experiment?.plan.recordCurrent && !stepMovedOn && !outcome.plan.reset)
    merged.currentExperiment = name;
  return { fields: { ...fields, canary: Object.keys(merged).length > 0 ? merged : undefined }, events };
}
