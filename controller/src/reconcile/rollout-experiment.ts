// The canary `experiment` step, the adapter side: reads the Experiments the Rollout owns, creates
// the step's Experiment (a taken name moves on to `<name>-1`, `<name>-2`, … unless it is ours,
// unfinished and the same), ends Experiments that are no longer current and deletes old ones
// beyond the history limits. Decisions are canary/experiment-step.ts.
import { EVENT_EXPERIMENT_CREATED, type Experiment, type Rollout } from '@rollout-kit/api';
import { isCompleted } from '../analysis/metric-assessment.ts';
import { AnalysisTemplateError } from '../analysis/templates.ts';
import {
  experimentStepPlan,
  experimentsToDelete,
  type ExperimentStepPlan,
} from '../canary/experiment-step.ts';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import type { Informer } from '../kube/informer.ts';
import type { Logger } from '../observe/logger.ts';
import { deleteOwned, terminateOwned, type OwnedKind } from './owned-object.ts';
import type { RolloutEvent } from '../rollout/events.ts';
import { hashOf } from '../rollout/replica-set.ts';
import type { FieldError } from '../rollout/validate.ts';
import { canonical } from './rollout-analysis.ts';
import type { CanaryRunContext } from './run-context.ts';

export interface RolloutExperimentDeps {
  client: KubeClient;
  experiments: Informer<Experiment>;
  log: Logger;
}

const experimentsPath = (namespace: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/experiments`;

export interface ExperimentStepOutcome {
  plan: ExperimentStepPlan;
  /** The step's Experiment after this pass (created ones included). */
  current?: Experiment;
  events: RolloutEvent[];
  invalid?: FieldError;
}

export async function reconcileExperimentStep(
  deps: RolloutExperimentDeps,
  rollout: Rollout,
  ctx: CanaryRunContext,
): Promise<ExperimentStepOutcome> {
  const namespace = rollout.metadata.namespace ?? '';
  const uid = rollout.metadata.uid;
  const experiments = deps.experiments
    .list(namespace)
    .filter((e) => e.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid))
    .map((e) => structuredClone(e));
  const named = rollout.status?.canary?.currentExperiment;
  if (named && !experiments.some((e) => e.metadata.name === named)) {
    try {
      experiments.push(
        await kubeCall(`reading Experiment ${namespace}/${named}`, () =>
          deps.client.requestJson<Experiment>(
            'GET',
            `${experimentsPath(namespace)}/${encodeURIComponent(named)}`,
          ),
        ),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const podHash = ctx.newRS ? hashOf(ctx.newRS) : undefined;
  let plan: ExperimentStepPlan;
  try {
    plan = experimentStepPlan({
      rollout,
      experiments,
      stepHash: ctx.stepHash,
      revision: ctx.revision,
      ...(ctx.newRS ? { newRS: ctx.newRS } : {}),
      ...(ctx.stableRS ? { stableRS: ctx.stableRS } : {}),
      ...(podHash ? { podHash } : {}),
      ...(ctx.rollbackWithinWindow ? { rollbackWithinWindow: true } : {}),
    });
  } catch (error) {
    if (!(error instanceof AnalysisTemplateError)) throw error;
    const index = rollout.status?.currentStepIndex ?? 0;
    return {
      plan: { terminate: [], others: [], reaction: { kind: 'none' }, recordCurrent: false },
      events: [],
      invalid: {
        type: 'Invalid value',
        field: `spec.strategy.canary.steps[${index}].experiment`,
        value: '',
        detail: error.message,
      },
    };
  }
  const outcome: ExperimentStepOutcome = {
    plan,
    events: [],
    ...(plan.current ? { current: plan.current } : {}),
  };
  if (plan.create) {
    outcome.current = await createExperiment(deps, plan.create);
    outcome.events.push({
      type: 'Normal',
      reason: EVENT_EXPERIMENT_CREATED,
      message: `Created Experiment '${outcome.current.metadata.name}'`,
    });
  }
  for (const e of plan.terminate) await terminateExperiment(deps, e);
  const others = plan.others.filter((e) => e.metadata.name !== outcome.current?.metadata.name);
  const doomed = experimentsToDelete(
    others,
    ctx.owned.map((rs) => ({ hash: hashOf(rs), deleting: Boolean(rs.metadata.deletionTimestamp) })),
    rollout.spec.analysis,
  );
  for (const e of doomed) await deleteExperiment(deps, e);
  return outcome;
}

async function createExperiment(deps: RolloutExperimentDeps, experiment: Experiment): Promise<Experiment> {
  const namespace = experiment.metadata.namespace ?? '';
  const base = experiment.metadata.name ?? '';
  const owner = experiment.metadata.ownerReferences?.[0]?.uid;
  for (let collision = 0; ; collision++) {
    const name = collision === 0 ? base : `${base}-${collision}`;
    const body = { ...experiment, metadata: { ...experiment.metadata, name } };
    try {
      const created = await kubeCall(`creating Experiment ${namespace}/${name}`, () =>
        deps.client.requestJson<Experiment>('POST', experimentsPath(namespace), { body }),
      );
      deps.log.info({ experiment: name }, 'created Experiment');
      return created;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const existing = await kubeCall(`reading Experiment ${namespace}/${name}`, () =>
      deps.client.requestJson<Experiment>('GET', `${experimentsPath(namespace)}/${encodeURIComponent(name)}`),
    );
    const ours = existing.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === owner);
    const same = canonical(existing.spec) === canonical(experiment.spec);
    if (ours && same && !isCompleted(existing.status?.phase)) return existing;
  }
}

const EXPERIMENT: OwnedKind = { kind: 'Experiment', plural: 'experiments', logKey: 'experiment' };

const terminateExperiment = (deps: RolloutExperimentDeps, experiment: Experiment): Promise<void> =>
  terminateOwned(deps, EXPERIMENT, experiment);

const deleteExperiment = (deps: RolloutExperimentDeps, experiment: Experiment): Promise<void> =>
  deleteOwned(deps, EXPERIMENT, experiment);
