// The CLI's calls to the API server, through the controller's client (kube/): reading a Rollout
// and what it owns, and sending the plugin's patches the way the plugin sends them.
import type { AnalysisRun, Experiment, Rollout } from '@rollout-kit/api';
import { API_VERSION } from '@rollout-kit/api';
import type { KubeClient } from '../kube/client.ts';
import { isConflict, isNotFound, isTransient, kubeCall } from '../kube/errors.ts';
import type { PodObject, ReplicaSetObject, RolloutObjects } from './objects.ts';
import type { PatchPlan } from './patches.ts';
import type { HistoryEvent } from './history.ts';
import type { TemplateObject } from './analysis-run-from-template.ts';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

const argo = (namespace: string | undefined, plural: string, name?: string) =>
  `/apis/${API_VERSION}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;

/**
 * A read retried on transient failures (429, 5xx such as a CRD's storage still initialising,
 * network errors): 4 attempts, 250 ms doubling. Writes are not retried this way.
 */
async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await kubeCall(what, call);
    } catch (error) {
      if (!isTransient(error) || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
    }
  }
}

export class RolloutApi {
  private readonly client: KubeClient;
  constructor(client: KubeClient) {
    this.client = client;
  }

  getRollout(namespace: string, name: string): Promise<Rollout> {
    return read(`getting rollout ${namespace}/${name}`, () =>
      this.client.requestJson<Rollout>('GET', argo(namespace, 'rollouts', name)),
    ).catch((error: unknown) => {
      if (isNotFound(error)) throw new Error(`rollout.argoproj.io "${name}" not found`, { cause: error });
      throw error;
    });
  }

  /** Rollouts of a namespace, or of all namespaces when `namespace` is undefined. */
  async listRollouts(namespace: string | undefined): Promise<Rollout[]> {
    const list = await read('listing rollouts', () =>
      this.client.requestJson<{ items: Rollout[] }>('GET', argo(namespace, 'rollouts')),
    );
    return list.items;
  }

  private async listOptional<T>(path: string, what: string): Promise<T[]> {
    try {
      return (await read(`listing ${what}`, () => this.client.requestJson<{ items: T[] }>('GET', path)))
        .items;
    } catch (error) {
      if (isNotFound(error)) return []; // CRD not installed
      throw error;
    }
  }

  /** The Rollout and the ReplicaSets, Pods, AnalysisRuns and Experiments of its namespace. */
  async rolloutObjects(namespace: string, name: string): Promise<RolloutObjects> {
    const rollout = await this.getRollout(namespace, name);
    const [replicaSets, pods, analysisRuns, experiments] = await Promise.all([
      this.listOptional<ReplicaSetObject>(`/apis/apps/v1/namespaces/${namespace}/replicasets`, 'replicasets'),
      this.listOptional<PodObject>(`/api/v1/namespaces/${namespace}/pods`, 'pods'),
      this.listOptional<AnalysisRun>(argo(namespace, 'analysisruns'), 'analysisruns'),
      this.listOptional<Experiment>(argo(namespace, 'experiments'), 'experiments'),
    ]);
    return { rollout, replicaSets, pods, analysisRuns, experiments };
  }

  /** ReplicaSets controlled by the Rollout (controller owner reference with its UID). */
  async ownedReplicaSets(rollout: Rollout): Promise<ReplicaSetObject[]> {
    const namespace = rollout.metadata.namespace ?? 'default';
    const all = await this.listOptional<ReplicaSetObject>(
      `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      'replicasets',
    );
    return all.filter((rs) =>
      (rs.metadata.ownerReferences ?? []).some(
        (o) => o.controller === true && o.uid === rollout.metadata.uid,
      ),
    );
  }

  async rolloutEvents(rollout: Rollout): Promise<HistoryEvent[]> {
    const namespace = rollout.metadata.namespace ?? 'default';
    const list = await read('listing events', () =>
      this.client.requestJson<{
        items: {
          reason?: string;
          message?: string;
          lastTimestamp?: string;
          eventTime?: string;
          involvedObject?: { uid?: string };
        }[];
      }>('GET', `/api/v1/namespaces/${namespace}/events`, {
        query: { fieldSelector: `involvedObject.name=${rollout.metadata.name},involvedObject.kind=Rollout` },
      }),
    );
    return list.items
      .filter((e) => !e.involvedObject?.uid || e.involvedObject.uid === rollout.metadata.uid)
      .map((e) => ({
        reason: e.reason ?? '',
        message: e.message ?? '',
        time: e.lastTimestamp ?? e.eventTime,
      }));
  }

  /**
   * Sends a plan as the plugin does: the status part to the status subresource (on 404, a CRD
   * without it, the whole body goes to the main resource instead), then the spec part.
   */
  async sendPlan(namespace: string, name: string, plan: PatchPlan): Promise<void> {
    const path = argo(namespace, 'rollouts', name);
    let spec = plan.spec;
    if (plan.status) {
      try {
        await kubeCall(`patching status of rollout ${name}`, () =>
          this.client.requestJson('PATCH', `${path}/status`, { body: plan.status, contentType: MERGE }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await kubeCall(`patching rollout ${name}`, () =>
          this.client.requestJson('PATCH', path, {
            body: { ...plan.spec, ...plan.status },
            contentType: MERGE,
          }),
        );
        spec = undefined;
      }
    }
    if (spec) {
      await kubeCall(`patching rollout ${name}`, () =>
        this.client.requestJson('PATCH', path, { body: spec, contentType: MERGE }),
      );
    }
  }

  /** GET, change, PUT; retried up to 5 times on a conflict (as the plugin's set image). */
  async updateRollout(namespace: string, name: string, change: (r: Rollout) => Rollout): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const rollout = await this.getRollout(namespace, name);
      try {
        await kubeCall(`updating rollout ${name}`, () =>
          this.client.requestJson('PUT', argo(namespace, 'rollouts', name), { body: change(rollout) }),
        );
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 5) throw error;
      }
    }
  }

  /** A merge patch on the main resource of an Argo kind (`analysisruns`, `experiments`). */
  async mergePatch(namespace: string, plural: string, name: string, body: object): Promise<void> {
    await kubeCall(`patching ${plural} ${name}`, () =>
      this.client.requestJson('PATCH', argo(namespace, plural, name), { body, contentType: MERGE }),
    ).catch((error: unknown) => {
      if (isNotFound(error))
        throw new Error(`${plural.replace(/s$/, '')}.argoproj.io "${name}" not found`, { cause: error });
      throw error;
    });
  }

  /** An AnalysisTemplate of the namespace, or a ClusterAnalysisTemplate with `global`. */
  async getAnalysisTemplate(namespace: string, name: string, global: boolean): Promise<TemplateObject> {
    const plural = global ? 'clusteranalysistemplates' : 'analysistemplates';
    return read(`getting ${plural} ${name}`, () =>
      this.client.requestJson<TemplateObject>('GET', argo(global ? undefined : namespace, plural, name)),
    ).catch((error: unknown) => {
      if (isNotFound(error))
        throw new Error(`${plural.replace(/s$/, '')}.argoproj.io "${name}" not found`, { cause: error });
      throw error;
    });
  }

  /** Creates an AnalysisRun; returns the name the server gave it. */
  async createAnalysisRun(namespace: string, run: AnalysisRun): Promise<string> {
    const created = await kubeCall('creating analysisrun', () =>
      this.client.requestJson<AnalysisRun>('POST', argo(namespace, 'analysisruns'), { body: run }),
    );
    return created.metadata.name ?? '';
  }

  async jsonPatchRollout(namespace: string, name: string, patch: unknown[]): Promise<void> {
    await kubeCall(`patching rollout ${name}`, () =>
      this.client.requestJson('PATCH', argo(namespace, 'rollouts', name), {
        body: patch,
        contentType: JSON_PATCH,
      }),
    );
  }
}
