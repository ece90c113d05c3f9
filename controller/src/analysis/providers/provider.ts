// The one interface every metric provider implements. A provider gets a metric whose arguments
// are already substituted and answers with a ProviderOutcome; it never throws for a measurement
// problem (that is an `error` outcome) and never decides limits or run phases. Synchronous
// providers (web, prometheus) answer at once; one that starts work elsewhere (job) answers
// `Running` and is asked again through `resume`, and told to stop through `terminate`.
import type { AnalysisRun, Measurement, Metric } from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import { sendHttp, type HttpAnswer, type HttpRequestOptions } from './http-request.ts';

export interface MeasureContext {
  run: AnalysisRun;
  metric: Metric;
  /** The measurement being resumed or terminated (for `resume` and `terminate`). */
  measurement?: Measurement;
  /** How many measurements the metric has taken so far, errors included (names Jobs). */
  taken: number;
}

export interface MetricProvider {
  /** The provider's key in `metric.provider`, e.g. `web`. */
  readonly type: string;
  measure(context: MeasureContext): Promise<ProviderOutcome>;
  /** Looks again at a measurement still running; providers that never answer Running omit it. */
  resume?(context: MeasureContext): Promise<ProviderOutcome>;
  /** Stops a running measurement because the run is terminating. */
  terminate?(context: MeasureContext): Promise<ProviderOutcome>;
}

/** Secrets a provider reads its credentials from (decoded data; undefined when absent). */
export interface SecretSource {
  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** The controller's namespace, where providers' default credential Secrets live. */
  controllerNamespace: string;
}

/** The message of anything a provider call threw, for an Error measurement. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/**
 * One request and the outcome of its answer: what the HTTP providers share. Anything thrown while
 * building the request (a spec problem, missing credentials) or sending it is an error outcome.
 */
export async function answerOverHttp(
  request: () =>
    Promise<{ url: string; options: HttpRequestOptions }> | { url: string; options: HttpRequestOptions },
  outcome: (answer: HttpAnswer) => ProviderOutcome,
): Promise<ProviderOutcome> {
  try {
    const { url, options } = await request();
    return outcome(await sendHttp(url, options));
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
}
