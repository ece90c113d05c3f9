// A canary's AnalysisRuns and its step Experiment for one pass, as the strategy seam takes them:
// both carried out first (rollout-analysis.ts, rollout-experiment.ts), then offered to the canary
// strategy as one PassAnalysis — the step's run phase, the reaction (an abort wins over a pause)
// and how the status records the current runs — or as an InvalidSpec error.
import type { Rollout } from '@rollout-kit/api';
import { currentStepHash } from '../canary/step-hash.ts';
import type { PassAnalysis } from '../rollout/strategy.ts';
import type { FieldError } from '../rollout/validate.ts';
import {
  combinedReaction,
  reconcileCanaryAnalysis,
  withCanaryAnalysis,
  type RolloutAnalysisDeps,
} from './rollout-analysis.ts';
import { reconcileExperimentStep, type RolloutExperimentDeps } from './rollout-experiment.ts';
import type { RunContext } from './run-context.ts';

export async function reconcileCanaryRuns(
  deps: RolloutAnalysisDeps & RolloutExperimentDeps,
  rollout: Rollout,
  ctx: RunContext,
): Promise<{ invalid?: FieldError; analysis?: PassAnalysis }> {
  const runCtx = { ...ctx, stepHash: currentStepHash(rollout) };
  const analysis = await reconcileCanaryAnalysis(deps, rollout, runCtx);
  const experiment = await reconcileExperimentStep(deps, rollout, runCtx);
  const invalid = analysis.invalid ?? experiment.invalid;
  if (invalid) return { invalid };
  const stepRunPhase = analysis.plan.stepRunPhase ?? experiment.plan.stepRunPhase;
  return {
    analysis: {
      ...(stepRunPhase ? { stepRunPhase } : {}),
      reaction: combinedReaction(analysis.plan.reaction, experiment.plan.reaction),
      record(fields) {
        const recorded = withCanaryAnalysis(rollout.status, fields, analysis, experiment);
        return { fields: recorded.fields, events: [...experiment.events, ...recorded.events] };
      },
    },
  };
}
