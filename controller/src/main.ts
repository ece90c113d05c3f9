// The controller process: configuration, clients, informers, the Rollout work queue, leader
// election, /healthz and /metrics, and shutdown on SIGTERM. Wiring only.
import { hostname } from 'node:os';
import type { Rollout } from '@rollout-kit/api';
import { POD_TEMPLATE_HASH_LABEL } from '@rollout-kit/api';
import { ConfigExit, parseConfig, type Config } from './config.ts';
import { createKubeClient, defaultNamespace } from './kube/client.ts';
import { isConflict } from './kube/errors.ts';
import { EventRecorder } from './kube/events.ts';
import { Informer, instanceIdSelector, objectKey } from './kube/informer.ts';
import { LeaderElector, defaultIdentity, leaseName, leaseNamespace } from './kube/leader-election.ts';
import { WorkQueue } from './kube/work-queue.ts';
import { startHealthServer, startMetricsServer } from './observe/health.ts';
import { createLogger, newReconcileId, type Logger } from './observe/logger.ts';
import { Metrics } from './observe/metrics.ts';
import { ownerRolloutKey, reconcileRollout } from './reconcile/rollout.ts';
import type { ReplicaSet } from './rollout/replica-set.ts';

const VERSION = '0.1.0';

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
  const events = new EventRecorder({
    client,
    host: hostname(),
    onRecorded: (object, event) =>
      metrics.countEvent(object.namespace, object.name, event.type, event.reason),
    onError: (error) => log.warn({ err: error }, 'could not record an Event'),
  });
  const queue = new WorkQueue({ observer: metrics.queueObserver('rollouts') });
  rollouts.on({
    add: (r) => queue.add(objectKey(r)),
    update: (_old, r) => queue.add(objectKey(r)),
    delete: (r) => metrics.forgetRollout(r.metadata.namespace ?? '', r.metadata.name ?? ''),
  });
  const enqueueOwner = (rs: ReplicaSet) => {
    const key = ownerRolloutKey(rs);
    if (key) queue.add(key);
  };
  replicaSets.on({ add: enqueueOwner, update: (_old, rs) => enqueueOwner(rs), delete: enqueueOwner });

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
        events,
        log: reconcileLog,
        now: () => Date.now(),
      });
      metrics.observeReconcile(ns, name, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      metrics.observeReconcile(ns, name, (performance.now() - started) / 1000, true);
      // A conflict only means someone wrote first: retry on fresh state, no alarm.
      if (isConflict(error)) reconcileLog.debug({ err: error }, 'conflict; retrying on fresh state');
      else reconcileLog.warn({ err: error }, 'reconcile failed; retrying with back-off');
      throw error;
    }
  };

  let running = false;
  const startControllers = async () => {
    if (running) return;
    running = true;
    rollouts.start();
    replicaSets.start();
    await Promise.all([rollouts.waitForSync(), replicaSets.waitForSync()]);
    log.info('caches synced; reconciling');
    queue.run(work, config.rolloutThreads);
  };

  const election: { elector?: LeaderElector } = {};
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('shutting down');
    await queue.shutdown();
    await Promise.all([rollouts.stop(), replicaSets.stop()]);
    await election.elector?.stop();
    await Promise.all([health.close(), metricsServer.close()]);
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));

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
    onStoppedLeading: () => {
      log.error('lost the leader lease; exiting');
      void shutdown(1);
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
