// The Experiment reconciler: reads an Experiment, the ReplicaSets, AnalysisRuns and Services it
// controls from the informer caches, asks experiment-plan.ts what to do, carries it out (create
// and scale template ReplicaSets, create and delete template Services, create and end runs),
// writes the status once, as a resourceVersion-guarded merge patch on the Experiment itself
// (Experiments have no status subresource), then records the phase Events.
import {
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type AnalysisRun,
  type Experiment,
  type ExperimentStatus,
} from '@rollout-kit/api';
import { AnalysisTemplateError } from '../analysis/templates.ts';
import type { Service } from '../canary/services.ts';
import { experimentEvents } from '../experiment/experiment-events.ts';
import { experimentAnalysisRun, experimentReplicaSet } from '../experiment/experiment-objects.ts';
import { experimentPlan, type TemplateReplicaSet } from '../experiment/experiment-plan.ts';
import { experimentService, type OwnedService } from '../experiment/experiment-services.ts';
import { experimentSpecProblem, withInvalidSpec } from '../experiment/experiment-spec.ts';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import type { EventRecorder, InvolvedObject } from '../kube/events.ts';
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
  services: Informer<Service>;
  events: Pick<EventRecorder, 'record'>;
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
  const nowIso = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // An invalid spec gets its condition and nothing else until it is fixed (upstream does the same).
  const problem = experimentSpecProblem(experiment);
  if (problem !== undefined) {
    deps.log.warn({ experiment: key }, problem);
    await writeStatus(deps, key, experiment, withInvalidSpec(experiment.status ?? {}, problem, nowIso));
    return undefined;
  }

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

  const services = new Map<string, OwnedService>();
  for (const svc of deps.services.list(namespace).filter(mine)) {
    const template = svc.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION];
    if (template && svc.metadata.annotations?.[EXPERIMENT_NAME_ANNOTATION] === name)
      services.set(template, { name: svc.metadata.name ?? '', template });
  }

  const plan = experimentPlan({ experiment, replicaSets, runs, services, now: deps.now() });
  let status = plan.status;
  for (const templateName of plan.createReplicaSets) {
    const template = experiment.spec.templates.find((t) => t.name === templateName);
    if (template) await createReplicaSet(deps, experiment, experimentReplicaSet(experiment, template));
  }
  for (const s of plan.scale) await patchReplicaSet(deps, namespace, s.name, { spec: { replicas: s.to } });
  for (const templateName of plan.createServices) {
    const template = experiment.spec.templates.find((t) => t.name === templateName);
    const hash = replicaSets.get(templateName)?.hash;
    const body = template && hash ? experimentService(experiment, template, hash) : undefined;
    if (!body) continue;
    const problem = await createService(deps, experiment, templateName, body);
    if (problem) status = templateError(status, templateName, problem);
  }
  for (const serviceName of plan.deleteServices) await deleteService(deps, namespace, serviceName);
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
  await writeStatus(deps, key, experiment, withInvalidSpec(status, undefined, nowIso));
  await recordEvents(deps, experiment, status);
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

/** A template that could not get what it needs: Error on the template and on the Experiment. */
function templateError(status: ExperimentStatus, template: string, message: string): ExperimentStatus {
  return {
    ...status,
    phase: 'Error',
    message,
    templateStatuses: (status.templateStatuses ?? []).map((t) =>
      t.name === template ? { ...t, status: 'Error', message } : t,
    ),
  };
}

const involved = (
  o: { apiVersion?: string; kind?: string; metadata: Experiment['metadata'] },
  kind: string,
) =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name ?? '',
    uid: o.metadata.uid,
    resourceVersion: o.metadata.resourceVersion,
  }) satisfies InvolvedObject;

/**
 * The phase Events on the Experiment; the AnalysisRun ones also on the Rollout that owns it, as
 * upstream does so that the Rollout's notifications see them.
 */
async function recordEvents(
  deps: ExperimentReconcilerDeps,
  experiment: Experiment,
  status: ExperimentStatus,
) {
  const events = experimentEvents(experiment.status, status);
  for (const e of events.experiment) await deps.events.record(involved(experiment, 'Experiment'), e);
  const owner = experiment.metadata.ownerReferences?.find(
    (o) => o.controller === true && o.kind === 'Rollout',
  );
  if (!owner) return;
  const rollout = {
    metadata: { namespace: experiment.metadata.namespace, name: owner.name, uid: owner.uid },
  };
  for (const e of events.analysisRuns)
    await deps.events.record(involved(rollout, 'Rollout'), { ...e, type: 'Warning' });
}

const servicesPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`;

/**
 * Creates the template's Service. A Service of that name that is ours already (the cache had not
 * seen it) is fine; one that is not is upstream's error message, returned for the status.
 */
async function createService(
  deps: ExperimentReconcilerDeps,
  experiment: Experiment,
  template: string,
  body: NonNullable<ReturnType<typeof experimentService>>,
): Promise<string | undefined> {
  const namespace = experiment.metadata.namespace ?? '';
  const name = body.metadata.name;
  try {
    await kubeCall(`creating Service ${namespace}/${name}`, () =>
      deps.client.requestJson('POST', servicesPath(namespace), { body }),
    );
    deps.log.info({ service: name, template }, 'created the Service of an experiment template');
    return undefined;
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  const existing = await kubeCall(`reading Service ${namespace}/${name}`, () =>
    deps.client.requestJson<Service>('GET', `${servicesPath(namespace)}/${encodeURIComponent(name)}`),
  );
  const ours =
    controlledBy(experiment.metadata.uid)(existing) &&
    existing.metadata.annotations?.[EXPERIMENT_NAME_ANNOTATION] === experiment.metadata.name &&
    existing.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION] === template;
  return ours
    ? undefined
    : `Failed to create Service ${name} for template '${template}': service ${name} already exists and is not owned by experiment template ${template}`;
}

async function deleteService(deps: ExperimentReconcilerDeps, namespace: string, name: string) {
  try {
    await kubeCall(`deleting Service ${namespace}/${name}`, () =>
      deps.client.requestJson('DELETE', `${servicesPath(namespace)}/${encodeURIComponent(name)}`),
    );
    deps.log.info({ service: name }, 'deleted the Service of an experiment template');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
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
