// The AnalysisRun reconciler: reads a run from the informer cache, resolves its arguments
// (reading Secrets), asks the pure planner which metrics are due, calls their providers, and
// writes the next status once, as a resourceVersion-guarded merge patch on the run itself
// (AnalysisRuns have no status subresource). It returns when to look again: the next
// measurement due, or a short poll while a Job runs.
import type { AnalysisRun, AnalysisRunStatus, Measurement, Metric } from '@rollout-kit/api';
import {
  ArgumentError,
  redact,
  resolveArgs,
  secretRefKey,
  secretRefs,
  substituteArgs,
} from '../analysis/args.ts';
import { isCompleted } from '../analysis/metric-assessment.ts';
import { ttlDeleteAt } from '../analysis/ttl.ts';
import { datadogProvider } from '../analysis/providers/datadog.ts';
import { graphiteProvider } from '../analysis/providers/graphite.ts';
import { jobProvider, type Job, type JobApi } from '../analysis/providers/job.ts';
import { newRelicProvider } from '../analysis/providers/newrelic.ts';
import { skyWalkingProvider } from '../analysis/providers/skywalking.ts';
import { prometheusProvider } from '../analysis/providers/prometheus.ts';
import { errorMessage, type MetricProvider, type SecretSource } from '../analysis/providers/provider.ts';
import { webProvider } from '../analysis/providers/web.ts';
import {
  invalidMetrics,
  measurementOf,
  metricActions,
  nextRunStatus,
  runErrorStatus,
  type MetricAction,
  type ProviderOutcome,
} from '../analysis/run-plan.ts';
import type { KubeClient } from '../kube/client.ts';
import { leaseNamespace } from '../kube/leader-election.ts';
import { isConflict, isNotFound, kubeCall } from '../kube/errors.ts';
import type { EventInput, EventRecorder, InvolvedObject } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import { mergePatch } from '../kube/merge-patch.ts';
import type { HandlerResult } from '../kube/work-queue.ts';
import type { Logger } from '../observe/logger.ts';

export interface AnalysisRunReconcilerDeps {
  client: KubeClient;
  analysisRuns: Informer<AnalysisRun>;
  /** Providers by their key in `metric.provider` (see `analysisProviders`). */
  providers: ReadonlyMap<string, MetricProvider>;
  events: Pick<EventRecorder, 'record'>;
  log: Logger;
  now(): number;
}

const runPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/analysisruns/${encodeURIComponent(name)}`;
const jobsPath = (namespace: string) => `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`;

/** The providers this controller implements, on this client; `env` gives provider defaults. */
export function analysisProviders(
  client: KubeClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Map<string, MetricProvider> {
  const jobs: JobApi = {
    async create(namespace, job) {
      try {
        return await kubeCall(`creating Job ${namespace}/${job.metadata.name}`, () =>
          client.requestJson<Job>('POST', jobsPath(namespace), { body: job }),
        );
      } catch (error) {
        if (isConflict(error)) return undefined;
        throw error;
      }
    },
    async get(namespace, name) {
      try {
        return await kubeCall(`reading Job ${namespace}/${name}`, () =>
          client.requestJson<Job>('GET', `${jobsPath(namespace)}/${encodeURIComponent(name)}`),
        );
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(namespace, name) {
      try {
        await kubeCall(`deleting Job ${namespace}/${name}`, () =>
          client.requestJson('DELETE', `${jobsPath(namespace)}/${encodeURIComponent(name)}`, {
            // Foreground, as upstream: the Job is gone only once its pods are.
            body: { propagationPolicy: 'Foreground' },
          }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
  const secrets: SecretSource = {
    async readSecret(namespace, name) {
      let secret: { data?: Record<string, string> };
      try {
        secret = await kubeCall(`reading Secret ${namespace}/${name}`, () =>
          client.requestJson<{ data?: Record<string, string> }>(
            'GET',
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
          ),
        );
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      return Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    },
    controllerNamespace: leaseNamespace(env),
  };
  const providers = [
    webProvider,
    prometheusProvider(env),
    jobProvider(jobs),
    datadogProvider({ ...secrets, env }),
    newRelicProvider(secrets),
    graphiteProvider,
    skyWalkingProvider(),
  ];
  return new Map(providers.map((p) => [p.type, p]));
}

/** Keys whose object we wrote, with the resourceVersion the API server gave back. */
const written = new Map<string, string>();
function cacheIsStale(key: string, run: AnalysisRun): boolean {
  const mine = written.get(key);
  const seen = run.metadata.resourceVersion;
  if (!mine || !seen || !/^\d+$/.test(mine) || !/^\d+$/.test(seen)) return false;
  return BigInt(seen) < BigInt(mine);
}

function involved(run: AnalysisRun): InvolvedObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    namespace: run.metadata.namespace ?? '',
    name: run.metadata.name ?? '',
    uid: run.metadata.uid,
    resourceVersion: run.metadata.resourceVersion,
  };
}

export async function reconcileAnalysisRun(
  key: string,
  deps: AnalysisRunReconcilerDeps,
): Promise<HandlerResult> {
  const cached = deps.analysisRuns.get(key);
  if (!cached || cached.metadata.deletionTimestamp) return undefined; // its Jobs go with it (owner references)
  if (cacheIsStale(key, cached)) return { requeueAfterMs: 250 };
  if (isCompleted(cached.status?.phase)) return deleteAfterTtl(deps, key, cached);
  const run = structuredClone(cached);
  const now = deps.now();

  let metrics: Metric[];
  let secrets: string[] = [];
  try {
    const resolved = resolveArgs(run.spec.args, await readSecrets(deps, run));
    secrets = resolved.secrets;
    metrics = (run.spec.metrics ?? []).map((m) => substituteArgs(m, resolved.values));
    const invalid = invalidMetrics(metrics, [...deps.providers.keys()]);
    if (invalid) throw new ArgumentError(invalid);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    await finish(deps, key, run, runErrorStatus(run, redact(error.message, secrets), now));
    return undefined;
  }

  const measured = new Map<string, Measurement>();
  const actions = metricActions(run, metrics, now);
  for (const [name, action] of actions) {
    const metric = metrics.find((m) => m.name === name);
    if (!metric) continue;
    const startedAt = new Date(deps.now()).toISOString();
    const outcome = await callProvider(deps, run, metric, action);
    const measurement = measurementOf(metric, redacted(outcome, secrets), {
      startedAt: action === 'measure' ? startedAt : (lastMeasurement(run, name)?.startedAt ?? startedAt),
      finishedAt: new Date(deps.now()).toISOString(),
    });
    measured.set(name, measurement);
    deps.log.debug({ metric: name, action, phase: measurement.phase }, 'measured');
  }
  const plan = nextRunStatus(run, metrics, measured, deps.now());
  await finish(deps, key, run, plan.status);
  return plan.recheckAt === undefined
    ? undefined
    : { requeueAfterMs: Math.max(0, plan.recheckAt - deps.now()) };
}

/** Deletes a completed run once its ttlStrategy says so; until then, looks again at that time. */
async function deleteAfterTtl(
  deps: AnalysisRunReconcilerDeps,
  key: string,
  run: AnalysisRun,
): Promise<HandlerResult> {
  const at = ttlDeleteAt(run);
  if (at === undefined) return undefined;
  const now = deps.now();
  if (at > now) return { requeueAfterMs: at - now };
  try {
    await kubeCall(`deleting AnalysisRun ${key} after its ttlStrategy`, () =>
      deps.client.requestJson('DELETE', runPath(run.metadata.namespace ?? '', run.metadata.name ?? ''), {
        body: { preconditions: { uid: run.metadata.uid } },
      }),
    );
    deps.log.info({ phase: run.status?.phase }, 'deleted the AnalysisRun after its ttlStrategy');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return undefined;
}

const lastMeasurement = (run: AnalysisRun, metric: string): Measurement | undefined => {
  const list = run.status?.metricResults?.find((r) => r.name === metric)?.measurements ?? [];
  return list[list.length - 1];
};

async function callProvider(
  deps: AnalysisRunReconcilerDeps,
  run: AnalysisRun,
  metric: Metric,
  action: MetricAction,
): Promise<ProviderOutcome> {
  const type = Object.keys(metric.provider).find((k) => deps.providers.has(k)) ?? '';
  const provider = deps.providers.get(type);
  if (!provider) return { kind: 'error', message: `no provider for metric "${metric.name}"` };
  const result = run.status?.metricResults?.find((r) => r.name === metric.name);
  const measurement = lastMeasurement(run, metric.name);
  const taken = (result?.count ?? 0) + (result?.error ?? 0);
  const context = { run, metric, taken, ...(measurement ? { measurement } : {}) };
  try {
    if (action === 'measure') return await provider.measure(context);
    if (action === 'resume' && provider.resume) return await provider.resume(context);
    if (action === 'terminate' && provider.terminate) return await provider.terminate(context);
    return { kind: 'phase', phase: 'Inconclusive', message: 'run terminated' };
  } catch (error) {
    // Providers answer errors as outcomes; a throw is a bug in one, and still only this measurement's problem.
    deps.log.warn({ err: error, metric: metric.name }, 'metric provider threw');
    return { kind: 'error', message: errorMessage(error) };
  }
}

function redacted(outcome: ProviderOutcome, secrets: readonly string[]): ProviderOutcome {
  if (secrets.length === 0) return outcome;
  if (outcome.kind === 'value') return { ...outcome, value: redact(outcome.value, secrets) };
  if (outcome.message === undefined) return outcome;
  return { ...outcome, message: redact(outcome.message, secrets) };
}

/** Values of the Secret keys the args reference; a missing Secret or key is left out. */
async function readSecrets(
  deps: AnalysisRunReconcilerDeps,
  run: AnalysisRun,
): Promise<Map<string, string | undefined>> {
  const namespace = run.metadata.namespace ?? '';
  const values = new Map<string, string | undefined>();
  for (const ref of secretRefs(run.spec.args)) {
    let secret: { data?: Record<string, string> } | undefined;
    try {
      secret = await kubeCall(`reading Secret ${namespace}/${ref.name}`, () =>
        deps.client.requestJson<{ data?: Record<string, string> }>(
          'GET',
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(ref.name)}`,
        ),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const data = secret?.data?.[ref.key];
    values.set(
      secretRefKey(ref),
      data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8'),
    );
  }
  return values;
}

