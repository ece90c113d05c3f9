// The blue-green sequence as a table: for each state of the cluster (ReplicaSets, live Services,
// status), what one reconcile does to each Service and ReplicaSet, and what the status says.
// R = 3; "blue" is the running version, "green" the update.
import type { Rollout, RolloutStatus } from '@rollout-kit/api';
import type { ServiceView } from '../canary/services.ts';
import type { ReplicaSet } from '../rollout/replica-set.ts';
import { blueGreenStrategy } from './strategy.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
type BlueGreen = NonNullable<NonNullable<Rollout['spec']['strategy']>['blueGreen']>;

function rs(
  hash: string,
  spec: number,
  avail = spec,
  extra: { revision?: number; deadline?: string; desired?: number } = {},
): ReplicaSet {
  return {
    metadata: {
      name: `web-${hash}`,
      labels: { app: 'web', 'rollouts-pod-template-hash': hash },
      annotations: {
        'rollout.argoproj.io/revision': String(extra.revision ?? (hash === 'green' ? 2 : 1)),
        'rollout.argoproj.io/desired-replicas': String(extra.desired ?? 3),
        ...(extra.deadline ? { 'scale-down-deadline': extra.deadline } : {}),
      },
    },
    spec: { replicas: spec, selector: { matchLabels: { app: 'web', 'rollouts-pod-template-hash': hash } } },
    status: { replicas: spec, readyReplicas: avail, availableReplicas: avail },
  };
}

const services = (active?: string, preview?: string): Record<string, ServiceView> => ({
  active: {
    name: 'active',
    selector: { app: 'web', ...(active ? { 'rollouts-pod-template-hash': active } : {}) },
  },
  preview: {
    name: 'preview',
    selector: { app: 'web', ...(preview ? { 'rollouts-pod-template-hash': preview } : {}) },
  },
});

const paused = { pauseConditions: [{ reason: 'BlueGreenPause', startTime: at(-5) }], controllerPause: true };
const pausedCondition = {
  type: 'Paused',
  status: 'True' as const,
  reason: 'RolloutPaused',
  message: 'Rollout is paused',
  lastUpdateTime: at(-5),
  lastTransitionTime: at(-5),
};
const previewing: RolloutStatus = {
  currentPodHash: 'green',
  stableRS: 'blue',
  blueGreen: { activeSelector: 'blue', previewSelector: 'green' },
};

interface Row {
  name: string;
  bg?: Partial<BlueGreen>;
  paused?: boolean;
  /** The pass found the new RS within spec.rollbackWindow. */
  windowed?: boolean;
  status: RolloutStatus;
  replicaSets: ReplicaSet[];
  /** The new RS (its hash); the others are found in replicaSets. */
  current: string;
  live: Record<string, ServiceView>;
  want: {
    switches?: Record<string, string>;
    scale?: { name: string; to: number; clearDeadline?: boolean };
    deadlines?: Record<string, string | null>;
    phase?: string;
    stableRS?: string;
    pause?: string[];
    events?: string[];
    abort?: boolean;
    recheckAt?: string;
    checkpoint?: boolean;
  };
}

