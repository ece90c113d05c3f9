// Test data: Rollouts in the states the tab must show, and resource trees shaped like the ones
// Argo CD sends (ReplicaSets and Pods with parentRefs, info items and pod labels). Used by the
// unit tests only; each call returns fresh objects so tests may mutate them.
import type { ApplicationTree, ResourceNode } from './argocd.ts';
import type { Rollout } from './rollout.ts';

export const STABLE = '6d4f8b7c9f';
export const CANARY = '7b9c5d6f48';
export const STARTED = '2026-11-23T10:00:00Z';
export const NOW = Date.parse('2026-11-23T10:00:10Z');

export function canaryPaused(): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 2 },
    spec: {
      replicas: 5,
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { pause: {} },
            { setWeight: 50 },
            { pause: { duration: '30s' } },
            { setWeight: 80 },
          ],
        },
      },
      template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } },
    },
    status: {
      observedGeneration: '2',
      phase: 'Paused',
      message: 'CanaryPauseStep',
      stableRS: STABLE,
      currentPodHash: CANARY,
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: STARTED }],
      controllerPause: true,
      replicas: 5,
      updatedReplicas: 1,
      readyReplicas: 5,
      availableReplicas: 5,
    },
  };
}

export function canaryAborted(): Rollout {
  const rollout = canaryPaused();
  rollout.status = {
    observedGeneration: '2',
    phase: 'Degraded',
    message: 'RolloutAborted: Rollout aborted update to revision 2',
    stableRS: STABLE,
    currentPodHash: CANARY,
    currentStepIndex: 0,
    abort: true,
    abortedAt: STARTED,
    replicas: 4,
    updatedReplicas: 0,
    readyReplicas: 4,
    availableReplicas: 4,
    conditions: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: 'Rollout aborted update to revision 2',
      },
    ],
  };
  return rollout;
}

export function blueGreenPreview(): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop', generation: 4 },
    spec: {
      replicas: 3,
      strategy: {
        blueGreen: {
          activeService: 'web-active',
          previewService: 'web-preview',
          autoPromotionEnabled: false,
        },
      },
    },
    status: {
      observedGeneration: '4',
      phase: 'Paused',
      message: 'BlueGreenPause',
      stableRS: STABLE,
      currentPodHash: CANARY,
      pauseConditions: [{ reason: 'BlueGreenPause', startTime: STARTED }],
      controllerPause: true,
      blueGreen: { activeSelector: STABLE, previewSelector: CANARY },
      replicas: 6,
      updatedReplicas: 3,
      readyReplicas: 6,
      availableReplicas: 3,
    },
  };
}

/** A workloadRef canary with nginx traffic routing, at step 1 of 2, weights verified. */
export function workloadRefRouted(): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: 'web',
      namespace: 'shop',
      generation: 1,
      annotations: { 'rollout.argoproj.io/workload-generation': '3' },
    },
    spec: {
      replicas: 4,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-deploy' },
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps: [{ setWeight: 30 }, { pause: { duration: 60 } }],
        },
      },
    },
    status: {
      observedGeneration: '1',
      workloadObservedGeneration: '3',
      phase: 'Paused',
      message: 'CanaryPauseStep',
      stableRS: STABLE,
      currentPodHash: CANARY,
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: STARTED }],
      controllerPause: true,
      canary: {
        weights: {
          canary: { weight: 20, serviceName: 'web-canary', podTemplateHash: CANARY },
          stable: { weight: 80, serviceName: 'web-stable', podTemplateHash: STABLE },
          verified: true,
        },
      },
      replicas: 6,
      updatedReplicas: 2,
      readyReplicas: 6,
      availableReplicas: 6,
    },
  };
}

export interface SetSpec {
  hash: string;
  revision: number;
  image: string;
  /** One entry per pod: whether it is ready. */
  pods: boolean[];
}

/** A resource tree with the Rollout `name` owning one ReplicaSet per entry, each with its pods. */
export function treeOf(name: string, sets: SetSpec[], namespace = 'shop'): ApplicationTree {
  const nodes: ResourceNode[] = [
    { group: 'argoproj.io', kind: 'Rollout', name, namespace, uid: 'uid-web', version: 'v1alpha1' },
  ];
  for (const set of sets) {
    const rs = `${name}-${set.hash}`;
    nodes.push({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      name: rs,
      namespace,
      parentRefs: [{ group: 'argoproj.io', kind: 'Rollout', name, namespace, uid: 'uid-web' }],
      info: [{ name: 'Revision', value: `Rev:${set.revision}` }],
      health: { status: 'Healthy' },
      createdAt: `2026-11-2${set.revision}T09:00:00Z`,
    });
    set.pods.forEach((ready, i) =>
      nodes.push({
        version: 'v1',
        kind: 'Pod',
        name: `${rs}-pod${i}`,
        namespace,
        parentRefs: [{ group: 'apps', kind: 'ReplicaSet', name: rs, namespace }],
        info: [
          { name: 'Status Reason', value: ready ? 'Running' : 'ContainerCreating' },
          { name: 'Containers', value: ready ? '1/1' : '0/1' },
        ],
        networkingInfo: { labels: { app: name, 'rollouts-pod-template-hash': set.hash } },
        images: [set.image],
        health: { status: ready ? 'Healthy' : 'Progressing' },
        createdAt: '2026-11-23T09:59:00Z',
      }),
    );
  }
  return { nodes };
}

/** Stable with four ready pods on nginx:1.25, canary with one ready pod on nginx:1.26. */
export function twoRevisionTree(): ApplicationTree {
  return treeOf('web', [
    { hash: STABLE, revision: 1, image: 'nginx:1.25', pods: [true, true, true, true] },
    { hash: CANARY, revision: 2, image: 'nginx:1.26', pods: [true] },
  ]);
}
