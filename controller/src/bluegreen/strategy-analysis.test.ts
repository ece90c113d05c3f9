// The blue-green strategy with the analysis wiring's runs of this pass (PassAnalysis): they, not
// the stored status, decide the gates, and the status records them.
import type { Rollout } from '@rollout-kit/api';
import type { ServiceView } from '../canary/services.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import type { PassAnalysis } from '../rollout/strategy.ts';
import { blueGreenStrategy } from './strategy.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');

const rs = (hash: string, revision: number): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    labels: { app: 'web', 'rollouts-pod-template-hash': hash },
    annotations: {
      'rollout.argoproj.io/revision': String(revision),
      'rollout.argoproj.io/desired-replicas': '3',
    },
  },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'rollouts-pod-template-hash': hash } } },
  status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 },
});

const service = (name: string, hash: string): ServiceView => ({
  name,
  selector: { app: 'web', 'rollouts-pod-template-hash': hash },
});

function pass(stored: string, current: { name: string; status: string; message?: string } | undefined) {
  const blue = rs('blue', 1);
  const green = rs('green', 2);
  const rollout: Rollout = {
    metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        blueGreen: {
          activeService: 'active',
          previewService: 'preview',
          prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
        },
      },
    },
    status: {
      observedGeneration: '1',
      currentPodHash: 'green',
      stableRS: 'blue',
      blueGreen: {
        activeSelector: 'blue',
        previewSelector: 'green',
        prePromotionAnalysisRunStatus: { name: 'r', status: stored },
      },
    },
  };
  const analysis: PassAnalysis = {
    reaction: { kind: 'none' },
    promotionRuns: current ? { prePromotion: current } : {},
    record: (fields) => ({
      fields: { ...fields, blueGreen: { ...fields.blueGreen, prePromotionAnalysisRunStatus: current } },
      events: current ? [{ type: 'Normal', reason: `AnalysisRun${current.status}`, message: 'm' }] : [],
    }),
  };
  return blueGreenStrategy.begin({
    rollout,
    currentPodHash: 'green',
    owned: [blue, green],
    newRS: green,
    stableRS: blue,
    others: [],
    services: { active: service('active', 'blue'), preview: service('preview', 'green') },
    revision: 2,
    analysis,
    now: NOW,
  });
}

test.each([
  {
    name: 'stored Running, read Failed: aborts, active stays on blue',
    stored: 'Running',
    current: { name: 'r', status: 'Failed', message: 'Metric "m" assessed Failed' },
    want: { switches: [], abort: true, phase: 'Degraded', event: 'AnalysisRunFailed' },
  },
  {
    name: 'stored Running, read Successful: switches active to green',
    stored: 'Running',
    current: { name: 'r', status: 'Successful' },
    want: { switches: ['green'], abort: false, phase: 'Healthy', event: 'AnalysisRunSuccessful' },
  },
  {
    name: 'stored Failed, a fresh run this pass (retry): waits on it',
    stored: 'Failed',
    current: { name: 'r.1', status: '' },
    want: { switches: [], abort: false, phase: 'Progressing' },
  },
])('$name', ({ stored, current, want }) => {
  const p = pass(stored, current);
  const { status } = p.status();
  expect(p.serviceSwitches().map((s) => s.hash)).toEqual(want.switches);
  expect(status.abort ?? false).toBe(want.abort);
  expect(status.phase).toBe(want.phase);
  expect(status.blueGreen?.prePromotionAnalysisRunStatus).toEqual(current);
  if (want.event) expect(p.events.map((e) => e.reason)).toContain(want.event);
});
