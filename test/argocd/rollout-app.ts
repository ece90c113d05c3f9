// The GitOps side of the Argo CD walkthrough: the Rollout as it sits in Git (the seed's canary: 4
// replicas, 25% → pause → 50% → pause → 100%) and the Argo CD Application that syncs it.
import { stringify } from 'yaml';
import type { ResourceRef } from './argocd-api.ts';

export const ROLLOUT_NAME = 'web';
/** Where the manifest lives in the repository (the Application's source path). */
export const APP_PATH = 'deploy';

export interface RevisionOptions {
  image: string;
  /**
   * Seconds the new pods take to become Ready (the KWOK `delayed` readiness contract), so the
   * rollout stays Progressing long enough to be seen; 0 makes them Ready at once.
   */
  readyAfterSeconds?: number;
}

/** The Rollout manifest committed to Git for one revision. */
export function rolloutManifest(opts: RevisionOptions): string {
  const delayed = (opts.readyAfterSeconds ?? 0) > 0;
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: ROLLOUT_NAME },
    spec: {
      replicas: 4,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: ROLLOUT_NAME } },
      template: {
        metadata: {
          labels: { app: ROLLOUT_NAME, ...(delayed ? { 'rollout-kit.test/readiness': 'delayed' } : {}) },
          ...(delayed
            ? { annotations: { 'rollout-kit.test/ready-after': `${opts.readyAfterSeconds}s` } }
            : {}),
        },
        spec: { containers: [{ name: ROLLOUT_NAME, image: opts.image }] },
      },
      strategy: {
        canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] },
      },
    },
  };
  return stringify(rollout);
}

/** The files of one commit. */
export function revisionFiles(opts: RevisionOptions): Record<string, string> {
  return { [`${APP_PATH}/rollout.yaml`]: rolloutManifest(opts) };
}

/** The Application, as POSTed to Argo CD's API: automated sync from `repoURL` into `namespace`. */
export function application(opts: {
  name: string;
  argocdNamespace: string;
  repoURL: string;
  namespace: string;
}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: opts.name, namespace: opts.argocdNamespace },
    spec: {
      project: 'default',
      source: { repoURL: opts.repoURL, targetRevision: 'main', path: APP_PATH },
      destination: { server: 'https://kubernetes.default.svc', namespace: opts.namespace },
      syncPolicy: { automated: {} },
    },
  };
}

export function rolloutRef(namespace: string): ResourceRef {
  return { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', namespace, name: ROLLOUT_NAME };
}
