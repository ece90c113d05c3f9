import { prometheusOutcome, prometheusUrl } from './prometheus.ts';

test.each([
  {
    name: 'an instant query',
    p: { address: 'http://prom:9090/', query: 'up == 1' },
    env: {},
    want: 'http://prom:9090/api/v1/query?query=up+%3D%3D+1',
  },
  {
    name: 'the address from the environment',
    p: { query: 'up' },
    env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: 'http://env:9090' },
    want: 'http://env:9090/api/v1/query?query=up',
  },
  {
    name: 'a range query',
    p: { address: 'http://p', query: 'up', rangeQuery: { start: 'now-5m', end: 'now', step: '1m' } },
    env: {},
    want: 'http://p/api/v1/query_range?query=up&start=now-5m&end=now&step=1m',
  },
])('prometheusUrl: $name', ({ p, env, want }) => {
  expect(prometheusUrl(p, env)).toBe(want);
});

test('prometheusUrl needs an address', () => {
  expect(() => prometheusUrl({ query: 'up' }, {})).toThrow('address is required');
});

const ok = (resultType: string, result: unknown) =>
  JSON.stringify({ status: 'success', data: { resultType, result } });

test.each([
  {
    name: 'a scalar is a number',
    body: ok('scalar', [1, '0.99']),
    want: { kind: 'value', result: 0.99, value: '0.99' },
  },
  {
    name: 'a vector is an array',
    body: ok('vector', [
      { metric: {}, value: [1, '0.5'] },
      { metric: {}, value: [1, '1'] },
    ]),
    want: { kind: 'value', result: [0.5, 1], value: '[0.5,1]' },
  },
  { name: 'an empty vector is []', body: ok('vector', []), want: { kind: 'value', result: [], value: '[]' } },
  {
    name: 'a matrix is every sample flattened',
    body: ok('matrix', [
      {
        metric: {},
        values: [
          [1, '1'],
          [2, '2'],
        ],
      },
      { metric: {}, values: [[1, '3']] },
    ]),
    want: { kind: 'value', result: [1, 2, 3], value: '[1,2,3]' },
  },
  {
    name: 'NaN is kept and spelled as Go does',
    body: ok('scalar', [1, 'NaN']),
    want: { kind: 'value', result: NaN, value: 'NaN' },
  },
  {
    name: 'a string result is not supported',
    body: ok('string', [1, 'x']),
    want: { kind: 'error', message: 'Prometheus metric type not supported' },
  },
])('prometheusOutcome: $name', ({ body, want }) => {
  expect(prometheusOutcome(200, body)).toEqual(want);
});

test.each([
  {
    name: 'a query error',
    status: 400,
    body: '{"status":"error","errorType":"bad_data","error":"parse error"}',
    want: 'prometheus: bad_data: parse error',
  },
  {
    name: 'a 5xx without JSON',
    status: 502,
    body: 'bad gateway',
    want: 'prometheus: received non 2xx response code: 502',
  },
  { name: 'truncated JSON', status: 200, body: '{"status":', want: 'prometheus: answer is not JSON' },
])('prometheusOutcome: $name is an error', ({ status, body, want }) => {
  expect(prometheusOutcome(status, body)).toEqual({ kind: 'error', message: want });
});