const rows: Row[] = [
  {
    name: 'first deploy: blue is stable at once, scaled to R; preview follows; active waits for pods',
    status: {},
    replicaSets: [rs('blue', 0, 0)],
    current: 'blue',
    live: services(),
    want: {
      switches: { preview: 'blue' },
      scale: { name: 'web-blue', to: 3 },
      stableRS: 'blue',
      events: ['RolloutCompleted'],
      phase: 'Progressing',
    },
  },
  {
    name: 'first deploy, blue available: active switched without a pause even with auto-promotion off',
    bg: { autoPromotionEnabled: false },
    status: { currentPodHash: 'blue', stableRS: 'blue' },
    replicaSets: [rs('blue', 3)],
    current: 'blue',
    live: services(undefined, 'blue'),
    want: { switches: { active: 'blue' }, phase: 'Healthy', pause: [] },
  },
  {
    name: 'new template: preview switches to green at once, green scales to R, active stays on blue',
    bg: { autoPromotionEnabled: false },
    status: {
      currentPodHash: 'blue',
      stableRS: 'blue',
      blueGreen: { activeSelector: 'blue', previewSelector: 'blue' },
    },
    replicaSets: [rs('blue', 3), rs('green', 0, 0)],
    current: 'green',
    live: services('blue', 'blue'),
    want: { switches: { preview: 'green' }, scale: { name: 'web-green', to: 3 }, phase: 'Progressing' },
  },
  {
    name: 'green not available yet: no pause, no switch',
    bg: { autoPromotionEnabled: false },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3, 1)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, pause: [], phase: 'Progressing' },
  },
  {
    name: 'green available, auto-promotion off: BlueGreenPause, active stays on blue (Suspended in Argo CD)',
    bg: { autoPromotionEnabled: false },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, pause: ['BlueGreenPause'], phase: 'Paused', events: ['RolloutPaused'] },
  },
  {
    name: 'paused: nothing moves',
    bg: { autoPromotionEnabled: false },
    status: { ...previewing, ...paused },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, pause: ['BlueGreenPause'], phase: 'Paused' },
  },
  {
    name: 'promoted by the user: active to green, green stable, blue kept for scaleDownDelaySeconds',
    bg: { autoPromotionEnabled: false },
    status: { ...previewing, controllerPause: true, conditions: [pausedCondition] },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: {
      switches: { active: 'green' },
      stableRS: 'green',
      deadlines: { 'web-blue': at(30) },
      phase: 'Healthy',
      events: ['RolloutCompleted', 'RolloutResumed'],
      recheckAt: at(30),
    },
  },
  {
    name: 'default auto-promotion: green available is switched at once',
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: { active: 'green' }, stableRS: 'green', deadlines: { 'web-blue': at(30) }, pause: [] },
  },
  {
    name: 'blue within its delay: kept up, looked at again at the deadline',
    status: {
      currentPodHash: 'green',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'green' },
    },
    replicaSets: [rs('blue', 3, 3, { deadline: at(12) }), rs('green', 3)],
    current: 'green',
    live: services('green', 'green'),
    want: { switches: {}, deadlines: {}, recheckAt: at(12), phase: 'Healthy' },
  },
  {
    name: 'blue past its delay: scaled to 0 and the deadline removed',
    status: {
      currentPodHash: 'green',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'green' },
    },
    replicaSets: [rs('blue', 3, 3, { deadline: at(-1) }), rs('green', 3)],
    current: 'green',
    live: services('green', 'green'),
    want: { scale: { name: 'web-blue', to: 0, clearDeadline: true } },
  },
  {
    name: 'autoPromotionSeconds: paused, and looked at again when it ends',
    bg: { autoPromotionSeconds: 10 },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { pause: ['BlueGreenPause'], switches: {}, recheckAt: at(11) },
  },
  {
    name: 'autoPromotionSeconds elapsed: the pause ends and active switches',
    bg: { autoPromotionSeconds: 10 },
    status: {
      ...previewing,
      pauseConditions: [{ reason: 'BlueGreenPause', startTime: at(-11) }],
      controllerPause: true,
    },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { pause: [], switches: { active: 'green' }, stableRS: 'green' },
  },
  {
    name: 'previewReplicaCount: green runs only the preview count',
    bg: { autoPromotionEnabled: false, previewReplicaCount: 1 },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 0, 0)],
    current: 'green',
    live: services('blue', 'green'),
    want: { scale: { name: 'web-green', to: 1 }, switches: {} },
  },
  {
    name: 'previewReplicaCount: preview available, paused before the scale-up',
    bg: { autoPromotionEnabled: false, previewReplicaCount: 1 },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 1)],
    current: 'green',
    live: services('blue', 'green'),
    want: { pause: ['BlueGreenPause'], switches: {}, checkpoint: false },
  },
  {
    name: 'previewReplicaCount: promoted, the checkpoint lets green grow to R before the switch',
    bg: { autoPromotionEnabled: false, previewReplicaCount: 1 },
    status: { ...previewing, controllerPause: true },
    replicaSets: [rs('blue', 3), rs('green', 1)],
    current: 'green',
    live: services('blue', 'green'),
    want: { scale: { name: 'web-green', to: 3 }, switches: {}, checkpoint: true, pause: [] },
  },
  {
    name: 'previewReplicaCount: green saturated after the checkpoint, active switches without a new pause',
    bg: { autoPromotionEnabled: false, previewReplicaCount: 1 },
    status: { ...previewing, blueGreen: { ...previewing.blueGreen, scaleUpPreviewCheckPoint: true } },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: { active: 'green' }, stableRS: 'green', pause: [] },
  },
  {
    name: 'abort: active stays on blue, green kept and given the abort deadline once blue is whole',
    bg: { autoPromotionEnabled: false },
    status: { ...previewing, ...paused, abort: true },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: {
      switches: {},
      deadlines: { 'web-green': at(30) },
      phase: 'Degraded',
      pause: [],
      abort: true,
      events: ['RolloutAborted'],
    },
  },
  {
    name: 'abort past the abort deadline: green scaled to 0, preview left on it',
    status: { ...previewing, abort: true, abortedAt: at(-40) },
    replicaSets: [rs('blue', 3), rs('green', 3, 3, { deadline: at(-10) })],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, scale: { name: 'web-green', to: 0 }, phase: 'Degraded' },
  },
  {
    name: 'abort after the switch (post-promotion): active goes back to blue',
    status: { ...previewing, abort: true, blueGreen: { activeSelector: 'green', previewSelector: 'green' } },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('green', 'green'),
    want: { switches: { active: 'blue' }, phase: 'Degraded', stableRS: 'blue' },
  },
  {
    name: 'abortScaleDownDelaySeconds 0: green is left running',
    bg: { abortScaleDownDelaySeconds: 0 },
    status: { ...previewing, abort: true, abortedAt: at(-40) },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { deadlines: {}, phase: 'Degraded' },
  },
  {
    name: 'retry: abort cleared, the abort deadline removed, green scaled up again',
    bg: { autoPromotionEnabled: false },
    status: { ...previewing, abortedAt: at(-60) },
    replicaSets: [rs('blue', 3), rs('green', 0, 0, { deadline: at(-30) })],
    current: 'green',
    live: services('blue', 'green'),
    want: { deadlines: { 'web-green': null }, scale: { name: 'web-green', to: 3 }, phase: 'Progressing' },
  },
  {
    name: 'never-ready green: never paused, never promoted, active stays on blue',
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3, 0)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, pause: [], stableRS: 'blue', phase: 'Progressing' },
  },
  {
    name: 'fast rollback: back to blue within its delay switches active at once, no pause',
    bg: { autoPromotionEnabled: false },
    status: {
      currentPodHash: 'green',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'green' },
    },
    replicaSets: [rs('blue', 3, 3, { deadline: at(20) }), rs('green', 3)],
    current: 'blue',
    live: services('green', 'green'),
    want: {
      switches: { preview: 'blue', active: 'blue' },
      stableRS: 'blue',
      deadlines: { 'web-blue': null, 'web-green': at(30) },
      pause: [],
      events: ['RolloutCompleted'],
    },
  },
  {
    name: 'pre-promotion analysis running: no pause and no switch yet',
    bg: { prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
    status: previewing,
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, pause: [] },
  },
  {
    name: 'pre-promotion analysis successful: switch',
    bg: { prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
    status: {
      ...previewing,
      blueGreen: {
        ...previewing.blueGreen,
        prePromotionAnalysisRunStatus: { name: 'r', status: 'Successful' },
      },
    },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: { active: 'green' }, stableRS: 'green' },
  },
  {
    name: 'pre-promotion analysis failed: aborted, active stays on blue',
    bg: { prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
    status: {
      ...previewing,
      blueGreen: {
        ...previewing.blueGreen,
        prePromotionAnalysisRunStatus: { name: 'r', status: 'Failed', message: 'Metric "m" assessed Failed' },
      },
    },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'green'),
    want: { switches: {}, abort: true, phase: 'Degraded', events: ['RolloutAborted'] },
  },
  {
    name: 'post-promotion analysis running: active on green, blue still stable and kept at R',
    bg: { postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
    status: { ...previewing, blueGreen: { activeSelector: 'green', previewSelector: 'green' } },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('green', 'green'),
    want: { switches: {}, stableRS: 'blue', deadlines: {}, phase: 'Progressing' },
  },
  {
    name: 'post-promotion analysis inconclusive: paused, nothing scales',
    bg: { postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
    status: {
      ...previewing,
      blueGreen: {
        activeSelector: 'green',
        previewSelector: 'green',
        postPromotionAnalysisRunStatus: { name: 'r', status: 'Inconclusive' },
      },
    },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('green', 'green'),
    want: { pause: ['InconclusiveAnalysisRun'], phase: 'Paused', stableRS: 'blue' },
  },
  {
    name: 'spec.paused: the preview does not even switch',
    paused: true,
    status: {
      currentPodHash: 'blue',
      stableRS: 'blue',
      blueGreen: { activeSelector: 'blue', previewSelector: 'blue' },
    },
    replicaSets: [rs('blue', 3), rs('green', 3)],
    current: 'green',
    live: services('blue', 'blue'),
    want: { switches: {}, phase: 'Paused' },
  },
  {
    name: 'scaleDownDelayRevisionLimit 1: only the newest old RS keeps its pods',
    bg: { scaleDownDelayRevisionLimit: 1 },
    status: {
      currentPodHash: 'green',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'green' },
    },
    replicaSets: [
      rs('red', 3, 3, { revision: 0, deadline: at(20) }),
      rs('blue', 3, 3, { deadline: at(25) }),
      rs('green', 3, 3, { revision: 3 }),
    ],
    current: 'green',
    live: services('green', 'green'),
    want: { scale: { name: 'web-red', to: 0, clearDeadline: true } },
  },
  {
    name: 'a superseded preview that never served gets the delay too, then goes',
    status: {
      currentPodHash: 'green',
      stableRS: 'blue',
      blueGreen: { activeSelector: 'blue', previewSelector: 'green' },
    },
    replicaSets: [rs('blue', 3), rs('green', 3, 3, { revision: 2 }), rs('pink', 0, 0, { revision: 3 })],
    current: 'pink',
    live: services('blue', 'green'),
    want: {
      switches: { preview: 'pink' },
      deadlines: { 'web-green': at(30) },
      scale: { name: 'web-pink', to: 3 },
    },
  },
  {
    name: 'back to blue within the rollback window, auto-promotion off: no pause, active switches, promoted',
    bg: { autoPromotionEnabled: false },
    windowed: true,
    status: {
      currentPodHash: 'blue',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'blue' },
    },
    replicaSets: [rs('blue', 3, 3, { revision: 3 }), rs('green', 3)],
    current: 'blue',
    live: services('green', 'blue'),
    want: { switches: { active: 'blue' }, pause: [], stableRS: 'blue', events: ['RolloutCompleted'] },
  },
  {
    name: 'the same outside the window: the pause holds and active stays on green',
    bg: { autoPromotionEnabled: false },
    status: {
      currentPodHash: 'blue',
      stableRS: 'green',
      blueGreen: { activeSelector: 'green', previewSelector: 'blue' },
    },
    replicaSets: [rs('blue', 3, 3, { revision: 3 }), rs('green', 3)],
    current: 'blue',
    live: services('green', 'blue'),
    want: { switches: {}, pause: ['BlueGreenPause'], stableRS: 'green', phase: 'Paused' },
  },
  {
    name: 'an aborted update within the rollback window does not stay aborted',
    windowed: true,
    status: {
      currentPodHash: 'blue',
      stableRS: 'green',
      abort: true,
      abortedAt: at(-60),
      blueGreen: { activeSelector: 'green', previewSelector: 'blue' },
    },
    replicaSets: [rs('blue', 3, 3, { revision: 3 }), rs('green', 3)],
    current: 'blue',
    live: services('green', 'blue'),
    want: { switches: { active: 'blue' }, abort: false, stableRS: 'blue' },
  },
];

