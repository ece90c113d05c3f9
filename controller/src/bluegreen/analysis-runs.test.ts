import type { AnalysisRun, Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import {
  blueGreenAnalysisPlan,
  blueGreenAnalysisStatus,
  postPromotionWaits,
  prePromotionWaits,
} from './analysis-runs.ts';

const pre = { templates: [{ templateName: 'smoke' }] };
const post = { templates: [{ templateName: 'health' }] };

function rollout(status: Partial<RolloutStatus>, bg: Record<string, unknown> = {}): Rollout {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
    spec: {
      replicas: 3,
      strategy: {
        blueGreen: { activeService: 'a', prePromotionAnalysis: pre, postPromotionAnalysis: post, ...bg },
      },
    },
    status: { currentPodHash: 'n2', stableRS: 's1', blueGreen: { activeSelector: 's1' }, ...status },
  } as Rollout;
}

function rs(hash: string, available = 3, replicas = 3, annotations: Record<string, string> = {}): ReplicaSet {
  return {
    metadata: {
      name: `web-${hash}`,
      labels: { 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/desired-replicas': '3', ...annotations },
    },
    spec: { replicas },
    status: { replicas, availableReplicas: available },
  } as ReplicaSet;
}

function run(name: string, phase?: string, hash = 'n2'): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name, labels: { 'rollouts-pod-template-hash': hash } },
    spec: { metrics: [] },
    ...(phase ? { status: { phase, message: `${phase} because` } } : {}),
  } as AnalysisRun;
}

const preStatus = (name: string, status = 'Running') => ({
  prePromotionAnalysisRunStatus: { name, status },
});

describe('when each hook may run', () => {
  test.each([
    { name: 'preview fully up, active on stable', status: {}, newRS: rs('n2'), pre: false, post: true },
    { name: 'preview still coming up', status: {}, newRS: rs('n2', 1), pre: true, post: true },
    { name: 'no new RS yet', status: {}, newRS: undefined, pre: true, post: true },
    {
      name: 'nothing active yet (first deploy)',
      status: { blueGreen: {} },
      newRS: rs('n2'),
      pre: true,
      post: true,
    },
    {
      name: 'active switched to the new RS',
      status: { blueGreen: { activeSelector: 'n2' } },
      newRS: rs('n2'),
      pre: true,
      post: false,
    },
    {
      name: 'active switched but a pod lost',
      status: { blueGreen: { activeSelector: 'n2' } },
      newRS: rs('n2', 2),
      pre: true,
      post: true,
    },
    {
      name: 'promoted: the new RS is the stable one',
      status: { stableRS: 'n2', blueGreen: { activeSelector: 'n2' } },
      newRS: rs('n2'),
      pre: true,
      post: true,
    },
  ])('$name', ({ status, newRS, pre: preWaits, post: postWaits }) => {
    const r = rollout(status);
    expect(prePromotionWaits(r, newRS)).toBe(preWaits);
    expect(postPromotionWaits(r, newRS)).toBe(postWaits);
  });

  test.each([
    { name: 'at previewReplicaCount, all available', newRS: rs('n2', 1, 1), waits: false },
    { name: 'at previewReplicaCount, not yet available', newRS: rs('n2', 0, 1), waits: true },
    { name: 'still at another size', newRS: rs('n2', 3, 3), waits: true },
  ])('previewReplicaCount 1: $name', ({ newRS, waits }) => {
    expect(prePromotionWaits(rollout({}, { previewReplicaCount: 1 }), newRS)).toBe(waits);
  });
});

