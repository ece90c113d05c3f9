// Test data: AnalysisRuns shaped like the ones the controller writes, and a tree that holds them.
import type { ApplicationTree } from './argocd.ts';
import { twoRevisionTree } from './fixtures.ts';

/** A step run of revision 2 whose `success-rate` metric failed on its third measurement. */
export function failedStepRun(): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: 'web-7b9c5d6f48-2-2',
      namespace: 'shop',
      labels: { 'rollout-type': 'Step', 'step-index': '2', 'rollouts-pod-template-hash': '7b9c5d6f48' },
      annotations: { 'rollout.argoproj.io/revision': '2' },
    },
    spec: {
      metrics: [
        {
          name: 'success-rate',
          interval: '10s',
          count: 3,
          successCondition: 'result[0] >= 0.95',
          provider: { prometheus: { query: 'rate' } },
        },
        { name: 'latency', failureCondition: 'result > 500', provider: { web: { url: 'http://x' } } },
      ],
    },
    status: {
      phase: 'Failed',
      message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
      startedAt: '2026-11-23T10:00:00Z',
      completedAt: '2026-11-23T10:00:31Z',
      runSummary: { count: 2, successful: 1, failed: 1 },
      metricResults: [
        {
          name: 'success-rate',
          phase: 'Failed',
          message: 'failed (1) > failureLimit (0)',
          count: 3,
          successful: 2,
          failed: 1,
          measurements: [
            {
              phase: 'Successful',
              value: '[0.99]',
              startedAt: '2026-11-23T10:00:00Z',
              finishedAt: '2026-11-23T10:00:01Z',
            },
            {
              phase: 'Successful',
              value: '[0.97]',
              startedAt: '2026-11-23T10:00:11Z',
              finishedAt: '2026-11-23T10:00:12Z',
            },
            {
              phase: 'Failed',
              value: '[0.42]',
              startedAt: '2026-11-23T10:00:22Z',
              finishedAt: '2026-11-23T10:00:23Z',
            },
          ],
        },
        {
          name: 'latency',
          phase: 'Error',
          message: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
          count: 0,
          error: 5,
          consecutiveError: 5,
          measurements: [
            {
              phase: 'Error',
              message: 'received non 2xx response code: 503',
              startedAt: '2026-11-23T10:00:30Z',
              finishedAt: '2026-11-23T10:00:30Z',
            },
          ],
        },
      ],
    },
  };
}

/** The two-revision tree plus the failed step run and an older successful background run. */
export function treeWithRuns(): ApplicationTree {
  const tree = twoRevisionTree();
  const parent = [{ group: 'argoproj.io', kind: 'Rollout', name: 'web', namespace: 'shop', uid: 'uid-web' }];
  tree.nodes?.push(
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'AnalysisRun',
      name: 'web-6d4f8b7c9f-1',
      namespace: 'shop',
      parentRefs: parent,
      info: [{ name: 'Revision', value: 'Rev:1' }],
      resourceVersion: '11',
      health: { status: 'Healthy' },
      createdAt: '2026-11-22T09:00:00Z',
    },
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'AnalysisRun',
      name: 'web-7b9c5d6f48-2-2',
      namespace: 'shop',
      parentRefs: parent,
      info: [{ name: 'Revision', value: 'Rev:2' }],
      resourceVersion: '42',
      health: { status: 'Degraded', message: 'Metric "success-rate" assessed Failed' },
      createdAt: '2026-11-23T10:00:00Z',
    },
  );
  return tree;
}