function runPass(row: Row) {
  const rollout: Rollout = {
    metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: {
      replicas: 3,
      ...(row.paused ? { paused: true } : {}),
      selector: { matchLabels: { app: 'web' } },
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview', ...row.bg } },
    },
    status: { observedGeneration: '1', ...row.status },
  };
  const newRS = row.replicaSets.find((r) => r.metadata.name === `web-${row.current}`);
  const stableRS = row.replicaSets.find((r) => r.metadata.name === `web-${row.status.stableRS}`);
  return blueGreenStrategy.begin({
    rollout,
    currentPodHash: row.current,
    owned: row.replicaSets,
    newRS,
    stableRS,
    others: row.replicaSets.filter((r) => r !== newRS && r !== stableRS),
    services: row.live,
    revision: 2,
    ...(row.windowed ? { rollbackWithinWindow: true } : {}),
    now: NOW,
  });
}

test.each(rows)('$name', (row) => {
  const pass = runPass(row);
  const { want } = row;
  const status = pass.status();
  if (want.switches)
    expect(Object.fromEntries(pass.serviceSwitches().map((s) => [s.service, s.hash]))).toEqual(want.switches);
  if ('scale' in want) {
    const scale = pass.nextScaleAction();
    expect(
      scale && { name: scale.name, to: scale.to, ...(scale.clearDeadline ? { clearDeadline: true } : {}) },
    ).toEqual(want.scale);
  }
  if (want.deadlines)
    expect(Object.fromEntries(pass.scaleDownDeadlines().map((d) => [d.name, d.deadline]))).toEqual(
      want.deadlines,
    );
  if (want.phase) expect(status.status.phase).toBe(want.phase);
  if (want.stableRS) expect(status.status.stableRS).toBe(want.stableRS);
  if (want.pause) expect((status.status.pauseConditions ?? []).map((c) => c.reason)).toEqual(want.pause);
  if (want.abort !== undefined) expect(status.status.abort ?? false).toBe(want.abort);
  if (want.checkpoint !== undefined)
    expect(status.status.blueGreen?.scaleUpPreviewCheckPoint ?? false).toBe(want.checkpoint);
  if (want.recheckAt) expect(pass.recheckAt).toBeGreaterThanOrEqual(Date.parse(want.recheckAt));
  if (want.recheckAt) expect(pass.recheckAt).toBeLessThanOrEqual(Date.parse(want.recheckAt) + 1_000);
  if (want.events) {
    const reasons = [...pass.events, ...status.events].map((e) => e.reason);
    for (const reason of want.events) expect(reasons).toContain(reason);
  }
});

