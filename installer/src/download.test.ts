import { archiveFileName, authorization, isTransientStatus, retryDelayMs, shownUrl } from './download.ts';

test.each([
  { name: '500', status: 500, want: true },
  { name: '502', status: 502, want: true },
  { name: '503', status: 503, want: true },
  { name: '504', status: 504, want: true },
  { name: '429', status: 429, want: true },
  { name: '408', status: 408, want: true },
  { name: '404 is final', status: 404, want: false },
  { name: '403 is final', status: 403, want: false },
  { name: '401 is final', status: 401, want: false },
  { name: '501 is final', status: 501, want: false },
])('isTransientStatus: $name', ({ status, want }) => {
  expect(isTransientStatus(status)).toBe(want);
});

test.each([
  { name: 'first retry', retry: 1, retryAfter: null, want: 500 },
  { name: 'second retry doubles', retry: 2, retryAfter: null, want: 1000 },
  { name: 'third retry', retry: 3, retryAfter: null, want: 2000 },
  { name: 'capped at 8 s', retry: 10, retryAfter: null, want: 8000 },
  { name: 'Retry-After longer than the back-off wins', retry: 1, retryAfter: '3', want: 3000 },
  { name: 'Retry-After shorter than the back-off does not', retry: 3, retryAfter: '1', want: 2000 },
  { name: 'Retry-After is capped at 30 s', retry: 1, retryAfter: '3600', want: 30_000 },
  {
    name: 'an HTTP-date Retry-After is ignored',
    retry: 1,
    retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
    want: 500,
  },
])('retryDelayMs: $name', ({ retry, retryAfter, want }) => {
  expect(retryDelayMs(retry, retryAfter)).toBe(want);
});

test.each([
  { name: 'last path segment', url: 'https://x/releases/download/v1/extension.tar', want: 'extension.tar' },
  { name: 'no query string', url: 'https://x/a/extension.tar.gz?token=abc', want: 'extension.tar.gz' },
  { name: 'decoded', url: 'https://x/a/my%20ext.tar', want: 'my ext.tar' },
  { name: 'bad escapes kept', url: 'https://x/a/%zz.tar', want: '%zz.tar' },
  { name: 'an encoded slash falls back', url: 'https://x/a/b%2Fc.tar', want: 'extension.tar' },
  { name: 'a directory URL falls back', url: 'https://x/a/', want: 'extension.tar' },
])('archiveFileName: $name', ({ url, want }) => {
  expect(archiveFileName(new URL(url))).toBe(want);
});

test('shownUrl drops credentials and the query string', () => {
  expect(shownUrl(new URL('https://user:pw@example.com:8443/a/x.tar?sig=secret#f'))).toBe(
    'https://example.com:8443/a/x.tar',
  );
});

test.each([
  { name: 'no token, no header', url: 'https://github.com/o/r/x.tar', token: undefined, want: {} },
  {
    name: 'GitHub uses token',
    url: 'https://github.com/o/r/x.tar',
    token: 't',
    want: { authorization: 'token t' },
  },
  {
    name: 'others use Bearer',
    url: 'https://gitlab.com/o/r/x.tar',
    token: 't',
    want: { authorization: 'Bearer t' },
  },
])('authorization: $name', ({ url, token, want }) => {
  expect(authorization(new URL(url), token)).toEqual(want);
});
