// Objects for the rendering tests: a Rollout and what it owns, built the way the API server
// returns them, with every object created seven days before NOW.
import type { AnalysisRun, Experiment, Rollout } from '@rollout-kit/api';
import type { PodObject, ReplicaSetObject, RolloutObjects } from '../objects.ts';

export const NOW = Date.parse('2026-01-08T00:00:00Z');
const CREATED = '2026-01-01T00:00:00Z';
const NS = 'jesse-test';

export function rollout(name: string, spec: Rollout['spec'], status: Rollout['status']): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NS, uid: `${name}-uid`, generation: 1, creationTimestamp: CREATED },
    spec,
    status: { observedGeneration: '1', ...status },
  };
}

export interface RsSpec {
  hash: string;
  revision: number;
  image: string;
  replicas: number;
  available?: number;
  /** Pod name suffixes and their state. */
  pods?: { suffix: string; state?: 'running' | 'image-pull' | 'crash'; restarts?: number }[];
}

function pod(owner: ReplicaSetObject, p: NonNullable<RsSpec['pods']>[number]): PodObject {
  const state = p.state ?? 'running';
  return {
    metadata: {
      name: `${owner.metadata.name}-${p.suffix}`,
      namespace: NS,
      creationTimestamp: CREATED,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: owner.metadata.name ?? '',
          uid: owner.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: { containers: [{ name: 'web' }] },
    status: {
      phase: state === 'running' ? 'Running' : 'Pending',
      containerStatuses: [
        {
          name: 'web',
          ready: state === 'running',
          restartCount: p.restarts ?? 0,
          state:
            state === 'running'
              ? { running: {} }
              : { waiting: { reason: state === 'crash' ? 'CrashLoopBackOff' : 'ImagePullBackOff' } },
        },
      ],
    },
  };
}

export function objects(ro: Rollout, sets: RsSpec[], analysisRuns: AnalysisRun[] = []): RolloutObjects {
  const replicaSets: ReplicaSetObject[] = [];
  const pods: PodObject[] = [];
  for (const s of sets) {
    const rs: ReplicaSetObject = {
      metadata: {
        name: `${ro.metadata.name}-${s.hash}`,
        namespace: NS,
        uid: `rs-${s.hash}`,
        generation: 1,
        creationTimestamp: CREATED,
        labels: { 'rollouts-pod-template-hash': s.hash },
        annotations: { 'rollout.argoproj.io/revision': String(s.revision) },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: ro.metadata.name ?? '',
            uid: ro.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      spec: { replicas: s.replicas, template: { spec: { containers: [{ name: 'web', image: s.image }] } } },
      status: {
        replicas: s.pods?.length ?? s.replicas,
        availableReplicas: s.available ?? s.replicas,
        readyReplicas: s.available ?? s.replicas,
        observedGeneration: 1,
      },
    };
    replicaSets.push(rs);
    for (const p of s.pods ?? []) pods.push(pod(rs, p));
  }
  return { rollout: ro, replicaSets, pods, analysisRuns, experiments: [] };
}

export function analysisRun(
  ro: Rollout,
  name: string,
  revision: number,
  status: NonNullable<AnalysisRun['status']>,
): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace: NS,
      creationTimestamp: CREATED,
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: ro.metadata.name ?? '',
          uid: ro.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: { metrics: [] },
    status,
  };
}

const ownerRef = (kind: string, name: string, uid: string) => ({
  apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'argoproj.io/v1alpha1',
  kind,
  name,
  uid,
  controller: true,
});

/**
 * An Experiment owned by the Rollout, with one ReplicaSet per template (named
 * `<experiment>-<template>`, as upstream) and the runs it owns, added to the objects.
 */
export function withExperiment(
  into: RolloutObjects,
  name: string,
  revision: number,
  phase: NonNullable<Experiment['status']>['phase'],
  templates: { name: string; image: string; pods: string[] }[],
  runs: { name: string; status: NonNullable<AnalysisRun['status']> }[] = [],
): RolloutObjects {
  const uid = `${name}-uid`;
  const annotations = { 'rollout.argoproj.io/revision': String(revision) };
  const ro = into.rollout;
  const experiments: Experiment[] = [...into.experiments];
  const replicaSets: ReplicaSetObject[] = [...into.replicaSets];
  const pods: PodObject[] = [...into.pods];
  const analysisRuns: AnalysisRun[] = [...into.analysisRuns];
  experiments.push({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name,
      namespace: NS,
      uid,
      creationTimestamp: CREATED,
      annotations,
      ownerReferences: [ownerRef('Rollout', ro.metadata.name ?? '', ro.metadata.uid ?? '')],
    },
    spec: { templates: templates.map((t) => ({ name: t.name, selector: {}, template: {} })) },
    status: { phase },
  });
  for (const t of templates) {
    const rs: ReplicaSetObject = {
      metadata: {
        name: `${name}-${t.name}`,
        namespace: NS,
        uid: `${name}-${t.name}-uid`,
        generation: 1,
        creationTimestamp: CREATED,
        labels: { 'rollouts-pod-template-hash': `${t.name}hash` },
        annotations,
        ownerReferences: [ownerRef('Experiment', name, uid)],
      },
      spec: {
        replicas: t.pods.length,
        template: { spec: { containers: [{ name: 'web', image: t.image }] } },
      },
      status: {
        replicas: t.pods.length,
        availableReplicas: t.pods.length,
        readyReplicas: t.pods.length,
        observedGeneration: 1,
      },
    };
    replicaSets.push(rs);
    for (const suffix of t.pods) pods.push(pod(rs, { suffix }));
  }
  for (const r of runs) {
    const run = analysisRun(ro, r.name, revision, r.status);
    run.metadata.ownerReferences = [ownerRef('Experiment', name, uid)];
    analysisRuns.push(run);
  }
  return { ...into, experiments, replicaSets, pods, analysisRuns };
}