test('a rollback within the window is completed for that reason', () => {
  const pass = runPass(rows.find((r) => r.name.startsWith('back to blue within the rollback window'))!);
  expect(
    [...pass.events, ...pass.status().events].find((e) => e.reason === 'RolloutCompleted')?.message,
  ).toBe('Rollout completed update to revision 2 (blue): Rollback within window');
});

test('the status reads the selectors back and takes counts from the active RS', () => {
  const pass = runPass(rows.find((r) => r.name.startsWith('paused: nothing moves'))!);
  const { status } = pass.status();
  expect(status.blueGreen).toEqual({ activeSelector: 'blue', previewSelector: 'green' });
  expect(status).toMatchObject({
    availableReplicas: 3,
    HPAReplicas: 3,
    selector: 'app=web,rollouts-pod-template-hash=blue',
    updatedReplicas: 3,
    replicas: 6,
  });
  expect(status.currentStepIndex).toBeUndefined();
  expect(status.message).toBe('BlueGreenPause');
});

test('a failed pre-promotion analysis is named in the abort message', () => {
  const pass = runPass(rows.find((r) => r.name.startsWith('pre-promotion analysis failed'))!);
  const { status, events } = pass.status();
  expect(status.message).toBe(
    'RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "m" assessed Failed',
  );
  expect(events.find((e) => e.reason === 'RolloutAborted')?.type).toBe('Warning');
});

test('an invalid spec changes nothing but the status', () => {
  const row = rows.find((r) => r.name.startsWith('default auto-promotion'))!;
  const rollout: Rollout = {
    metadata: { name: 'web', generation: 1 },
    spec: { replicas: 3, strategy: { blueGreen: { activeService: 'active', previewService: 'preview' } } },
    status: row.status,
  };
  const pass = blueGreenStrategy.begin({
    rollout,
    currentPodHash: 'green',
    owned: row.replicaSets,
    others: [],
    services: row.live,
    revision: 2,
    invalidSpec: 'The Rollout "web" is invalid: x',
    now: NOW,
  });
  expect(pass.serviceSwitches()).toEqual([]);
  expect(pass.status().status.phase).toBe('Degraded');
});
