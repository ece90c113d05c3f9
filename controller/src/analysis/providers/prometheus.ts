// The `prometheus` provider: an instant query (or a range query with `rangeQuery`) against the
// HTTP API; a scalar becomes a number and a vector or matrix an array of every sample's number,
// so conditions read `result[0]`, as upstream.
import type { PrometheusMetric } from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import { answerOverHttp, type MeasureContext, type MetricProvider } from './provider.ts';

export const DEFAULT_PROMETHEUS_TIMEOUT_SECONDS = 30;
export const PROMETHEUS_ADDRESS_ENV = 'ARGO_ROLLOUTS_PROMETHEUS_ADDRESS';

/** The query URL: `<address>/api/v1/query?query=…` or `query_range` with start, end and step. */
export function prometheusUrl(
  prometheus: PrometheusMetric,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const address = (prometheus.address || env[PROMETHEUS_ADDRESS_ENV] || '').replace(/\/+$/, '');
  if (!address) throw new Error(`prometheus: address is required (or set ${PROMETHEUS_ADDRESS_ENV})`);
  if (!prometheus.query) throw new Error('prometheus: query is required');
  const range = prometheus.rangeQuery;
  const params = new URLSearchParams({ query: prometheus.query });
  if (range) {
    for (const k of ['start', 'end', 'step'] as const) {
      const v = range[k];
      if (!v) throw new Error(`prometheus: rangeQuery.${k} is required`);
      params.set(k, v);
    }
  }
  return `${address}/api/v1/${range ? 'query_range' : 'query'}?${params.toString()}`;
}

type Sample = [number, string];
interface QueryAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

const sampleValue = (s: unknown): number => Number((s as Sample)[1]);

/** Number formatting for the stored value: Go's %v spelling of NaN and infinities. */
const show = (n: number) =>
  Number.isNaN(n) ? 'NaN' : n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n);

/** The outcome of a query answer (HTTP status and body). */
export function prometheusOutcome(status: number, body: string): ProviderOutcome {
  let answer: QueryAnswer;
  try {
    answer = JSON.parse(body) as QueryAnswer;
  } catch {
    return {
      kind: 'error',
      message:
        status >= 200 && status <= 299
          ? 'prometheus: answer is not JSON'
          : `prometheus: received non 2xx response code: ${status}`,
    };
  }
  if (answer.status !== 'success' || status < 200 || status > 299)
    return {
      kind: 'error',
      message: `prometheus: ${answer.errorType ? `${answer.errorType}: ` : ''}${answer.error ?? `received response code ${status}`}`,
    };
  const type = answer.data?.resultType;
  const result = answer.data?.result;
  if (type === 'scalar' && Array.isArray(result)) {
    const n = sampleValue(result);
    return { kind: 'value', result: n, value: show(n) };
  }
  if ((type === 'vector' || type === 'matrix') && Array.isArray(result)) {
    const numbers = (result as { value?: Sample; values?: Sample[] }[]).flatMap((series) =>
      type === 'vector'
        ? series.value
          ? [sampleValue(series.value)]
          : []
        : (series.values ?? []).map(sampleValue),
    );
    return { kind: 'value', result: numbers, value: `[${numbers.map(show).join(',')}]` };
  }
  return { kind: 'error', message: 'Prometheus metric type not supported' };
}

export function prometheusProvider(env: Readonly<Record<string, string | undefined>> = {}): MetricProvider {
  return {
    type: 'prometheus',
    async measure({ metric }: MeasureContext): Promise<ProviderOutcome> {
      const prometheus = metric.provider.prometheus;
      if (!prometheus) return { kind: 'error', message: 'prometheus provider missing' };
      return answerOverHttp(
        () => {
          const headers: Record<string, string> = { Accept: 'application/json' };
          for (const h of prometheus.headers ?? []) headers[h.key] = h.value;
          const seconds = Number(prometheus.timeout ?? 0) || DEFAULT_PROMETHEUS_TIMEOUT_SECONDS;
          const options = {
            method: 'GET',
            headers,
            timeoutMs: seconds * 1000,
            insecure: prometheus.insecure === true,
          };
          return { url: prometheusUrl(prometheus, env), options };
        },
        (answer) => prometheusOutcome(answer.status, answer.body),
      );
    },
  };
}
