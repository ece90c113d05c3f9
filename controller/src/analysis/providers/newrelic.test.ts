import { newRelicAccount, newRelicOutcome, newRelicRequest } from './newrelic.ts';

const data = { 'personal-api-key': 'NRAK-1', 'account-id': '12345' };

test.each([
  {
    name: 'us by default',
    data,
    want: { apiKey: 'NRAK-1', accountId: 12345, endpoint: 'https://api.newrelic.com/graphql' },
  },
  { name: 'eu', data: { ...data, region: 'EU' }, want: { endpoint: 'https://api.eu.newrelic.com/graphql' } },
  {
    name: 'a NerdGraph URL of its own',
    data: { ...data, 'base-url-nerdgraph': 'http://127.0.0.1:9/graphql' },
    want: { endpoint: 'http://127.0.0.1:9/graphql' },
  },
])('account: $name', ({ data, want }) => {
  expect(newRelicAccount(data, 'newrelic')).toMatchObject(want);
});

test.each([
  { name: 'no Secret', data: undefined, want: 'secrets "newrelic" not found' },
  { name: 'no key', data: { 'account-id': '1' }, want: 'account ID or personal API key not found' },
  {
    name: 'an account that is not a number',
    data: { ...data, 'account-id': 'abc' },
    want: 'could not parse account ID',
  },
  { name: 'an unknown region', data: { ...data, region: 'mars' }, want: 'invalid region: mars' },
])('account: $name is an error', ({ data, want }) => {
  expect(() => newRelicAccount(data, 'newrelic')).toThrow(want);
});

test('the request: NRQL and the account as GraphQL variables, the key as Api-Key, timeout 5 by default', () => {
  const account = newRelicAccount(data, 'newrelic');
  const { url, options } = newRelicRequest(
    { query: "SELECT count(*) FROM Transaction WHERE appName = 'web'" },
    account,
  );
  expect(url).toBe('https://api.newrelic.com/graphql');
  expect(options.method).toBe('POST');
  expect(options.headers['Api-Key']).toBe('NRAK-1');
  const body = JSON.parse(options.body ?? '') as { query: string; variables: unknown };
  expect(body.variables).toEqual({
    accountId: 12345,
    query: "SELECT count(*) FROM Transaction WHERE appName = 'web'",
    timeout: 5,
  });
  expect(body.query).toContain('nrql(query: $query, timeout: $timeout)');
  expect(JSON.parse(newRelicRequest({ query: 'q', timeout: 30 }, account).options.body ?? '')).toMatchObject({
    variables: { timeout: 30 },
  });
  expect(() => newRelicRequest({ query: 'q', timeout: -1 }, account)).toThrow(
    'timeout value needs to be a positive value',
  );
});

const answer = (results: unknown, extra: object = {}) => ({
  status: 200,
  body: JSON.stringify({ data: { actor: { account: { nrql: { results } } } }, ...extra }),
});

test.each([
  {
    name: 'one row is the result',
    answer: answer([{ errorRate: 0.02, count: 10 }]),
    want: { kind: 'value', result: { errorRate: 0.02, count: 10 }, value: '{"errorRate":0.02,"count":10}' },
  },
  {
    name: 'several rows are the list',
    answer: answer([{ a: 1 }, { a: 2 }]),
    want: { kind: 'value', result: [{ a: 1 }, { a: 2 }], value: '[{"a":1},{"a":2}]' },
  },
  {
    name: 'no row',
    answer: answer([]),
    want: { kind: 'error', message: 'no results returned from NRQL query' },
  },
  {
    name: 'an empty row',
    answer: answer([{}]),
    want: { kind: 'error', message: 'no results returned from NRQL query' },
  },
  {
    name: 'GraphQL errors',
    answer: {
      status: 200,
      body: JSON.stringify({ errors: [{ message: 'NRQL Syntax Error' }, { message: 'x' }] }),
    },
    want: { kind: 'error', message: 'NRQL Syntax Error, x' },
  },
  {
    name: 'an error status',
    answer: { status: 502, body: 'bad gateway' },
    want: { kind: 'error', message: 'NerdGraph answered 502 with a body that is not JSON' },
  },
])('answer: $name', ({ answer, want }) => {
  expect(newRelicOutcome(answer)).toEqual(want);
});
