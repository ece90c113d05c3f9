import type { Rollout } from '@rollout-kit/api';
import { historyRows, renderHistory } from './history.ts';
import type { ReplicaSetObject } from './objects.ts';

const rs = (revision: number, hash: string, image: string): ReplicaSetObject => ({
  metadata: {
    name: `web-${hash}`,
    creationTimestamp: `2026-01-0${revision}T00:00:00Z`,
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': String(revision) },
  },
  spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
});
const rollout: Rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: { strategy: { canary: {} } },
  status: { stableRS: 'h2', currentPodHash: 'h3' },
};
const events = [
  {
    reason: 'RolloutCompleted',
    message: 'Rollout completed update to revision 2 (h2): Rollout is Healthy',
    time: '2026-01-02T00:05:00Z',
  },
  { reason: 'ScalingReplicaSet', message: 'Scaled up ReplicaSet web-h3 (revision 3) from 0 to 1' },
  {
    reason: 'RolloutAborted',
    message: 'Rollout aborted update to revision 3: Metric "x" assessed Failed',
    time: '2026-01-03T00:05:00Z',
  },
  { reason: 'RolloutUpdated', message: 'Rollout updated to revision 12' },
];

test('rows per revision, oldest first, with roles and the events that name them', () => {
  const rows = historyRows(rollout, [rs(3, 'h3', 'a:3'), rs(1, 'h1', 'a:1'), rs(2, 'h2', 'a:2')], events);
  expect(rows.map((r) => [r.revision, r.role, r.images.join(), r.events.map((e) => e.reason)])).toEqual([
    [1, '', 'a:1', []],
    [2, 'stable', 'a:2', ['RolloutCompleted']],
    [3, 'canary', 'a:3', ['RolloutAborted']],
  ]);
  expect(renderHistory(rows)).toBe(
    `REVISION  REPLICASET  IMAGES  ROLE    CREATED               EVENTS
1         web-h1      a:1     -       2026-01-01T00:00:00Z  -
2         web-h2      a:2     stable  2026-01-02T00:00:00Z  2026-01-02T00:05:00Z RolloutCompleted: Rollout completed update to revision 2 (h2): Rollout is Healthy
3         web-h3      a:3     canary  2026-01-03T00:00:00Z  2026-01-03T00:05:00Z RolloutAborted: Rollout aborted update to revision 3: Metric "x" assessed Failed
`,
  );
});
