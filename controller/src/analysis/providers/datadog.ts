// The `datadog` provider: one query per measurement against Datadog's metrics API, over the last
// `interval` (5m by default). apiVersion v1 (the default, as upstream) asks GET /api/v1/query and
// takes the last point of the first series; v2 posts a scalar request to /api/v2/query/scalar
// (`query`, or `queries` joined by a `formula`, reduced with `aggregator`, `last` by default) and
// takes the first value of the first column. An empty answer gives `null` to the conditions, as
// upstream's nil result. Credentials (api-key, app-key, address) come from the Secret the metric
// names, else the DD_API_KEY, DD_APP_KEY and DD_ADDRESS variables (all three), else the Secret
// `datadog`, both Secrets in the controller's namespace unless `secretRef.namespaced` puts the
// named one in the run's. Texts as upstream's, so templates and alerts written for it read the same.
import type { DatadogMetric } from '@rollout-kit/api';
import { parseGoDuration } from '../../go-duration.ts';
import type { ProviderOutcome } from '../run-plan.ts';
import type { HttpAnswer, HttpRequestOptions } from './http-request.ts';
import {
  answerOverHttp,
  errorMessage,
  type MeasureContext,
  type MetricProvider,
  type SecretSource,
} from './provider.ts';

export const DATADOG_DEFAULT_ADDRESS = 'https://api.datadoghq.com';
export const DATADOG_SECRET = 'datadog';
const DEFAULT_INTERVAL = '5m';
const TIMEOUT_MS = 10_000;

export interface DatadogCredentials {
  address: string;
  apiKey: string;
  appKey: string;
}

/** The spec checks upstream makes before any request (its validateIncomingProps). */
export function datadogSpecProblem(dd: DatadogMetric): string | undefined {
  const queries = Object.keys(dd.queries ?? {}).length;
  const v1 = (dd.apiVersion ?? 'v1') === 'v1';
  if (!dd.query && queries === 0)
    return 'Must have either a query or queries. Please review the Analysis Template.';
  if (dd.query && queries > 0)
    return 'Cannot have both a query and queries. Please review the Analysis Template.';
  if (v1 && !dd.query)
    return 'Query is empty. API Version v1 only supports using the query parameter in your Analysis Template.';
  if (dd.formula && queries === 0)
    return 'Formula are only valid when queries are set. Please review the Analysis Template.';
  if (!dd.formula && queries > 1) return 'When multiple queries are provided you must include a formula.';
  if (v1 && dd.aggregator) return 'Aggregator is not supported in v1. Please review the Analysis Template.';
  return undefined;
}

/** The request for one measurement at `nowSeconds` (Unix time). Throws on a bad interval. */
export function datadogRequest(
  dd: DatadogMetric,
  credentials: DatadogCredentials,
  nowSeconds: number,
): { url: string; options: HttpRequestOptions } {
  const nanos = parseGoDuration(dd.interval || DEFAULT_INTERVAL);
  if (nanos === undefined) throw new Error(`time: invalid duration "${dd.interval}"`);
  const interval = Math.trunc(nanos / 1e9);
  const address = (credentials.address || DATADOG_DEFAULT_ADDRESS).replace(/\/+$/, '');
  const headers = {
    'Content-Type': 'application/json',
    'DD-API-KEY': credentials.apiKey,
    'DD-APPLICATION-KEY': credentials.appKey,
  };
  if ((dd.apiVersion ?? 'v1') === 'v1') {
    const params = new URLSearchParams({
      from: String(nowSeconds - interval),
      query: dd.query ?? '',
      to: String(nowSeconds),
    });
    return {
      url: `${address}/api/v1/query?${params.toString()}`,
      options: { method: 'GET', headers, timeoutMs: TIMEOUT_MS, insecure: false },
    };
  }
  const queries = dd.query ? { query: dd.query } : (dd.queries ?? {});
  const aggregator = dd.aggregator || 'last';
  const body = {
    data: {
      attributes: {
        // v2 counts in milliseconds.
        from: (nowSeconds - interval) * 1000,
        to: nowSeconds * 1000,
        queries: Object.entries(queries).map(([name, query]) => ({
          aggregator,
          data_source: 'metrics',
          name,
          query,
        })),
        formulas: dd.formula ? [{ formula: dd.formula }] : [],
      },
      type: 'scalar_request',
    },
  };
  return {
    url: `${address}/api/v2/query/scalar`,
    options: { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: TIMEOUT_MS, insecure: false },
  };
}

