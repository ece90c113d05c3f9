// Golden files for `get rollout` with colours off: blue-green with a preview (identical to the
// official plugin's own golden output), a paused canary, a degraded canary, a failed analysis.
// Regenerate after a deliberate change with UPDATE_GOLDEN=1.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRollout } from './render-rollout.ts';
import { rolloutInfo } from './rollout-info.ts';
import type { RolloutObjects } from './objects.ts';
import { analysisRun, NOW, objects, rollout, withExperiment } from './testdata/objects.ts';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'x' }] },
};
const selector = { matchLabels: { app: 'web' } };
const three = (prefix: string) => [
  { suffix: `${prefix}1` },
  { suffix: `${prefix}2` },
  { suffix: `${prefix}3` },
];
const canarySteps = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 40 },
  { pause: { duration: '10s' } },
  { setWeight: 60 },
  { pause: { duration: '10s' } },
  { setWeight: 80 },
  { pause: { duration: '10s' } },
];

function blueGreenPreview(): RolloutObjects {
  const ro = rollout(
    'bluegreen-demo',
    { replicas: 3, selector, template, strategy: { blueGreen: { activeService: 'a', previewService: 'p' } } },
    {
      phase: 'Paused',
      replicas: 6,
      updatedReplicas: 3,
      readyReplicas: 6,
      availableReplicas: 3,
      stableRS: '6cbccd9f99',
      currentPodHash: '74b948fccb',
      blueGreen: { activeSelector: '6cbccd9f99', previewSelector: '74b948fccb' },
      pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-01-01T00:00:00Z' }],
    },
  );
  return objects(ro, [
    {
      hash: '74b948fccb',
      revision: 11,
      image: 'argoproj/rollouts-demo:green',
      replicas: 3,
      pods: [{ suffix: '5jz59' }, { suffix: 'mkhrl' }, { suffix: 'vvj2t' }],
    },
    {
      hash: '6cbccd9f99',
      revision: 10,
      image: 'argoproj/rollouts-demo:blue',
      replicas: 3,
      pods: [{ suffix: 'gk78v' }, { suffix: 'kxj8g' }, { suffix: 't2d4f' }],
    },
    { hash: '746d5fddf6', revision: 8, image: 'argoproj/rollouts-demo:red', replicas: 0 },
  ]);
}

function canaryPaused(): RolloutObjects {
  const ro = rollout(
    'canary-demo',
    { replicas: 5, selector, template, strategy: { canary: { steps: canarySteps } } },
    {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      replicas: 5,
      updatedReplicas: 1,
      readyReplicas: 5,
      availableReplicas: 5,
      stableRS: '877894d5b',
      currentPodHash: '65fb5ffc84',
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-07T23:59:00Z' }],
    },
  );
  return objects(ro, [
    {
      hash: '65fb5ffc84',
      revision: 31,
      image: 'argoproj/rollouts-demo:yellow',
      replicas: 1,
      pods: [{ suffix: '9wf5r' }],
    },
    { hash: '877894d5b', revision: 30, image: 'argoproj/rollouts-demo:blue', replicas: 4, pods: three('b') },
  ]);
}

function canaryDegraded(): RolloutObjects {
  const ro = rollout(
    'canary-demo',
    { replicas: 5, selector, template, strategy: { canary: { steps: canarySteps } } },
    {
      phase: 'Degraded',
      message: 'ProgressDeadlineExceeded: ReplicaSet "canary-demo-65fb5ffc84" has timed out progressing.',
      currentStepIndex: 0,
      replicas: 6,
      updatedReplicas: 1,
      readyReplicas: 5,
      availableReplicas: 5,
      stableRS: '877894d5b',
      currentPodHash: '65fb5ffc84',
    },
  );
  return objects(ro, [
    {
      hash: '65fb5ffc84',
      revision: 31,
      image: 'argoproj/rollouts-demo:does-not-exist',
      replicas: 1,
      available: 0,
      pods: [{ suffix: '9wf5r', state: 'image-pull' }],
    },
    {
      hash: '877894d5b',
      revision: 30,
      image: 'argoproj/rollouts-demo:green',
      replicas: 5,
      pods: [...three('a'), { suffix: 'a4' }, { suffix: 'a5', restarts: 2 }],
    },
    { hash: '859c99b45c', revision: 29, image: 'argoproj/rollouts-demo:red', replicas: 0 },
  ]);
}

function analysisFailed(): RolloutObjects {
  const ro = rollout(
    'canary-analysis',
    {
      replicas: 4,
      selector,
      template,
      strategy: {
        canary: {
          steps: [{ setWeight: 25 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }],
        },
      },
    },
    {
      phase: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)',
      abort: true,
      currentStepIndex: 1,
      replicas: 4,
      updatedReplicas: 0,
      readyReplicas: 4,
      availableReplicas: 4,
      stableRS: 'f6db98dff',
      currentPodHash: '6f646bf7b7',
    },
  );
  const run = analysisRun(ro, 'canary-analysis-6f646bf7b7-2-1', 2, {
    phase: 'Failed',
    metricResults: [
      {
        name: 'success-rate',
        phase: 'Failed',
        count: 4,
        successful: 1,
        failed: 3,
        message: 'Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)',
        measurements: [
          { phase: 'Successful', value: '0.99', startedAt: '2026-01-01T00:00:00Z' },
          { phase: 'Failed', value: '0.42', startedAt: '2026-01-01T00:01:00Z' },
        ],
      },
      {
        name: 'smoke',
        phase: 'Successful',
        count: 1,
        successful: 1,
        measurements: [
          {
            phase: 'Successful',
            startedAt: '2026-01-01T00:00:00Z',
            metadata: { 'job-name': 'canary-analysis-6f646bf7b7-2-1-smoke' },
          },
        ],
      },
    ],
  });
  return objects(
    ro,
    [
      { hash: '6f646bf7b7', revision: 2, image: 'argoproj/rollouts-demo:yellow', replicas: 0 },
      {
        hash: 'f6db98dff',
        revision: 1,
        image: 'argoproj/rollouts-demo:blue',
        replicas: 4,
        pods: [...three('p'), { suffix: 'p4' }],
      },
    ],
    [run],
  );
}

