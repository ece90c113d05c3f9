import { Metrics } from './metrics.ts';

const info = {
  namespace: 'ns',
  name: 'web',
  strategy: 'canary',
  trafficRouter: '',
  phase: 'Progressing',
  replicas: { available: 3, unavailable: 1, desired: 4, updated: 1 },
};

async function text(metrics: Metrics): Promise<string> {
  return (await metrics.exposition()).body;
}

test('the upstream metric names are exposed', async () => {
  const body = await text(new Metrics({ version: 'v1.9.0', defaultMetrics: false }));
  for (const name of [
    'rollout_info',
    'rollout_info_replicas_available',
    'rollout_info_replicas_unavailable',
    'rollout_info_replicas_desired',
    'rollout_info_replicas_updated',
    'rollout_phase',
    'rollout_reconcile',
    'rollout_reconcile_error',
    'rollout_events_total',
    'controller_clientset_k8s_request_total',
    'argo_rollouts_controller_info',
    'build_info',
    'workqueue_depth',
    'workqueue_adds_total',
  ]) {
    expect(body).toContain(`# TYPE ${name} `);
  }
  expect(body).toContain('argo_rollouts_controller_info{version="v1.9.0"} 1');
});

test('rollout info and replicas; a phase change replaces the series', async () => {
  const metrics = new Metrics({ version: 'v', defaultMetrics: false });
  metrics.setRolloutInfo(info);
  let body = await text(metrics);
  expect(body).toContain(
    'rollout_info{namespace="ns",name="web",strategy="canary",traffic_router="",phase="Progressing"} 1',
  );
  expect(body).toContain('rollout_info_replicas_desired{namespace="ns",name="web"} 4');
  expect(body).toContain('rollout_info_replicas_unavailable{namespace="ns",name="web"} 1');

  metrics.setRolloutInfo({ ...info, phase: 'Healthy', replicas: { ...info.replicas, unavailable: 0 } });
  body = await text(metrics);
  expect(body).not.toContain('phase="Progressing"');
  expect(body).toContain('phase="Healthy"} 1');
  expect(body).toContain('rollout_info_replicas_unavailable{namespace="ns",name="web"} 0');

  metrics.forgetRollout('ns', 'web');
  body = await text(metrics);
  expect(body).not.toContain('name="web"');
});

test('reconciles, errors, events, requests and queue series count', async () => {
  const metrics = new Metrics({ version: 'v', defaultMetrics: false });
  metrics.observeReconcile('ns', 'web', 0.2);
  metrics.observeReconcile('ns', 'web', 0.02, true);
  metrics.countEvent('ns', 'web', 'Normal', 'RolloutUpdated');
  metrics.countRequest({
    kind: 'replicasets',
    namespace: 'ns',
    name: 'web-1',
    verb: 'Patch',
    statusCode: '409',
  });
  const queue = metrics.queueObserver('rollouts');
  queue.added();
  queue.added();
  queue.depth(2);
  queue.retried();
  const body = await text(metrics);
  expect(body).toContain('rollout_reconcile_count{namespace="ns",name="web"} 2');
  expect(body).toContain('rollout_reconcile_bucket{le="0.15",namespace="ns",name="web"} 1');
  expect(body).toContain('rollout_reconcile_error{namespace="ns",name="web"} 1');
  expect(body).toContain(
    'rollout_events_total{namespace="ns",name="web",type="Normal",reason="RolloutUpdated"} 1',
  );
  expect(body).toContain(
    'controller_clientset_k8s_request_total{kind="replicasets",namespace="ns",name="web-1",verb="Patch",status_code="409"} 1',
  );
  expect(body).toContain('workqueue_adds_total{name="rollouts"} 2');
  expect(body).toContain('workqueue_depth{name="rollouts"} 2');
  expect(body).toContain('workqueue_retries_total{name="rollouts"} 1');
});

test('two registries do not share series', async () => {
  const a = new Metrics({ version: 'a', defaultMetrics: false });
  const b = new Metrics({ version: 'b', defaultMetrics: false });
  a.countEvent('ns', 'x', 'Normal', 'R');
  expect(await text(b)).not.toContain('rollout_events_total{');
});
