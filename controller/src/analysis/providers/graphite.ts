// The `graphite` provider: the metric's `query` (render API parameters such as
// `target=…&from=-5min`, white space removed) sent as GET <address>/render with format=json; the
// first target's non-null datapoints become an array of numbers for the conditions (`result[0]`),
// stored as upstream writes them (`[0.100000,0.250000]`, Go's %f). No datapoints at all is an error.
import type { GraphiteMetric } from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import type { HttpAnswer, HttpRequestOptions } from './http-request.ts';
import { answerOverHttp, errorMessage, type MeasureContext, type MetricProvider } from './provider.ts';

const TIMEOUT_MS = 10_000;

/** The render URL for a metric; throws when the address is not a URL. */
export function graphiteRequest(graphite: GraphiteMetric): { url: string; options: HttpRequestOptions } {
  let base: URL;
  try {
    if (!graphite.address) throw new Error('empty');
    base = new URL(graphite.address);
  } catch {
    throw new Error(`Graphite address ${graphite.address ?? ''} is not a valid URL`);
  }
  const params = new URLSearchParams((graphite.query ?? '').replace(/\s+/g, ''));
  params.set('format', 'json');
  // Go's url.Values.Encode orders the parameters by key.
  params.sort();
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/render`;
  base.search = params.toString();
  return {
    url: base.toString(),
    options: { method: 'GET', headers: {}, timeoutMs: TIMEOUT_MS, insecure: false },
  };
}

/** A datapoint's value: null, a number, or a number written as a string. */
function pointValue(point: unknown): number | null {
  if (!Array.isArray(point) || point.length !== 2)
    throw new Error(`error unmarshaling data point: ${JSON.stringify(point)}`);
  const [value] = point as unknown[];
  if (value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    if (value.trim() === '' || Number.isNaN(n))
      throw new Error(`strconv.ParseFloat: parsing "${value}": invalid syntax`);
    return n;
  }
  throw new Error(`error unmarshaling value: ${JSON.stringify(value)}`);
}

/** Go's %f: six decimals. */
const fixed = (n: number) =>
  Number.isFinite(n) ? n.toFixed(6) : Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';

export function graphiteOutcome(answer: HttpAnswer): ProviderOutcome {
  if (answer.status >= 400) return { kind: 'error', message: `error response: ${answer.body}` };
  let values: number[];
  try {
    const targets = JSON.parse(answer.body) as { datapoints?: unknown[] }[];
    const points = Array.isArray(targets) ? (targets[0]?.datapoints ?? []) : [];
    if (points.length === 0) return { kind: 'error', message: 'no values found' };
    values = points.map(pointValue).filter((v): v is number => v !== null);
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
  return { kind: 'value', result: values, value: `[${values.map(fixed).join(',')}]` };
}

export const graphiteProvider: MetricProvider = {
  type: 'graphite',
  async measure({ metric }: MeasureContext): Promise<ProviderOutcome> {
    const graphite = metric.provider.graphite;
    if (!graphite) return { kind: 'error', message: 'graphite provider missing' };
    return answerOverHttp(() => graphiteRequest(graphite), graphiteOutcome);
  },
};
