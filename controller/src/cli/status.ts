// `status NAME`: the line the plugin prints for a Rollout's phase and whether it is done, for CI
// pipelines: Healthy ends with exit 0, Degraded with an error, anything else keeps watching.
import type { Rollout } from '@rollout-kit/api';
import { clientPhase } from '../rollout/status.ts';

export interface StatusOutcome {
  /** `<phase>` or `<phase> - <message>`. */
  line: string;
  result: 'healthy' | 'degraded' | 'pending';
  message: string;
}

export function statusOutcome(rollout: Pick<Rollout, 'metadata' | 'spec' | 'status'>): StatusOutcome {
  const { phase, message } = clientPhase(rollout);
  const line = message ? `${phase} - ${message}` : phase;
  const result = phase === 'Healthy' ? 'healthy' : phase === 'Degraded' ? 'degraded' : 'pending';
  return { line, result, message };
}

/** The one line of `status --watch=false`: Healthy and Degraded alone, other phases with their message. */
export function statusOnceLine(outcome: StatusOutcome): string {
  if (outcome.result !== 'pending') return outcome.line.split(' - ')[0] ?? outcome.line;
  return outcome.line;
}

export const degradedError = (message: string) =>
  new Error(`The rollout is in a degraded state with message: ${message}`);
export const timeoutError = () => new Error('Rollout status watch exceeded timeout');
