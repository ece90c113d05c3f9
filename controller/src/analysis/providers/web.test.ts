import { webOutcome, webRequest } from './web.ts';

test.each([
  {
    name: 'GET with headers and the default timeout',
    web: { url: 'http://x/', headers: [{ key: 'A', value: '1' }] },
    want: { method: 'GET', headers: { A: '1' }, timeoutMs: 10_000, insecure: false },
  },
  {
    name: 'POST with jsonBody sets the content type',
    web: { url: 'http://x/', method: 'post', jsonBody: { q: 1 }, timeoutSeconds: 3, insecure: true },
    want: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"q":1}',
      timeoutMs: 3_000,
      insecure: true,
    },
  },
  {
    name: 'PUT with a raw body keeps the given content type',
    web: {
      url: 'http://x/',
      method: 'PUT',
      body: 'a=1',
      headers: [{ key: 'content-type', value: 'text/plain' }],
    },
    want: {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'a=1',
      timeoutMs: 10_000,
      insecure: false,
    },
  },
])('webRequest: $name', ({ web, want }) => {
  expect(webRequest(web).options).toEqual(want);
});

test.each([
  { name: 'a body with GET', web: { url: 'u', body: 'x' }, error: 'a GET request cannot have a body' },
  {
    name: 'both bodies',
    web: { url: 'u', method: 'POST', body: 'x', jsonBody: {} },
    error: 'mutually exclusive',
  },
  { name: 'another method', web: { url: 'u', method: 'DELETE' }, error: 'method "DELETE" is not supported' },
])('webRequest refuses $name', ({ web, error }) => {
  expect(() => webRequest(web)).toThrow(error);
});

test.each([
  {
    name: 'a number selected by jsonPath',
    status: 200,
    body: '{"data":{"rate":0.99}}',
    path: '{$.data.rate}',
    want: { kind: 'value', result: 0.99, value: '0.99' },
  },
  {
    name: 'the whole document by default',
    status: 200,
    body: '{"ok":true}',
    path: undefined,
    want: { kind: 'value', result: { ok: true }, value: '{"ok":true}' },
  },
  {
    name: 'a string value stays a string',
    status: 201,
    body: '{"s":"green"}',
    path: '{.s}',
    want: { kind: 'value', result: 'green', value: 'green' },
  },
  {
    name: 'the first of several selected values',
    status: 200,
    body: '{"a":[3,4]}',
    path: '{$.a[*]}',
    want: { kind: 'value', result: 3, value: '3' },
  },
  {
    name: 'a body that is not JSON is the raw text',
    status: 200,
    body: 'OK',
    path: '{$.x}',
    want: { kind: 'value', result: 'OK', value: 'OK' },
  },
  {
    name: 'a non-2xx answer',
    status: 503,
    body: '{}',
    path: undefined,
    want: { kind: 'error', message: 'received non 2xx response code: 503' },
  },
  {
    name: 'nothing selected',
    status: 200,
    body: '{}',
    path: '{$.x}',
    want: { kind: 'error', message: 'result of web metric produced no value' },
  },
])('webOutcome: $name', ({ status, body, path, want }) => {
  expect(webOutcome({ status, body }, path)).toEqual(want);
});
