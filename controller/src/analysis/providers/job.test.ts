import type { AnalysisRun, Metric } from '@rollout-kit/api';
import { jobFor, jobPhase, jobProvider, type Job, type JobApi } from './job.ts';

const run: AnalysisRun = {
  metadata: { name: 'r', namespace: 'ns', uid: 'u-1' },
  spec: { metrics: [] },
};
const metric: Metric = {
  name: 'smoke',
  provider: {
    job: { metadata: { labels: { a: 'b' }, annotations: { c: 'd' } }, spec: { backoffLimit: 0 } },
  },
};

test('jobFor names, labels, annotates and owns the Job as upstream', () => {
  expect(jobFor(run, metric, 2)).toEqual({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'u-1.smoke.2',
      labels: { a: 'b', 'analysisrun.argoproj.io/uid': 'u-1' },
      annotations: {
        c: 'd',
        'analysisrun.argoproj.io/name': 'r',
        'analysisrun.argoproj.io/namespace': 'ns',
        'analysisrun.argoproj.io/metric-name': 'smoke',
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: 'r',
          uid: 'u-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { backoffLimit: 0 },
  });
});

const withConditions = (...conditions: { type: string; status: string; message?: string }[]): Job => ({
  metadata: {},
  status: { conditions },
});

test.each([
  { name: 'no conditions yet', job: withConditions(), want: { phase: 'Running' } },
  {
    name: 'Complete',
    job: withConditions({ type: 'Complete', status: 'True' }),
    want: { phase: 'Successful' },
  },
  {
    name: 'Failed, with its message',
    job: withConditions({ type: 'Failed', status: 'True', message: 'backoff limit' }),
    want: { phase: 'Failed', message: 'backoff limit' },
  },
  {
    name: 'a condition that is not True does not count',
    job: withConditions({ type: 'Complete', status: 'False' }),
    want: { phase: 'Running' },
  },
])('jobPhase: $name', ({ job, want }) => {
  expect(jobPhase(job)).toEqual(want);
});

/** An in-memory JobApi: enough to check what the provider asks for, not an API server. */
function recordingApi(existing?: Job): JobApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    create: (ns, job) => {
      calls.push(`create ${ns}/${job.metadata.name}`);
      return Promise.resolve(existing ? undefined : job);
    },
    get: (ns, name) => {
      calls.push(`get ${ns}/${name}`);
      return Promise.resolve(existing);
    },
    delete: (ns, name) => {
      calls.push(`delete ${ns}/${name}`);
      return Promise.resolve();
    },
  };
}

test('measure creates Job n+1 and reports it Running with its name', async () => {
  const api = recordingApi();
  const outcome = await jobProvider(api).measure({ run, metric, taken: 2 });
  expect(api.calls).toEqual(['create ns/u-1.smoke.3']);
  expect(outcome).toEqual({
    kind: 'phase',
    phase: 'Running',
    metadata: { 'job-name': 'u-1.smoke.3', 'job-namespace': 'ns' },
  });
});

test('measure adopts a Job of that name left by a lost status write', async () => {
  const api = recordingApi(withConditions({ type: 'Complete', status: 'True' }));
  const outcome = await jobProvider(api).measure({ run, metric, taken: 0 });
  expect(api.calls).toEqual(['create ns/u-1.smoke.1', 'get ns/u-1.smoke.1']);
  expect(outcome).toMatchObject({ kind: 'phase', phase: 'Successful' });
});

test('terminate deletes the Job and, as upstream, is Successful', async () => {
  const api = recordingApi();
  const measurement = { phase: 'Running', metadata: { 'job-name': 'u-1.smoke.1', 'job-namespace': 'ns' } };
  const outcome = await jobProvider(api).terminate?.({ run, metric, taken: 0, measurement });
  expect(api.calls).toEqual(['delete ns/u-1.smoke.1']);
  expect(outcome).toMatchObject({ kind: 'phase', phase: 'Successful' });
});

test('resume of a Job that vanished is an Error measurement', async () => {
  const api = recordingApi();
  const measurement = { phase: 'Running', metadata: { 'job-name': 'u-1.smoke.1' } };
  const outcome = await jobProvider(api).resume?.({ run, metric, taken: 0, measurement });
  expect(outcome).toMatchObject({ kind: 'error', message: 'job u-1.smoke.1 not found' });
});