describe('the plan', () => {
  test('the preview up with no run: a pre-promotion run is created, post waits', () => {
    const p = blueGreenAnalysisPlan({ rollout: rollout({}), runs: [], newRS: rs('n2') });
    expect(p.create).toEqual([{ type: 'PrePromotion', analysis: pre }]);
    expect(p.active).toBe(true);
    expect(p.terminate).toEqual([]);
  });

  test('the current pre-promotion run is kept while it runs, and not created again', () => {
    const current = run('web-n2-2-pre', 'Running');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({ blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre') } }),
      runs: [current],
      newRS: rs('n2'),
    });
    expect(p.create).toEqual([]);
    expect(p.prePromotion).toBe(current);
  });

  test('after the switch: post-promotion is created, the finished pre-promotion run stays recorded', () => {
    const done = run('web-n2-2-pre', 'Successful');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({ blueGreen: { activeSelector: 'n2', ...preStatus('web-n2-2-pre', 'Successful') } }),
      runs: [done],
      newRS: rs('n2'),
    });
    expect(p.create).toEqual([{ type: 'PostPromotion', analysis: post }]);
    expect(p.prePromotion).toBe(done);
    expect(p.terminate).toEqual([]);
  });

  test.each([
    { name: 'aborted', status: { abort: true }, windowed: false },
    { name: 'promoteFull', status: { promoteFull: true }, windowed: false },
    { name: 'first deploy', status: { stableRS: undefined }, windowed: false },
    { name: 'rollback within the window', status: {}, windowed: true },
  ])('$name: nothing is analysed, the running run ends, the status keeps it', ({ status, windowed }) => {
    const current = run('web-n2-2-pre', 'Running');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({ ...status, blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre') } }),
      runs: [current],
      newRS: rs('n2'),
      ...(windowed ? { rollbackWithinWindow: true } : {}),
    });
    expect(p.active).toBe(false);
    expect(p.create).toEqual([]);
    expect(p.terminate).toEqual([current]);
    expect(p.prePromotion).toBe(current);
  });

  test('back to an RS within its scale-down delay (fast rollback): nothing is analysed', () => {
    const back = rs('n2', 3, 3, { 'scale-down-deadline': '2030-01-01T00:00:00Z' });
    const p = blueGreenAnalysisPlan({ rollout: rollout({}), runs: [], newRS: back });
    expect(p.active).toBe(false);
    expect(p.create).toEqual([]);
  });

  test('a run of an earlier template is not current: it goes with the others', () => {
    const old = run('web-n1-1-pre', 'Running', 'n1');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({ blueGreen: { activeSelector: 's1', ...preStatus('web-n1-1-pre') } }),
      runs: [old],
      newRS: rs('n2', 1),
    });
    expect(p.prePromotion).toBeUndefined();
    expect(p.others).toEqual([old]);
    expect(p.create).toEqual([]);
  });

  test('retry after a failed pre-promotion run: a fresh run replaces it', () => {
    const failed = run('web-n2-2-pre', 'Failed');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({
        abortedAt: '2026-01-01T00:00:00Z',
        blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre', 'Failed') },
      }),
      runs: [failed],
      newRS: rs('n2'),
    });
    expect(p.prePromotion).toBeUndefined();
    expect(p.others).toEqual([failed]);
    expect(p.create).toEqual([{ type: 'PrePromotion', analysis: pre }]);
  });

  test('retry while the new RS is still scaled down: the failed run is forgotten, none created yet', () => {
    const failed = run('web-n2-2-pre', 'Failed');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({
        abortedAt: '2026-01-01T00:00:00Z',
        blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre', 'Failed') },
      }),
      runs: [failed],
      newRS: rs('n2', 0, 0),
    });
    expect(p.prePromotion).toBeUndefined();
    expect(p.create).toEqual([]);
  });

  test('paused for an Inconclusive run: held as it is', () => {
    const current = run('web-n2-2-pre', 'Inconclusive');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({
        controllerPause: true,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }],
        blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre', 'Inconclusive') },
      }),
      runs: [current],
      newRS: rs('n2'),
    });
    expect(p.create).toEqual([]);
    expect(p.prePromotion).toBe(current);
  });

  test('resumed after an Inconclusive run: a new run replaces it', () => {
    const current = run('web-n2-2-pre', 'Inconclusive');
    const p = blueGreenAnalysisPlan({
      rollout: rollout({
        controllerPause: true,
        blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre', 'Inconclusive') },
      }),
      runs: [current],
      newRS: rs('n2'),
    });
    expect(p.create).toEqual([{ type: 'PrePromotion', analysis: pre }]);
    expect(p.prePromotion).toBeUndefined();
  });

  test('a hook removed from the spec: its run ends and is forgotten', () => {
    const current = run('web-n2-2-pre', 'Running');
    const p = blueGreenAnalysisPlan({
      rollout: rollout(
        { blueGreen: { activeSelector: 's1', ...preStatus('web-n2-2-pre') } },
        { prePromotionAnalysis: undefined },
      ),
      runs: [current],
      newRS: rs('n2'),
    });
    expect(p.prePromotion).toBeUndefined();
    expect(p.terminate).toEqual([current]);
  });
});

describe('the status', () => {
  test('records both runs and emits phase-change Events as upstream', () => {
    const old = { blueGreen: { ...preStatus('web-n2-2-pre', 'Running') } };
    const out = blueGreenAnalysisStatus(old, {
      prePromotion: run('web-n2-2-pre', 'Failed'),
      postPromotion: run('web-n2-2-post', 'Running'),
    });
    expect(out.blueGreen).toEqual({
      prePromotionAnalysisRunStatus: { name: 'web-n2-2-pre', status: 'Failed', message: 'Failed because' },
      postPromotionAnalysisRunStatus: {
        name: 'web-n2-2-post',
        status: 'Running',
        message: 'Running because',
      },
    });
    expect(out.events).toEqual([
      {
        type: 'Normal',
        reason: 'AnalysisRunRunning',
        message:
          "PostPromotion Analysis Run 'web-n2-2-post' Status New: 'Running' Previous: 'NoPreviousStatus'",
      },
      {
        type: 'Warning',
        reason: 'AnalysisRunFailed',
        message: "PrePromotion Analysis Run 'web-n2-2-pre' Status New: 'Failed' Previous: 'Running'",
      },
    ]);
  });

  test('a hook without a current run is cleared', () => {
    const out = blueGreenAnalysisStatus({ blueGreen: preStatus('x') }, {});
    expect(out.blueGreen).toEqual({
      prePromotionAnalysisRunStatus: undefined,
      postPromotionAnalysisRunStatus: undefined,
    });
    expect(out.events).toEqual([]);
  });
});
