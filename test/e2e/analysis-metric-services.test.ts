// The metric providers of hosted services (datadog, newRelic, graphite, skywalking) on the real control
// plane, against an HTTP server on 127.0.0.1 that answers each service's API routes (the address
// comes from the credentials Secret or the metric, as it would name the service): the requests
// they send, credentials from the controller's namespace or a namespaced secretRef, and missing
// credentials as an Error.
import { randomBytes } from 'node:crypto';
import type { Metric } from '@rollout-kit/api';
import { controllerPerFile } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { deleteNamespace, namespacePerTest } from '../support/namespace.ts';
import {
  analysisRun,
  json,
  kubectlApply,
  loopbackServer,
  phaseIs,
  waitForRun,
  type LoopbackServer,
} from './analysis-support.ts';

const ns = namespacePerTest();
// The controller's own namespace, where it looks for the Secret `datadog` (POD_NAMESPACE).
const CONTROLLER_NAMESPACE = `rk-system-${randomBytes(3).toString('hex')}`;
controllerPerFile('analysis-metric-services', [], { POD_NAMESPACE: CONTROLLER_NAMESPACE });
let services: LoopbackServer;
/** The value the fake site's metric has, changed by the tests. */
let errorRate: number | null = 0.01;

beforeAll(async () => {
  await kube().core.createNamespace({
    body: { metadata: { name: CONTROLLER_NAMESPACE, labels: { 'rollout-kit.test/namespace': 'true' } } },
  });
  services = await loopbackServer((req, _body, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/graphql')
      return json(res, 200, { data: { actor: { account: { nrql: { results: [{ errorRate }] } } } } });
    if (path === '/skywalking/graphql')
      return json(res, 200, {
        data: { service_sla: { values: [{ value: Math.round((1 - (errorRate ?? 0)) * 10000) }] } },
      });
    if (path === '/render')
      return json(res, 200, [
        {
          target: 'errors',
          datapoints: [
            [null, 1],
            [errorRate, 2],
          ],
        },
      ]);
    if (req.headers['dd-api-key'] === undefined) return json(res, 403, { errors: ['Forbidden'] });
    if (path === '/api/v1/query')
      return json(res, 200, {
        series:
          errorRate === null
            ? []
            : [
                {
                  pointlist: [
                    [1, 0.5],
                    [2, errorRate],
                  ],
                },
              ],
      });
    if (path === '/api/v2/query/scalar')
      return json(res, 200, {
        data: { attributes: { columns: [{ values: errorRate === null ? [] : [errorRate] }] } },
      });
    json(res, 404, { errors: ['not found'] });
  });
});
afterAll(async () => {
  await services?.close();
  await deleteNamespace(CONTROLLER_NAMESPACE);
});

async function secret(namespace: string, name: string, apiKey: string): Promise<void> {
  await kube().core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name },
      stringData: { 'api-key': apiKey, 'app-key': `${apiKey}-app`, address: services.url },
    },
  });
}

const metric = (datadogSpec: Record<string, unknown>): Metric =>
  ({
    name: 'error-rate',
    successCondition: 'result < 0.05',
    provider: { datadog: datadogSpec },
  }) as Metric;

test('datadog v1 with the Secret datadog of the controller namespace: a high error rate fails the run', async () => {
  await secret(CONTROLLER_NAMESPACE, 'datadog', 'default-key');
  errorRate = 0.2;
  const sent = services.requests.length;
  await kubectlApply(ns.name, analysisRun('v1', { metrics: [metric({ query: 'avg:errors{app:web}' })] }));
  const done = await waitForRun(ns.name, 'v1', 'Failed', phaseIs('Failed'));
  expect(done.status?.metricResults?.[0]?.measurements?.map((m) => [m.phase, m.value])).toEqual([
    ['Failed', '0.2'],
  ]);
  const request = services.requests[sent];
  const url = new URL(request?.url ?? '', services.url);
  expect([request?.method, url.pathname, url.searchParams.get('query')]).toEqual([
    'GET',
    '/api/v1/query',
    'avg:errors{app:web}',
  ]);
  expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(300);
  expect(request?.headers['dd-api-key']).toBe('default-key');
  expect(request?.headers['dd-application-key']).toBe('default-key-app');
});

