import { skyWalkingOutcome, skyWalkingRequest } from './skywalking.ts';

const NOW = Date.parse('2026-11-23T17:31:42Z');

test('the query goes to <address>/graphql with the last interval by the minute', () => {
  const query =
    'query queryData($duration: Duration!) { service_apdex: readMetricsValues(duration: $duration) }';
  const { url, options } = skyWalkingRequest(
    { address: 'http://127.0.0.1:12800', query, interval: '5m' },
    NOW,
  );
  expect(url).toBe('http://127.0.0.1:12800/graphql');
  expect(options.method).toBe('POST');
  expect(JSON.parse(options.body ?? '')).toEqual({
    query,
    variables: { duration: { start: '2026-11-23 1726', end: '2026-11-23 1731', step: 'MINUTE' } },
  });
});

test.each([undefined, '', 'soon'])('an interval %p is an error', (interval) => {
  expect(() =>
    skyWalkingRequest(
      { address: 'http://s', query: 'q', ...(interval !== undefined ? { interval } : {}) },
      NOW,
    ),
  ).toThrow('time: invalid duration');
});

test.each([
  {
    name: 'data is the result',
    answer: { status: 200, body: '{"data":{"service_apdex":{"values":[{"value":9900}]}}}' },
    want: {
      kind: 'value',
      result: { service_apdex: { values: [{ value: 9900 }] } },
      value: '{"service_apdex":{"values":[{"value":9900}]}}',
    },
  },
  {
    name: 'the first GraphQL error',
    answer: { status: 200, body: '{"errors":[{"message":"bad field"},{"message":"other"}]}' },
    want: { kind: 'error', message: 'graphql: bad field' },
  },
  {
    name: 'no data',
    answer: { status: 200, body: '{"data":null}' },
    want: { kind: 'error', message: 'no results returned from SkyWalking query' },
  },
  {
    name: 'not JSON',
    answer: { status: 502, body: 'bad gateway' },
    want: { kind: 'error', message: expect.stringMatching(/^decoding response: /) as unknown },
  },
])('answer: $name', ({ answer, want }) => {
  expect(skyWalkingOutcome(answer)).toEqual(want);
});
