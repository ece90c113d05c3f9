// A blue-green Rollout's pre- and post-promotion AnalysisRuns for one pass, as the strategy seam
// takes them: the plan (bluegreen/analysis-runs.ts) carried out — runs created from their
// templates, ended, old ones deleted — then offered to the blue-green strategy as one PassAnalysis
// whose current runs its analysis gates read, or as an InvalidSpec error.
import type { AnalysisRun, Rollout } from '@rollout-kit/api';
import { runStatusOf } from '../analysis/rollout-runs.ts';
import { blueGreenAnalysisPlan, blueGreenAnalysisStatus } from '../bluegreen/analysis-runs.ts';
import { otherRunsPlan } from '../canary/analysis-step.ts';
import { hashOf } from '../rollout/replica-set.ts';
import type { PassAnalysis } from '../rollout/strategy.ts';
import type { FieldError } from '../rollout/validate.ts';
import {
  createRolloutRun,
  deleteRun,
  ownedRuns,
  terminateRun,
  type RolloutAnalysisDeps,
} from './rollout-analysis.ts';
import type { RunContext } from './run-context.ts';

export async function reconcileBlueGreenRuns(
  deps: RolloutAnalysisDeps,
  rollout: Rollout,
  ctx: RunContext,
): Promise<{ invalid?: FieldError; analysis?: PassAnalysis }> {
  const runs = await ownedRuns(deps, rollout);
  const plan = blueGreenAnalysisPlan({
    rollout,
    runs,
    ...(ctx.newRS ? { newRS: ctx.newRS } : {}),
    ...(ctx.rollbackWithinWindow ? { rollbackWithinWindow: true } : {}),
  });
  const current: { prePromotion?: AnalysisRun; postPromotion?: AnalysisRun } = {
    ...(plan.prePromotion ? { prePromotion: plan.prePromotion } : {}),
    ...(plan.postPromotion ? { postPromotion: plan.postPromotion } : {}),
  };
  for (const want of plan.create) {
    const which = want.type === 'PrePromotion' ? 'prePromotionAnalysis' : 'postPromotionAnalysis';
    const made = await createRolloutRun(
      deps,
      rollout,
      ctx,
      want,
      `spec.strategy.blueGreen.${which}.templates`,
    );
    if ('invalid' in made) return { invalid: made.invalid };
    if (want.type === 'PrePromotion') current.prePromotion = made.run;
    else current.postPromotion = made.run;
  }
  for (const run of plan.terminate) await terminateRun(deps, run);
  const currentNames = [current.prePromotion, current.postPromotion].flatMap((r) =>
    r ? [r.metadata.name ?? ''] : [],
  );
  const rest = otherRunsPlan(plan, currentNames, {
    replicaSets: ctx.owned.map((rs) => ({
      hash: hashOf(rs),
      deleting: Boolean(rs.metadata.deletionTimestamp),
    })),
    limits: rollout.spec.analysis,
  });
  for (const run of rest.terminate) await terminateRun(deps, run);
  for (const run of rest.delete) await deleteRun(deps, run);
  return {
    analysis: {
      // The sequence reacts through its gates (progression.ts), not through this reaction.
      reaction: { kind: 'none' },
      promotionRuns: {
        ...(current.prePromotion ? { prePromotion: runStatusOf(current.prePromotion) } : {}),
        ...(current.postPromotion ? { postPromotion: runStatusOf(current.postPromotion) } : {}),
      },
      record(fields) {
        const { blueGreen, events } = blueGreenAnalysisStatus(rollout.status, current);
        const merged = Object.fromEntries(
          Object.entries({ ...fields.blueGreen, ...blueGreen }).filter(([, v]) => v !== undefined),
        );
        return {
          fields: { ...fields, blueGreen: Object.keys(merged).length > 0 ? merged : undefined },
          events,
        };
      },
    },
  };
}