test('datadog v2 with a namespaced secretRef: a formula over two queries passes the run', async () => {
  await secret(ns.name, 'team-datadog', 'team-key');
  errorRate = 0.01;
  const sent = services.requests.length;
  await kubectlApply(
    ns.name,
    analysisRun('v2', {
      metrics: [
        metric({
          apiVersion: 'v2',
          interval: '10m',
          queries: { errors: 'sum:errors{app:web}.as_count()', total: 'sum:requests{app:web}.as_count()' },
          formula: 'errors / total',
          aggregator: 'sum',
          secretRef: { name: 'team-datadog', namespaced: true },
        }),
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'v2', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('0.01');
  const request = services.requests[sent];
  expect([request?.method, request?.url]).toEqual(['POST', '/api/v2/query/scalar']);
  expect(request?.headers['dd-api-key']).toBe('team-key');
  const body = JSON.parse(request?.body ?? '{}') as {
    data: { type: string; attributes: { from: number; to: number; queries: unknown[]; formulas: unknown[] } };
  };
  expect(body.data.type).toBe('scalar_request');
  expect(body.data.attributes.to - body.data.attributes.from).toBe(600_000);
  expect(body.data.attributes.formulas).toEqual([{ formula: 'errors / total' }]);
  expect(body.data.attributes.queries).toContainEqual({
    aggregator: 'sum',
    data_source: 'metrics',
    name: 'total',
    query: 'sum:requests{app:web}.as_count()',
  });
});

test('datadog credentials that cannot be found are an Error naming the problem', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('no-credentials', {
      // One error is enough to end the run (the default limit retries four times, 10 s apart).
      metrics: [
        {
          ...metric({ query: 'avg:errors{*}', secretRef: { name: 'absent', namespaced: true } }),
          consecutiveErrorLimit: 0,
        },
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'no-credentials', 'Error', phaseIs('Error'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.message).toBe(
    'failed to find the credentials for datadog metrics provider',
  );
});

test('newRelic with the Secret newrelic of the controller namespace: one NRQL row is the result', async () => {
  await kube().core.createNamespacedSecret({
    namespace: CONTROLLER_NAMESPACE,
    body: {
      metadata: { name: 'newrelic' },
      stringData: {
        'personal-api-key': 'NRAK-test',
        'account-id': '4242',
        'base-url-nerdgraph': `${services.url}/graphql`,
      },
    },
  });
  errorRate = 0.01;
  const sent = services.requests.length;
  const nrql =
    "SELECT percentage(count(*), WHERE error IS true) AS errorRate FROM Transaction WHERE appName = 'web'";
  await kubectlApply(
    ns.name,
    analysisRun('newrelic', {
      metrics: [
        {
          name: 'error-rate',
          successCondition: 'result.errorRate < 0.05',
          provider: { newRelic: { query: nrql } },
        },
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'newrelic', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('{"errorRate":0.01}');
  const request = services.requests[sent];
  expect([request?.method, request?.url, request?.headers['api-key']]).toEqual([
    'POST',
    '/graphql',
    'NRAK-test',
  ]);
  expect((JSON.parse(request?.body ?? '{}') as { variables: unknown }).variables).toEqual({
    accountId: 4242,
    query: nrql,
    timeout: 5,
  });
});

test('graphite: the render API answer fails the run on its last datapoint', async () => {
  errorRate = 0.3;
  const sent = services.requests.length;
  await kubectlApply(
    ns.name,
    analysisRun('graphite', {
      metrics: [
        {
          name: 'error-rate',
          successCondition: 'result[0] < 0.05',
          provider: { graphite: { address: services.url, query: 'target=stats.web.errors&from=-5min' } },
        },
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'graphite', 'Failed', phaseIs('Failed'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('[0.300000]');
  expect(services.requests[sent]?.url).toBe('/render?format=json&from=-5min&target=stats.web.errors');
});

test('skywalking: the GraphQL data is the result, over the last interval by the minute', async () => {
  errorRate = 0.02;
  const sent = services.requests.length;
  const query =
    'query queryData($duration: Duration!) { service_sla: readMetricsValues(duration: $duration) }';
  await kubectlApply(
    ns.name,
    analysisRun('skywalking', {
      metrics: [
        {
          name: 'sla',
          successCondition: 'all(result.service_sla.values, {.value >= 9500})',
          provider: { skywalking: { address: `${services.url}/skywalking`, query, interval: '3m' } },
        },
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'skywalking', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe(
    '{"service_sla":{"values":[{"value":9800}]}}',
  );
  const request = services.requests[sent];
  const body = JSON.parse(request?.body ?? '{}') as {
    query: string;
    variables: { duration: Record<string, string> };
  };
  expect([request?.method, request?.url, body.query]).toEqual(['POST', '/skywalking/graphql', query]);
  expect(body.variables.duration.step).toBe('MINUTE');
  expect(body.variables.duration.start).toMatch(/^\d{4}-\d{2}-\d{2} \d{4}$/);
});
