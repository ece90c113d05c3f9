// The `job` provider with the real Job controller and KWOK nodes: a Job per measurement with
// upstream's name, labels, annotations and owner; Complete is Successful, Failed is Failed
// (pods labelled rollout-kit.test/job-result: fail), and terminating the run deletes the Job.
import type { Metric } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { analysisRun, kubectlApply, phaseIs, waitForRun } from './analysis-support.ts';

const run = promisify(execFile);
const ns = namespacePerTest();
controllerPerFile('analysis-job');

function jobMetric(podLabels: Record<string, string> = {}): Metric {
  return {
    name: 'smoke',
    provider: {
      job: {
        metadata: { labels: { team: 'qa' } },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels: podLabels },
            spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: 'smoke-test:1' }] },
          },
        },
      },
    },
  };
}

const jobsOf = async (namespace: string) => (await kube().batch.listNamespacedJob({ namespace })).items;

test('a Job that completes makes the measurement Successful; the Job is named and owned as upstream', async () => {
  await kubectlApply(ns.name, analysisRun('smoke', { metrics: [jobMetric()] }));
  const done = await waitForRun(ns.name, 'smoke', 'Successful', phaseIs('Successful'));
  const uid = done.metadata.uid ?? '';
  const measurement = done.status?.metricResults?.[0]?.measurements?.[0];
  expect(measurement?.metadata).toEqual({ 'job-name': `${uid}.smoke.1`, 'job-namespace': ns.name });
  const [job] = await jobsOf(ns.name);
  expect(job?.metadata?.name).toBe(`${uid}.smoke.1`);
  expect(job?.metadata?.labels).toMatchObject({ team: 'qa', 'analysisrun.argoproj.io/uid': uid });
  expect(job?.metadata?.annotations).toMatchObject({
    'analysisrun.argoproj.io/name': 'smoke',
    'analysisrun.argoproj.io/namespace': ns.name,
    'analysisrun.argoproj.io/metric-name': 'smoke',
  });
  expect(job?.metadata?.ownerReferences).toEqual([
    expect.objectContaining({ kind: 'AnalysisRun', name: 'smoke', uid, controller: true }),
  ]);
});

test('a Job that fails makes the run Failed', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('smoke-fail', { metrics: [jobMetric({ 'rollout-kit.test/job-result': 'fail' })] }),
  );
  const done = await waitForRun(ns.name, 'smoke-fail', 'Failed', phaseIs('Failed'), 90_000);
  expect(done.status?.metricResults?.[0]).toMatchObject({ phase: 'Failed', failed: 1 });
  expect(done.status?.message).toContain(
    'Metric "smoke" assessed Failed due to failed (1) > failureLimit (0)',
  );
});

test('terminating a run deletes its running Job and the measurement is Successful, as upstream', async () => {
  // A readiness value no stage matches keeps the pod Pending, so the Job never finishes.
  await kubectlApply(
    ns.name,
    analysisRun('smoke-stuck', { metrics: [jobMetric({ 'rollout-kit.test/readiness': 'never' })] }),
  );
  await waitForRun(
    ns.name,
    'smoke-stuck',
    'a running Job measurement',
    (r) => r.status?.metricResults?.[0]?.measurements?.[0]?.phase === 'Running',
  );
  expect(await jobsOf(ns.name)).toHaveLength(1);
  await run('kubectl', [
    '-n',
    ns.name,
    'patch',
    'analysisrun',
    'smoke-stuck',
    '--type=merge',
    '-p',
    '{"spec":{"terminate":true}}',
  ]);
  const done = await waitForRun(ns.name, 'smoke-stuck', 'completed', (r) =>
    ['Successful', 'Inconclusive'].includes(r.status?.phase ?? ''),
  );
  expect(done.status?.metricResults?.[0]?.measurements?.[0]).toMatchObject({
    phase: 'Successful',
    message: 'run terminated: job deleted',
  });
  await waitFor('the Job to be deleted', async () => (await jobsOf(ns.name)).length === 0, {
    observe: async () => (await jobsOf(ns.name)).map((j) => j.metadata?.name),
  });
});