/** Number text as Go's strconv.FormatFloat(v, 'f', -1, 64) writes it (no exponent). */
function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

interface V1Answer {
  series?: { pointlist?: (number | null)[][] }[];
}
interface V2Answer {
  data?: { attributes?: { columns?: { values?: (number | null)[] }[] }; errors?: string };
}

/** The outcome of Datadog's answer for `apiVersion`. */
export function datadogOutcome(apiVersion: string | undefined, answer: HttpAnswer): ProviderOutcome {
  if (answer.status === 401 || answer.status === 403)
    return {
      kind: 'error',
      message: `received authentication error response code: ${answer.status} ${answer.body}`,
    };
  if (answer.status !== 200)
    return { kind: 'error', message: `received non 2xx response code: ${answer.status} ${answer.body}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch (error) {
    return { kind: 'error', message: `Could not parse JSON body: ${errorMessage(error)}` };
  }
  if ((apiVersion ?? 'v1') === 'v1') {
    const series = (parsed as V1Answer).series ?? [];
    const points = series[0]?.pointlist ?? [];
    if (points.length === 0) return { kind: 'value', result: null, value: JSON.stringify(series) };
    const last = points[points.length - 1] ?? [];
    if (last.length !== 2) return { kind: 'error', message: 'Datapoint does not have 2 values' };
    const value = Number(last[1]);
    return { kind: 'value', result: value, value: formatFloat(value) };
  }
  const data = (parsed as V2Answer).data;
  if (data?.errors) return { kind: 'error', message: `There were errors in your query: ${data.errors}` };
  const columns = data?.attributes?.columns ?? [];
  const first = columns[0]?.values?.[0];
  if (first === undefined || first === null) {
    const shown = columns.length === 1 ? (columns[0]?.values ?? null) : (data?.attributes ?? {});
    return { kind: 'value', result: null, value: JSON.stringify(shown) };
  }
  return { kind: 'value', result: first, value: formatFloat(first) };
}

/** Where the provider finds its credentials: Secrets and the environment. */
export interface DatadogSources extends SecretSource {
  env: Readonly<Record<string, string | undefined>>;
}

const fromData = (data: Record<string, string> | undefined): DatadogCredentials | undefined =>
  data?.['api-key'] && data['app-key']
    ? { address: data.address ?? '', apiKey: data['api-key'], appKey: data['app-key'] }
    : undefined;

/** The credentials for a metric of a run in `runNamespace`, in upstream's order; throws when none. */
export async function findDatadogCredentials(
  dd: DatadogMetric,
  runNamespace: string,
  sources: DatadogSources,
): Promise<DatadogCredentials> {
  const name = dd.secretRef?.name ?? '';
  if (dd.secretRef?.namespaced) {
    if (!name) throw new Error('secret name is required for namespaced credentials');
    const found = fromData(await sources.readSecret(runNamespace, name));
    if (found) return found;
  } else if (name) {
    const found = fromData(await sources.readSecret(sources.controllerNamespace, name));
    if (found) return found;
  } else {
    const { DD_API_KEY: apiKey, DD_APP_KEY: appKey, DD_ADDRESS: address } = sources.env;
    if (apiKey && appKey && address !== undefined) return { address, apiKey, appKey };
    const found = fromData(await sources.readSecret(sources.controllerNamespace, DATADOG_SECRET));
    if (found) return found;
  }
  throw new Error('failed to find the credentials for datadog metrics provider');
}

export function datadogProvider(
  sources: DatadogSources,
  nowSeconds = () => Math.floor(Date.now() / 1000),
): MetricProvider {
  return {
    type: 'datadog',
    async measure({ run, metric }: MeasureContext): Promise<ProviderOutcome> {
      const dd = metric.provider.datadog;
      if (!dd) return { kind: 'error', message: 'datadog provider missing' };
      return answerOverHttp(
        async () => {
          const credentials = await findDatadogCredentials(dd, run.metadata.namespace ?? '', sources);
          const problem = datadogSpecProblem(dd);
          if (problem) throw new Error(problem);
          return datadogRequest(dd, credentials, nowSeconds());
        },
        (answer) => datadogOutcome(dd.apiVersion, answer),
      );
    },
  };
}
