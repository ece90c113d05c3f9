// The `prometheus` provider against a REAL Prometheus server (Debian's package, installed by
// make packages) started here on 127.0.0.1 with a temporary storage directory,
// scraping a loopback exporter this test serves, so queries are real PromQL over real series.
// Also the provider down: connection refused, a server that never answers, malformed JSON.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metric } from '@rollout-kit/api';
import { startProcess, stopAll, tail, type Started } from '../control-plane/processes.ts';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  analysisRun,
  kubectlApply,
  loopbackServer,
  phaseIs,
  refusedPort,
  waitForRun,
  type LoopbackServer,
} from './analysis-support.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const ns = namespacePerTest();
let controller: RunningController;
let exporter: LoopbackServer;
let hanging: LoopbackServer;
let garbage: LoopbackServer;
let prometheus: Started | undefined;
let prometheusUrl = '';
let dataDir = '';

beforeAll(async () => {
  if (!existsSync(PROMETHEUS))
    throw new Error(`${PROMETHEUS} is missing: run make packages (make test does)`);
  await applyCrds();
  exporter = await loopbackServer((_req, _body, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# TYPE success_rate gauge',
        'success_rate{service="checkout"} 0.99',
        'success_rate{service="search"} 0.97',
        '# TYPE error_rate gauge',
        'error_rate{service="checkout"} 0.5',
        '',
      ].join('\n'),
    );
  });
  // Accepts the connection and never answers: only the provider's timeout ends the request.
  hanging = await loopbackServer(() => undefined);
  garbage = await loopbackServer((_req, _body, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":');
  });

  dataDir = mkdtempSync(join(tmpdir(), 'rollout-kit-prometheus-'));
  const config = join(dataDir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: exporter',
      `    static_configs: [{ targets: ["127.0.0.1:${exporter.port}"] }]`,
      '',
    ].join('\n'),
  );
  const runDir = process.env.ROLLOUT_KIT_RUN_DIR;
  if (!runDir) throw new Error('ROLLOUT_KIT_RUN_DIR is not set: run integration tests through `make test`');
  const port = await refusedPort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = startProcess(runDir, 'prometheus', PROMETHEUS, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dataDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  // Ready once both series were scraped: queries before that see nothing.
  await waitFor(
    'Prometheus to serve the scraped success_rate series',
    async () => {
      const answer = (await (
        await fetch(`${prometheusUrl}/api/v1/query?query=count(success_rate)`, {
          signal: AbortSignal.timeout(2_000),
        })
      ).json()) as { data?: { result?: { value: [number, string] }[] } };
      return answer.data?.result?.[0]?.value[1] === '2';
    },
    {
      timeoutMs: 60_000,
      intervalMs: 500,
      observe: () => (prometheus ? tail(prometheus.log, 10) : 'not started'),
    },
  );
  controller = await startController('analysis-prometheus');
});
afterAll(async () => {
  await controller?.stop();
  if (prometheus) await stopAll([{ name: prometheus.name, pid: prometheus.pid }]);
  await Promise.all([exporter?.close(), hanging?.close(), garbage?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`controller log:\n${controller.tail()}\n`);
});

const promMetric = (query: string, fields: Partial<Metric> = {}, address = prometheusUrl): Metric => ({
  name: 'success-rate',
  provider: { prometheus: { address, query } },
  ...fields,
});

test('a vector result is an array of numbers; result[0] meets the condition', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('vector', {
      metrics: [
        promMetric('sort_desc(success_rate)', {
          successCondition: 'len(result) == 2 && all(result, {# >= 0.95})',
        }),
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'vector', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('[0.99,0.97]');
});

test('a scalar result is a number', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('scalar', {
      metrics: [
        promMetric('scalar(success_rate{service="checkout"})', { successCondition: 'result == 0.99' }),
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'scalar', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('0.99');
});

test('args fill the query; a value below the condition fails the run and says why', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('failing', {
      args: [{ name: 'service', value: 'checkout' }],
      metrics: [
        promMetric('1 - error_rate{service="{{args.service}}"}', { successCondition: 'result[0] >= 0.95' }),
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'failing', 'Failed', phaseIs('Failed'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]).toMatchObject({
    phase: 'Failed',
    value: '[0.5]',
  });
  expect(done.status?.message).toContain(
    'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  expect(done.status?.message).toContain('result[0] >= 0.95');
});

test('an empty vector is []', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('empty', {
      metrics: [promMetric('no_such_series', { successCondition: 'len(result) == 0' })],
    }),
  );
  const done = await waitForRun(ns.name, 'empty', 'Successful', phaseIs('Successful'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.value).toBe('[]');
});

test('a query Prometheus rejects is an Error measurement with its message', async () => {
  await kubectlApply(
    ns.name,
    analysisRun('bad-query', { metrics: [promMetric('sum(', { consecutiveErrorLimit: 0 })] }),
  );
  const done = await waitForRun(ns.name, 'bad-query', 'Error', phaseIs('Error'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.message).toMatch(/^prometheus: bad_data: /);
});

test.each([
  {
    name: 'connection refused',
    address: async () => `http://127.0.0.1:${await refusedPort()}`,
    message: /ECONNREFUSED/,
  },
  { name: 'a server that never answers', address: async () => hanging.url, message: /timed out after 1 s/ },
  { name: 'malformed JSON', address: async () => garbage.url, message: /answer is not JSON/ },
])('the provider down ($name) ends in Error after consecutiveErrorLimit', async ({ address, message }) => {
  await kubectlApply(
    ns.name,
    analysisRun('down', {
      metrics: [
        {
          ...promMetric('success_rate', { successCondition: 'result[0] >= 0.95', consecutiveErrorLimit: 0 }),
          provider: { prometheus: { address: await address(), query: 'success_rate', timeout: 1 } },
        },
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'down', 'Error', phaseIs('Error'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]?.message).toMatch(message);
  expect(done.status?.message).toContain('consecutiveErrors (1) > consecutiveErrorLimit (0)');
});
