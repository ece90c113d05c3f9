// Shared by the blue-green integration tests: the Rollout and its active/preview Services, and
// reading which hash a Service selects. Argo CD's view of the Rollout: ../support/argocd-lua.ts.
import type { Rollout } from '@rollout-kit/api';
import { kube } from '../support/kube.ts';
import { healthy, createRollout, patchRollout, waitForRollout } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';

export { argoCdHealth, runArgoCdAction, waitForArgoCdHealth } from '../support/argocd-lua.ts';

type BlueGreen = NonNullable<NonNullable<Rollout['spec']['strategy']>['blueGreen']>;

export const template = (image: string, labels: Record<string, string> = {}) => ({
  metadata: { labels: { app: 'web', ...labels } },
  spec: { containers: [{ name: 'web', image }] },
});

export function blueGreenRollout(options: {
  name?: string;
  image: string;
  replicas?: number;
  blueGreen?: Partial<BlueGreen>;
  labels?: Record<string, string>;
}): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: options.name ?? 'web', ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(options.image),
      strategy: {
        blueGreen: { activeService: 'web-active', previewService: 'web-preview', ...options.blueGreen },
      },
    },
  };
}

export async function createService(namespace: string, name: string): Promise<void> {
  await kube().core.createNamespacedService({
    namespace,
    body: { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  });
}

/** The pod-template hash a Service selects, its whole selector and its managed-by annotation. */
export async function serviceState(namespace: string, name: string) {
  const svc = await kube().core.readNamespacedService({ namespace, name });
  return {
    hash: svc.spec?.selector?.['rollouts-pod-template-hash'],
    selector: svc.spec?.selector,
    managedBy: svc.metadata?.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts'],
  };
}

export async function waitForService(namespace: string, name: string, hash: string) {
  return waitFor(`Service ${name} selecting ${hash}`, async () => {
    const state = await serviceState(namespace, name);
    return state.hash === hash ? state : undefined;
  });
}

export { healthy };

/** Creates the active and preview Services and the Rollout; returns it once the first version is Healthy. */
export async function deployFirst(namespace: string, rollout: Rollout): Promise<Rollout> {
  await createService(namespace, 'web-active');
  await createService(namespace, 'web-preview');
  await createRollout(namespace, rollout);
  return waitForRollout(namespace, 'web', 'the initial deploy is Healthy', healthy);
}

/** Updates the Rollout to the green image and returns it once paused with green in preview. */
export async function updateToGreen(
  namespace: string,
  paused: (r: Rollout) => boolean = (r) => r.status?.phase === 'Paused',
): Promise<Rollout> {
  await patchRollout(namespace, 'web', { spec: { template: template('argoproj/rollouts-demo:green') } });
  return waitForRollout(namespace, 'web', 'paused in preview', paused);
}

/** Waits, after the promote, for the Rollout to be Healthy with `hash` as its stable. */
export async function healthyOn(
  namespace: string,
  hash: string,
  what = 'Healthy on green',
): Promise<Rollout> {
  return waitForRollout(namespace, 'web', what, (r) => healthy(r) && r.status?.stableRS === hash);
}
