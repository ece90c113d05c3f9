// The Experiment reconciler: reads an Experiment, the ReplicaSets and AnalysisRuns it controls
// from the informer caches, asks experiment-plan.ts what to do, carries it out (create and scale
// template ReplicaSets, create and end runs) and writes the status once, as a resourceVersion-
// guarded merge patch on the Experiment itself (Experiments have no status subresource).
import {
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type AnalysisRun,
  type Experiment,
  type ExperimentStatus,
} from '@rollout-kit/api';
import { AnalysisTemplateError } from '../analysis/templates.ts';
import { experimentAnalysisRun, experimentReplicaSet } from '../experiment/experiment-objects.ts';
import { experimentPlan, type TemplateReplicaSet } from '../experiment/experiment-plan.ts';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, kubeCall } from '../kube/errors.ts';
import type { Informer } from '../kube/informer.ts';
import { mergePatch } from '../kube/merge-patch.ts';
import type { HandlerResult } from '../kube/work-queue.ts';
import type { Logger } from '../observe/logger.ts';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';
import { createRun, readTemplates, terminateRun } from './rollout-analysis.ts';

export interface ExperimentReconcilerDeps {
  client: KubeClient;
  experiments: Informer<Experiment>;
  replicaSets: Informer<ReplicaSet>;
  analysisRuns: Informer<AnalysisRun>;
  log: Logger;
  now(): number;
}

const experimentPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/experiments/${encodeURIComponent(name)}`;
const replicaSetsPath = (namespace: string) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`;

/** Keys whose object we wrote, with the resourceVersion the API server gave back. */
const written = new Map<string, string>();
function cacheIsStale(key: string, experiment: Experiment): boolean {
  const mine = written.get(key);
  const seen = experiment.metadata.resourceVersion;
  if (!mine || !seen || !/^\d+$/.test(mine) || !/^\d+$/.test(seen)) return false;
  return BigInt(seen) < BigInt(mine);
}

const controlledBy = (uid: string | undefined) => (o: { metadata: ReplicaSet['metadata'] }) =>
  o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid) === true;

export async function reconcileExperiment(
  key: string,
  deps: ExperimentReconcilerDeps,
): Promise<HandlerResult> {
  const cached = deps.experiments.get(key);
  if (!cached || cached.metadata.deletionTimestamp) return undefined;
  if (cacheIsStale(key, cached)) return { requeueAfterMs: 250 };
  const experiment = structuredClone(cached);
  const namespace = experiment.metadata.namespace ?? '';
  const name = experiment.metadata.name ?? '';
  const mine = controlledBy(experiment.metadata.uid);

  const replicaSets = new Map<string, TemplateReplicaSet>();
  for (const rs of deps.replicaSets.list(namespace).filter(mine)) {
    const template = rs.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION];
    if (!template) continue;
    const deadline = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
    replicaSets.set(template, {
      name: rs.metadata.name ?? '',
      specReplicas: rs.spec?.replicas ?? 0,
      replicas: rs.status?.replicas ?? 0,
      readyReplicas: rs.status?.readyReplicas ?? 0,
      availableReplicas: rs.status?.availableReplicas ?? 0,
      ...(hashOf(rs) ? { hash: hashOf(rs) } : {}),
      ...(deadline ? { scaleDownDeadline: deadline } : {}),
    });
  }
  const owned = deps.analysisRuns.list(namespace).filter(mine);
  const runs = new Map<string, AnalysisRun>();
  for (const a of experiment.spec.analyses ?? []) {
    const recorded = experiment.status?.analysisRuns?.find((s) => s.name === a.name)?.analysisRun;
    const base = `${name}-${a.name}`;
    const run =
      owned.find((r) => r.metadata.name === recorded) ??
      owned
        .filter((r) => r.metadata.name === base || r.metadata.name?.startsWith(`${base}.`))
        .sort((x, y) =>
          (y.metadata.creationTimestamp ?? '').localeCompare(x.metadata.creationTimestamp ?? ''),
        )[0];
    if (run) runs.set(a.name, run);
  }

  const plan = experimentPlan({ experiment, replicaSets, runs, now: deps.now() });
  let status = plan.status;
  for (const templateName of plan.createReplicaSets) {
    const template = experiment.spec.templates.find((t) => t.name === templateName);
    if (template) await createReplicaSet(deps, experiment, experimentReplicaSet(experiment, template));
  }
  for (const s of plan.scale) await patchReplicaSet(deps, namespace, s.name, { spec: { replicas: s.to } });
  for (const m of plan.markScaleDown)
    await patchReplicaSet(deps, namespace, m.name, {
      metadata: { annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: m.deadline } },
    });
  for (const analysisName of plan.createRuns) {
    const analysis = experiment.spec.analyses?.find((a) => a.name === analysisName);
    if (!analysis) continue;
    try {
      const lookup = await readTemplates(deps, experiment, [
        { templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) },
      ]);
      const run = await createRun(deps, experimentAnalysisRun(experiment, analysis, lookup));
      status = withRun(status, analysisName, run);
    } catch (error) {
      if (!(error instanceof AnalysisTemplateError)) throw error;
      status = { ...status, phase: 'Error', message: `Analysis '${analysisName}': ${error.message}` };
    }
  }
  for (const run of plan.terminateRuns) await terminateRun(deps, run);
  await writeStatus(deps, key, experiment, status);
  const now = deps.now();
  return plan.recheckAt === undefined ? undefined : { requeueAfterMs: Math.max(0, plan.recheckAt - now) };
}

