// Prometheus metrics with upstream Argo Rollouts' names and labels, so existing dashboards
// keep working, on a prom-client Registry of our own (nothing global). Per-Rollout series are
// set with `setRolloutInfo` and removed with `forgetRollout`; a phase change replaces the old
// series rather than leaving it behind.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RolloutInfo {
  namespace: string;
  name: string;
  /** canary or blueGreen (upstream's label values). */
  strategy: string;
  /** Traffic router in use, '' for none. */
  trafficRouter: string;
  /** Progressing, Paused, Healthy, Degraded… */
  phase: string;
  replicas: { available: number; unavailable: number; desired: number; updated: number };
}

/** The label set of rollout_info (pure): upstream's names, in its order. */
export function rolloutInfoLabels(info: RolloutInfo): Record<string, string> {
  return {
    namespace: info.namespace,
    name: info.name,
    strategy: info.strategy,
    traffic_router: info.trafficRouter,
    phase: info.phase,
  };
}

/** Upstream's rollout_reconcile buckets, in seconds. */
export const RECONCILE_BUCKETS = [0.01, 0.15, 0.25, 0.5, 1];

export class Metrics {
  readonly registry = new Registry();
  private readonly rolloutInfo = new Gauge({
    name: 'rollout_info',
    help: 'Information about rollout.',
    labelNames: ['namespace', 'name', 'strategy', 'traffic_router', 'phase'],
    registers: [this.registry],
  });
  private readonly rolloutPhase = new Gauge({
    name: 'rollout_phase',
    help: 'Information on the state of the rollout (DEPRECATED - use rollout_info)',
    labelNames: ['namespace', 'name', 'strategy', 'phase'],
    registers: [this.registry],
  });
  private readonly replicas = {
    available: this.replicaGauge('available', 'The number of available replicas per rollout.'),
    unavailable: this.replicaGauge('unavailable', 'The number of unavailable replicas per rollout.'),
    desired: this.replicaGauge('desired', 'The number of desired replicas per rollout.'),
    updated: this.replicaGauge('updated', 'The number of updated replicas per rollout.'),
  };
  private readonly reconcile = new Histogram({
    name: 'rollout_reconcile',
    help: 'Rollout reconciliation performance.',
    labelNames: ['namespace', 'name'],
    buckets: RECONCILE_BUCKETS,
    registers: [this.registry],
  });
  private readonly reconcileError = new Counter({
    name: 'rollout_reconcile_error',
    help: 'Error occurring during the rollout',
    labelNames: ['namespace', 'name'],
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: 'rollout_events_total',
    help: 'Count of rollout events',
    labelNames: ['namespace', 'name', 'type', 'reason'],
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'controller_clientset_k8s_request_total',
    help: 'Number of kubernetes requests executed during application reconciliation.',
    labelNames: ['kind', 'namespace', 'name', 'verb', 'status_code'],
    registers: [this.registry],
  });
  private readonly queueDepth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name'],
    registers: [this.registry],
  });
  private readonly queueAdds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name'],
    registers: [this.registry],
  });
  private readonly queueRetries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name'],
    registers: [this.registry],
  });
  private readonly queueWork = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes.',
    labelNames: ['name'],
    buckets: [0.001, 0.01, 0.1, 1, 10],
    registers: [this.registry],
  });
  private readonly lastInfo = new Map<string, RolloutInfo>();

  constructor(options: { version: string; defaultMetrics?: boolean }) {
    new Gauge({
      name: 'argo_rollouts_controller_info',
      help: 'Running Argo-rollouts version',
      labelNames: ['version'],
      registers: [this.registry],
    }).set({ version: options.version }, 1);
    new Gauge({
      name: 'build_info',
      help: 'A metric with a constant 1 value labeled by version from which the controller was built.',
      labelNames: ['version', 'goversion', 'goarch', 'commit'],
      registers: [this.registry],
    }).set({ version: options.version, goversion: process.version, goarch: process.arch, commit: '' }, 1);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Sets a Rollout's info and replica series, replacing the series of its previous phase. */
  setRolloutInfo(info: RolloutInfo): void {
    const key = `${info.namespace}/${info.name}`;
    const previous = this.lastInfo.get(key);
    if (previous) this.removeInfoSeries(previous);
    this.lastInfo.set(key, info);
    this.rolloutInfo.set(rolloutInfoLabels(info), 1);
    this.rolloutPhase.set(
      { namespace: info.namespace, name: info.name, strategy: info.strategy, phase: info.phase },
      1,
    );
    const id = { namespace: info.namespace, name: info.name };
    for (const field of ['available', 'unavailable', 'desired', 'updated'] as const) {
      this.replicas[field].set(id, info.replicas[field]);
    }
  }

  /** Removes every series of a deleted Rollout. */
  forgetRollout(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.lastInfo.get(key);
    if (previous) this.removeInfoSeries(previous);
    this.lastInfo.delete(key);
    for (const gauge of Object.values(this.replicas)) gauge.remove({ namespace, name });
    this.reconcile.remove({ namespace, name });
    this.reconcileError.remove({ namespace, name });
  }

  /** One reconcile of a Rollout took `seconds`; `failed` also counts rollout_reconcile_error. */
  observeReconcile(namespace: string, name: string, seconds: number, failed = false): void {
    this.reconcile.observe({ namespace, name }, seconds);
    if (failed) this.reconcileError.inc({ namespace, name });
  }

  countEvent(namespace: string, name: string, type: string, reason: string): void {
    this.events.inc({ namespace, name, type, reason });
  }

  /** Feed for KubeClient's onRequest. */
  countRequest(record: {
    kind: string;
    namespace: string;
    name: string;
    verb: string;
    statusCode: string;
  }): void {
    this.requests.inc({
      kind: record.kind,
      namespace: record.namespace,
      name: record.name,
      verb: record.verb,
      status_code: record.statusCode,
    });
  }

  /** A WorkQueue observer that feeds the workqueue_* series of queue `name`. */
  queueObserver(name: string): {
    added(): void;
    depth(depth: number): void;
    retried(): void;
    processed(key: string, seconds: number): void;
  } {
    return {
      added: () => this.queueAdds.inc({ name }),
      depth: (depth) => this.queueDepth.set({ name }, depth),
      retried: () => this.queueRetries.inc({ name }),
      processed: (_key, seconds) => this.queueWork.observe({ name }, seconds),
    };
  }

  /** The text exposition and its content type, for GET /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private removeInfoSeries(info: RolloutInfo): void {
    this.rolloutInfo.remove(rolloutInfoLabels(info));
    this.rolloutPhase.remove({
      namespace: info.namespace,
      name: info.name,
      strategy: info.strategy,
      phase: info.phase,
    });
  }

  private replicaGauge(field: string, help: string): Gauge<'namespace' | 'name'> {
    return new Gauge({
      name: `rollout_info_replicas_${field}`,
      help,
      labelNames: ['namespace', 'name'],
      registers: [this.registry],
    });
  }
}