/** Writes the status (when it changed) and records the Events of a phase change. */
async function finish(
  deps: AnalysisRunReconcilerDeps,
  key: string,
  run: AnalysisRun,
  status: AnalysisRunStatus,
): Promise<void> {
  const patch = mergePatch((run.status ?? {}) as Record<string, unknown>, status as Record<string, unknown>);
  if (patch) {
    const updated = await kubeCall(`writing the status of AnalysisRun ${key}`, () =>
      deps.client.requestJson<AnalysisRun>(
        'PATCH',
        runPath(run.metadata.namespace ?? '', run.metadata.name ?? ''),
        {
          body: { metadata: { resourceVersion: run.metadata.resourceVersion }, status: patch },
          contentType: 'application/merge-patch+json',
        },
      ),
    );
    if (updated.metadata.resourceVersion) written.set(key, updated.metadata.resourceVersion);
  }
  for (const event of phaseEvents(run.status, status)) await deps.events.record(involved(run), event);
  if (status.phase !== run.status?.phase)
    deps.log.info({ phase: status.phase, message: status.message }, 'AnalysisRun phase changed');
}

/** Upstream's Events: one per metric that completed and one when the run completed. */
export function phaseEvents(before: AnalysisRunStatus | undefined, after: AnalysisRunStatus): EventInput[] {
  const events: EventInput[] = [];
  for (const result of after.metricResults ?? []) {
    const old = before?.metricResults?.find((r) => r.name === result.name);
    if (isCompleted(result.phase) && old?.phase !== result.phase)
      events.push({
        type: result.phase === 'Successful' ? 'Normal' : 'Warning',
        reason: `Metric${result.phase}`,
        message: `Metric '${result.name}' Completed. Result: ${result.phase}`,
      });
  }
  if (isCompleted(after.phase) && before?.phase !== after.phase)
    events.push({
      type: after.phase === 'Successful' ? 'Normal' : 'Warning',
      reason: `AnalysisRun${after.phase}`,
      message: `Analysis Run completed. Status: ${after.phase}, Message: ${after.message ?? ''}`,
    });
  return events;
}