function withRun(status: ExperimentStatus, analysisName: string, run: AnalysisRun): ExperimentStatus {
  const others = (status.analysisRuns ?? []).filter((s) => s.name !== analysisName);
  return {
    ...status,
    analysisRuns: [
      ...others,
      { name: analysisName, analysisRun: run.metadata.name ?? '', phase: run.status?.phase ?? 'Pending' },
    ],
  };
}

async function createReplicaSet(deps: ExperimentReconcilerDeps, experiment: Experiment, body: ReplicaSet) {
  const namespace = experiment.metadata.namespace ?? '';
  try {
    await kubeCall(`creating ReplicaSet ${namespace}/${body.metadata.name}`, () =>
      deps.client.requestJson('POST', replicaSetsPath(namespace), { body }),
    );
    deps.log.info({ replicaSet: body.metadata.name }, 'created the ReplicaSet of an experiment template');
  } catch (error) {
    // Ours already, not in the cache yet: the next pass sees it.
    if (!isConflict(error)) throw error;
  }
}

async function patchReplicaSet(
  deps: ExperimentReconcilerDeps,
  namespace: string,
  name: string,
  body: object,
) {
  await kubeCall(`patching ReplicaSet ${namespace}/${name}`, () =>
    deps.client.requestJson('PATCH', `${replicaSetsPath(namespace)}/${encodeURIComponent(name)}`, {
      body,
      contentType: 'application/merge-patch+json',
    }),
  );
}

async function writeStatus(
  deps: ExperimentReconcilerDeps,
  key: string,
  experiment: Experiment,
  status: ExperimentStatus,
): Promise<void> {
  const patch = mergePatch(
    (experiment.status ?? {}) as Record<string, unknown>,
    status as Record<string, unknown>,
  );
  if (!patch) return;
  const updated = await kubeCall(`writing the status of Experiment ${key}`, () =>
    deps.client.requestJson<Experiment>(
      'PATCH',
      experimentPath(experiment.metadata.namespace ?? '', experiment.metadata.name ?? ''),
      {
        body: { metadata: { resourceVersion: experiment.metadata.resourceVersion }, status: patch },
        contentType: 'application/merge-patch+json',
      },
    ),
  );
  if (updated.metadata.resourceVersion) written.set(key, updated.metadata.resourceVersion);
  if (status.phase !== experiment.status?.phase)
    deps.log.info({ phase: status.phase, message: status.message }, 'Experiment phase changed');
}
