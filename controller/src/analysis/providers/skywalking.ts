// The `skywalking` provider: the metric's GraphQL `query` posted to <address>/graphql with a
// `duration` variable covering the last `interval` by the minute (start and end as
// "2006-01-02 1504", UTC, step MINUTE); the answer's `data` is what the conditions read, and the
// first GraphQL error is the measurement's error, as upstream's client reports it.
import type { SkyWalkingMetric } from '@rollout-kit/api';
import { parseGoDuration } from '../../go-duration.ts';
import type { ProviderOutcome } from '../run-plan.ts';
import type { HttpAnswer, HttpRequestOptions } from './http-request.ts';
import { answerOverHttp, errorMessage, type MeasureContext, type MetricProvider } from './provider.ts';

const TIMEOUT_MS = 30_000;

/** "2006-01-02 1504" in UTC. */
function minute(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

export function skyWalkingRequest(
  sw: SkyWalkingMetric,
  nowMs: number,
): { url: string; options: HttpRequestOptions } {
  const nanos = parseGoDuration(sw.interval ?? '');
  if (nanos === undefined) throw new Error(`time: invalid duration "${sw.interval ?? ''}"`);
  const body = {
    query: sw.query ?? '',
    variables: { duration: { start: minute(nowMs - nanos / 1e6), end: minute(nowMs), step: 'MINUTE' } },
  };
  return {
    url: `${sw.address ?? ''}/graphql`,
    options: {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Accept: 'application/json; charset=utf-8',
      },
      body: JSON.stringify(body),
      timeoutMs: TIMEOUT_MS,
      insecure: false,
    },
  };
}

export function skyWalkingOutcome(answer: HttpAnswer): ProviderOutcome {
  let parsed: { data?: unknown; errors?: { message?: string }[] };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch (error) {
    return { kind: 'error', message: `decoding response: ${errorMessage(error)}` };
  }
  const [first] = parsed.errors ?? [];
  if (first) return { kind: 'error', message: `graphql: ${first.message ?? ''}` };
  if (parsed.data === undefined || parsed.data === null)
    return { kind: 'error', message: 'no results returned from SkyWalking query' };
  return { kind: 'value', result: parsed.data, value: JSON.stringify(parsed.data) };
}

export function skyWalkingProvider(now = () => Date.now()): MetricProvider {
  return {
    type: 'skywalking',
    async measure({ metric }: MeasureContext): Promise<ProviderOutcome> {
      const sw = metric.provider.skywalking;
      if (!sw) return { kind: 'error', message: 'skywalking provider missing' };
      return answerOverHttp(() => skyWalkingRequest(sw, now()), skyWalkingOutcome);
    },
  };
}
