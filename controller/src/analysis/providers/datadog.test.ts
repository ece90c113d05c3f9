import type { DatadogMetric } from '@rollout-kit/api';
import {
  datadogOutcome,
  datadogRequest,
  datadogSpecProblem,
  findDatadogCredentials,
  type DatadogSources,
} from './datadog.ts';

const creds = { address: 'http://127.0.0.1:9/', apiKey: 'api', appKey: 'app' };
const NOW = 1_800_000_000;

test.each<{ name: string; dd: DatadogMetric; want: string | undefined }>([
  { name: 'v1 query', dd: { query: 'avg:x{*}' }, want: undefined },
  {
    name: 'v2 queries with a formula',
    dd: { apiVersion: 'v2', queries: { a: 'x', b: 'y' }, formula: 'a/b' },
    want: undefined,
  },
  {
    name: 'nothing to ask',
    dd: {},
    want: 'Must have either a query or queries. Please review the Analysis Template.',
  },
  {
    name: 'query and queries',
    dd: { apiVersion: 'v2', query: 'x', queries: { a: 'y' } },
    want: 'Cannot have both a query and queries. Please review the Analysis Template.',
  },
  {
    name: 'v1 with queries',
    dd: { queries: { a: 'y' } },
    want: 'Query is empty. API Version v1 only supports using the query parameter in your Analysis Template.',
  },
  {
    name: 'a formula without queries',
    dd: { apiVersion: 'v2', query: 'x', formula: 'a' },
    want: 'Formula are only valid when queries are set. Please review the Analysis Template.',
  },
  {
    name: 'two queries without a formula',
    dd: { apiVersion: 'v2', queries: { a: 'x', b: 'y' } },
    want: 'When multiple queries are provided you must include a formula.',
  },
  {
    name: 'an aggregator with v1',
    dd: { query: 'x', aggregator: 'avg' },
    want: 'Aggregator is not supported in v1. Please review the Analysis Template.',
  },
])('spec: $name', ({ dd, want }) => {
  expect(datadogSpecProblem(dd)).toBe(want);
});

test('v1 asks GET /api/v1/query over the last interval (5m by default), keys in headers', () => {
  const { url, options } = datadogRequest({ query: 'avg:errors{app:web}' }, creds, NOW);
  const u = new URL(url);
  expect(u.origin + u.pathname).toBe('http://127.0.0.1:9/api/v1/query');
  expect(Object.fromEntries(u.searchParams)).toEqual({
    query: 'avg:errors{app:web}',
    from: String(NOW - 300),
    to: String(NOW),
  });
  expect(options).toMatchObject({
    method: 'GET',
    headers: { 'Content-Type': 'application/json', 'DD-API-KEY': 'api', 'DD-APPLICATION-KEY': 'app' },
    timeoutMs: 10_000,
  });
  expect(options.body).toBeUndefined();
  expect(datadogRequest({ query: 'q' }, { ...creds, address: '' }, NOW).url).toMatch(
    /^https:\/\/api\.datadoghq\.com\/api\/v1\/query\?/,
  );
});

test('v2 posts a scalar request in milliseconds; a single query is named "query", aggregator last', () => {
  const one = datadogRequest({ apiVersion: 'v2', query: 'sum:x{*}', interval: '10m' }, creds, NOW);
  expect(one.url).toBe('http://127.0.0.1:9/api/v2/query/scalar');
  expect(one.options.method).toBe('POST');
  expect(JSON.parse(one.options.body ?? '')).toEqual({
    data: {
      type: 'scalar_request',
      attributes: {
        from: (NOW - 600) * 1000,
        to: NOW * 1000,
        queries: [{ aggregator: 'last', data_source: 'metrics', name: 'query', query: 'sum:x{*}' }],
        formulas: [],
      },
    },
  });
  const formula = datadogRequest(
    { apiVersion: 'v2', queries: { a: 'x', b: 'y' }, formula: 'a/b', aggregator: 'avg' },
    creds,
    NOW,
  );
  const attributes = (
    JSON.parse(formula.options.body ?? '') as { data: { attributes: Record<string, unknown> } }
  ).data.attributes;
  expect(attributes.formulas).toEqual([{ formula: 'a/b' }]);
  expect(attributes.queries).toEqual([
    { aggregator: 'avg', data_source: 'metrics', name: 'a', query: 'x' },
    { aggregator: 'avg', data_source: 'metrics', name: 'b', query: 'y' },
  ]);
  expect(() => datadogRequest({ query: 'q', interval: 'soon' }, creds, NOW)).toThrow('invalid duration');
});

const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) });

