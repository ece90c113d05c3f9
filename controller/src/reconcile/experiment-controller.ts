// The Experiment controller assembled: an informer on Experiments, a work queue of their keys
// with its own workers (--experiment-threads), and the reconciler. The ReplicaSet, AnalysisRun and
// Service informers are the Rollout controller's (main.ts queues an Experiment when one it
// controls changes).
import type { AnalysisRun, Experiment } from '@rollout-kit/api';
import type { Service } from '../canary/services.ts';
import type { KubeClient } from '../kube/client.ts';
import { isConflict } from '../kube/errors.ts';
import type { EventRecorder } from '../kube/events.ts';
import { Informer, objectKey } from '../kube/informer.ts';
import { WorkQueue, type QueueObserver } from '../kube/work-queue.ts';
import { newReconcileId, type Logger } from '../observe/logger.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { reconcileExperiment } from './experiment.ts';

export interface ExperimentControllerOptions {
  client: KubeClient;
  namespace?: string;
  labelSelector?: string;
  replicaSets: Informer<ReplicaSet>;
  analysisRuns: Informer<AnalysisRun>;
  services: Informer<Service>;
  events: Pick<EventRecorder, 'record'>;
  log: Logger;
  observer?: QueueObserver;
  onError?: (error: Error) => void;
}

export interface ExperimentController {
  informer: Informer<Experiment>;
  /** Queues the Experiment that controls `owned`, if one does. */
  enqueueOwner(owned: { metadata: ReplicaSet['metadata'] }): void;
  /** Runs `threads` workers; the informers must have been started and synced by the caller. */
  run(threads: number): void;
  stop(): Promise<void>;
}

export function experimentController(options: ExperimentControllerOptions): ExperimentController {
  const { client, log } = options;
  const informer = new Informer<Experiment>({
    client,
    resource: { group: 'argoproj.io', version: 'v1alpha1', plural: 'experiments', namespaced: true },
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const queue = new WorkQueue(options.observer ? { observer: options.observer } : {});
  informer.on({
    add: (e) => queue.add(objectKey(e)),
    update: (_old, e) => queue.add(objectKey(e)),
  });
  const work = async (key: string) => {
    const experimentLog = log.child({ experiment: key, kind: 'Experiment', reconcileId: newReconcileId() });
    try {
      return await reconcileExperiment(key, {
        client,
        experiments: informer,
        replicaSets: options.replicaSets,
        analysisRuns: options.analysisRuns,
        services: options.services,
        events: options.events,
        log: experimentLog,
        now: () => Date.now(),
      });
    } catch (error) {
      if (isConflict(error)) experimentLog.debug({ err: error }, 'conflict; retrying on fresh state');
      else experimentLog.warn({ err: error }, 'reconcile failed; retrying with back-off');
      throw error;
    }
  };
  return {
    informer,
    enqueueOwner(owned) {
      const owner = owned.metadata.ownerReferences?.find(
        (o) => o.controller === true && o.kind === 'Experiment',
      );
      if (owner && owned.metadata.namespace) queue.add(`${owned.metadata.namespace}/${owner.name}`);
    },
    run(threads) {
      queue.run(work, threads);
    },
    async stop() {
      await queue.shutdown();
      await informer.stop();
    },
  };
}
