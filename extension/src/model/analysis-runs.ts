// AnalysisRuns of a Rollout: which runs the resource tree shows (children through parentRefs),
// and, from a run's live object, each metric's phase, counts and measurements, with the
// condition that decided each measurement. Only what the run records is shown: a value the
// controller did not write reads as absent, never as 0.
import type { ApplicationTree, ResourceNode } from './argocd.ts';
import { asArray, asNumber, asRecord, asString, asStringMap, asTime } from './read.ts';
import type { Rollout } from './rollout.ts';

export const ROLLOUT_TYPE = 'rollout-type';

export interface AnalysisRunRef {
  name: string;
  namespace: string;
  /** The run node's resourceVersion: the live object is re-read only when it changes. */
  resourceVersion?: string;
  /** Argo CD's health of the run (Healthy, Degraded, Progressing, Unknown). */
  health?: string;
  revision?: number;
  createdAt?: string;
}

export interface Counts {
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
}

export interface MeasurementView {
  phase?: string;
  /** The measured value exactly as the controller recorded it (a string in the API). */
  value?: string;
  /** The numbers in `value`: a number, or a JSON array of numbers (Prometheus vectors). */
  numbers: number[];
  message?: string;
  /** finishedAt, else startedAt, in ms since the epoch. */
  at?: number;
  /** Which condition decided the phase, e.g. `successCondition true: result[0] >= 0.95`. */
  decidedBy?: string;
}

export interface MetricView {
  name: string;
  phase?: string;
  message?: string;
  successCondition?: string;
  failureCondition?: string;
  dryRun: boolean;
  counts: Counts;
  measurements: MeasurementView[];
}

export interface AnalysisRunView {
  name: string;
  /** Step, Background, PrePromotion or PostPromotion (the run's `rollout-type` label). */
  type?: string;
  stepIndex?: number;
  revision?: number;
  phase?: string;
  message?: string;
  startedAt?: string;
  completedAt?: string;
  summary?: Counts;
  metrics: MetricView[];
}

function isChildOfRollout(node: ResourceNode, name: string, namespace: string | undefined): boolean {
  return asArray(node.parentRefs).some((raw) => {
    const ref = asRecord(raw);
    return (
      ref?.kind === 'Rollout' && ref.name === name && (namespace === undefined || ref.namespace === namespace)
    );
  });
}

