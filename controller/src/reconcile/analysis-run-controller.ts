// The AnalysisRun controller assembled: an informer on AnalysisRuns, a work queue of their keys
// with its own workers (--analysis-threads), and the reconciler with the providers. main.ts
// makes one, starts it once the leader and stops it on shutdown.
import type { AnalysisRun } from '@rollout-kit/api';
import type { KubeClient } from '../kube/client.ts';
import { isConflict } from '../kube/errors.ts';
import type { EventRecorder } from '../kube/events.ts';
import { Informer, objectKey } from '../kube/informer.ts';
import { WorkQueue, type QueueObserver } from '../kube/work-queue.ts';
import { newReconcileId, type Logger } from '../observe/logger.ts';
import { analysisProviders, reconcileAnalysisRun } from './analysis-run.ts';

export interface AnalysisRunControllerOptions {
  client: KubeClient;
  /** Watch one namespace (for --namespaced); all when omitted. */
  namespace?: string;
  labelSelector?: string;
  events: Pick<EventRecorder, 'record'>;
  log: Logger;
  observer?: QueueObserver;
  onError?: (error: Error) => void;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface AnalysisRunController {
  informer: Informer<AnalysisRun>;
  /** Starts the informer, waits for its first list, then runs `threads` workers. */
  start(threads: number): Promise<void>;
  stop(): Promise<void>;
}

export function analysisRunController(options: AnalysisRunControllerOptions): AnalysisRunController {
  const { client, log } = options;
  const informer = new Informer<AnalysisRun>({
    client,
    resource: { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns', namespaced: true },
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const queue = new WorkQueue(options.observer ? { observer: options.observer } : {});
  informer.on({
    add: (run) => queue.add(objectKey(run)),
    update: (_old, run) => queue.add(objectKey(run)),
  });
  const providers = analysisProviders(client, options.env ?? process.env);
  let stopped = false;

  const work = async (key: string) => {
    const runLog = log.child({ analysisRun: key, kind: 'AnalysisRun', reconcileId: newReconcileId() });
    try {
      return await reconcileAnalysisRun(key, {
        client,
        analysisRuns: informer,
        providers,
        events: options.events,
        log: runLog,
        now: () => Date.now(),
      });
    } catch (error) {
      if (isConflict(error)) runLog.debug({ err: error }, 'conflict; retrying on fresh state');
      else runLog.warn({ err: error }, 'reconcile failed; retrying with back-off');
      throw error;
    }
  };

  return {
    informer,
    async start(threads) {
      informer.start();
      while (!stopped) {
        try {
          await informer.waitForSync(30_000);
          break;
        } catch (error) {
          log.warn({ err: error }, 'AnalysisRun cache not synced yet; still waiting');
        }
      }
      if (stopped) return;
      queue.run(work, threads);
    },
    async stop() {
      stopped = true;
      await queue.shutdown();
      await informer.stop();
    },
  };
}
