// The Experiment's InvalidSpec condition (upstream VerifyExperimentSpec): each template needs a
// selector that is not empty, a minReadySeconds within the progress deadline and a name of its
// own. An invalid Experiment gets the condition and nothing else happens until it is fixed; a
// fixed one loses it. Texts as upstream's, so clients matching on them keep working. Pure.
import type { Condition, Experiment, ExperimentStatus } from '@rollout-kit/api';

export const EXPERIMENT_INVALID_SPEC = 'InvalidSpec';
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** The first problem of the spec, in upstream's order, or undefined when it is valid. */
export function experimentSpecProblem(experiment: Pick<Experiment, 'metadata' | 'spec'>): string | undefined {
  const name = experiment.metadata.name ?? '';
  const deadline = experiment.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const seen = new Set<string>();
  for (const [i, template] of (experiment.spec.templates ?? []).entries()) {
    const selector = template.selector as Experiment['spec']['templates'][number]['selector'] | undefined;
    if (!selector) return `Rollout has missing field '.Spec.Templates[${i}].Selector'`;
    if (Object.keys(selector).length === 0)
      return `This experiment is selecting all pods at index ${i}. A non-empty selector is required.`;
    if ((template.minReadySeconds ?? 0) > deadline)
      return `MinReadySeconds cannot be longer than ProgressDeadlineSeconds. Check template index ${i}`;
    if (!template.name) return `Experiment ${name} has empty template name at index ${i}`;
    if (seen.has(template.name))
      return `Experiment ${name} has repeated template name '${template.name}' in templates`;
    seen.add(template.name);
  }
  return undefined;
}

/**
 * `status` with the InvalidSpec condition for `problem`, or without it when `problem` is
 * undefined. The same message keeps the condition as it is: upstream also moves lastUpdateTime,
 * which would make every pass a write and every write another pass.
 */
export function withInvalidSpec(
  status: ExperimentStatus,
  problem: string | undefined,
  now: string,
): ExperimentStatus {
  const old = (status.conditions ?? []).find((c) => c.type === EXPERIMENT_INVALID_SPEC);
  const others = (status.conditions ?? []).filter((c) => c.type !== EXPERIMENT_INVALID_SPEC);
  let conditions = others;
  if (problem !== undefined) {
    const condition: Condition =
      old && old.message === problem
        ? old
        : {
            type: EXPERIMENT_INVALID_SPEC,
            status: 'True',
            reason: 'InvalidSpec',
            message: problem,
            lastUpdateTime: now,
            lastTransitionTime: now,
          };
    conditions = [...others, condition];
  }
  const out = { ...status };
  if (conditions.length > 0) out.conditions = conditions;
  else delete out.conditions;
  return out;
}
