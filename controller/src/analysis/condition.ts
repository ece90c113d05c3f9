// A metric's success and failure conditions turned into a measurement phase, as Argo Rollouts
// decides it, with an explanation of the values that decided it (shown in the run's messages,
// the CLI and the Rollout tab).
import { evaluate, type TraceEntry } from './condition-eval.ts';
import { parseCondition } from './condition-parse.ts';
import { toValue, typeName } from './condition-value.ts';

export interface ConditionResult {
  value: boolean;
  /** What was compared and computed, e.g. `result[0] >= 0.95: result[0] = 0.91; false`. */
  explanation: string;
}

/** Evaluates one condition over a provider result; throws with a clear message on any error. */
export function evaluateCondition(condition: string, result: unknown): ConditionResult {
  const tree = parseCondition(condition);
  const trace: TraceEntry[] = [];
  const value = evaluate(tree, { result: toValue(result) }, trace);
  if (typeof value !== 'boolean') throw new Error(`expected bool, but got ${typeName(value)}`);
  return { value, explanation: trace.map((t) => `${t.expression}: ${t.detail}`).join('; ') };
}

export type MeasurementVerdict =
  | { phase: 'Successful' | 'Failed' | 'Inconclusive'; explanation: string }
  | { phase: 'Error'; message: string };

/**
 * The phase of a measurement from its conditions (either may be empty):
 * no conditions ⇒ Successful; only success ⇒ Successful or Failed; only failure ⇒ Failed or
 * Successful; both ⇒ Failed if failure holds, else Successful if success holds, else Inconclusive.
 * Evaluation errors ⇒ Error, with upstream's message `could not evaluate <which> "<expr>": <why>`.
 */
export function measurementVerdict(
  conditions: { successCondition?: string; failureCondition?: string },
  result: unknown,
): MeasurementVerdict {
  const outcomes: Partial<Record<'successCondition' | 'failureCondition', ConditionResult>> = {};
  for (const which of ['failureCondition', 'successCondition'] as const) {
    const expr = conditions[which];
    if (!expr) continue;
    try {
      outcomes[which] = evaluateCondition(expr, result);
    } catch (error) {
      return {
        phase: 'Error',
        message: `could not evaluate ${which} ${JSON.stringify(expr)}: ${(error as Error).message}`,
      };
    }
  }
  const { successCondition: success, failureCondition: failure } = outcomes;
  const explanation = [failure, success]
    .filter((o): o is ConditionResult => o !== undefined && o.explanation !== '')
    .map((o) => o.explanation)
    .join('; ');
  if (failure?.value) return { phase: 'Failed', explanation };
  if (success && failure) return { phase: success.value ? 'Successful' : 'Inconclusive', explanation };
  if (success) return { phase: success.value ? 'Successful' : 'Failed', explanation };
  return { phase: 'Successful', explanation };
}
