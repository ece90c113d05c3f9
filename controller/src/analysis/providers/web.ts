// The `web` provider: one HTTP request per measurement; a 2xx JSON answer gives the first value
// its `jsonPath` selects (default the whole document), a non-JSON answer gives the raw text.
import type { WebMetric } from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import type { HttpAnswer, HttpRequestOptions } from './http-request.ts';
import { selectJsonPath } from './json-path.ts';
import { answerOverHttp, errorMessage, type MeasureContext, type MetricProvider } from './provider.ts';

export const DEFAULT_WEB_TIMEOUT_SECONDS = 10;

/** The request a web metric makes; throws on a spec problem (body with GET, both body kinds). */
export function webRequest(web: WebMetric): { url: string; options: HttpRequestOptions } {
  const method = (web.method ?? 'GET').toUpperCase();
  if (!['GET', 'POST', 'PUT'].includes(method))
    throw new Error(`web: method "${web.method}" is not supported`);
  const hasJsonBody = web.jsonBody !== undefined && web.jsonBody !== null;
  if (web.body && hasJsonBody) throw new Error('web: body and jsonBody are mutually exclusive');
  if ((web.body || hasJsonBody) && method === 'GET') throw new Error('web: a GET request cannot have a body');
  const headers: Record<string, string> = {};
  for (const h of web.headers ?? []) headers[h.key] = h.value;
  const options: HttpRequestOptions = {
    method,
    headers,
    timeoutMs:
      Number(web.timeoutSeconds ?? DEFAULT_WEB_TIMEOUT_SECONDS) * 1000 || DEFAULT_WEB_TIMEOUT_SECONDS * 1000,
    insecure: web.insecure === true,
  };
  if (hasJsonBody) {
    options.body = JSON.stringify(web.jsonBody);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json';
  } else if (web.body) options.body = web.body;
  return { url: web.url, options };
}

/** The outcome of an answer: upstream's errors for non-2xx and an empty selection. */
export function webOutcome(answer: HttpAnswer, jsonPath: string | undefined): ProviderOutcome {
  if (answer.status < 200 || answer.status > 299)
    return { kind: 'error', message: `received non 2xx response code: ${answer.status}` };
  let data: unknown;
  try {
    data = JSON.parse(answer.body);
  } catch {
    return { kind: 'value', result: answer.body, value: answer.body };
  }
  let selected: unknown[];
  try {
    selected = selectJsonPath(data, jsonPath || '{$}');
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
  if (selected.length === 0) return { kind: 'error', message: 'result of web metric produced no value' };
  const value = selected[0];
  return { kind: 'value', result: value, value: typeof value === 'string' ? value : JSON.stringify(value) };
}

export const webProvider: MetricProvider = {
  type: 'web',
  async measure({ metric }: MeasureContext): Promise<ProviderOutcome> {
    const web = metric.provider.web;
    if (!web) return { kind: 'error', message: 'web provider missing' };
    return answerOverHttp(
      () => webRequest(web),
      (answer) => webOutcome(answer, web.jsonPath),
    );
  },
};
