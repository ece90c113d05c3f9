// The canary `experiment` step (upstream reconcileExperiments): the Experiment made from the step
// (templates copied from the canary or stable ReplicaSet), which Experiment is current, how the
// Rollout reacts to its phase (Successful completes the step, Failed or Error aborts, Inconclusive
// pauses for a human) and which Experiments end or go. Pure; the adapter acts.
import {
  ANALYSIS_PHASE_ERROR,
  ANALYSIS_PHASE_FAILED,
  ANALYSIS_PHASE_INCONCLUSIVE,
  INSTANCE_ID_LABEL,
  PAUSE_REASON_INCONCLUSIVE_ANALYSIS,
  PAUSE_REASON_INCONCLUSIVE_EXPERIMENT,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  type AnalysisRun,
  type Experiment,
  type Rollout,
  type RolloutExperimentStep,
  type TemplateSpec,
} from '@rollout-kit/api';
import { isCompleted } from '../analysis/metric-assessment.ts';
import { rolloutArgValues } from '../analysis/rollout-run.ts';
import { runsToDelete, type RunReaction } from '../analysis/rollout-runs.ts';
import { AnalysisTemplateError } from '../analysis/templates.ts';
import { controllerReference, type ReplicaSet } from '../rollout/replica-set.ts';
import { canarySteps } from './steps.ts';

export interface ExperimentStepInput {
  rollout: Rollout;
  /** Experiments whose controller reference is this Rollout. */
  experiments: readonly Experiment[];
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  /** Hash of the new ReplicaSet. */
  podHash?: string;
  stepHash: string;
  revision: number;
  /** Going back within spec.rollbackWindow: no step Experiment runs. */
  rollbackWithinWindow?: boolean;
}

export interface ExperimentStepPlan {
  /** The Experiment of the current step, when there is one (not yet created: see `create`). */
  current?: Experiment;
  create?: Experiment;
  terminate: Experiment[];
  /** Owned Experiments that are not current: ended, and deleted beyond the history limits. */
  others: Experiment[];
  reaction: RunReaction;
  /** Phase of the current step's Experiment (completes the step when Successful). */
  stepRunPhase?: string;
  /** Whether the status keeps naming `current` as currentExperiment. */
  recordCurrent: boolean;
}

/** `<rollout>-<podHash>-<revision>-<stepIndex>`: the base name of a step's Experiment. */
export const experimentBaseName = (rollout: Rollout, podHash: string, revision: number, index: number) =>
  `${rollout.metadata.name ?? ''}-${podHash}-${revision}-${index}`;

/** Whether `name` is the base name or a collision variant of it (`<base>-<n>`). */
const isVariant = (name: string, base: string) =>
  name === base || (name.startsWith(base) && /^-\d+$/.test(name.slice(base.length)));

export function experimentStepPlan(input: ExperimentStepInput): ExperimentStepPlan {
  const { rollout, podHash } = input;
  const status = rollout.status;
  const named = status?.canary?.currentExperiment;
  const index = status?.currentStepIndex ?? 0;
  const step = canarySteps(rollout)[index];
  const base = podHash ? experimentBaseName(rollout, podHash, input.revision, index) : undefined;
  // As upstream, the current Experiment is the one the status names, nothing else.
  const current = named ? input.experiments.find((e) => e.metadata.name === named) : undefined;
  const plan: ExperimentStepPlan = {
    terminate: [],
    others: input.experiments.filter((e) => e !== current),
    reaction: { kind: 'none' },
    recordCurrent: false,
  };
  const reset = status?.currentPodHash !== podHash || status?.currentStepHash !== input.stepHash;
  const stopped = status?.abort || status?.promoteFull || reset || input.rollbackWithinWindow;
  const held = (status?.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON_INCONCLUSIVE_ANALYSIS);
  const forThisStep =
    current !== undefined && base !== undefined && isVariant(current.metadata.name ?? '', base);
  if (stopped || !step?.experiment || (current && !forThisStep)) {
    if (current) plan.others.push(current);
    plan.terminate = plan.others.filter(running);
    return plan;
  }
  plan.terminate = plan.others.filter(running);
  if (held) {
    plan.current = current;
    plan.recordCurrent = current !== undefined;
    return plan;
  }
  if (!current) {
    if (input.stableRS && input.newRS && podHash) {
      plan.create = experimentFromStep(rollout, step.experiment, {
        name: base ?? '',
        podHash,
        revision: input.revision,
        newRS: input.newRS,
        stableRS: input.stableRS,
      });
      plan.recordCurrent = true;
    }
    return plan;
  }
  plan.current = current;
  const phase = current.status?.phase;
  plan.stepRunPhase = phase;
  if (phase === ANALYSIS_PHASE_INCONCLUSIVE)
    plan.reaction = { kind: 'pause', reason: PAUSE_REASON_INCONCLUSIVE_EXPERIMENT };
  else if (phase === ANALYSIS_PHASE_FAILED || phase === ANALYSIS_PHASE_ERROR) {
    const why = current.status?.message;
    const prefix = 'Experiment analysis phase is error/failed';
    plan.reaction = { kind: 'abort', message: why ? `${prefix}: ${why}` : prefix };
  }
  // As upstream, a Successful Experiment is no longer recorded as current.
  plan.recordCurrent = phase !== 'Successful';
  return plan;
}

