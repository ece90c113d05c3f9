import { graphiteOutcome, graphiteRequest } from './graphite.ts';

test('the render URL: the query without white space, format=json, parameters ordered by key', () => {
  const { url, options } = graphiteRequest({
    address: 'http://127.0.0.1:8080/graphite/',
    query:
      'target=summarize(asPercent(sumSeries(stats.errors), sumSeries(stats.requests)), "5min", "avg")&from=-5min',
  });
  const u = new URL(url);
  expect(u.pathname).toBe('/graphite/render');
  expect([...u.searchParams.keys()]).toEqual(['format', 'from', 'target']);
  expect(u.searchParams.get('target')).toBe(
    'summarize(asPercent(sumSeries(stats.errors),sumSeries(stats.requests)),"5min","avg")',
  );
  expect(u.searchParams.get('format')).toBe('json');
  expect(options.method).toBe('GET');
  expect(graphiteRequest({ address: 'http://g:8080', query: 'target=a' }).url).toBe(
    'http://g:8080/render?format=json&target=a',
  );
});

test.each([undefined, '', 'not a url'])('an address %p is refused', (address) => {
  expect(() => graphiteRequest({ ...(address !== undefined ? { address } : {}), query: 'target=a' })).toThrow(
    /^Graphite address .* is not a valid URL$/,
  );
});

const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) });

test.each([
  {
    name: 'the first target, nulls left out',
    answer: ok([
      {
        target: 'a',
        datapoints: [
          [0.1, 1],
          [null, 2],
          ['0.25', 3],
        ],
      },
      { target: 'b', datapoints: [[9, 1]] },
    ]),
    want: { kind: 'value', result: [0.1, 0.25], value: '[0.100000,0.250000]' },
  },
  {
    name: 'only nulls',
    answer: ok([{ target: 'a', datapoints: [[null, 1]] }]),
    want: { kind: 'value', result: [], value: '[]' },
  },
  { name: 'no target', answer: ok([]), want: { kind: 'error', message: 'no values found' } },
  {
    name: 'no datapoints',
    answer: ok([{ target: 'a', datapoints: [] }]),
    want: { kind: 'error', message: 'no values found' },
  },
  {
    name: 'a malformed point',
    answer: ok([{ target: 'a', datapoints: [[1]] }]),
    want: { kind: 'error', message: 'error unmarshaling data point: [1]' },
  },
  {
    name: 'an error status',
    answer: { status: 400, body: 'bad target' },
    want: { kind: 'error', message: 'error response: bad target' },
  },
])('answer: $name', ({ answer, want }) => {
  expect(graphiteOutcome(answer)).toEqual(want);
});