test.each([
  {
    name: 'v1: the last point of the first series',
    version: 'v1',
    answer: ok({
      series: [
        {
          pointlist: [
            [1, 0.5],
            [2, 0.0125],
          ],
        },
        { pointlist: [[1, 9]] },
      ],
    }),
    want: { kind: 'value', result: 0.0125, value: '0.0125' },
  },
  {
    name: 'v1: no series is a null result',
    version: 'v1',
    answer: ok({ series: [] }),
    want: { kind: 'value', result: null, value: '[]' },
  },
  {
    name: 'v1: a point without its value',
    version: 'v1',
    answer: ok({ series: [{ pointlist: [[1]] }] }),
    want: { kind: 'error', message: 'Datapoint does not have 2 values' },
  },
  {
    name: 'v2: the first value of the first column',
    version: 'v2',
    answer: ok({ data: { attributes: { columns: [{ values: [42] }] } } }),
    want: { kind: 'value', result: 42, value: '42' },
  },
  {
    name: 'v2: an empty column is a null result',
    version: 'v2',
    answer: ok({ data: { attributes: { columns: [{ values: [] }] } } }),
    want: { kind: 'value', result: null, value: '[]' },
  },
  {
    name: 'v2: errors in the query',
    version: 'v2',
    answer: ok({ data: { errors: 'bad metric' } }),
    want: { kind: 'error', message: 'There were errors in your query: bad metric' },
  },
  {
    name: 'a refused key',
    version: 'v2',
    answer: { status: 403, body: '{"errors":["Forbidden"]}' },
    want: {
      kind: 'error',
      message: 'received authentication error response code: 403 {"errors":["Forbidden"]}',
    },
  },
  {
    name: 'a server error',
    version: 'v1',
    answer: { status: 500, body: 'oops' },
    want: { kind: 'error', message: 'received non 2xx response code: 500 oops' },
  },
  {
    name: 'not JSON',
    version: 'v1',
    answer: { status: 200, body: '<html>' },
    want: { kind: 'error', message: expect.stringMatching(/^Could not parse JSON body: /) as unknown },
  },
])('answer: $name', ({ version, answer, want }) => {
  expect(datadogOutcome(version, answer)).toEqual(want);
});

test('a tiny value is written without an exponent, as Go formats it', () => {
  expect(datadogOutcome('v2', ok({ data: { attributes: { columns: [{ values: [1e-7] }] } } }))).toMatchObject(
    {
      value: '0.0000001',
    },
  );
});

describe('credentials', () => {
  const secrets: Record<string, Record<string, string>> = {
    'argo-rollouts/datadog': { 'api-key': 'default-api', 'app-key': 'default-app' },
    'argo-rollouts/named': { 'api-key': 'named-api', 'app-key': 'named-app', address: 'http://dd' },
    'team/mine': { 'api-key': 'team-api', 'app-key': 'team-app' },
    'argo-rollouts/half': { 'api-key': 'only-api' },
  };
  const sources = (env: Record<string, string> = {}): DatadogSources => ({
    readSecret: (namespace, name) => Promise.resolve(secrets[`${namespace}/${name}`]),
    controllerNamespace: 'argo-rollouts',
    env,
  });

  test.each<{ name: string; dd: DatadogMetric; env?: Record<string, string>; want: string }>([
    { name: 'the Secret datadog by default', dd: {}, want: 'default-api' },
    {
      name: 'the three DD_ variables before the Secret',
      dd: {},
      env: { DD_API_KEY: 'env-api', DD_APP_KEY: 'env-app', DD_ADDRESS: '' },
      want: 'env-api',
    },
    {
      name: 'two DD_ variables are not enough',
      dd: {},
      env: { DD_API_KEY: 'env-api', DD_APP_KEY: 'env-app' },
      want: 'default-api',
    },
    {
      name: 'a named Secret in the controller namespace',
      dd: { secretRef: { name: 'named' } },
      want: 'named-api',
    },
    {
      name: 'a namespaced Secret in the run namespace',
      dd: { secretRef: { name: 'mine', namespaced: true } },
      want: 'team-api',
    },
  ])('$name', async ({ dd, env, want }) => {
    expect((await findDatadogCredentials(dd, 'team', sources(env))).apiKey).toBe(want);
  });

  test.each<{ name: string; dd: DatadogMetric; want: string }>([
    {
      name: 'a named Secret without app-key',
      dd: { secretRef: { name: 'half' } },
      want: 'failed to find the credentials',
    },
    {
      name: 'a named Secret that is missing',
      dd: { secretRef: { name: 'nope' } },
      want: 'failed to find the credentials',
    },
    {
      name: 'namespaced without a name',
      dd: { secretRef: { namespaced: true } },
      want: 'secret name is required for namespaced credentials',
    },
  ])('$name is an error', async ({ dd, want }) => {
    await expect(findDatadogCredentials(dd, 'team', sources())).rejects.toThrow(want);
  });
});