function revisionInfo(node: ResourceNode): number | undefined {
  const item = asArray(node.info)
    .map(asRecord)
    .find((i) => i?.name === 'Revision');
  const match = /^Rev:(\d+)$/.exec(asString(item?.value) ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** The Rollout's AnalysisRuns in the tree, newest first (by creation time, then name). */
export function analysisRunRefs(rollout: Rollout, tree: ApplicationTree | undefined): AnalysisRunRef[] {
  const name = asString(rollout.metadata?.name);
  if (name === undefined) return [];
  const namespace = asString(rollout.metadata?.namespace);
  const refs = asArray(asRecord(tree)?.nodes)
    .map(asRecord)
    .filter((n): n is ResourceNode & Record<string, unknown> => n !== undefined)
    .filter((n) => n.kind === 'AnalysisRun' && isChildOfRollout(n, name, namespace))
    .map((n): AnalysisRunRef => {
      const ref: AnalysisRunRef = {
        name: asString(n.name) ?? '',
        namespace: asString(n.namespace) ?? namespace ?? '',
      };
      const rv = asString(n.resourceVersion);
      if (rv !== undefined) ref.resourceVersion = rv;
      const health = asString(asRecord(n.health)?.status);
      if (health !== undefined) ref.health = health;
      const revision = revisionInfo(n);
      if (revision !== undefined) ref.revision = revision;
      const createdAt = asString(n.createdAt);
      if (createdAt !== undefined) ref.createdAt = createdAt;
      return ref;
    })
    .filter((r) => r.name !== '');
  return refs.sort(
    (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.name.localeCompare(a.name),
  );
}

/**
 * The numbers in a measurement value: `"0.97"` → [0.97]; `"[0.97,0.5]"` → [0.97, 0.5]; anything
 * else (text, objects, NaN) → []. Values are strings in the API, JSON-encoded by web metrics.
 */
export function numbersOf(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (asNumber(parsed) !== undefined) return [parsed as number];
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((v) => asNumber(v) !== undefined)) {
    return parsed as number[];
  }
  return [];
}

/**
 * Which condition decided a measurement's phase, following Argo Rollouts' rules: with both
 * conditions, failure is checked first and neither holding means Inconclusive; with one, its
 * result decides. Undefined when the phase is not a decided one or no condition is set.
 */
export function decidingCondition(
  phase: string | undefined,
  successCondition: string | undefined,
  failureCondition: string | undefined,
): string | undefined {
  const success = successCondition === undefined ? undefined : `successCondition ${successCondition}`;
  const failure = failureCondition === undefined ? undefined : `failureCondition ${failureCondition}`;
  switch (phase) {
    case 'Successful':
      if (success !== undefined) return `${success} held`;
      return failure === undefined ? undefined : `${failure} did not hold`;
    case 'Failed':
      if (failure !== undefined) return `${failure} held`;
      return success === undefined ? undefined : `${success} did not hold`;
    case 'Inconclusive':
      return success !== undefined && failure !== undefined ? 'neither condition held' : undefined;
    default:
      return undefined;
  }
}

function counts(raw: Record<string, unknown> | undefined): Counts {
  const out: Counts = {};
  for (const key of ['count', 'successful', 'failed', 'inconclusive', 'error'] as const) {
    const value = asNumber(raw?.[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function measurementView(raw: unknown, metric: MetricView): MeasurementView {
  const m = asRecord(raw);
  const value = asString(m?.value);
  const view: MeasurementView = { numbers: numbersOf(value) };
  set(view, 'phase', asString(m?.phase));
  set(view, 'value', value);
  set(view, 'message', asString(m?.message));
  set(view, 'at', asTime(m?.finishedAt) ?? asTime(m?.startedAt));
  set(view, 'decidedBy', decidingCondition(view.phase, metric.successCondition, metric.failureCondition));
  return view;
}

/** What the tab shows of one AnalysisRun object; never throws on a malformed object. */
export function analysisRunView(object: unknown): AnalysisRunView {
  const run = asRecord(object);
  const metadata = asRecord(run?.metadata);
  const labels = asStringMap(metadata?.labels);
  const annotations = asStringMap(metadata?.annotations);
  const status = asRecord(run?.status);
  const specs = new Map<string, Record<string, unknown>>();
  for (const raw of asArray(asRecord(run?.spec)?.metrics)) {
    const spec = asRecord(raw);
    const name = asString(spec?.name);
    if (spec !== undefined && name !== undefined) specs.set(name, spec);
  }
  const view: AnalysisRunView = { name: asString(metadata?.name) ?? '', metrics: [] };
  set(view, 'type', labels[ROLLOUT_TYPE]);
  const stepIndex = Number(labels['step-index']);
  if (labels['step-index'] !== undefined && Number.isInteger(stepIndex)) view.stepIndex = stepIndex;
  const revision = Number(annotations['rollout.argoproj.io/revision']);
  if (annotations['rollout.argoproj.io/revision'] !== undefined && Number.isInteger(revision)) {
    view.revision = revision;
  }
  set(view, 'phase', asString(status?.phase));
  set(view, 'message', asString(status?.message));
  set(view, 'startedAt', asString(status?.startedAt));
  set(view, 'completedAt', asString(status?.completedAt));
  if (asRecord(status?.runSummary) !== undefined) view.summary = counts(asRecord(status?.runSummary));

  // Metrics in spec order, then results for metrics the spec no longer names.
  const results = new Map<string, Record<string, unknown>>();
  for (const raw of asArray(status?.metricResults)) {
    const result = asRecord(raw);
    const name = asString(result?.name);
    if (result !== undefined && name !== undefined) results.set(name, result);
  }
  const names = [...new Set([...specs.keys(), ...results.keys()])];
  view.metrics = names.map((name) => {
    const spec = specs.get(name);
    const result = results.get(name);
    const metric: MetricView = {
      name,
      dryRun: result?.dryRun === true,
      counts: counts(result),
      measurements: [],
    };
    set(metric, 'phase', asString(result?.phase));
    set(metric, 'message', asString(result?.message));
    set(metric, 'successCondition', asString(spec?.successCondition));
    set(metric, 'failureCondition', asString(spec?.failureCondition));
    metric.measurements = asArray(result?.measurements).map((m) => measurementView(m, metric));
    return metric;
  });
  return view;
}