const running = (e: Experiment) => e.spec.terminate !== true && !isCompleted(e.status?.phase);

/** Old Experiments to delete, with the same rules and limits as AnalysisRuns. */
export function experimentsToDelete(
  others: readonly Experiment[],
  replicaSets: readonly { hash?: string; deleting: boolean }[],
  limits: Rollout['spec']['analysis'],
): Experiment[] {
  // The same shape matters to the rule: labels, creation time, phase.
  return runsToDelete(others as unknown as AnalysisRun[], replicaSets, limits) as unknown as Experiment[];
}

/**
 * The Experiment for an experiment step (upstream GetExperimentFromTemplate): each template copies
 * the pod template, selector and minReadySeconds of the canary (`specRef: canary`) or stable
 * ReplicaSet, with the step's selector and metadata over them; analyses get the Rollout's args
 * resolved to values. Throws AnalysisTemplateError for a specRef that is neither.
 */
export function experimentFromStep(
  rollout: Rollout,
  step: RolloutExperimentStep,
  ctx: { name: string; podHash: string; revision: number; newRS: ReplicaSet; stableRS: ReplicaSet },
): Experiment {
  const labels: Record<string, string> = { [POD_TEMPLATE_HASH_LABEL]: ctx.podHash };
  const instanceId = rollout.metadata.labels?.[INSTANCE_ID_LABEL];
  if (instanceId) labels[INSTANCE_ID_LABEL] = instanceId;
  const templates: TemplateSpec[] = (step.templates ?? []).map((t) => {
    if (t.specRef !== 'canary' && t.specRef !== 'stable')
      throw new AnalysisTemplateError(`template "${t.name}": specRef must be canary or stable`);
    const rs = t.specRef === 'canary' ? ctx.newRS : ctx.stableRS;
    const podTemplate = structuredClone(rs.spec?.template ?? {});
    const selector = structuredClone(t.selector ?? rs.spec?.selector ?? {});
    if (t.metadata?.labels) {
      podTemplate.metadata = {
        ...(podTemplate.metadata ?? {}),
        labels: { ...(podTemplate.metadata?.labels ?? {}), ...t.metadata.labels },
      };
      selector.matchLabels = { ...(selector.matchLabels ?? {}), ...t.metadata.labels };
    }
    if (t.metadata?.annotations)
      podTemplate.metadata = {
        ...(podTemplate.metadata ?? {}),
        annotations: { ...(podTemplate.metadata?.annotations ?? {}), ...t.metadata.annotations },
      };
    const template: TemplateSpec = { name: t.name, selector, template: podTemplate };
    if (t.replicas !== undefined) template.replicas = t.replicas;
    if (rs.spec?.minReadySeconds) template.minReadySeconds = rs.spec.minReadySeconds;
    if (t.weight !== undefined || t.service)
      template.service = t.service?.name ? { name: t.service.name } : {};
    return template;
  });
  const hashes = {
    latest: ctx.podHash,
    ...(ctx.stableRS.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]
      ? { stable: ctx.stableRS.metadata.labels[POD_TEMPLATE_HASH_LABEL] }
      : {}),
  };
  const analyses = (step.analyses ?? []).map((a) => {
    const values = rolloutArgValues(a.args, rollout, hashes);
    const out: NonNullable<Experiment['spec']['analyses']>[number] = {
      name: a.name,
      templateName: a.templateName,
    };
    if (a.clusterScope) out.clusterScope = true;
    const args = Object.entries(values).map(([name, value]) => ({ name, value }));
    if (args.length > 0) out.args = args;
    if (a.requiredForCompletion) out.requiredForCompletion = true;
    return out;
  });
  const experiment: Experiment = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name: ctx.name,
      namespace: rollout.metadata.namespace ?? '',
      labels,
      annotations: { [REVISION_ANNOTATION]: String(ctx.revision) },
      ownerReferences: [controllerReference(rollout)],
    },
    spec: { templates, progressDeadlineSeconds: rollout.spec.progressDeadlineSeconds ?? 600 },
  };
  if (step.duration) experiment.spec.duration = step.duration;
  if (analyses.length > 0) experiment.spec.analyses = analyses;
  if (step.dryRun?.length) experiment.spec.dryRun = step.dryRun;
  if (step.analysisRunMetadata) experiment.spec.analysisRunMetadata = step.analysisRunMetadata;
  if (step.scaleDownDelaySeconds !== undefined)
    experiment.spec.scaleDownDelaySeconds = step.scaleDownDelaySeconds;
  return experiment;
}
