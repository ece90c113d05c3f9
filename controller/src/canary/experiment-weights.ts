// The traffic an experiment step's templates get through the router (upstream 1.9's
// calculateWeightDestinationsFromExperiment): while the Experiment of the experiment step in
// effect (the current step, or the last experiment step before it) is Running, one destination
// per template that has a `weight` in the step — its Service and pod-template hash as the
// Experiment's status records them. None otherwise, which is how the destinations leave the
// router when the Experiment ends. Pure.
import type { Experiment, Rollout, WeightDestination } from '@rollout-kit/api';
import { canarySteps } from './steps.ts';

/** The experiment step in effect at the current step index, if any. */
function experimentStepInEffect(rollout: Pick<Rollout, 'spec' | 'status'>) {
  const steps = canarySteps(rollout);
  const index = rollout.status?.currentStepIndex ?? 0;
  if (index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const experiment = steps[i]?.experiment;
    if (experiment) return experiment;
  }
  return undefined;
}

export function experimentWeightDestinations(
  rollout: Pick<Rollout, 'spec' | 'status'>,
  experiment: Pick<Experiment, 'status'> | undefined,
): WeightDestination[] {
  const step = experimentStepInEffect(rollout);
  if (!step || experiment?.status?.phase !== 'Running') return [];
  const out: WeightDestination[] = [];
  for (const t of experiment.status.templateStatuses ?? []) {
    // Upstream takes every template status and dereferences its weight; a template without a
    // weight (or with no Service yet) gets no traffic here rather than a crash.
    const weight = step.templates?.find((s) => s.name === t.name)?.weight;
    if (weight === undefined || !t.serviceName) continue;
    out.push({
      weight,
      serviceName: t.serviceName,
      ...(t.podTemplateHash ? { podTemplateHash: t.podTemplateHash } : {}),
    });
  }
  return out;
}
