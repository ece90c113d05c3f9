// The web provider's request options against real servers on 127.0.0.1: method and JSON body,
// headers, its timeout, and `insecure` against HTTPS with a self-signed certificate (made with
// openssl for this run). The provider is called directly: no controller needed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AnalysisRun, Metric, WebMetric } from '@rollout-kit/api';
import { webProvider } from '../../controller/src/analysis/providers/web.ts';
import { json, loopbackServer, type LoopbackServer } from './analysis-support.ts';

const run = promisify(execFile);
let plain: LoopbackServer;
let tls: Server;
let tlsUrl = '';
let certDir = '';

beforeAll(async () => {
  plain = await loopbackServer((req, body, res) => {
    if (req.url === '/slow') return; // never answers
    json(res, 200, {
      method: req.method,
      body: body ? (JSON.parse(body) as unknown) : null,
      auth: req.headers.authorization ?? null,
    });
  });
  certDir = mkdtempSync(join(tmpdir(), 'rollout-kit-tls-'));
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    join(certDir, 'key.pem'),
    '-out',
    join(certDir, 'cert.pem'),
  ]);
  tls = createServer(
    { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
    (_req, res) => json(res, 200, { secure: true }),
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await plain?.close();
  tls?.closeAllConnections();
  await new Promise((resolve) => tls?.close(resolve));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const runObject: AnalysisRun = { metadata: { name: 'r', namespace: 'ns', uid: 'u' }, spec: { metrics: [] } };
const measure = (web: WebMetric) => {
  const metric: Metric = { name: 'm', provider: { web } };
  return webProvider.measure({ run: runObject, metric, taken: 0 });
};

test('POST sends the JSON body and headers', async () => {
  const outcome = await measure({
    url: `${plain.url}/echo`,
    method: 'POST',
    jsonBody: { query: 'rate', window: 5 },
    headers: [{ key: 'Authorization', value: 'Bearer t' }],
  });
  expect(outcome).toEqual({
    kind: 'value',
    result: { method: 'POST', body: { query: 'rate', window: 5 }, auth: 'Bearer t' },
    value: '{"method":"POST","body":{"query":"rate","window":5},"auth":"Bearer t"}',
  });
  expect(plain.requests.at(-1)?.headers['content-type']).toBe('application/json');
});

test('timeoutSeconds ends a request that is never answered', async () => {
  const outcome = await measure({ url: `${plain.url}/slow`, timeoutSeconds: 1 });
  expect(outcome).toEqual({ kind: 'error', message: `request to ${plain.url} timed out after 1 s` });
});

test('a self-signed certificate is refused unless insecure', async () => {
  const refused = await measure({ url: tlsUrl, jsonPath: '{$.secure}' });
  expect(refused).toMatchObject({
    kind: 'error',
    message: expect.stringMatching(/self.signed/i) as unknown as string,
  });
  const accepted = await measure({ url: tlsUrl, jsonPath: '{$.secure}', insecure: true });
  expect(accepted).toEqual({ kind: 'value', result: true, value: 'true' });
});

test('a URL that is not http(s) is an error outcome, not a throw', async () => {
  expect(await measure({ url: 'ftp://127.0.0.1/x' })).toEqual({
    kind: 'error',
    message: 'unsupported URL scheme "ftp:"',
  });
});
