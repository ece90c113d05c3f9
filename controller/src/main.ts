// The controller process: configuration, clients, informers, the Rollout work queue, leader
// election, /healthz and /metrics, and shutdown on SIGTERM. Wiring only.
// Exit codes: 0 after SIGTERM/SIGINT once in-flight reconciles finished and the Lease was
// released; 1 when the leader lease was lost, startup failed, or an exception escaped; 2 for bad
// flags (config.ts). A shutdown that takes longer than SHUTDOWN_GRACE_MS exits 1 anyway, before
// the kubelet's 30 s grace period ends in a SIGKILL.
import { hostname } from 'node:os';
import type { AnalysisRun, Experiment, Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { ConfigExit, parseConfig, type Config } from './config.ts';
import { allRouters } from './traffic/routers.ts';
import { createKubeClient, defaultNamespace } from './kube/client.ts';
import { ForbiddenError, isConflict } from './kube/errors.ts';
import { EventRecorder } from './kube/events.ts';
import { Informer, instanceIdSelector, objectKey } from './kube/informer.ts';
import { LeaderElector, defaultIdentity, leaseName, leaseNamespace } from './kube/leader-election.ts';
import { WorkQueue } from './kube/work-queue.ts';
import { startHealthServer, startMetricsServer } from './observe/health.ts';
import { createLogger, newReconcileId, type Logger } from './observe/logger.ts';
import { Metrics, type RolloutInfo } from './observe/metrics.ts';
import { ownerRolloutKey, reconcileRollout } from './reconcile/rollout.ts';
import { analysisRunController } from './reconcile/analysis-run-controller.ts';
import { experimentController } from './reconcile/experiment-controller.ts';
import type { ReplicaSet } from './rollout/replica-set.ts';
import { rolloutsReferencingService, type Service } from './canary/services.ts';
import { rolloutsReferencingDeployment, type Deployment } from './rollout/workload-ref.ts';

const VERSION = '0.1.0';
const SHUTDOWN_GRACE_MS = 25_000;
const SYNC_ATTEMPT_MS = 30_000;

/** rollout_info and the replica gauges of one Rollout, from its spec and last written status. */
function rolloutInfoOf(rollout: Rollout): RolloutInfo {
  const status = rollout.status ?? {};
  const canary = rollout.spec.strategy?.canary;
  const router = canary?.trafficRouting ? Object.keys(canary.trafficRouting).sort().join(',') : '';
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  return {
    namespace: rollout.metadata.namespace ?? '',
    name: rollout.metadata.name ?? '',
    strategy: rollout.spec.strategy?.blueGreen ? 'blueGreen' : 'canary',
    trafficRouter: router,
    phase: status.phase ?? '',
    replicas: {
      available,
      unavailable: Math.max(0, total - available),
      desired: rollout.spec.replicas ?? 1,
      updated: status.updatedReplicas ?? 0,
    },
  };
}

/** The Warning Event reason for a reconcile the API server refused (missing RBAC). */
const RECONCILE_ERROR_REASON = 'ReconcileError';

function readConfig(): Config {
  try {
    return parseConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigExit) {
      if (error.output) process.stdout.write(error.output);
      if (error.exitCode !== 0) process.stderr.write(`rollouts-controller: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of config.warnings) log.warn(warning);
  const metrics = new Metrics({ version: VERSION });
  const client = createKubeClient({
    kubeconfig: config.kubeconfig,
    qps: config.qps,
    burst: config.burst,
    onRequest: (record) => metrics.countRequest(record),
  });
  const namespace = config.namespaced ? defaultNamespace(client.config) : undefined;
  const routers = allRouters({ smiApiVersion: config.trafficSplitApiVersion });
  const onError = (error: Error) => log.warn({ err: error }, 'informer recovered from an error');
  const rollouts = new Informer<Rollout>({
    client,
    resource: { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespaced: true },
    namespace,
    labelSelector: instanceIdSelector(config.instanceId),
    resyncMs: config.rolloutResyncMs,
    onError,
  });
  const replicaSets = new Informer<ReplicaSet>({
    client,
    resource: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
    namespace,
    // Only ReplicaSets of Rollouts carry the hash label: the rest of the cluster's are not cached.
    labelSelector: POD_TEMPLATE_HASH_LABEL,
    onError,
  });
  const services = new Informer<Service>({
    client,
    resource: { group: '', version: 'v1', plural: 'services', namespaced: true },
    namespace,
    onError,
  });
  // workloadRef: the referenced Deployments' templates and generations.
  const deployments = new Informer<Deployment>({
    client,
    resource: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
    namespace,
    onError,
  });
  const events = new EventRecorder({
    client,
    host: hostname(),
    onRecorded: (object, event) =>
      metrics.countEvent(object.namespace, object.name, event.type, event.reason),
    onError: (error) => log.warn({ err: error }, 'could not record an Event'),
  });
  const queue = new WorkQueue({ observer: metrics.queueObserver('rollouts') });
  // AnalysisRuns (issue 6): their own informer, queue and --analysis-threads workers.
  const analysisRuns = analysisRunController({
    client,
    namespace,
    labelSelector: instanceIdSelector(config.instanceId),
    events,
    log,
    observer: metrics.queueObserver('analysisruns'),
    onError,
  });
  // Experiments (issue 6): their own informer and queue; template ReplicaSets and runs come
  // from the informers above.
  const experiments = experimentController({
    client,
    namespace,
    labelSelector: instanceIdSelector(config.instanceId),
    replicaSets,
    analysisRuns: analysisRuns.informer,
    services,
    events,
    log,
    observer: metrics.queueObserver('experiments'),
    onError,
  });
  // rollout_info follows the status the reconciler wrote, as the informer sees it (upstream also
  // reads it from the lister), so the reconciler needs no metrics hook.
  rollouts.on({
    add: (r) => {
      metrics.setRolloutInfo(rolloutInfoOf(r));
      queue.add(objectKey(r));
    },
    update: (_old, r) => {
      metrics.setRolloutInfo(rolloutInfoOf(r));
      queue.add(objectKey(r));
    },
    delete: (r) => metrics.forgetRollout(r.metadata.namespace ?? '', r.metadata.name ?? ''),
  });
  const enqueueOwner = (rs: ReplicaSet) => {
    const key = ownerRolloutKey(rs);
    if (key) queue.add(key);
  };
  const enqueueOwners = (rs: ReplicaSet) => {
    enqueueOwner(rs);
    experiments.enqueueOwner(rs);
  };
  replicaSets.on({ add: enqueueOwners, update: (_old, rs) => enqueueOwners(rs), delete: enqueueOwners });
  // A run that changes phase (or goes away) is judged by its Rollout at once (issue 6).
  const enqueueRunOwner = (run: AnalysisRun) => {
    const key = ownerRolloutKey(run);
    if (key) queue.add(key);
    experiments.enqueueOwner(run);
  };
  // An Experiment that changes phase is judged by its Rollout (the experiment step).
  const enqueueExperimentOwner = (experiment: Experiment) => {
    const key = ownerRolloutKey(experiment);
    if (key) queue.add(key);
  };
  experiments.informer.on({
    add: enqueueExperimentOwner,
    update: (_old, e) => enqueueExperimentOwner(e),
    delete: enqueueExperimentOwner,
  });
  analysisRuns.informer.on({
    add: enqueueRunOwner,
    update: (_old, run) => enqueueRunOwner(run),
    delete: enqueueRunOwner,
  });
  // A referenced Service that appears, changes or goes away re-checks the Rollouts naming it.
  // An experiment template's Service also re-checks its Experiment.
  const enqueueReferrers = (svc: Service) => {
    for (const key of rolloutsReferencingService(rollouts.list(svc.metadata.namespace), svc)) queue.add(key);
    experiments.enqueueOwner(svc);
  };
  services.on({
    add: enqueueReferrers,
    update: (_old, svc) => enqueueReferrers(svc),
    delete: enqueueReferrers,
  });
  const enqueueWorkloadRollouts = (d: Deployment) => {
    for (const key of rolloutsReferencingDeployment(rollouts.list(d.metadata.namespace), d)) queue.add(key);
  };
  deployments.on({
    add: enqueueWorkloadRollouts,
    update: (_old, d) => enqueueWorkloadRollouts(d),
    delete: enqueueWorkloadRollouts,
  });

  const health = await startHealthServer({ host: config.bindAddress, port: config.healthzPort });
  const metricsServer = await startMetricsServer({
    host: config.bindAddress,
    port: config.metricsPort,
    exposition: () => metrics.exposition(),
  });
  log.info(
    { version: VERSION, healthz: health.port, metrics: metricsServer.port, namespace: namespace ?? '(all)' },
    'rollouts-controller starting',
  );

  const work = async (key: string) => {
    const started = performance.now();
    const [ns = '', name = ''] = key.split('/');
    const reconcileLog: Logger = log.child({ rollout: key, kind: 'Rollout', reconcileId: newReconcileId() });
    try {
      const result = await reconcileRollout(key, {
        client,
        rollouts,
        replicaSets,
        services,
        deployments,
        analysisRuns: analysisRuns.informer,
        experiments: experiments.informer,
        events,
        log: reconcileLog,
        now: () => Date.now(),
        routers,
      });
      metrics.observeReconcile(ns, name, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      metrics.observeReconcile(ns, name, (performance.now() - started) / 1000, true);
      // A conflict only means someone wrote first: retry on fresh state, no alarm.
      if (isConflict(error)) reconcileLog.debug({ err: error }, 'conflict; retrying on fresh state');
      else if (error instanceof ForbiddenError) {
        // Missing RBAC needs a person: say so on the Rollout too, where `kubectl describe` shows it.
        reconcileLog.error({ err: error }, 'reconcile forbidden; check the RBAC of the controller');
        const rollout = rollouts.get(key);
        await events.record(
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            namespace: ns,
            name,
            uid: rollout?.metadata.uid,
            resourceVersion: rollout?.metadata.resourceVersion,
          },
          { type: 'Warning', reason: RECONCILE_ERROR_REASON, message: error.message },
        );
      } else reconcileLog.warn({ err: error }, 'reconcile failed; retrying with back-off');
      throw error;
    }
  };

  let running = false;
  let shuttingDown = false;
  // The informers keep listing by themselves; a slow or forbidden first list is waited for again
  // (and logged each time), never turned into an unhandled rejection.
  const waitForCaches = async () => {
    for (const informer of [
      rollouts,
      replicaSets,
      services,
      deployments,
      analysisRuns.informer,
      experiments.informer,
    ]) {
      while (!shuttingDown) {
        try {
          await informer.waitForSync(SYNC_ATTEMPT_MS);
          break;
        } catch (error) {
          log.warn({ err: error }, 'caches not synced yet; still waiting');
        }
      }
    }
  };
  const startControllers = async () => {
    if (running || shuttingDown) return;
    running = true;
    rollouts.start();
    replicaSets.start();
    services.start();
    deployments.start();
    analysisRuns.informer.start();
    experiments.informer.start();
    await waitForCaches();
    if (shuttingDown) return;
    log.info('caches synced; reconciling');
    queue.run(work, config.rolloutThreads);
    void analysisRuns.start(config.analysisThreads); // AnalysisRuns (issue 6)
    experiments.run(config.experimentThreads);
  };

  const election: { elector?: LeaderElector } = {};
  const shutdown = async (code: number, why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason: why }, 'shutting down');
    setTimeout(() => {
      log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    try {
      // In-flight reconciles finish first; only then is the Lease released for a successor.
      await queue.shutdown();
      await analysisRuns.stop(); // AnalysisRuns (issue 6)
      await experiments.stop();
      await Promise.all([rollouts.stop(), replicaSets.stop(), services.stop(), deployments.stop()]);
      await election.elector?.stop();
      await Promise.all([health.close(), metricsServer.close()]);
      log.info({ exitCode: code }, 'stopped');
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      code = 1;
    }
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  process.once('SIGINT', () => void shutdown(0, 'SIGINT'));
  // A bug that escapes a handler is logged; a rejected promise nobody awaited does not take the
  // process down (the work queue retries), an uncaught exception does, as state is unknown.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  process.once('uncaughtException', (error) => {
    log.error({ err: error }, 'uncaught exception');
    void shutdown(1, 'uncaught exception');
  });

  if (!config.leaderElect) {
    await startControllers();
    return;
  }
  const leaseNs = leaseNamespace();
  const elector = new LeaderElector({
    client,
    namespace: leaseNs,
    name: leaseName(config.instanceId),
    identity: defaultIdentity(),
    leaseDurationMs: config.leaseDurationMs,
    renewDeadlineMs: config.renewDeadlineMs,
    retryPeriodMs: config.retryPeriodMs,
    onStartedLeading: () => {
      log.info({ lease: `${leaseNs}/${leaseName(config.instanceId)}` }, 'became the leader');
      void startControllers();
    },
    // A controller that lost its lease may hold stale decisions: exit and let the next one lead.
    // Releasing the Lease on shutdown also ends leadership: that is not a loss.
    onStoppedLeading: () => {
      if (shuttingDown) {
        log.info('released the leader lease');
        return;
      }
      log.error('lost the leader lease; exiting');
      void shutdown(1, 'lost the leader lease');
    },
    onNewLeader: (identity) => log.info({ leader: identity }, 'leader observed'),
    onError: (error) => log.warn({ err: error }, 'leader election round failed'),
  });
  election.elector = elector;
  elector.start();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `rollouts-controller: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
