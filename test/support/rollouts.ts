// Helpers for tests that drive Rollouts: create, read, wait for a state, and the ReplicaSet sizes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Rollout } from '@rollout-kit/api';
import { kube } from './kube.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);
const ref = (namespace: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'rollouts',
});

export async function createRollout(namespace: string, rollout: Rollout): Promise<void> {
  await kube().custom.createNamespacedCustomObject({ ...ref(namespace), body: rollout });
}

export async function getRollout(namespace: string, name: string): Promise<Rollout> {
  return (await kube().custom.getNamespacedCustomObject({ ...ref(namespace), name })) as Rollout;
}

/** A JSON merge patch on the Rollout (spec or metadata). */
export async function patchRollout(namespace: string, name: string, patch: object): Promise<void> {
  await run('kubectl', [
    '-n',
    namespace,
    'patch',
    'rollout',
    name,
    '--type=merge',
    '-p',
    JSON.stringify(patch),
  ]);
}

/** ReplicaSet sizes of the Rollout by pod-template hash: `{ "5d7f9": { spec: 3, available: 3 } }`. */
export async function replicaSetSizes(
  namespace: string,
  rolloutName: string,
): Promise<Record<string, { spec: number; available: number }>> {
  const list = await kube().apps.listNamespacedReplicaSet({ namespace });
  const out: Record<string, { spec: number; available: number }> = {};
  for (const rs of list.items) {
    if (!rs.metadata?.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === rolloutName)) continue;
    const hash = rs.metadata.labels?.['rollouts-pod-template-hash'] ?? '?';
    out[hash] = { spec: rs.spec?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 };
  }
  return out;
}

/** Waits until `check` holds for the Rollout; the failure message shows its phase, step and ReplicaSets. */
export async function waitForRollout(
  namespace: string,
  name: string,
  what: string,
  check: (r: Rollout) => boolean,
  timeoutMs = 60_000,
): Promise<Rollout> {
  return waitFor(
    `Rollout ${namespace}/${name}: ${what}`,
    async () => {
      const r = await getRollout(namespace, name);
      return check(r) ? r : undefined;
    },
    {
      timeoutMs,
      observe: async () => {
        const r = await getRollout(namespace, name);
        const s = r.status ?? {};
        return {
          phase: s.phase,
          message: s.message,
          step: s.currentStepIndex,
          stableRS: s.stableRS,
          currentPodHash: s.currentPodHash,
          pauseConditions: s.pauseConditions,
          replicaSets: await replicaSetSizes(namespace, name),
        };
      },
    },
  );
}

/** The pod template of the test Rollouts: one container, labelled app=web (and `labels`). */
export const webTemplate = (image: string, labels: Record<string, string> = {}) => ({
  metadata: { labels: { app: 'web', ...labels } },
  spec: { containers: [{ name: 'web', image }] },
});

/** The Rollout `web` of 2 replicas selecting app=web, a canary with no steps unless `spec` says otherwise. */
export function webRollout(image: string, spec: Partial<Rollout['spec']> = {}): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: webTemplate(image),
      strategy: { canary: {} },
      ...spec,
    },
  };
}

/** Healthy, with the current generation observed (an older Healthy is not this spec's). */
export const healthy = (r: Rollout): boolean =>
  r.status?.phase === 'Healthy' && r.status.observedGeneration === String(r.metadata.generation);

/** Runs the official `kubectl argo rollouts` plugin (on PATH through the test setup). */
export async function argoRollouts(namespace: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['argo', 'rollouts', '-n', namespace, ...args]);
  return stdout;
}

/** Reasons of the Events recorded on an object, oldest first. */
export async function eventReasons(namespace: string, name: string): Promise<string[]> {
  const list = await kube().core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items
    .sort((a, b) =>
      String(a.firstTimestamp ?? a.eventTime ?? '').localeCompare(
        String(b.firstTimestamp ?? b.eventTime ?? ''),
      ),
    )
    .map((e) => e.reason ?? '');
}

/** Messages of the object's Events with that reason, oldest first. */
export async function eventMessages(namespace: string, name: string, reason: string): Promise<string[]> {
  const list = await kube().core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name},reason=${reason}`,
  });
  return list.items
    .sort((a, b) => String(a.firstTimestamp ?? '').localeCompare(String(b.firstTimestamp ?? '')))
    .map((e) => e.message ?? '');
}

/**
 * Waits until the object's Events include every reason in `wanted` and returns all its reasons.
 * Events are recorded just after the status write, so a test that saw the status may be early.
 */
export async function waitForEventReasons(
  namespace: string,
  name: string,
  wanted: readonly string[],
): Promise<string[]> {
  return waitFor(
    `Events ${wanted.join(', ')} on ${namespace}/${name}`,
    async () => {
      const reasons = await eventReasons(namespace, name);
      return wanted.every((r) => reasons.includes(r)) ? reasons : undefined;
    },
    { timeoutMs: 30_000, observe: () => eventReasons(namespace, name) },
  );
}