// An experiment step running: the Experiment under its revision, with its ReplicaSets and their
// pods and its AnalysisRun beneath it, as the plugin nests them.
function canaryExperiment(): RolloutObjects {
  const ro = rollout(
    'canary-demo',
    {
      replicas: 2,
      selector,
      template,
      strategy: { canary: { steps: [{ experiment: { templates: [] } }, { setWeight: 50 }] } },
    },
    {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
      currentStepIndex: 0,
      replicas: 2,
      updatedReplicas: 0,
      readyReplicas: 2,
      availableReplicas: 2,
      stableRS: 'f6db98dff',
      currentPodHash: '6f646bf7b7',
    },
  );
  const base = objects(ro, [
    { hash: '6f646bf7b7', revision: 2, image: 'argoproj/rollouts-demo:yellow', replicas: 0 },
    {
      hash: 'f6db98dff',
      revision: 1,
      image: 'argoproj/rollouts-demo:blue',
      replicas: 2,
      pods: three('p').slice(0, 2),
    },
  ]);
  return withExperiment(
    base,
    'canary-demo-6f646bf7b7-2-0',
    2,
    'Running',
    [
      { name: 'baseline', image: 'argoproj/rollouts-demo:blue', pods: ['b1'] },
      { name: 'canary', image: 'argoproj/rollouts-demo:yellow', pods: ['c1'] },
    ],
    [
      {
        name: 'canary-demo-6f646bf7b7-2-0-compare',
        status: {
          phase: 'Running',
          metricResults: [{ name: 'compare', phase: 'Running', successful: 1, measurements: [] }],
        },
      },
    ],
  );
}

const cases = [
  { name: 'canary-experiment', build: canaryExperiment },
  { name: 'bluegreen-preview', build: blueGreenPreview },
  { name: 'canary-paused', build: canaryPaused },
  { name: 'canary-degraded', build: canaryDegraded },
  { name: 'analysis-failed', build: analysisFailed },
];

test.each(cases)('$name matches its golden file', ({ name, build }) => {
  const text = renderRollout(rolloutInfo(build(), NOW), { color: false, now: NOW, metrics: true });
  const file = join(import.meta.dirname, 'testdata', `${name}.golden.txt`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
});

test('blue-green output is the official plugin golden output, byte for byte', () => {
  // pkg/kubectl-argo-rollouts/cmd/get/get_test.go TestGetBlueGreenRollout (trailing spaces trimmed).
  const upstream = `Name:            bluegreen-demo
Namespace:       jesse-test
Status:          ॥ Paused
Strategy:        BlueGreen
Images:          argoproj/rollouts-demo:blue (active)
                 argoproj/rollouts-demo:green (preview)
Replicas:
  Desired:       3
  Current:       6
  Updated:       3
  Ready:         6
  Available:     3

NAME                                        KIND        STATUS        AGE  INFO
⟳ bluegreen-demo                            Rollout     ॥ Paused      7d
├──# revision:11
│  └──⧉ bluegreen-demo-74b948fccb           ReplicaSet  ✔ Healthy     7d   preview
│     ├──□ bluegreen-demo-74b948fccb-5jz59  Pod         ✔ Running     7d   ready:1/1
│     ├──□ bluegreen-demo-74b948fccb-mkhrl  Pod         ✔ Running     7d   ready:1/1
│     └──□ bluegreen-demo-74b948fccb-vvj2t  Pod         ✔ Running     7d   ready:1/1
├──# revision:10
│  └──⧉ bluegreen-demo-6cbccd9f99           ReplicaSet  ✔ Healthy     7d   active
│     ├──□ bluegreen-demo-6cbccd9f99-gk78v  Pod         ✔ Running     7d   ready:1/1
│     ├──□ bluegreen-demo-6cbccd9f99-kxj8g  Pod         ✔ Running     7d   ready:1/1
│     └──□ bluegreen-demo-6cbccd9f99-t2d4f  Pod         ✔ Running     7d   ready:1/1
└──# revision:8
   └──⧉ bluegreen-demo-746d5fddf6           ReplicaSet  • ScaledDown  7d
`;
  // The plugin's test data has no stableRS and no message.
  const objs = blueGreenPreview();
  objs.rollout.status = { ...objs.rollout.status, stableRS: undefined };
  expect(renderRollout(rolloutInfo(objs, NOW), { color: false, now: NOW })).toBe(upstream);
});

test('colours: icons and roles are wrapped in ANSI codes only when asked', () => {
  const info = rolloutInfo(canaryPaused(), NOW);
  expect(renderRollout(info, { color: true, now: NOW })).toContain('\x1b[33mcanary\x1b[0m');
  expect(renderRollout(info, { color: false, now: NOW })).not.toContain('\x1b[');
});

test('the header of a paused canary shows step, set and actual weight', () => {
  const info = rolloutInfo(canaryPaused(), NOW);
  expect(info).toMatchObject({ step: '1/8', setWeight: '20', actualWeight: '20', status: 'Paused' });
});
