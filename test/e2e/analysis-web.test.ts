// AnalysisRuns created directly with kubectl, measured by the controller with the `web` provider
// against HTTP servers on 127.0.0.1 that the test controls: every run phase, spec.terminate,
// arguments from Secrets, and malformed runs that end in Error without hurting the controller.
import type { Metric } from '@rollout-kit/api';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitForEventReasons } from '../support/rollouts.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  analysisRun,
  getRun,
  json,
  kubectlApply,
  loopbackServer,
  phaseIs,
  refusedPort,
  waitForRun,
  type LoopbackServer,
} from './analysis-support.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ns = namespacePerTest();
let controller: RunningController;
let server: LoopbackServer;
/** What the metrics server answers for /rate, changed by the tests. */
let rate: unknown = 0.99;

beforeAll(async () => {
  await applyCrds();
  controller = await startController('analysis-web');
  server = await loopbackServer((req, _body, res) => {
    if (req.url === '/rate') return json(res, 200, { data: { rate } });
    if (req.url === '/secure')
      return req.headers.authorization === 'Bearer s3cr3t'
        ? json(res, 200, { ok: true })
        : json(res, 401, { error: 'unauthorized' });
    if (req.url === '/broken') return json(res, 500, { error: 'boom' });
    json(res, 404, {});
  });
});
afterAll(async () => {
  await controller?.stop();
  await server?.close();
});
afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts)
    process.stderr.write(`controller log:\n${controller.tail()}\n`);
});

const webMetric = (fields: Partial<Metric> & { url?: string; jsonPath?: string }): Metric => {
  const { url, jsonPath, ...rest } = fields;
  return {
    name: 'success-rate',
    provider: { web: { url: url ?? `${server.url}/rate`, jsonPath: jsonPath ?? '{$.data.rate}' } },
    ...rest,
  };
};

const controllerAlive = () => {
  process.kill(controller.pid, 0); // throws if the process is gone
  return true;
};

test('a run whose measurements meet the success condition is Successful', async () => {
  rate = 0.99;
  await kubectlApply(
    ns.name,
    analysisRun('pass', {
      metrics: [webMetric({ successCondition: 'result >= 0.95', count: 2, interval: '1s' })],
    }),
  );
  const done = await waitForRun(ns.name, 'pass', 'Successful', phaseIs('Successful'));
  const result = done.status?.metricResults?.[0];
  expect(result).toMatchObject({ name: 'success-rate', phase: 'Successful', count: 2, successful: 2 });
  expect(result?.measurements?.map((m) => m.value)).toEqual(['0.99', '0.99']);
  expect(done.status?.runSummary).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
  expect(done.status?.startedAt).toBeDefined();
  expect(done.status?.completedAt).toBeDefined();
  expect(await waitForEventReasons(ns.name, 'pass', ['MetricSuccessful', 'AnalysisRunSuccessful'])).toEqual(
    expect.arrayContaining(['MetricSuccessful', 'AnalysisRunSuccessful']),
  );
});

test('a measurement below the condition fails the run past failureLimit, saying which value and condition', async () => {
  rate = 0.91;
  await kubectlApply(
    ns.name,
    analysisRun('fail', {
      metrics: [webMetric({ successCondition: 'result >= 0.95', failureLimit: 1, count: 3, interval: '1s' })],
    }),
  );
  const done = await waitForRun(ns.name, 'fail', 'Failed', phaseIs('Failed'));
  const result = done.status?.metricResults?.[0];
  // failureLimit 1: the second failed measurement decides it, and the third is never taken.
  expect(result).toMatchObject({ phase: 'Failed', failed: 2, count: 2 });
  expect(done.status?.message).toContain(
    'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)',
  );
  expect(done.status?.message).toContain('0.91');
  expect(done.status?.message).toContain('result >= 0.95');
});

test('an unreachable provider ends in Error after consecutiveErrorLimit, retrying 10 s apart', async () => {
  const port = await refusedPort();
  await kubectlApply(
    ns.name,
    analysisRun('down', {
      metrics: [webMetric({ url: `http://127.0.0.1:${port}/rate`, consecutiveErrorLimit: 1 })],
    }),
  );
  const done = await waitForRun(ns.name, 'down', 'Error', phaseIs('Error'), 60_000);
  const measurements = done.status?.metricResults?.[0]?.measurements ?? [];
  expect(measurements.map((m) => m.phase)).toEqual(['Error', 'Error']);
  expect(measurements[0]?.message).toMatch(/ECONNREFUSED/);
  const gap = Date.parse(measurements[1]?.startedAt ?? '') - Date.parse(measurements[0]?.finishedAt ?? '');
  expect(gap).toBeGreaterThanOrEqual(9_000);
  expect(done.status?.message).toContain(
    'Metric "success-rate" assessed Error due to consecutiveErrors (2) > consecutiveErrorLimit (1)',
  );
});

test.each([
  { name: 'HTTP 500', path: '/broken', message: 'received non 2xx response code: 500' },
  {
    name: 'a jsonPath that selects nothing',
    path: '/rate',
    message: 'result of web metric produced no value',
  },
])('$name is an Error measurement', async ({ path, message }) => {
  rate = 0.99;
  await kubectlApply(
    ns.name,
    analysisRun('err', {
      metrics: [
        webMetric({ url: `${server.url}${path}`, jsonPath: '{$.missing}', consecutiveErrorLimit: 0 }),
      ],
    }),
  );
  const done = await waitForRun(ns.name, 'err', 'Error', phaseIs('Error'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]).toMatchObject({ phase: 'Error', message });
});

