// The `job` provider: each measurement creates a Kubernetes Job from the metric's template,
// named `<run UID>.<metric>.<n>` and owned by the run; Complete is Successful, Failed is Failed,
// anything else is Running. Terminating deletes the Job and, as upstream, the measurement is Successful.
import {
  ANALYSIS_RUN_METRIC_NAME_ANNOTATION,
  ANALYSIS_RUN_NAME_ANNOTATION,
  ANALYSIS_RUN_NAMESPACE_ANNOTATION,
  ANALYSIS_RUN_UID_LABEL,
  type AnalysisRun,
  type Metric,
} from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import { errorMessage, type MeasureContext, type MetricProvider } from './provider.ts';

export const JOB_NAME_METADATA = 'job-name';
export const JOB_NAMESPACE_METADATA = 'job-namespace';

export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
export interface Job {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  spec?: Record<string, unknown>;
  status?: { conditions?: JobCondition[] };
}

/** What the provider needs of the API server, given by the reconciler. */
export interface JobApi {
  /** Creates the Job; resolves undefined when one of that name already exists. */
  create(namespace: string, job: Job): Promise<Job | undefined>;
  /** The Job, or undefined when it is gone. */
  get(namespace: string, name: string): Promise<Job | undefined>;
  /** Deletes the Job and its pods (background propagation); a Job already gone is fine. */
  delete(namespace: string, name: string): Promise<void>;
}

/** The Job of measurement `n` (1-based) of `metric`, with upstream's name, labels, annotations and owner. */
export function jobFor(run: AnalysisRun, metric: Metric, n: number): Job {
  const template = metric.provider.job;
  const uid = run.metadata.uid ?? '';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${uid}.${metric.name}.${n}`,
      labels: { ...(template?.metadata?.labels ?? {}), [ANALYSIS_RUN_UID_LABEL]: uid },
      annotations: {
        ...(template?.metadata?.annotations ?? {}),
        [ANALYSIS_RUN_NAME_ANNOTATION]: run.metadata.name ?? '',
        [ANALYSIS_RUN_NAMESPACE_ANNOTATION]: run.metadata.namespace ?? '',
        [ANALYSIS_RUN_METRIC_NAME_ANNOTATION]: metric.name,
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: run.metadata.name ?? '',
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}

/** The measurement phase a Job's conditions give. */
export function jobPhase(job: Job): { phase: 'Running' | 'Successful' | 'Failed'; message?: string } {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  const failed = holds('Failed');
  if (failed) return { phase: 'Failed', message: failed.message ?? failed.reason ?? 'job failed' };
  if (holds('Complete')) return { phase: 'Successful' };
  return { phase: 'Running' };
}

function metadataOf(context: MeasureContext): { name: string; namespace: string } | undefined {
  const name = context.measurement?.metadata?.[JOB_NAME_METADATA];
  if (!name) return undefined;
  return {
    name,
    namespace:
      context.measurement?.metadata?.[JOB_NAMESPACE_METADATA] ?? context.run.metadata.namespace ?? '',
  };
}

export function jobProvider(api: JobApi): MetricProvider {
  return {
    type: 'job',
    async measure(context) {
      const namespace = context.run.metadata.namespace ?? '';
      const job = jobFor(context.run, context.metric, context.taken + 1);
      const name = job.metadata.name ?? '';
      const metadata = { [JOB_NAME_METADATA]: name, [JOB_NAMESPACE_METADATA]: namespace };
      try {
        // An existing Job of that name is ours from a pass whose status write was lost: adopt it.
        const created = (await api.create(namespace, job)) ?? (await api.get(namespace, name));
        const phase = created ? jobPhase(created) : { phase: 'Running' as const };
        return { kind: 'phase', ...phase, metadata };
      } catch (error) {
        return { kind: 'error', message: errorMessage(error), metadata };
      }
    },
    async resume(context): Promise<ProviderOutcome> {
      const ref = metadataOf(context);
      const metadata = context.measurement?.metadata;
      if (!ref) return { kind: 'error', message: 'measurement has no job-name' };
      try {
        const job = await api.get(ref.namespace, ref.name);
        if (!job)
          return { kind: 'error', message: `job ${ref.name} not found`, ...(metadata ? { metadata } : {}) };
        return { kind: 'phase', ...jobPhase(job), ...(metadata ? { metadata } : {}) };
      } catch (error) {
        return { kind: 'error', message: errorMessage(error), ...(metadata ? { metadata } : {}) };
      }
    },
    async terminate(context): Promise<ProviderOutcome> {
      const ref = metadataOf(context);
      const metadata = context.measurement?.metadata;
      try {
        if (ref) await api.delete(ref.namespace, ref.name);
        // As upstream: a terminated Job measurement counts as Successful (the run then reads
        // "Run Terminated"), not Inconclusive.
        return {
          kind: 'phase',
          phase: 'Successful',
          message: 'run terminated: job deleted',
          ...(metadata ? { metadata } : {}),
        };
      } catch (error) {
        return { kind: 'error', message: errorMessage(error), ...(metadata ? { metadata } : {}) };
      }
    },
  };
}