test('neither condition holding is Inconclusive', async () => {
  rate = 0.7;
  await kubectlApply(
    ns.name,
    analysisRun('unsure', {
      metrics: [webMetric({ successCondition: 'result > 0.95', failureCondition: 'result < 0.5' })],
    }),
  );
  const done = await waitForRun(ns.name, 'unsure', 'Inconclusive', phaseIs('Inconclusive'));
  expect(done.status?.metricResults?.[0]).toMatchObject({ phase: 'Inconclusive', inconclusive: 1 });
  expect(done.status?.message).toContain('inconclusive (1) > inconclusiveLimit (0)');
});

test('spec.terminate stops an unbounded run', async () => {
  rate = 0.99;
  await kubectlApply(
    ns.name,
    analysisRun('forever', { metrics: [webMetric({ successCondition: 'result > 0.5', interval: '1s' })] }),
  );
  await waitForRun(
    ns.name,
    'forever',
    'two measurements',
    (r) => (r.status?.metricResults?.[0]?.count ?? 0) >= 2,
  );
  await run('kubectl', [
    '-n',
    ns.name,
    'patch',
    'analysisrun',
    'forever',
    '--type=merge',
    '-p',
    '{"spec":{"terminate":true}}',
  ]);
  const done = await waitForRun(ns.name, 'forever', 'Successful after terminate', phaseIs('Successful'));
  expect(done.status?.message).toBe('Run Terminated');
  const count = done.status?.metricResults?.[0]?.count ?? 0;
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const later = await waitForRun(ns.name, 'forever', 'still completed', phaseIs('Successful'));
  expect(later.status?.metricResults?.[0]?.count).toBe(count);
});

test('a malformed condition is an Error measurement, not a crash', async () => {
  rate = 0.99;
  await kubectlApply(
    ns.name,
    analysisRun('bad-expr', {
      metrics: [webMetric({ successCondition: 'result >= ', consecutiveErrorLimit: 0 })],
    }),
  );
  const done = await waitForRun(ns.name, 'bad-expr', 'Error', phaseIs('Error'));
  expect(done.status?.metricResults?.[0]?.measurements?.[0]).toMatchObject({
    phase: 'Error',
    value: '0.99',
    message: expect.stringContaining('could not evaluate successCondition "result >= "'),
  });
  expect(controllerAlive()).toBe(true);
});

test('arguments from a Secret fill headers; a missing argument is a run Error', async () => {
  await kube().core.createNamespacedSecret({
    namespace: ns.name,
    body: { metadata: { name: 'token' }, stringData: { value: 's3cr3t' } },
  });
  const secureMetric: Metric = {
    name: 'auth',
    successCondition: 'result == true',
    provider: {
      web: {
        url: `${server.url}/secure`,
        jsonPath: '{$.ok}',
        headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
      },
    },
  };
  await kubectlApply(
    ns.name,
    analysisRun('with-secret', {
      args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'token', key: 'value' } } }],
      metrics: [secureMetric],
    }),
  );
  await waitForRun(ns.name, 'with-secret', 'Successful', phaseIs('Successful'));

  await kubectlApply(ns.name, analysisRun('no-arg', { args: [{ name: 'token' }], metrics: [secureMetric] }));
  const missing = await waitForRun(ns.name, 'no-arg', 'Error', phaseIs('Error'));
  expect(missing.status?.message).toBe('args.token was not resolved');
});

test.each([
  {
    name: 'a count that is not a number',
    metric: { count: 'many' },
    message: 'count "many" is not an integer',
  },
  {
    name: 'count > 1 without interval',
    metric: { count: 3 },
    message: 'interval must be specified when count > 1',
  },
  {
    name: 'an unsupported provider',
    metric: { provider: { wavefront: { query: 'q' } } },
    message: 'provider "wavefront" is not supported',
  },
  {
    name: 'a bad interval',
    metric: { count: 2, interval: 'soon' },
    message: 'interval "soon" is not a valid duration',
  },
])(
  'a malformed run ($name) is an Error at once, and the controller lives on',
  async ({ metric, message }) => {
    await kubectlApply(
      ns.name,
      analysisRun('malformed', { metrics: [{ ...webMetric({}), ...metric } as Metric] }),
    );
    const done = await waitForRun(ns.name, 'malformed', 'Error', phaseIs('Error'));
    expect(done.status?.message).toContain(message);
    expect(done.status?.metricResults ?? []).toEqual([]);
    expect(controllerAlive()).toBe(true);
  },
);

test('a completed run is deleted after its ttlStrategy', async () => {
  rate = 0.99;
  await kubectlApply(
    ns.name,
    analysisRun('short-lived', {
      ttlStrategy: { secondsAfterSuccess: 1 },
      metrics: [webMetric({ successCondition: 'result > 0.5' })],
    }),
  );
  await waitFor('AnalysisRun short-lived to be deleted after 1 s', async () => {
    try {
      await getRun(ns.name, 'short-lived');
      return false;
    } catch (error) {
      return (error as { code?: number }).code === 404;
    }
  });
});
